"""vcio.charts: server-side SVG charts — labels escaped, only a hex accent, no inline styles."""

from decimal import Decimal

from vcio.charts import accent_colour, bar_chart, horizontal_bars, sparkline


def test_labels_and_titles_are_escaped_and_there_is_no_inline_style():
    evil = '<script>alert("x")</script>'
    for svg in (
        bar_chart([(evil, Decimal("12.50")), ("Q2", 3)], title=evil),
        horizontal_bars([(evil, 40)], title=evil, max_value=100),
        sparkline([1, 3, 2], title=evil),
    ):
        assert "<script>" not in svg and "&lt;script&gt;" in svg
        assert "style=" not in svg and 'role="img"' in svg and "<title>" in svg


def test_the_accent_must_be_a_hex_colour():
    assert accent_colour("#aa3366") == "#aa3366"
    for bad in ('red" onload="x', "url(http://x)", None, "#12345"):
        assert accent_colour(bad) == "#1f6feb"
    assert 'fill="#aa3366"' in bar_chart([("a", 1)], title="t", accent="#aa3366")
    assert "onload" not in bar_chart([("a", 1)], title="t", accent='red" onload="x')


def test_bars_scale_to_the_largest_value_and_negatives_are_zero():
    svg = bar_chart(
        [("a", Decimal("50")), ("b", Decimal("100")), ("c", Decimal("-5"))], title="t", height=220
    )
    heights = [float(h) for h in __import__("re").findall(r'<rect [^>]*height="([\d.]+)"', svg)]
    assert heights == [81.0, 162.0, 0.0]  # plot height 162 = 220 - 22 - 36
    assert "No data" in bar_chart([], title="t") and "No data" in horizontal_bars([], title="t")
    assert sparkline([], title="t").count("<polyline") == 0
