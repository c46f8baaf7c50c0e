"""Analytics: why and when pairs end, how long they last, and how the community grows."""

import streamlit as st

from lib import ui
from lib.insight import analytics, charts
from lib.intake import skills
from lib.ui import checkins as ui_checkins

page = ui.page_setup("Analytics", ":material/monitoring:")
st.title("Analytics")
st.caption("Counts sit beside every share; groups of fewer than 10 pairs are called too few to tell.")


def numbers(chart, frame, name: str, *, width: str = "stretch") -> None:
    """The chart, and its numbers one click away."""
    st.altair_chart(chart, width=width)
    with st.expander("Numbers"):
        st.dataframe(charts.readable(frame), hide_index=True)
        ui.chart_downloads(chart, frame, name=name, key=f"analytics.{name}")


cols = st.columns([2, 2, 1, 1])
period = cols[0].date_input("Period", value=(), key="analytics.period", help="Leave empty for all time")
skill = cols[1].selectbox(
    "Skill exchanged",
    page.read(skills.skill_names, in_use=True),
    index=None,
    key="analytics.skill",
    placeholder="Any skill",
)
exp_gap = cols[2].number_input("Max years apart", 0.0, 50.0, None, 1.0, key="analytics.exp_gap", placeholder="any")
tz_gap = cols[3].number_input("Max hours apart", 0.0, 24.0, None, 1.0, key="analytics.tz_gap", placeholder="any")
start, end = (tuple(period) + (None, None))[:2] if period else (None, None)
filters = analytics.Filters(start=start, end=end, skill=skill, max_experience_gap=exp_gap, max_timezone_gap=tz_gap)


NO_PAIRS = "No pairings for these filters yet. Pairs are confirmed on the Matching page."


def why_pairs_end() -> None:
    detail = page.read(analytics.dropout_reasons, filters)
    if detail.empty:
        st.info("No endings recorded for these filters yet. Endings are recorded on the Pairs page.")
    else:
        totals = page.read(analytics.reason_totals, filters)
        top = totals.iloc[0]
        st.write(
            f"**{int(totals['count'].sum())} endings**; the most common reason is **{ui.safe(top['reason'])}** "
            f"({int(top['count'])}, {top['share']:.0%})."
        )
        numbers(charts.reasons_chart(detail), detail, "reasons_by_who")
        numbers(charts.reasons_chart(detail, split="kind"), detail, "reasons_by_kind")
        numbers(
            charts.reasons_by_month_chart(page.read(analytics.reasons_by_month, filters)),
            page.read(analytics.reasons_by_month, filters),
            "reasons_by_month",
        )

    st.subheader("What people said")
    left, right = st.columns(2)
    reason = left.selectbox(
        "Reason",
        sorted(detail["reason"].unique()) if not detail.empty else [],
        index=None,
        key="analytics.fb_reason",
        placeholder="Any reason",
    )
    keyword = right.text_input("Contains", key="analytics.fb_keyword", placeholder="for example: busy")
    said = page.read(analytics.feedback, filters, reason=reason, keyword=keyword)
    st.dataframe(
        said,
        hide_index=True,
        key="analytics.feedback",
        column_config={
            "date": st.column_config.DateColumn("Date", format="D MMM YYYY"),
            "feedback": st.column_config.TextColumn("Feedback", width="large"),
        },
    )
    st.caption(f"{len(said)} feedback texts.")


def how_long() -> None:
    factor = st.selectbox(
        "Split by", list(analytics.FACTORS), format_func=analytics.FACTORS.get, key="analytics.factor"
    )
    curves = page.read(analytics.retention, filters, factor=factor)
    if curves.empty:
        st.info(NO_PAIRS)
        return
    summary = analytics.retention_summary(curves)
    st.dataframe(
        charts.readable(summary),
        hide_index=True,
        key="analytics.retention_summary",
        column_config={"Median weeks": st.column_config.NumberColumn("Median weeks", format="%.1f")},
    )
    drawable = curves[curves["group"].isin(summary[summary["pairs"] >= analytics.MIN_GROUP]["group"])]
    if drawable.empty:
        st.info("Too few pairs to tell: a curve needs at least 10 pairs in a group.")
    else:
        numbers(charts.retention_chart(drawable), drawable, "retention")


def growth() -> None:
    st.subheader("Funnel")
    months = page.read(analytics.funnel)
    totals = analytics.funnel_totals(months)
    if totals["members"].sum() == 0:
        st.info("No applications yet. Bring them in on the Import page.")
    else:
        numbers(charts.funnel_chart(totals), months, "funnel_by_month")

    st.subheader("Waiting for a partner")
    waits = page.read(analytics.waiting_times)
    if waits.empty:
        st.info("Nobody has been matched yet.")
    else:
        st.dataframe(analytics.waiting_summary(waits), hide_index=True, key="analytics.waiting_summary")
        numbers(charts.waiting_chart(waits), waits, "waiting")


def skill_outcomes() -> None:
    outcomes = page.read(analytics.skill_outcomes, filters)
    if outcomes.empty:
        st.info(NO_PAIRS)
    elif outcomes["enough"].any():
        numbers(charts.skill_outcomes_chart(outcomes), outcomes, "skill_outcomes")
    else:
        st.info("Too few pairs per skill to tell yet (5 pairs per skill needed).")
        st.dataframe(
            charts.readable(outcomes),
            hide_index=True,
            column_config={"Median weeks": "Median weeks lasted", "Enough pairs to tell": "5+ pairs"},
        )


def time_and_dropouts() -> None:
    st.caption(
        "A drop-out is any pair that ended. The budget is the smaller of the two members' hours a week; "
        f"shared hours were counted when the pair was confirmed. Groups under {analytics.SMALL_GROUP} pairs are grey."
    )
    for split, title in analytics.TIME_SPLITS.items():
        st.subheader(title)
        table = page.read(analytics.outcomes_by_time, filters, split=split)
        if table["pairs"].sum() == 0:
            st.info(NO_PAIRS)
        else:
            # stacked panels of a set width: stretched, Streamlit would widen each panel past a narrow window
            chart = charts.time_outcomes_chart(table, split_title=title)
            numbers(chart, table, f"outcomes_by_{split}", width="content")


# Only the open tab runs (on_change="rerun"): a visit costs one section's queries and charts.
TABS = {
    "Why pairs end": why_pairs_end,
    "Duration": how_long,
    "Growth": growth,
    "Skills": skill_outcomes,
    "Time and drop-outs": time_and_dropouts,
    "Check-ins": lambda: ui_checkins.analytics_tab(page, numbers),
}
for tab, draw in zip(st.tabs(list(TABS), key="analytics.tab", on_change="rerun"), TABS.values()):
    if tab.open:
        with tab:
            draw()
