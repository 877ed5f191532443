"""Server-side SVG charts: accessible, escaped, deterministic, and never failing on thin data."""

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from markupsafe import Markup

from portal.core.charts import (
    BarSeries,
    LineSeries,
    bar_chart,
    chart_table_rows,
    line_chart,
    nice_ticks,
)

SVG = "{http://www.w3.org/2000/svg}"
WEEKS = [date(2025, 1, 6) + timedelta(weeks=i) for i in range(26)]
DAYS = [date(2025, 3, 1) + timedelta(days=i) for i in range(5)]


def parse(markup: Markup) -> ET.Element:
    return ET.fromstring(str(markup))


def with_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in e.get("class", "").split()]


def texts(root: ET.Element, name: str) -> list[str]:
    return ["".join(e.itertext()) for e in with_class(root, name)]


def a_line_chart(**overrides) -> Markup:
    options = {
        "chart_id": "prices",
        "title": "Wheat prices",
        "description": "Weekly wheat prices, with the range between low and high quotes.",
        "x": DAYS,
        "series": [LineSeries("Wheat", [10, 12, None, 11, 13])],
        "y_label": "USD per tonne",
    }
    return line_chart(**{**options, **overrides})


def test_line_chart_is_an_accessible_responsive_image():
    root = parse(a_line_chart())
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("viewBox") == "0 0 720 280"
    assert root.get("style") is None
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Wheat prices"
    assert desc.text.startswith("Weekly wheat prices")
    assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]
    assert title.get("id") != desc.get("id")
    assert not [e for e in root.iter() if e.get("style") is not None or "script" in e.tag]


def test_a_gap_splits_the_line_and_every_value_gets_a_point():
    root = parse(a_line_chart())
    lines = with_class(root, "chart-line")
    paths = [e for e in lines if e.tag == f"{SVG}path"]
    assert len(paths) == 2  # 10, 12 | gap | 11, 13
    assert [p.get("d").count("L") for p in paths] == [1, 1]
    assert len(with_class(root, "chart-point")) == 4
    assert "chart-series-0" in paths[0].get("class").split()


def test_a_lone_point_between_gaps_is_still_drawn():
    root = parse(a_line_chart(series=[LineSeries("Wheat", [None, 5, None, None, 7])]))
    assert not [e for e in with_class(root, "chart-line") if e.tag == f"{SVG}path"]
    assert len(with_class(root, "chart-point")) == 2


def test_marked_points_are_hollow_and_named_in_the_legend():
    series = LineSeries("Wheat", [10, 12, 12, 11, 13], marked=[False, False, True, False, False])
    root = parse(a_line_chart(series=[series], marked_label="Carried forward"))
    marked = [e for e in with_class(root, "chart-point--marked") if e.tag == f"{SVG}circle"]
    assert len(marked) == 2  # the point and its legend swatch
    assert "Carried forward" in texts(root, "chart-legend-label")


def test_a_band_is_drawn_between_low_and_high_with_gaps():
    series = LineSeries(
        "Wheat", [10, 12, 11, 11, 13], low=[9, 11, None, 10, 12], high=[11, 13, None, 12, 14]
    )
    root = parse(a_line_chart(series=[series]))
    bands = [e for e in with_class(root, "chart-band") if e.tag == f"{SVG}path"]
    assert len(bands) == 2
    assert all(b.get("d").endswith("Z") for b in bands)
    assert "Wheat (range)" in texts(root, "chart-legend-label")
    # the band widens the axis: its high of 14 is inside the ticks
    y_ticks = [e for e in with_class(root, "chart-tick-label") if e.get("text-anchor") == "end"]
    assert max(float("".join(e.itertext())) for e in y_ticks) >= 14


