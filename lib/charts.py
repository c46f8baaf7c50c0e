"""Altair charts: DataFrame in, chart out, so pages and notebooks draw the same pictures."""

from __future__ import annotations

import altair as alt
import pandas as pd
import vl_convert

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
            y=alt.Y("skill:N", sort=order, title=None),
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
        x=alt.X("wants:N", title="Wants to learn", axis=alt.Axis(labelAngle=-40)),
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
        height=max(240, 22 * table["offers"].nunique()),
    )


def to_png(chart: alt.TopLevelMixin) -> bytes:
    """The chart as a PNG, rendered offline."""
    return vl_convert.vegalite_to_png(chart.to_json(), scale=2)


def to_svg(chart: alt.TopLevelMixin) -> str:
    """The chart as an SVG, rendered offline."""
    return vl_convert.vegalite_to_svg(chart.to_json())
