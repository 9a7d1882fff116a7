"""vcio/charts.py: plain numbers in, safe SVG out (escaped text, checked colours, no style
attributes), the same markup for a page and a PDF."""

import re
from decimal import Decimal

from vcio import charts


def test_horizontal_bars_draw_each_value_and_escape_labels():
    svg = str(
        charts.horizontal_bars(
            [Decimal("75.5"), None, 20],
            ['<script>alert("x")</script>', "Protect", "Detect & respond"],
            title="Scores <by> group",
            accent="#123abc",
            max_value=100,
            unit="%",
            places=1,
        )
    )
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-label="Scores &lt;by&gt; group"' in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "Detect &amp; respond" in svg
    assert "75.5%" in svg and "20.0%" in svg and "—" in svg  # None is drawn as "no value"
    assert svg.count('fill="#123abc"') == 2  # two bars, none for None
    assert "style=" not in svg


def test_a_bad_colour_falls_back_to_the_default():
    svg = str(charts.bar_chart([1], ["a"], title="t", accent='red" onload="x'))
    assert "onload" not in svg and charts.DEFAULT_ACCENT in svg


def test_bar_chart_has_a_labelled_axis_and_bars_in_proportion():
    svg = str(
        charts.bar_chart([50, 100], ["Q1", "Q2"], title="t", max_value=100, unit="%", axis_label="Score")
    )
    heights = [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)"', svg)]
    assert heights[1] == 2 * heights[0]
    assert "100%" in svg and "0%" in svg and ">Score<" in svg


def test_sparkline_handles_none_one_and_many_values():
    assert "<circle" not in str(charts.sparkline([], title="t"))
    one = str(charts.sparkline([40], title="t"))
    assert "<circle" in one and "<polyline" not in one
    many = str(charts.sparkline([10, None, 30, 20], title="t", min_value=0, max_value=100))
    points = re.search(r'<polyline points="([^"]+)"', many).group(1).split()
    assert len(points) == 3  # three points drawn, the gap skipped
    assert 'width="120" height="32"' in many  # a fixed size
    assert "NaN" not in str(charts.sparkline([float("nan"), 5], title="t"))


def test_no_inline_style_and_a_value_format_for_money():
    from decimal import Decimal

    from vcio.charts import accent_colour, bar_chart, horizontal_bars, sparkline

    evil = '<script>alert("x")</script>'
    for svg in (
        bar_chart([Decimal("12.50"), 3], [evil, "Q2"], title=evil),
        horizontal_bars([40], [evil], title=evil, max_value=100),
        sparkline([1, 3, 2], title=evil),
    ):
        assert "<script>" not in svg and "&lt;script&gt;" in svg
        assert "style=" not in svg and "<title>" in svg
    money = bar_chart([Decimal("1234.5")], ["FY2027 Q1"], title="t", value_format=lambda v: f"${v:,.0f}")
    assert "$1,234" in money or "$1,235" in money
    assert accent_colour('red" onload="x') == "#1f6feb"
