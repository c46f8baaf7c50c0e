"""Applicants: the screening queue (who needs a decision, newest first), notes, stage moves, accept and
decline for many at once, with an undo of the last change (lib/ui/screening.py)."""

import streamlit as st

from lib import ui
from lib.intake import importer
from lib.ui import screening

page = ui.page_setup("Applicants", ":material/group:")
st.title("Applicants")


def unknown_zones() -> None:
    """The time-zone answers not understood (stored as unknown), so the moderator can ask again."""
    table = page.read(importer.unreadable_timezones)
    if table.empty:
        return
    st.subheader("Answers not understood")
    st.caption("These time-zone answers name no zone for sure; their members count as 'time zone unknown' in matching.")
    st.dataframe(table, hide_index=True, key="applicants.unknown_zones")


screening.undo_bar(page)
screening.stage_line(page)
found = screening.queue_table(page)
if found is not None:
    shown, edited = found
    ticked = screening.action_bar(page, shown, edited)
    screening.download(shown)
    screening.ticked_extras(page, shown, ticked)
unknown_zones()
