from lib import charts, coverage, demo


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
