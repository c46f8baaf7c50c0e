"""Audit log: every change any page or the command line made, who made it and when, in sentences."""

import streamlit as st

from lib import ui
from lib.insight import audit_words
from lib.storage import audit

page = ui.page_setup("Audit log", ":material/history:")
st.title("Audit log")
st.caption("Append-only: every import, stage change, merge, pairing, ending, message and undo, newest first.")

left, middle, right = st.columns(3)
member = left.text_input("Member", key="audit.member", placeholder="name or email")
kinds = middle.multiselect("Kind", [*audit_words.KINDS, "Other"], key="audit.kinds", placeholder="Every kind of change")
moderators = right.multiselect(
    "Moderator", page.read(audit.moderators), key="audit.moderators", placeholder="Everyone",
    format_func=audit_words.moderator_name,
)  # fmt: skip
log = page.read(audit_words.entries, kinds=kinds, member=member or None, moderators=moderators)
st.dataframe(
    log[["sentence"]],
    hide_index=True,
    key="audit.table",
    width="stretch",
    column_config={"sentence": st.column_config.TextColumn("What happened", width="large")},
)
st.caption(f"{audit_words.plural(len(log), 'entry', 'entries')} shown (at most the newest 1,000).")
ui.download_csv(
    log[["when", "moderator", "kind", "sentence", "action", "details"]],
    filename="audit_log.csv",
    label="Download (CSV, with the recorded details)",
    key="audit.download",
)
