from lib import demo
from lib.insight import charts, coverage


def test_coverage_chart_holds_both_sides_of_every_shown_skill(con):
    demo.load_demo(con)
    table = coverage.coverage(con)
    data = charts.coverage_chart(table, top=10).to_dict()["datasets"]
    rows = next(iter(data.values()))
    assert len(rows) == 20 and {r["side"] for r in rows} == {"offered", "wanted"}


def test_charts_export_offline_as_png_and_svg(con):
    demo.load_demo(con)
    chart = charts.exchange_heatmap(coverage.exchanges(con))
    assert charts.to_png(chart).startswith(b"\x89PNG")
    svg = charts.to_svg(chart)
    assert svg.lstrip().startswith("<svg") and "Skill exchange" in svg


def _all_charts(con):
    from lib.insight import analytics

    f = analytics.Filters()
    detail = analytics.dropout_reasons(con, f)
    return {
        "coverage": charts.coverage_chart(coverage.coverage(con)),
        "exchanges": charts.exchange_heatmap(coverage.exchanges(con)),
        "reasons": charts.reasons_chart(detail),
        "reasons by kind": charts.reasons_chart(detail, split="kind"),
        "reasons by month": charts.reasons_by_month_chart(analytics.reasons_by_month(con, f)),
        "retention": charts.retention_chart(analytics.retention(con, f)),
        "funnel": charts.funnel_chart(analytics.funnel_totals(analytics.funnel(con))),
        "waiting": charts.waiting_chart(analytics.waiting_times(con)),
        "skill outcomes": charts.skill_outcomes_chart(analytics.skill_outcomes(con, f)),
    }


def _encodings(spec):
    yield spec.get("encoding", {})
    for part in spec.get("layer", []):
        yield from _encodings(part)


def test_every_chart_has_a_title_and_titled_quantitative_axes(con):
    demo.load_demo(con)
    for name, chart in _all_charts(con).items():
        spec = chart.to_dict()
        title = spec.get("title")
        assert title if isinstance(title, str) else (title or {}).get("text"), f"{name} has no title"
        axes = [(ch, enc[ch]) for enc in _encodings(spec) for ch in ("x", "y") if ch in enc]
        assert axes, name
        # a quantitative axis needs a title (with its unit) on at least one layer that draws it
        for channel in {ch for ch, field in axes if field.get("type") == "quantitative" or field.get("aggregate")}:
            titles = [field.get("title") for ch, field in axes if ch == channel and field.get("title")]
            assert titles, (name, channel)


def test_the_reasons_legend_names_who_ended_a_pair_in_words():
    # Issue 21: the legend read "a" / "b" (the order the pair happened to be listed in).
    import json

    import pandas as pd

    detail = pd.DataFrame(
        {
            "reason": ["time commitment"] * 4,
            "kind": ["ended", "no-go", "ended", "ended"],
            "ended_by": ["a", "b", "both", "moderator"],
            "count": [3, 2, 1, 1],
            "share": [0.4, 0.3, 0.15, 0.15],
        }
    )
    for split in ("ended_by", "kind"):
        spec = json.loads(charts.reasons_chart(detail, split=split).to_json())
        values = {row[split] for rows in spec["datasets"].values() for row in rows}
        assert not values & {"a", "b", "ended", "no-go"}, values
    spec = json.loads(charts.reasons_chart(detail).to_json())
    assert {row["ended_by"] for rows in spec["datasets"].values() for row in rows} == {
        "one member",
        "both members",
        "the moderator",
    }


def test_analytics_tables_read_in_words():
    import pandas as pd

    frame = pd.DataFrame(
        {"reason": ["time commitment"], "kind": ["no-go"], "ended_by": ["b"], "count": [2], "share": [0.5]}
    )
    shown = charts.readable(frame)
    assert list(shown.columns) == ["Reason", "Kind", "Who ended it", "Count", "Share"]
    assert shown.iloc[0].tolist() == ["time commitment", "stopped at or before the trial", "one member", 2, 0.5]
    assert list(frame.columns) == ["reason", "kind", "ended_by", "count", "share"]  # the download keeps names
