"""Audit log: every change any page or the command line made, who made it and when."""

import streamlit as st

from lib import ui
from lib.storage import audit

page = ui.page_setup("Audit log", ":material/history:")
st.title("Audit log")
st.caption("Append-only: every import, stage change, merge, confirm, move, ending and undo.")

left, middle, right = st.columns(3)
actions = left.multiselect("Actions", page.read(audit.actions), key="audit.actions", placeholder="All actions")
moderators = middle.multiselect(
    "Moderators", page.read(audit.moderators), key="audit.moderators", placeholder="Everyone"
)
search = right.text_input("Details contain", key="audit.search")
log = page.read(audit.entries, actions=actions, moderators=moderators, search=search)
st.dataframe(
    log,
    hide_index=True,
    key="audit.table",
    column_config={
        "happened_at": st.column_config.DatetimeColumn("When", format="D MMM YYYY, HH:mm:ss"),
        "moderator": "Who",
        "action": "Action",
        "details": st.column_config.TextColumn("Details", width="large"),
    },
)
st.caption(f"{len(log)} entries shown (newest first, at most 1,000).")
ui.download_csv(log, filename="audit_log.csv", label="Download (CSV)", key="audit.download")
