"""Home: what needs the moderator today."""

import streamlit as st

from lib import applicants, demo, ui
from lib.errors import MentoringError

page = ui.page_setup("Home", ":material/home:")
con = page.con()
summary = applicants.home_summary(con)

st.title("Peer mentoring: today")

if summary["total"] == 0:
    st.info(
        "No applications yet. Bring in your application form's CSV export, or look around with a "
        "made-up demo community first.",
        icon=":material/inbox:",
    )
    left, right = st.columns(2)
    left.page_link("pages/1_Import.py", label="Import a CSV export", icon=":material/upload_file:")
    if right.button("Load the demo community", key="home.load_demo", icon=":material/science:"):
        try:
            with page.writing() as cur:
                loaded = demo.load_demo(cur, moderator=page.moderator)
        except MentoringError as exc:
            ui.show_error(exc)
        else:
            st.toast(f"Loaded {loaded} made-up applicants.")
            st.rerun()
    st.stop()

st.subheader("Screening")
counts = applicants.stage_counts(con)
for column, row in zip(st.columns(len(counts)), counts.itertuples()):
    column.metric(row.stage.capitalize(), row.count, help=applicants.STAGE_HELP[row.stage])

last = summary["last_import"]
if last:
    st.write(
        f"**{last['inserted']} new** and {last['updated']} updated applications in the last import "
        f"({last['filename']}, {last['imported_at']:%d %b %Y %H:%M}); {last['rejected']} rows rejected."
    )
if summary["unscreened_overdue"]:
    st.warning(
        f"{summary['unscreened_overdue']} applications have waited more than 7 days for screening.",
        icon=":material/schedule:",
    )
st.page_link("pages/2_Applicants.py", label="Go to applicants", icon=":material/group:")

if summary["demo"]:
    st.divider()
    st.caption(f"{summary['demo']} demo applicants are loaded. Removing them leaves your own data as it is.")
    if st.button("Remove demo data", key="home.remove_demo", icon=":material/delete:"):
        with page.writing() as cur:
            removed = demo.remove_demo(cur, moderator=page.moderator)
        st.toast(f"Removed {removed} demo applicants.")
        st.rerun()
