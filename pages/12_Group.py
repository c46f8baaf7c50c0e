"""Google group: who to add to the group, who to remove, who is unknown, and this week's digest.

Decisions (the rules themselves are in lib/group): the comparison uses the last imported member list, whose
age is shown (exported N days ago; "imported" when the file's name has no date); the lists give ready-to-paste
comma-separated addresses with a copy button; the digest is previewed here and drafted into the Outbox, where
the moderator edits and sends it like any message.
"""

import streamlit as st

from lib import ui
from lib.group import reconcile
from lib.ui import group

page = ui.page_setup("Google group", ":material/forum:")
st.title("Google group")
st.caption(
    "Compare the group's member list with the dashboard, and post a weekly digest that helps members find partners."
)
group.settings_form(page)
found = page.read(reconcile.current)
group.roster_status(page, found)
group.upload(page)

if found is not None:
    add, remove, unknown = st.tabs(
        [
            f"To add ({len(found.to_add)})",
            f"To remove ({len(found.to_remove)})",
            f"Unknown ({len(found.unknown)})",
        ]
    )
    with add:
        group.to_add(found.to_add)
    with remove:
        group.to_remove(found.to_remove)
    with unknown:
        group.unknown(found.unknown)

st.subheader("This week's digest")
st.caption(
    "First names and skills only: never an address, a surname, a note or feedback. New members are those accepted "
    "in the last 7 days."
)
group.digest_panel(page)
