"""The SVG charts: geometry from the values, no division by zero on empty or all-zero data,
every text escaped, and the accessible names (<title>, <desc>) of the chart and its marks."""

import re
from decimal import Decimal
from xml.etree import ElementTree

import pytest

from reports.charts import PREVIOUS, Series, bar_chart, line_chart, nice_ticks, number

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup):
    """Well-formed XML (an escaping mistake would break it), as an element tree."""
    return ElementTree.fromstring(str(markup))


def two_years(current, previous):
    return [Series("2024", current), Series("2023", previous, PREVIOUS)]


def bars(markup):
    return [
        (float(rect.get("width")), rect.find(f"{SVG}title").text)
        for rect in parse(markup).iter(f"{SVG}rect")
        if rect.get("class") == "bar"
    ]


def test_bars_are_as_long_as_their_values_on_a_shared_scale():
    chart = bar_chart(
        chart_id="kinds",
        title="Batches by kind of right",
        labels=["Trademark", "Patent"],
        series=two_years([40, 10], [20, 0]),
        unit="Batches",
    )
    drawn = bars(chart)
    assert [title for _width, title in drawn] == [
        "Trademark, 2024: 40 Batches",
        "Trademark, 2023: 20 Batches",
        "Patent, 2024: 10 Batches",
        "Patent, 2023: 0 Batches",
    ]
    widths = [width for width, _title in drawn]
    assert widths[0] == pytest.approx(2 * widths[1], abs=0.5)  # drawn to 0.1 px
    assert widths[0] == pytest.approx(4 * widths[2], abs=0.5)
    assert widths[3] == 0
    svg = parse(chart)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "kinds-title kinds-desc"
    assert svg.find(f"{SVG}title").text == "Batches by kind of right"
    assert svg.find(f"{SVG}desc").text == (
        "Batches. Trademark: 2024 40, 2023 20; Patent: 2024 10, 2023 0."
    )
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert {"2024", "2023", "Batches", "40", "20", "10", "0"} <= set(texts)  # legend, axis


@pytest.mark.parametrize(
    "labels, current, previous",
    [([], [], []), (["Trademark"], [0], [0]), (["A", "B"], [0, 0], [0, 0])],
)
def test_empty_or_zero_bar_charts_draw_without_dividing_by_zero(labels, current, previous):
    chart = bar_chart(
        chart_id="c", title="T", labels=labels, series=two_years(current, previous), unit="Batches"
    )
    parse(chart)
    assert all(width == 0 for width, _title in bars(chart))
    if not labels:
        assert "No data for this period." in chart


@pytest.mark.parametrize(
    "labels, current, previous",
    [([], [], []), (["Jan"], [0], [0]), (["Jan", "Feb", "Mar"], [0, 0, 0], [0, 0, 0])],
)
def test_empty_zero_or_single_point_lines_draw_without_dividing_by_zero(labels, current, previous):
    chart = line_chart(
        chart_id="m", title="T", labels=labels, series=two_years(current, previous), unit="Batches"
    )
    svg = parse(chart)
    assert len(list(svg.iter(f"{SVG}circle"))) == 2 * len(labels)


def test_no_series_is_an_empty_chart():
    assert "No data for this period." in bar_chart(
        chart_id="c", title="T", labels=["A"], series=[], unit="Batches"
    )


def test_lines_rise_with_their_values_and_name_each_point():
    chart = line_chart(
        chart_id="m",
        title="Per month",
        labels=["Jan", "Feb", "Mar"],
        series=two_years([1, 4, 2], [0, 2, 2]),
        unit="Batches",
        axis="Month",
    )
    svg = parse(chart)
    circles = list(svg.iter(f"{SVG}circle"))
    heights = [float(c.get("cy")) for c in circles]
    assert heights[0] > heights[2] > heights[1]  # SVG y grows downwards: Feb is highest
    assert heights[3] > heights[0]  # 0 below 1
    assert heights[4] == heights[5] == heights[2]  # 2, 2 and 2 on one level
    assert [c.find(f"{SVG}title").text for c in circles][:2] == [
        "Jan, 2024: 1 Batches",
        "Feb, 2024: 4 Batches",
    ]
    assert len(list(svg.iter(f"{SVG}polyline"))) == 2
    assert {"Jan", "Feb", "Mar", "Month", "Batches", "4"} <= {
        t.text for t in svg.iter(f"{SVG}text")
    }


def test_every_text_is_escaped():
    evil = '<script>alert("x")</script> & Co'
    chart = bar_chart(
        chart_id='c" onload="alert(1)',
        title=evil,
        labels=[evil],
        series=[Series(evil, [1], 'red" onclick="x')],
        unit=evil,
    )
    assert "<script>" not in chart
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in chart
    svg = parse(chart)  # still well-formed
    assert svg.get("id") == 'c" onload="alert(1)'  # an attribute value, not an attribute
    assert svg.get("onload") is None
    assert all(rect.get("onclick") is None for rect in svg.iter(f"{SVG}rect"))
    assert svg.find(f"{SVG}title").text == evil
    line = line_chart(
        chart_id="m", title=evil, labels=[evil], series=[Series(evil, [1])], unit=evil, axis=evil
    )
    assert "<script>" not in line
    assert parse(line).find(f"{SVG}title").text == evil


def test_long_labels_are_shortened_with_the_full_label_in_a_title():
    label = "Latin America and the Caribbean, and many more places besides those"
    chart = bar_chart(
        chart_id="c", title="T", labels=[label], series=two_years([1], [2]), unit="Batches"
    )
    group_label = next(t for t in parse(chart).iter(f"{SVG}text") if t.get("class") == "label")
    assert group_label.find(f"{SVG}title").text == label
    assert group_label.find(f"{SVG}title").tail.endswith("\u2026")
    assert len(group_label.find(f"{SVG}title").tail) < len(label)


def test_many_months_label_only_every_few():
    labels = [f"M{i:02d} 2024" for i in range(60)]
    chart = line_chart(
        chart_id="m",
        title="T",
        labels=labels,
        series=two_years([1] * 60, [0] * 60),
        unit="Batches",
    )
    shown = [t.text for t in parse(chart).iter(f"{SVG}text") if t.text in labels]
    assert 1 < len(shown) < 60
    assert not re.search(r'class="value"', chart)  # too dense for values: titles only


@pytest.mark.parametrize(
    "maximum, ticks",
    [
        (0, [0, 1]),
        (-5, [0, 1]),
        (7, [0, 2, 4, 6, 8]),
        (10, [0, 2, 4, 6, 8, 10]),
        (199100, [0, 50000, 100000, 150000, 200000]),
        (Decimal("370000.00"), [0, 100000, 200000, 300000, 400000]),
        (0.3, [0, 0.1, 0.2, 0.3]),
    ],
)
def test_nice_ticks(maximum, ticks):
    assert nice_ticks(maximum) == pytest.approx(ticks)


@pytest.mark.parametrize(
    "value, text",
    [
        (1234567, "1,234,567"),
        (Decimal("1167"), "1,167"),
        (Decimal("370000.00"), "370,000.00"),
        (Decimal("0.00"), "0.00"),
        (2.5, "2.5"),
        (3.0, "3"),
    ],
)
def test_number(value, text):
    assert number(value) == text
