"""Server-side SVG charts: small, dependency-free, the same markup for a page and a PDF (WeasyPrint).

Each function takes plain numbers (int, Decimal, float or None for "no value") and labels, and
returns safe SVG markup: every text is escaped, colours are checked, sizes are attributes (never a
`style`, so the Content-Security-Policy allows them inline). Charts are drawn in the practice's
accent colour and carry a `<title>` and an `aria-label` for screen readers.

- `bar_chart`: vertical bars with a labelled value axis (e.g. scores by group, spend by month);
- `horizontal_bars`: one labelled bar per row (long labels, many rows: scores by CSF function);
- `sparkline`: a small trend line without axes (a score across assessments);
- `grouped_bar_chart`: two or more series side by side per label, with a legend (planned vs actual
  spend by month).

Money: give `prefix` (a currency symbol, "$") and the value axis shows compact amounts ("$12k").
"""

import re
from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

DEFAULT_ACCENT = "#1f6feb"
GRID = "#e5e7eb"
AXIS_TEXT = "#5b6475"
TEXT = "#1d2433"
TRACK = "#eef1f6"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")

Number = int | float | Decimal | None


def safe_colour(colour: str | None, default: str = DEFAULT_ACCENT) -> str:
    """A `#rrggbb` colour, or the default (never lets markup through an attribute)."""
    return colour if isinstance(colour, str) and _HEX.match(colour) else default


def _num(value: Number) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None


