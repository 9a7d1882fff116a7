"""The assessment page's tree, rendered in Python.

A framework's tree is up to a few hundred rows, each with a dozen conditions; through Django's
template engine the rows cost about half of the page's time (a 300-item assessment: ~45 ms of
~100 ms on the benchmark machine), most of it resolving variables. This writes the same markup
(`tests/compliance/test_tree_html.py` holds it equal to the template it replaced) with every value
escaped as the template's autoescaping would.
"""

from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from vcio.rows_html import escape, number_html
from vcio.templatetags.vcio_tags import clip


def _group(row: dict) -> str:
    node, score = row["node"], row["score"]
    prefix = f"{escape(node.ref)} " if node.ref != node.title else ""
    percent = f"{number_html(score.percent)}%" if score.percent is not None else "—"
    return (
        f'<details class="depth-{row["depth"]}" open>'
        f'<summary><span class="tree-group-title">{prefix}{escape(node.title)}</span> '
        f'<span class="tree-group-score" title="{number_html(score.assessed)} of {number_html(score.items)} assessed">'
        f"{percent}</span></summary>"
        '<div class="tree-children">'
    )


def _meta(row: dict, roadmap_base: str) -> list[str]:
    node, response = row["node"], row.get("response")
    out = []
    if node.required is True:
        out.append('<span class="badge text-bg-light border">Required</span>')
    elif node.required is False:
        out.append('<span class="badge text-bg-light border">Addressable</span>')
    if node.weight:
        weight = escape(node.weight)
        out.append(f'<span class="badge weight-badge weight-{weight}">{escape(capfirst(node.weight))}</span>')
    if response is not None and response.owner:
        out.append(
            f'<span><i class="bi bi-person" aria-hidden="true"></i> {escape(response.owner.display_name)}</span>'
        )
    if response is not None and response.due_date:
        due = escape(formats.date_format(response.due_date, "Y-m-d"))
        out.append(f'<span><i class="bi bi-calendar-event" aria-hidden="true"></i> {due}</span>')
    if row.get("overdue"):
        out.append('<span class="badge overdue-badge">Overdue</span>')
    links = getattr(response, "evidence_count", 0) if response is not None else 0
    if response is not None and (links or response.notes):
        count = f" ({number_html(links)} link{'' if links == 1 else 's'})" if links else ""
        out.append(f'<span><i class="bi bi-paperclip" aria-hidden="true"></i> evidence{count}</span>')
    if response is not None and response.reviewed_at:
        on = escape(formats.date_format(timezone.localtime(response.reviewed_at), "Y-m-d"))
        by = f" by {escape(response.reviewed_by.display_name)}" if response.reviewed_by else ""
        out.append(
            f'<span title="Reviewed {on}"><i class="bi bi-patch-check" aria-hidden="true"></i> reviewed{by}</span>'
        )
    base = escape(roadmap_base)
    for initiative in row.get("initiatives", ()):
        out.append(
            f'<a class="initiative-chip" href="{base}{escape(initiative.pk)}/">'
            f'<i class="bi bi-signpost-split" aria-hidden="true"></i> {escape(clip(initiative.title, 48))}</a>'
        )
    return out


def _item(row: dict, roadmap_base: str) -> str:
    node, response = row["node"], row.get("response")
    ref = escape(node.ref)
    classes = f"tree-item depth-{row['depth']}"
    if row.get("self"):
        classes += " is-self"
    if row.get("overdue"):
        classes += " is-overdue"
    if row.get("selectable"):
        pk = escape(response.pk)
        select = (
            f'<input class="form-check-input" type="checkbox" name="ids" value="{pk}" id="r-{pk}" '
            f'aria-label="Select {ref}">'
        )
    else:
        select = "<span></span>"
    itself = f"{escape(capfirst(node.kind) or 'Item')} itself: " if row.get("self") else ""
    title = escape(clip(node.title, 220))
    if row.get("url"):
        heading = f'<a class="item-title" href="{escape(row["url"])}"><span class="ref">{ref}</span>{itself}{title}</a>'
    else:
        heading = f'<span class="item-title"><span class="ref">{ref}</span>{title}</span>'
    meta = " ".join(_meta(row, roadmap_base))
    return (
        f'<div class="{classes}" data-ref="{ref}">{select}'
        f'<div class="min-w-0">{heading}<div class="meta">{meta}</div></div>'
        f'<div class="status-col"><span class="badge compliance-chip chip-{escape(row["status"])}">'
        f"{escape(row['status_label'])}</span></div></div>"
    )


def assessment_tree_html(rows: list[dict], *, roadmap_base: str) -> SafeString:
    """The rows of `selectors.assessment_tree` (with the view's `selectable`, `url` and
    `status_label`) as nested `<details>` groups and item rows."""
    parts = []
    for row in rows:
        parts.append(_group(row) if row["kind"] == "open" else _item(row, roadmap_base))
        parts.append("</div></details>" * len(row["closes"]))
    return mark_safe("".join(parts))  # noqa: S308 — every value above is escaped