def test_labels_from_editors_are_escaped():
    evil = '<script>alert("x")</script>'
    root = parse(
        a_line_chart(
            title=evil, description=evil, series=[LineSeries(evil, [1, 2, 3, 4, 5])], y_label=evil
        )
    )
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    assert root.find(f"{SVG}title").text == evil
    assert evil in texts(root, "chart-legend-label")
    markup = str(a_line_chart(title=evil))
    assert "<script>" not in markup
    assert "&lt;script&gt;" in markup


def test_a_chart_id_cannot_break_out_of_its_attributes():
    root = parse(a_line_chart(chart_id='x" onload="alert(1)'))
    assert root.get("onload") is None
    assert root.find(f"{SVG}title").get("id").endswith("-title")


def test_y_ticks_are_round_numbers():
    assert nice_ticks(0, 37) == [0, 10, 20, 30, 40]
    assert nice_ticks(0, 9) == [0, 2, 4, 6, 8, 10]
    assert nice_ticks(0.1, 0.73) == [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]
    assert nice_ticks(0.31, 0.36) == [0.31, 0.32, 0.33, 0.34, 0.35, 0.36]
    assert nice_ticks(212, 488) == [200, 250, 300, 350, 400, 450, 500]
    assert nice_ticks(-3, 4) == [-3, -2, -1, 0, 1, 2, 3, 4]
    assert nice_ticks(0, 3) == [0, 0.5, 1, 1.5, 2, 2.5, 3]
    assert nice_ticks(0, 3, integers=True) == [0, 1, 2, 3]
    assert nice_ticks(7, 7, integers=True) == [6, 7, 8]
    root = parse(
        a_line_chart(series=[LineSeries("Wheat", [1210, 1480, 1333, 1390, 1250])], y_label="")
    )
    assert texts(root, "chart-tick-label")[:5] == ["1,200", "1,250", "1,300", "1,350", "1,400"]


def test_all_equal_values_and_a_single_point_still_make_a_chart():
    assert nice_ticks(5, 5) == [4.4, 4.6, 4.8, 5.0, 5.2, 5.4, 5.6]
    assert nice_ticks(0, 0) == [0, 0.2, 0.4, 0.6, 0.8, 1]
    flat = parse(a_line_chart(series=[LineSeries("Wheat", [7, 7, 7, 7, 7])]))
    assert len(with_class(flat, "chart-point")) == 5
    single = parse(a_line_chart(x=[date(2025, 3, 1)], series=[LineSeries("Wheat", [7])]))
    assert len(with_class(single, "chart-point")) == 1
    assert "1 Mar" in texts(single, "chart-tick-label")
    bars = parse(
        bar_chart(
            chart_id="b", title="t", description="d", x=[date(2025, 3, 3)],
            series=[BarSeries("Offers", [0])],
        )
    )  # fmt: skip
    assert len(with_class(bars, "chart-bar")) == 2  # the bar and its legend swatch


def test_empty_input_says_no_data_yet():
    for chart in (
        a_line_chart(x=[], series=[LineSeries("Wheat", [])]),
        a_line_chart(series=[]),
        a_line_chart(series=[LineSeries("Wheat", [None] * 5)]),
        bar_chart(chart_id="b", title="Balance", description="d", x=[], series=[]),
    ):
        root = parse(chart)
        assert texts(root, "chart-empty") == ["No data yet"]
        assert root.get("role") == "img"
        assert root.find(f"{SVG}title").text


def test_mismatched_lengths_are_a_programming_error():
    with pytest.raises(ValueError, match="Wheat"):
        a_line_chart(series=[LineSeries("Wheat", [1, 2])])


