"""Small, dependency-free SVG charts drawn on the server: the same function serves a page and a PDF
(WeasyPrint draws SVG), so a chart looks the same in both.

Pure functions: numbers in (Decimal or int; geometry is computed with Decimal, never float), an SVG
string out (marked safe; every label and title is escaped). No inline `style` attributes (the
Content-Security-Policy forbids them): colours are presentation attributes. Each chart has
`role="img"`, an `aria-label` and a `<title>` for screen readers.

- `bar_chart(items, title=…)`: vertical bars, one per (label, value);
- `horizontal_bars(items, title=…)`: one labelled bar per row (a ranking, progress);
- `sparkline(values, title=…)`: a small trend line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

DEFAULT_ACCENT = "#1f6feb"
TEXT = "#374151"
MUTED = "#9ca3af"
GRID = "#e5e7eb"
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def accent_colour(value: str | None) -> str:
    """A safe `#rrggbb` colour (anything else falls back to the default accent)."""
    return value if isinstance(value, str) and _HEX.match(value) else DEFAULT_ACCENT


def _d(value) -> Decimal:
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value if value is not None else 0))
    except ArithmeticError:  # pragma: no cover - Decimal raises InvalidOperation (an ArithmeticError)
        return Decimal(0)


def _n(value: Decimal) -> str:
    """A coordinate: one decimal place, no exponent."""
    return str(_d(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _svg(width: int, height: int, title: str, body: list[str], css_class: str) -> SafeString:
    label = escape(title)
    return mark_safe(  # noqa: S308 - every piece of text in `body` is escaped where it is made
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css_class}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{label}" font-family="{FONT}">'
        f"<title>{label}</title>{''.join(body)}</svg>"
    )


def _text(x, y, text, *, size=11, anchor="start", fill=TEXT, weight="normal") -> str:
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}" text-anchor="{anchor}" fill="{fill}" '
        f'font-weight="{weight}">{escape(text)}</text>'
    )


def _clip(text: str, limit: int) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(
    items: Sequence[tuple[str, object]],
    *,
    title: str,
    accent: str | None = None,
    width: int = 560,
    height: int = 220,
    value_format: Callable[[object], str] = str,
) -> SafeString:
    """Vertical bars, one per `(label, value)`, with the value above each bar and the label below.
    Negative values are drawn as zero (a chart of amounts, not of changes)."""
    colour = accent_colour(accent)
    top, bottom, side = 22, 36, 8
    plot_h = Decimal(height - top - bottom)
    values = [max(_d(v), Decimal(0)) for _, v in items]
    peak = max(values, default=Decimal(0)) or Decimal(1)
    n = max(len(items), 1)
    slot = Decimal(width - 2 * side) / n
    bar_w = slot * Decimal("0.62")
    body = [
        f'<line x1="{side}" y1="{height - bottom}" x2="{width - side}" y2="{height - bottom}" '
        f'stroke="{GRID}" stroke-width="1"/>'
    ]
    label_chars = max(4, int(slot / 7))
    for i, ((label, raw), value) in enumerate(zip(items, values, strict=True)):
        x = side + slot * i + (slot - bar_w) / 2
        h = plot_h * value / peak
        y = Decimal(height - bottom) - h
        body.append(
            f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(bar_w)}" height="{_n(h)}" rx="2" fill="{colour}"/>'
        )
        centre = x + bar_w / 2
        body.append(_text(centre, y - 5, value_format(raw), size=10, anchor="middle"))
        body.append(_text(centre, height - bottom + 15, _clip(label, label_chars), size=10, anchor="middle"))
    if not items:
        body.append(_text(width / 2, height / 2, "No data", anchor="middle", fill=MUTED))
    return _svg(width, height, title, body, "chart-bars")


def horizontal_bars(
    items: Sequence[tuple[str, object]],
    *,
    title: str,
    accent: str | None = None,
    width: int = 560,
    max_value=None,
    value_format: Callable[[object], str] = str,
    row_height: int = 22,
) -> SafeString:
    """One labelled bar per `(label, value)`, scaled to `max_value` (default: the largest value) —
    a ranking, or progress against 100."""
    colour = accent_colour(accent)
    label_w, value_w, pad = int(width * 0.42), 56, 4
    bar_space = Decimal(width - label_w - value_w - 2 * pad)
    values = [max(_d(v), Decimal(0)) for _, v in items]
    peak = _d(max_value) if max_value is not None else max(values, default=Decimal(0))
    peak = peak or Decimal(1)
    height = max(len(items), 1) * row_height + 2 * pad
    body = []
    label_chars = max(6, label_w // 7)
    for i, ((label, raw), value) in enumerate(zip(items, values, strict=True)):
        y = pad + i * row_height
        w = bar_space * min(value, peak) / peak
        body.append(_text(0, y + row_height * 0.68, _clip(label, label_chars), size=11))
        body.append(
            f'<rect x="{label_w}" y="{_n(y + 4)}" width="{_n(bar_space)}" height="{row_height - 8}" '
            f'rx="3" fill="{GRID}"/>'
        )
        body.append(
            f'<rect x="{label_w}" y="{_n(y + 4)}" width="{_n(w)}" height="{row_height - 8}" rx="3" '
            f'fill="{colour}"/>'
        )
        body.append(_text(width - pad, y + row_height * 0.68, value_format(raw), size=11, anchor="end"))
    if not items:
        body.append(_text(width / 2, height / 2 + 4, "No data", anchor="middle", fill=MUTED))
    return _svg(width, height, title, body, "chart-hbars")


def sparkline(
    values: Sequence[object], *, title: str, accent: str | None = None, width: int = 120, height: int = 28
) -> SafeString:
    """A small trend line through `values` (left to right), with the last point marked."""
    colour = accent_colour(accent)
    pad = 3
    nums = [_d(v) for v in values]
    if not nums:
        return _svg(width, height, title, [], "chart-spark")
    lo, hi = min(nums), max(nums)
    span = (hi - lo) or Decimal(1)
    step = Decimal(width - 2 * pad) / max(len(nums) - 1, 1)
    points = [
        (pad + step * i, Decimal(height - pad) - Decimal(height - 2 * pad) * (v - lo) / span)
        for i, v in enumerate(nums)
    ]
    path = " ".join(f"{_n(x)},{_n(y)}" for x, y in points)
    last_x, last_y = points[-1]
    body = [
        f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="1.6" '
        f'stroke-linejoin="round" stroke-linecap="round"/>',
        f'<circle cx="{_n(last_x)}" cy="{_n(last_y)}" r="2.4" fill="{colour}"/>',
    ]
    return _svg(width, height, title, body, "chart-spark")
