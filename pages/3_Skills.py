"""Skills: who offers and who wants what, the recruiting list, and which skills people would trade."""

import streamlit as st

from lib import ui
from lib.errors import MentoringError
from lib.insight import charts, coverage
from lib.intake.importer import STAGES

page = ui.page_setup("Skills", ":material/insights:")
st.title("Skills")
st.caption("Counts are members (not mentions), by canonical skill. Manage the words on the Skill vocabulary page.")

stages = st.multiselect("Count members in these stages", STAGES, default=["accepted"], key="skills.stages")
try:
    table = coverage.coverage(page.con(), stages=stages)
except MentoringError as exc:
    ui.show_error(exc)
    st.stop()
if table.empty:
    st.info("No skills yet for these stages. Import applications, or count more stages above.", icon=":material/info:")
    st.stop()

# Only the open tab runs (on_change="rerun"), so a visit costs one tab's queries and chart.
cover, gap_tab, exchange_tab = st.tabs(
    ["Coverage", "Gaps and surplus", "Exchanges"], key="skills.tab", on_change="rerun"
)
if cover.open:
    with cover:
        chart = charts.coverage_chart(table, stages_label=", ".join(stages))
        event = st.altair_chart(chart, on_select="rerun", key="skills.chart", width="stretch")
        clicked = [p["skill"] for p in (event.selection.get("skill") or []) if "skill" in p] if event else []
        if clicked and clicked[0] != st.session_state.get("skills.clicked"):
            st.session_state["skills.clicked"] = st.session_state["skills.pick"] = clicked[0]
        ui.chart_downloads(chart, table, name="skill_coverage", key="skills.coverage")
        pick = st.selectbox(
            "Members for a skill (or click a bar)",
            list(table["skill"]),
            index=None,
            key="skills.pick",
            placeholder="Choose a skill",
        )
        if pick:
            row = table[table["skill"] == pick].iloc[0]
            st.write(f"**{ui.safe(pick)}**: {row['offered']} offering, {row['wanted']} wanting.")
            st.dataframe(
                coverage.skill_members(page.con(), int(row["skill_id"]), stages=stages),
                hide_index=True,
                key="skills.members",
            )

if gap_tab.open:
    with gap_tab:
        st.subheader("Wanted, but nobody offers it")
        st.caption("Your recruiting list: the people waiting for each skill.")
        gaps = coverage.gaps(page.con(), stages=stages)
        st.dataframe(
            gaps,
            hide_index=True,
            key="skills.gaps",
            column_config=ui.people_columns("People waiting"),
        )
        ui.download_csv(gaps, filename="skill_gaps.csv", label="Download the gap list (CSV)", key="skills.gaps.csv")
        st.subheader("Offered, but nobody wants it")
        surplus = coverage.surplus(page.con(), stages=stages)
        st.dataframe(
            surplus,
            hide_index=True,
            key="skills.surplus",
            column_config=ui.people_columns("People offering"),
        )
        ui.download_csv(
            surplus, filename="skill_surplus.csv", label="Download the surplus list (CSV)", key="skills.surplus.csv"
        )

if exchange_tab.open:
    with exchange_tab:
        pairs = coverage.exchanges(page.con(), stages=stages)
        if pairs.empty:
            st.info("Nobody both offers and wants one of the common skills yet.")
        else:
            heat = charts.exchange_heatmap(pairs)
            st.altair_chart(heat, key="skills.exchange", width="stretch")
            ui.chart_downloads(heat, pairs, name="skill_exchange", key="skills.exchange")