def test_short_ranges_name_days_and_long_ranges_name_months_without_overlap():
    days = texts(parse(a_line_chart()), "chart-tick-label")
    assert "1 Mar" in days and "5 Mar" in days
    weekly = parse(
        line_chart(
            chart_id="w", title="t", description="d", x=WEEKS,
            series=[LineSeries("Wheat", list(range(26)))],
        )
    )  # fmt: skip
    labels = [e for e in with_class(weekly, "chart-tick-label") if e.get("text-anchor") == "middle"]
    assert ["".join(e.itertext()) for e in labels] == [
        "Jan 2025", "Feb", "Mar", "Apr", "May", "Jun",
    ]  # fmt: skip
    daily = [date(2025, 3, 1) + timedelta(days=i) for i in range(90)]
    root = parse(
        line_chart(
            chart_id="d", title="t", description="d", x=daily,
            series=[LineSeries("Wheat", [float(i % 7) for i in range(90)])], width=360,
        )
    )  # fmt: skip
    shown = [e for e in with_class(root, "chart-tick-label") if e.get("text-anchor") == "middle"]
    assert 3 <= len(shown) < 20  # thinned
    positions = [float(e.get("x")) for e in shown]
    widths = [len("".join(e.itertext())) * 6 for e in shown]
    assert positions[0] - widths[0] / 2 >= 0 and positions[-1] + widths[-1] / 2 <= 360
    assert all(
        positions[i + 1] - widths[i + 1] / 2 > positions[i] + widths[i] / 2
        for i in range(len(shown) - 1)
    )


def test_long_lines_show_only_their_marked_and_lone_points():
    values = [float(i) for i in range(100)]
    values[50] = None
    values[52] = None  # 51 stands alone
    marked = [i == 10 for i in range(100)]
    days = [date(2025, 1, 1) + timedelta(days=i) for i in range(100)]
    root = parse(
        line_chart(
            chart_id="l", title="t", description="d", x=days,
            series=[LineSeries("Wheat", values, marked=marked)],
        )
    )  # fmt: skip
    assert len(with_class(root, "chart-point")) == 2


def test_bar_chart_groups_bars_and_draws_the_ratio_on_a_second_axis():
    offers = [3, 0, 5, 2]
    requests = [1, 2, 0, 2]
    ratio = [3.0, 0.0, None, 1.0]
    root = parse(
        bar_chart(
            chart_id="balance-wheat",
            title="Supply and demand",
            description="New offers and requests per week.",
            x=WEEKS[:4],
            series=[BarSeries("Offers", offers), BarSeries("Requests", requests)],
            line=LineSeries("Offers per request", ratio),
            line_label="ratio",
            y_label="listings",
        )
    )
    bars = [e for e in with_class(root, "chart-bar") if e.find(f"{SVG}title") is not None]
    assert len(bars) == 8
    assert len([b for b in bars if "chart-series-1" in b.get("class")]) == 4
    heights = [float(b.get("height")) for b in bars if "chart-series-0" in b.get("class")]
    assert heights[1] == 0 and heights[2] > heights[0] > heights[3] > 0
    assert bars[0].find(f"{SVG}title").text == "Offers, 6 Jan: 3"
    line = [e for e in with_class(root, "chart-line") if e.tag == f"{SVG}path"]
    assert len(line) == 1 and "chart-series-2" in line[0].get("class")
    assert len(texts(root, "chart-tick-label--right")) >= 2
    assert {"Offers", "Requests", "Offers per request"} <= set(texts(root, "chart-legend-label"))
    assert "ratio" in texts(root, "chart-axis-label")


def test_same_input_gives_the_same_bytes():
    def draw():
        return bar_chart(
            chart_id="b", title="t", description="d", x=WEEKS,
            series=[BarSeries("Offers", list(range(26)))],
            line=LineSeries("Ratio", [i / 7 for i in range(26)]),
        )  # fmt: skip

    assert isinstance(draw(), Markup)
    assert draw() == draw()
    assert a_line_chart() == a_line_chart()


def test_table_rows_pair_each_date_with_every_series():
    rows = chart_table_rows(
        DAYS[:2], [BarSeries("Offers", [1, 2]), LineSeries("Ratio", [None, 0.5])]
    )
    assert rows == [(DAYS[0], [1.0, None]), (DAYS[1], [2.0, 0.5])]
