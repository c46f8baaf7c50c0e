"""Altair charts: DataFrame in, chart out, so pages and notebooks draw the same pictures."""

from __future__ import annotations

import altair as alt
import pandas as pd
import vl_convert

from lib.insight.analytics import SMALL_GROUP

PALETTE = {"offered": "#2f6f8f", "wanted": "#e08a2c"}


def coverage_chart(table: pd.DataFrame, *, top: int = 30, stages_label: str = "accepted") -> alt.Chart:
    """Offered and wanted counts per skill, side by side, most unmet demand first; click selects a skill."""
    shown = table.head(top)
    # pandas drops every row when a melted column is also an id column, so melt copies of the counts.
    wide = shown.assign(**{"side:offered": shown["offered"], "side:wanted": shown["wanted"]})
    long = wide.melt(
        id_vars=["skill", "category", "offered", "wanted", "unmet"],
        value_vars=["side:offered", "side:wanted"],
        var_name="side",
        value_name="members",
    )
    long["side"] = long["side"].str.removeprefix("side:")
    pick = alt.selection_point(name="skill", fields=["skill"], on="click")
    order = list(shown["skill"])
    return (
        alt.Chart(long, title=f"Skill coverage: members offering vs wanting ({stages_label}), most unmet first")
        .mark_bar()
        .encode(
            y=alt.Y("skill:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)),
            yOffset=alt.YOffset("side:N", sort=["offered", "wanted"]),
            x=alt.X("members:Q", title="Members (count)", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "side:N",
                title=None,
                scale=alt.Scale(domain=list(PALETTE), range=list(PALETTE.values())),
                legend=alt.Legend(orient="top"),
            ),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.35)),
            tooltip=[
                alt.Tooltip("skill:N", title="Skill"),
                alt.Tooltip("offered:Q", title="Members offering"),
                alt.Tooltip("wanted:Q", title="Members wanting"),
                alt.Tooltip("unmet:Q", title="Unmet demand (wanted - offered)"),
            ],
        )
        .add_params(pick)
        .properties(height=max(200, 26 * len(shown)))
    )


def exchange_heatmap(table: pd.DataFrame) -> alt.Chart:
    """How many members offer one skill (rows) and want another (columns)."""
    base = alt.Chart(table)
    heat = base.mark_rect().encode(
        x=alt.X("wants:N", title="Wants to learn", axis=alt.Axis(labelAngle=-40, labelOverlap=False, labelLimit=160)),
        y=alt.Y("offers:N", title="Offers"),
        color=alt.Color("members:Q", title="Members", scale=alt.Scale(scheme="blues")),
        tooltip=[
            alt.Tooltip("offers:N", title="Offers"),
            alt.Tooltip("wants:N", title="Wants"),
            alt.Tooltip("members:Q", title="Members"),
        ],
    )
    dark = float(table["members"].max()) / 2 if len(table) else 0.0
    labels = base.mark_text(fontSize=10).encode(
        x="wants:N",
        y="offers:N",
        text="members:Q",
        color=alt.condition(alt.datum.members > dark, alt.value("white"), alt.value("#333")),
    )
    return (heat + labels).properties(
        title="Skill exchange: members who offer the row skill and want the column skill",
        height=_rows_height(table["offers"].nunique()),
    )


def to_png(chart: alt.TopLevelMixin) -> bytes:
    """The chart as a PNG, rendered offline."""
    return vl_convert.vegalite_to_png(chart.to_json(), scale=2)


def to_svg(chart: alt.TopLevelMixin) -> str:
    """The chart as an SVG, rendered offline."""
    return vl_convert.vegalite_to_svg(chart.to_json())


LEGEND_WORDS = {
    "ended_by": {
        "a": "one member",
        "b": "one member",
        "both": "both members",
        "moderator": "the moderator",
        "member": "a member who left without a pair",
    },
    "kind": {
        "ended": "ended while active",
        "no-go": "stopped at or before the trial",
        "withdrawal": "left without a pair",
    },
}


# Column headings of the analytics tables as a moderator reads them (the CSV downloads keep the names).
COLUMN_WORDS = {
    "reason": "Reason", "kind": "Kind", "ended_by": "Who ended it", "count": "Count", "share": "Share",
    "month": "Month", "group": "Group", "weeks": "Weeks", "at_risk": "Pairs still going before",
    "ended": "Ended", "survival": "Still going (share)", "pairs": "Pairs", "applied": "Applied",
    "screened": "Screened", "interviewed": "Interviewed", "accepted": "Accepted", "matched": "Matched",
    "active": "Active", "active_4_weeks": "Active 4+ weeks", "active_12_weeks": "Active 12+ weeks",
    "days": "Days", "skill": "Skill", "median_weeks": "Median weeks", "enough": "Enough pairs to tell",
    "stage": "Stage", "members": "Members", "conversion": "From the stage before", "verdict": "",
    "small": "Too few to tell", "dropouts": "Drop-outs", "rate": "Drop-out rate",
}  # fmt: skip


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """An analytics table with headings in words and who-ended / kind values as the legends name them."""
    shown = frame.copy()
    for column, words in LEGEND_WORDS.items():
        if column in shown.columns:
            shown[column] = shown[column].map(lambda v, w=words: w.get(v, v) if isinstance(v, str) else v)
    return shown.rename(columns={c: COLUMN_WORDS[c] for c in shown.columns if COLUMN_WORDS.get(c)})