def _fmt(value: float) -> str:
    """Coordinates with at most two decimals ("12.5", "40")."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_value(value: Number, unit: str = "", places: int = 0, prefix: str = "") -> str:
    number = _num(value)
    if number is None:
        return "—"
    sign = "-" if number < 0 else ""
    return f"{sign}{prefix}{abs(number):,.{places}f}{unit}"


def format_compact(value: Number, prefix: str = "") -> str:
    """1234 -> "1.2k", 2500000 -> "2.5M" (an axis tick), with a prefix ("$")."""
    number = _num(value)
    if number is None:
        return "—"
    sign, number = ("-" if number < 0 else ""), abs(number)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if number >= limit:
            text = f"{number / limit:.1f}".rstrip("0").rstrip(".")
            return f"{sign}{prefix}{text}{suffix}"
    return f"{sign}{prefix}{number:,.0f}"


def _truncate(text: str, limit: int) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: max(limit - 1, 1)] + "…"


def _svg(
    width: int, height: int, title: str, body: list[str], css_class: str, fixed: bool = False
) -> SafeString:
    """The <svg> element: as wide as its container (a fixed size when `fixed`, e.g. a sparkline)."""
    label = escape(title)
    size = f'width="{width}" height="{height}"' if fixed else 'width="100%"'
    return mark_safe(  # noqa: S308 - every text inside was escaped above
        f'<svg class="chart {escape(css_class)}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'{size} preserveAspectRatio="xMinYMin meet" role="img" aria-label="{label}" '
        f'font-family="{escape(FONT)}"><title>{label}</title>{"".join(body)}</svg>'
    )


def bar_chart(
    values: Sequence[Number],
    labels: Sequence[str],
    *,
    title: str,
    accent: str | None = None,
    max_value: Number = None,
    unit: str = "",
    places: int = 0,
    width: int = 640,
    height: int = 240,
    axis_label: str = "",
    css_class: str = "bar-chart",
    value_format=None,
    prefix: str = "",
) -> SafeString:
    """Vertical bars, one per label, on a value axis from 0 to `max_value` (default: the largest
    value) with four gridlines; each bar shows its value above it; None is drawn as no bar and "—".
    With a `prefix` (money) the axis shows compact amounts."""
    fmt = value_format or (lambda v: _tick(v, unit, places, prefix))
    full = value_format or (lambda v: format_value(v, unit, places, prefix))
    accent = safe_colour(accent)
    numbers = [_num(v) for v in values]
    top = _num(max_value) or max([n for n in numbers if n is not None] + [0]) or 1
    left, right, top_pad, bottom = _axis_left(top, unit, places, prefix, axis_label), 8, 18, 40
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    body = []
    for step in range(5):
        y = top_pad + plot_h - plot_h * step / 4
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{_fmt(y)}" y2="{_fmt(y)}" stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(
            f'<text x="{left - 6}" y="{_fmt(y + 4)}" text-anchor="end" font-size="11" fill="{AXIS_TEXT}">'
            f"{escape(fmt(top * step / 4))}</text>"
        )
    if axis_label:
        body.append(
            f'<text x="10" y="{_fmt(top_pad + plot_h / 2)}" font-size="11" fill="{AXIS_TEXT}" text-anchor="middle" '
            f'transform="rotate(-90 10 {_fmt(top_pad + plot_h / 2)})">{escape(axis_label)}</text>'
        )
    count = max(len(numbers), 1)
    slot = plot_w / count
    bar_w = min(slot * 0.62, 56)
    label_chars = max(int(slot / 6.5), 3)
    for i, (number, label) in enumerate(zip(numbers, labels, strict=False)):
        x = left + slot * i + (slot - bar_w) / 2
        cx = left + slot * i + slot / 2
        if number is not None:
            h = plot_h * max(min(number, top), 0) / top
            y = top_pad + plot_h - h
            body.append(
                f'<rect x="{_fmt(x)}" y="{_fmt(y)}" width="{_fmt(bar_w)}" height="{_fmt(h)}" rx="3" fill="{accent}">'
                f"<title>{escape(label)}: {escape(full(number))}</title></rect>"
            )
            body.append(
                f'<text x="{_fmt(cx)}" y="{_fmt(y - 5)}" text-anchor="middle" font-size="11" fill="{TEXT}">'
                f"{escape(fmt(number))}</text>"
            )
        else:
            body.append(
                f'<text x="{_fmt(cx)}" y="{_fmt(top_pad + plot_h - 5)}" text-anchor="middle" font-size="11" '
                f'fill="{AXIS_TEXT}">—</text>'
            )
        body.append(
            f'<text x="{_fmt(cx)}" y="{_fmt(top_pad + plot_h + 16)}" text-anchor="middle" font-size="11" '
            f'fill="{TEXT}">{escape(_truncate(label, label_chars))}<title>{escape(label)}</title></text>'
        )
    body.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top_pad + plot_h}" y2="{top_pad + plot_h}" '
        f'stroke="{AXIS_TEXT}" stroke-width="1"/>'
    )
    return _svg(width, height, title, body, css_class)


def horizontal_bars(
    values: Sequence[Number],
    labels: Sequence[str],
    *,
    title: str,
    accent: str | None = None,
    max_value: Number = None,
    unit: str = "",
    places: int = 0,
    width: int = 640,
    row_height: int = 26,
    label_width: int = 190,
    css_class: str = "hbar-chart",
    value_format=None,
    prefix: str = "",
) -> SafeString:
    """One row per label: the label on the left, a bar on a light track, the value on the right;
    None shows an empty track and "—". With a `prefix` (money) values are compact ("$12.5k")."""
    fmt = value_format or (lambda v: _tick(v, unit, places, prefix))
    full = value_format or (lambda v: format_value(v, unit, places, prefix))
    accent = safe_colour(accent)
    numbers = [_num(v) for v in values]
    top = _num(max_value) or max([n for n in numbers if n is not None] + [0]) or 1
    value_w = 56
    track_x, track_w = label_width + 8, width - label_width - 8 - value_w
    height = max(len(numbers), 1) * row_height + 4
    label_chars = max(int(label_width / 6.6), 4)
    body = []
    for i, (number, label) in enumerate(zip(numbers, labels, strict=False)):
        y = 2 + i * row_height
        bar_h = row_height * 0.56
        bar_y = y + (row_height - bar_h) / 2
        text_y = y + row_height / 2 + 4
        body.append(
            f'<text x="{label_width}" y="{_fmt(text_y)}" text-anchor="end" font-size="12" fill="{TEXT}">'
            f"{escape(_truncate(label, label_chars))}<title>{escape(label)}</title></text>"
        )
        body.append(
            f'<rect x="{track_x}" y="{_fmt(bar_y)}" width="{_fmt(track_w)}" height="{_fmt(bar_h)}" rx="3" fill="{TRACK}"/>'
        )
        if number is not None:
            w = track_w * max(min(number, top), 0) / top
            body.append(
                f'<rect x="{track_x}" y="{_fmt(bar_y)}" width="{_fmt(w)}" height="{_fmt(bar_h)}" rx="3" fill="{accent}">'
                f"<title>{escape(label)}: {escape(full(number))}</title></rect>"
            )
        body.append(
            f'<text x="{width - 2}" y="{_fmt(text_y)}" text-anchor="end" font-size="12" fill="{TEXT}" '
            f'font-weight="600">{escape(fmt(number))}</text>'
        )
    return _svg(width, height, title, body, css_class)


def sparkline(
    values: Sequence[Number],
    *,
    title: str,
    accent: str | None = None,
    min_value: Number = None,
    max_value: Number = None,
    width: int = 120,
    height: int = 32,
    css_class: str = "sparkline",
) -> SafeString:
    """A small line through the values (None values are skipped), with a dot on the last one.
    One value is a dot; no values an empty baseline."""
    accent = safe_colour(accent)
    numbers = [_num(v) for v in values]
    points = [(i, n) for i, n in enumerate(numbers) if n is not None]
    pad = 4
    body = [
        f'<line x1="{pad}" x2="{width - pad}" y1="{height - pad}" y2="{height - pad}" stroke="{GRID}" stroke-width="1"/>'
    ]
    if points:
        lo = _num(min_value)
        hi = _num(max_value)
        lo = min(n for _, n in points) if lo is None else lo
        hi = max(n for _, n in points) if hi is None else hi
        span = (hi - lo) or 1
        steps = max(len(numbers) - 1, 1)

        def xy(i, n):
            x = pad + (width - 2 * pad) * (i / steps if len(numbers) > 1 else 0.5)
            y = height - pad - (height - 2 * pad) * (min(max(n, lo), hi) - lo) / span
            return _fmt(x), _fmt(y)

        coords = [xy(i, n) for i, n in points]
        if len(coords) > 1:
            path = " ".join(f"{x},{y}" for x, y in coords)
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{accent}" stroke-width="2" '
                f'stroke-linejoin="round" stroke-linecap="round"/>'
            )
        x, y = coords[-1]
        body.append(f'<circle cx="{x}" cy="{y}" r="3" fill="{accent}"/>')
    return _svg(width, height, title, body, css_class, fixed=True)


def _tick(value: Number, unit: str, places: int, prefix: str) -> str:
    """A value as shown on a chart: compact for money (a prefix), else with its unit."""
    return format_compact(value, prefix) if prefix else format_value(value, unit, places)


def grouped_bar_chart(
    series_values: Sequence[Sequence[Number]],
    labels: Sequence[str],
    *,
    series: Sequence[str],
    title: str,
    accent: str | None = None,
    max_value: Number = None,
    prefix: str = "",
    unit: str = "",
    places: int = 0,
    width: int = 640,
    height: int = 260,
    axis_label: str = "",
    css_class: str = "grouped-bar-chart",
) -> SafeString:
    """Bars of each series side by side per label (e.g. planned and actual per month), on one value
    axis from 0 with four gridlines, and a legend. Series are told apart by shade: the first light,
    the last solid (never by colour alone: the legend names them, each bar has a title). None is no bar."""
    accent = safe_colour(accent)
    rows = [[_num(v) for v in values] for values in series_values]
    found = [n for row in rows for n in row if n is not None]
    top = _num(max_value) or max(found + [0]) or 1
    left, right, top_pad, bottom = _axis_left(top, unit, places, prefix, axis_label), 8, 30, 30
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    opacities = _opacities(len(rows))
    body = []
    x = left
    for name, opacity in zip(series, opacities, strict=False):  # the legend, above the plot
        body.append(
            f'<rect x="{x}" y="6" width="12" height="12" rx="2" fill="{accent}" fill-opacity="{opacity}"/>'
        )
        body.append(f'<text x="{x + 17}" y="16" font-size="12" fill="{TEXT}">{escape(name)}</text>')
        x += 30 + 7 * len(str(name))
    for step in range(5):
        y = top_pad + plot_h - plot_h * step / 4
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{_fmt(y)}" y2="{_fmt(y)}" stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(
            f'<text x="{left - 6}" y="{_fmt(y + 4)}" text-anchor="end" font-size="11" fill="{AXIS_TEXT}">'
            f"{escape(_tick(top * step / 4, unit, places, prefix))}</text>"
        )
    if axis_label:
        body.append(
            f'<text x="10" y="{_fmt(top_pad + plot_h / 2)}" font-size="11" fill="{AXIS_TEXT}" text-anchor="middle" '
            f'transform="rotate(-90 10 {_fmt(top_pad + plot_h / 2)})">{escape(axis_label)}</text>'
        )
    count = max(len(labels), 1)
    slot = plot_w / count
    group_w = slot * 0.78
    bar_w = group_w / max(len(rows), 1)
    label_chars = max(int(slot / 6.5), 3)
    for i, label in enumerate(labels):
        x0 = left + slot * i + (slot - group_w) / 2
        for k, (row, name, opacity) in enumerate(zip(rows, series, opacities, strict=False)):
            number = row[i] if i < len(row) else None
            if number is None:
                continue
            h = plot_h * max(min(number, top), 0) / top
            body.append(
                f'<rect x="{_fmt(x0 + k * bar_w)}" y="{_fmt(top_pad + plot_h - h)}" width="{_fmt(max(bar_w - 1, 1))}" '
                f'height="{_fmt(h)}" rx="2" fill="{accent}" fill-opacity="{opacity}">'
                f"<title>{escape(label)}, {escape(name)}: {escape(format_value(number, unit, places, prefix))}</title></rect>"
            )
        cx = left + slot * i + slot / 2
        body.append(
            f'<text x="{_fmt(cx)}" y="{_fmt(top_pad + plot_h + 16)}" text-anchor="middle" font-size="11" '
            f'fill="{TEXT}">{escape(_truncate(label, label_chars))}<title>{escape(label)}</title></text>'
        )
    body.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top_pad + plot_h}" y2="{top_pad + plot_h}" '
        f'stroke="{AXIS_TEXT}" stroke-width="1"/>'
    )
    return _svg(width, height, title, body, css_class)


def _opacities(n: int) -> list[str]:
    """Shades of the accent from light to solid for n series."""
    if n <= 1:
        return ["1"]
    return [_fmt(0.35 + 0.65 * i / (n - 1)) for i in range(n)]


def _axis_left(top: float, unit: str, places: int, prefix: str, axis_label: str) -> int:
    """Room on the left for the value axis's widest tick label (and its title)."""
    widest = max(len(_tick(top * step / 4, unit, places, prefix)) for step in range(5))
    return max(44, int(widest * 6.6) + 10) + (16 if axis_label else 0)


accent_colour = safe_colour  # the name the QBR report uses
