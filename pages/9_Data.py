"""Backups & privacy: download or restore a backup, see snapshots, erase or export one member, retention."""

import json

import streamlit as st

from lib import ui
from lib.errors import MentoringError
from lib.privacy import erasure, privacy
from lib.storage import backup, db

page = ui.page_setup("Backups & privacy", ":material/shield:")
st.title("Backups & privacy")

st.subheader("Backup")
st.caption("The whole database as one zip file. Keep it somewhere safe: it holds members' personal data.")
st.download_button(
    "Download a backup (zip)",
    ui.guarded_download(lambda: backup.backup_zip(page.con()), minutes=5),
    file_name="mentoring-backup.zip",
    mime="application/zip",
    key="data.backup",
    icon=":material/download:",
    help="Made when clicked. The button works once, within 5 minutes of the page showing it, while you are "
    "signed in; any change on the page draws a fresh one.",
)
shots = backup.snapshots(page.path)
st.caption(
    f"Automatic snapshots (before every import, merge and upgrade; the newest {backup.KEEP_SNAPSHOTS} kept) "
    f"are in the folder `{backup.snapshot_folder(page.path).name}` beside the database file."
)
if shots:
    st.dataframe(
        shots,
        hide_index=True,
        key="data.snapshots",
        column_config={"folder": "Folder", "taken_at": "Taken", "reason": "Before", "schema_version": "Schema"},
    )

st.subheader("Restore")
upload = st.file_uploader("A backup zip made by this dashboard", type=["zip"], key="data.restore_file")
sure = st.checkbox(
    "Replace everything in the database with this backup (a snapshot of the current state is kept)",
    key="data.restore_sure",
)
if st.button("Restore", key="data.restore", disabled=not (upload and sure)):
    try:
        page.replace_database(lambda path: backup.restore_zip(path, upload.getvalue()))
    except MentoringError as exc:
        ui.show_error(exc)
    else:
        st.success("Restored. Every page now shows the backup's data.")

st.subheader("One member's data")
email = st.text_input("Member's email", key="data.email")
left, right = st.columns(2)
if email.strip():
    try:
        exported = privacy.export_member(page.con(), email)
    except MentoringError as exc:
        ui.show_error(exc)
    else:
        left.download_button(
            "Export everything held about them (JSON)",
            json.dumps(exported, ensure_ascii=False, indent=2, default=str),
            file_name="member.json",
            mime="application/json",
            key="data.export",
        )
        confirm = right.checkbox("Erase this member's personal data (cannot be undone)", key="data.erase_sure")
        if right.button("Erase", key="data.erase", disabled=not confirm, type="primary"):
            try:
                page.replace_database(lambda path: erasure.erase_everywhere(path, email, moderator=page.moderator))
            except MentoringError as exc:
                ui.show_error(exc)
            else:
                for key in ("data.email", "data.erase_sure"):
                    st.session_state.pop(key, None)
                st.toast(
                    "Erased. The database and its snapshots were rewritten without them; delete older downloaded backups."
                )
                st.rerun()

st.subheader("Retention")
months = page.read(db.get_setting, "retention_months")
chosen = st.number_input(
    "Erase declined applicants' personal data after this many months (empty: keep)",
    1,
    120,
    months,
    1,
    key="data.retention",
    placeholder="keep",
)
if st.button("Save retention", key="data.save_retention"):
    page.apply(lambda cur: privacy.set_retention(cur, chosen, moderator=page.moderator), "Retention saved.")