def reasons_chart(detail: pd.DataFrame, *, split: str = "ended_by") -> alt.Chart:
    """Endings per reason as horizontal bars, coloured by who ended them (or by kind)."""
    titles = {"ended_by": "Who ended it", "kind": "Kind"}
    totals = detail.groupby("reason")["count"].sum().sort_values(ascending=False)
    # The legend names what it shows: a and b are only the order the pair was listed in, so both are "one member".
    detail = detail.assign(**{split: detail[split].map(LEGEND_WORDS[split]).fillna(detail[split])})
    return (
        alt.Chart(detail, title=f"Why pairs end: endings per reason, by {titles[split].lower()}")
        .mark_bar()
        .encode(
            y=alt.Y("reason:N", sort=list(totals.index), title=None, axis=alt.Axis(labelLimit=260)),
            x=alt.X("sum(count):Q", title="Endings (count)", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(f"{split}:N", title=titles[split], legend=alt.Legend(orient="top", labelLimit=0)),
            tooltip=[
                alt.Tooltip("reason:N", title="Reason"),
                alt.Tooltip(f"{split}:N", title=titles[split]),
                alt.Tooltip("sum(count):Q", title="Endings"),
                alt.Tooltip("sum(share):Q", title="Share", format=".0%"),
            ],
        )
        .properties(height=_rows_height(len(totals)))
    )


def reasons_by_month_chart(months: pd.DataFrame) -> alt.Chart:
    """Endings per month, stacked by reason."""
    return (
        alt.Chart(months, title="Endings per month, by reason")
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(month):T", title="Month"),
            y=alt.Y("sum(count):Q", title="Endings (count)", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("reason:N", title="Reason", legend=alt.Legend(orient="right")),
            tooltip=[
                alt.Tooltip("yearmonth(month):T", title="Month"),
                alt.Tooltip("reason:N", title="Reason"),
                alt.Tooltip("sum(count):Q", title="Endings"),
            ],
        )
        .properties(height=380)
    )


def retention_chart(curves: pd.DataFrame) -> alt.Chart:
    """Kaplan-Meier curves: the share of pairs still going after N weeks, one line per group."""
    return (
        alt.Chart(curves, title="How long pairs last: share still going after N weeks (Kaplan-Meier)")
        .mark_line(interpolate="step-after", point=True)
        .encode(
            x=alt.X("weeks:Q", title="Weeks since the pair was introduced"),
            y=alt.Y(
                "survival:Q",
                title="Pairs still going (share)",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            color=alt.Color("group:N", title="Group", legend=alt.Legend(orient="top")),
            tooltip=[
                alt.Tooltip("group:N", title="Group"),
                alt.Tooltip("weeks:Q", title="Week", format=".1f"),
                alt.Tooltip("survival:Q", title="Still going", format=".0%"),
                alt.Tooltip("at_risk:Q", title="Pairs still going before"),
                alt.Tooltip("ended:Q", title="Ended here"),
            ],
        )
        .properties(height=420)
    )


FUNNEL_LABELS = {"active_4_weeks": "active 4+ weeks", "active_12_weeks": "active 12+ weeks"}


def funnel_chart(totals: pd.DataFrame) -> alt.Chart:
    """Members reaching each stage, from application to still active after 12 weeks."""
    shown = totals.assign(
        stage=totals["stage"].map(lambda s: FUNNEL_LABELS.get(s, s)),
        label=[f"{c:.0%}" if pd.notna(c) else "" for c in totals["conversion"]],
    )
    order = list(shown["stage"])
    base = alt.Chart(shown)
    bars = base.mark_bar(color="#2f6f8f").encode(
        y=alt.Y("stage:N", sort=order, title=None, axis=alt.Axis(labelLimit=200)),
        x=alt.X("members:Q", title="Members (count)"),
        tooltip=[
            alt.Tooltip("stage:N", title="Stage"),
            alt.Tooltip("members:Q", title="Members"),
            alt.Tooltip("conversion:Q", title="From the stage before", format=".0%"),
        ],
    )
    labels = base.mark_text(align="left", dx=4).encode(y=alt.Y("stage:N", sort=order), x="members:Q", text="label:N")
    return (bars + labels).properties(
        title="Funnel: members reaching each stage (labels: conversion from the stage before)",
        height=_rows_height(len(shown)),
    )


def waiting_chart(waits: pd.DataFrame) -> alt.Chart:
    """How many days members waited for a partner, first match and after a drop-out."""
    return (
        alt.Chart(waits, title="Waiting for a partner (days)")
        .mark_bar(opacity=0.8)
        .encode(
            x=alt.X("days:Q", bin=alt.Bin(maxbins=30), title="Days waited"),
            y=alt.Y("count():Q", title="Members (count)", stack=None),
            color=alt.Color("kind:N", title=None, legend=alt.Legend(orient="top", labelLimit=0)),
            tooltip=[alt.Tooltip("kind:N", title="Kind"), alt.Tooltip("count():Q", title="Members")],
        )
        .properties(height=360)
    )


def skill_outcomes_chart(table: pd.DataFrame) -> alt.Chart:
    """Median weeks pairs lasted per skill exchanged, for skills with enough pairs."""
    shown = table[table["enough"] & table["median_weeks"].notna()].head(25)
    return (
        alt.Chart(shown, title="Median weeks pairs lasted, by skill exchanged (skills with 5+ pairs)")
        .mark_bar(color="#2f6f8f")
        .encode(
            y=alt.Y("skill:N", sort="-x", title=None),
            x=alt.X("median_weeks:Q", title="Median weeks lasted"),
            tooltip=[
                alt.Tooltip("skill:N", title="Skill"),
                alt.Tooltip("pairs:Q", title="Pairs"),
                alt.Tooltip("ended:Q", title="Ended"),
                alt.Tooltip("median_weeks:Q", title="Median weeks", format=".1f"),
            ],
        )
        .properties(height=_rows_height(len(shown)))
    )


def time_outcomes_chart(table: pd.DataFrame, *, split_title: str) -> alt.VConcatChart:
    """Drop-out rate and median weeks lasted per group of analytics.outcomes_by_time, each group's
    label carrying its pair count; groups under SMALL_GROUP pairs are greyed and say so in the legend.

    The two panels are stacked, each with its own group labels, so the chart fits a narrow window
    (side by side they needed about 900 pixels)."""
    enough, few = f"{SMALL_GROUP} or more pairs", f"fewer than {SMALL_GROUP} pairs: too few to tell"
    shown = table.assign(
        size=[few if s else enough for s in table["small"]],
        rate_text=[_rate_text(r) for r in table.itertuples()],
        median_text=[_median_text(r) for r in table.itertuples()],
        rate_at=table["dropout_rate"].fillna(0.0),
        median_at=table["median_weeks"].fillna(0.0),
    )
    # room right of the longest bar for its text
    weeks_max = max(float(table["median_weeks"].max()) if table["median_weeks"].notna().any() else 0.0, 1.0) * 1.3
    y = alt.Y("label:N", sort=list(shown["label"]), title=None, axis=alt.Axis(labelLimit=220))
    color = alt.Color(
        "size:N",
        title="Group size",
        scale=alt.Scale(domain=[enough, few], range=["#2f6f8f", "#b8b8b8"]),
        legend=alt.Legend(orient="top", labelLimit=0),
    )
    tooltip = [
        alt.Tooltip("group:N", title="Group"),
        alt.Tooltip("pairs:Q", title="Pairs"),
        alt.Tooltip("dropouts:Q", title="Ended (drop-outs)"),
        alt.Tooltip("dropout_rate:Q", title="Drop-out rate", format=".0%"),
        alt.Tooltip("median_weeks:Q", title="Median weeks lasted", format=".1f"),
    ]
    base = alt.Chart(shown).encode(y=y, tooltip=tooltip)
    rate_scale = alt.Scale(domain=[0, 1.3])
    rate_x = alt.X("dropout_rate:Q", title="Drop-out rate (share of pairs ended)", scale=rate_scale)
    rate = base.mark_bar().encode(x=rate_x.axis(format="%", values=[0, 0.25, 0.5, 0.75, 1]), color=color)
    rate += base.mark_text(align="left", dx=4).encode(x=alt.X("rate_at:Q", scale=rate_scale), text="rate_text:N")
    weeks_scale = alt.Scale(domain=[0, weeks_max])
    weeks_x = alt.X("median_weeks:Q", title="Median weeks lasted (Kaplan-Meier)", scale=weeks_scale)
    weeks = base.mark_bar().encode(x=weeks_x, color=color)
    weeks += base.mark_text(align="left", dx=4).encode(x=alt.X("median_at:Q", scale=weeks_scale), text="median_text:N")
    height = 32 * max(len(shown), 3)
    return alt.vconcat(
        rate.properties(width=_PANEL_WIDTH, height=height),
        weeks.properties(width=_PANEL_WIDTH, height=height),
        # the split's name without its parenthesis, so the title fits above the narrow panels
        title=f"Drop-outs and how long pairs last, by {split_title.split(' (')[0].lower()}",
    ).resolve_scale(y="shared")


# wide enough for the bars and their text, narrow enough beside the group labels in a 500-pixel column
_PANEL_WIDTH = 260


def _rate_text(row) -> str:
    return "no pairs" if row.pairs == 0 else f"{row.dropout_rate:.0%} ({row.dropouts} of {row.pairs})"


def _median_text(row) -> str:
    if row.pairs == 0:
        return ""
    return "half still going" if pd.isna(row.median_weeks) else f"{row.median_weeks:.1f} weeks"


def _rows_height(rows: int) -> int:
    # Streamlit fits title, legend and axes inside the height, so leave room beyond the bars.
    return 160 + 32 * max(rows, 3)
