"""The budget plan's table rows, rendered in Python (`{% plan_rows rows editable %}` for the whole
table body, `{% plan_line_row row editable %}` for the one row the edit form's Cancel swaps back).

A budget of 450 lines has about 6,000 cells: through Django's template engine — an include per line,
a lookup per cell — they were most of the plan page's time (and the only part that grew with the
budget). The rows are the plain dicts of `budgets.views.plan_table` (money already formatted); every
value is escaped here as the template escaped it.
"""

from html import escape as html_escape

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

ROW_GAP = "\n      "  # the table body's indentation around each category row


def escape(value) -> str:
    """What the template's autoescape does ({{ value }}: Django's `conditional_escape`), without its
    lazy-string wrapper — a few thousand calls a page."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html_escape(str(value))


def _cells(values) -> str:
    return "".join(f'<td class="num m">{escape(v)}</td>' for v in values)


def _badges(line) -> str:
    out = ""
    if line.source == "initiative":
        running = " · running cost" if line.source_part == "recurring" else ""
        out += f'<span class="badge source-badge source-initiative">Roadmap{running}</span>'
    elif line.source == "contract":
        out += '<span class="badge source-badge source-contract">Contract</span>'
    if line.adjusted:
        out += ' <span class="badge adjusted-badge" title="Building again keeps these numbers">Changed by hand</span>'
    if line.dropped:
        out += ' <span class="badge dropped-badge">Dropped</span>'
    return out


def line_row_html(row: dict, editable: bool) -> str:
    line = row["line"]
    row_id, name = escape(row["id"]), escape(line.name)
    vendor = f'<span dir="auto">{escape(line.vendor.name)}</span> · ' if line.vendor_id else ""
    edit = ""
    if editable:
        url = escape(row["edit_url"])
        edit = (
            f'<td class="text-end"><a class="btn btn-sm btn-light" href="{url}" hx-get="{url}" '
            f'hx-target="#line-{row_id}" hx-swap="outerHTML" aria-label="Edit {name}">'
            '<i class="bi bi-pencil" aria-hidden="true"></i></a></td>'
        )
    return (
        f'<tr id="line-{row_id}" class="line-row{" is-dropped" if line.dropped else ""}">'
        f'<td class="cell-line"><span class="line-name" dir="auto">{name}</span>'
        f'<div class="small text-secondary">{_badges(line)} {vendor}{escape(line.get_expense_type_display())}</div></td>'
        f'<td class="num text-nowrap">{escape(row["amount"])}'
        f'<div class="small text-secondary">{escape(line.get_recurrence_display())}</div></td>'
        f'{_cells(row["months"])}<td class="num fw-semibold">{escape(row["total"])}</td>{edit}</tr>\n'
    )


def group_row_html(row: dict, editable: bool) -> str:
    return (
        f'<tr class="cat-row" id="cat-{escape(row["key"])}"><th scope="rowgroup" class="cell-line">'
        f'{escape(row["label"])} <span class="text-secondary fw-normal">· {escape(row["count"])}</span></th>'
        f'<td></td>{_cells(row["months"])}<td class="num">{escape(row["total"])}</td>'
        f"{'<td></td>' if editable else ''}</tr>"
    )


def more_row_html(row: dict, editable: bool) -> str:
    """After a category's first lines: a link to the plan with the category shown in full (htmx
    swaps the plan in place, scrolled to the category; without JavaScript, the page)."""
    url, label, key = escape(row["url"]), escape(row["label"]), escape(row["key"])
    return (
        f'<tr class="more-row" id="more-{key}"><td colspan="{15 + bool(editable)}">'
        f'<a class="btn btn-sm btn-link" href="{url}" hx-get="{url}" '
        f'hx-target="#budget-plan" hx-swap="outerHTML show:#cat-{key}:top">'
        f"Show all {escape(row['count'])} {label} lines</a></td></tr>\n"
    )


@register.simple_tag
def plan_rows(rows, editable) -> SafeString:
    """Every row of the plan table: a category's subtotal row, then its lines (and, where it shows
    only its first ones, the row offering the others)."""
    return mark_safe(
        "".join(
            ROW_GAP + group_row_html(row, editable) + ROW_GAP
            if row.get("group")
            else more_row_html(row, editable)
            if row.get("more")
            else line_row_html(row, editable)
            for row in rows
        )
    )


@register.simple_tag
def plan_line_row(row, editable) -> SafeString:
    """One line's row."""
    return mark_safe(line_row_html(row, editable))
