"""The Initiatives list's rows, rendered in Python.

A page shows 25 initiatives, each with its goals, priority and status badges, quarter, owner, costs
and — for a role that edits — an action menu with its delete form; through Django's template engine
the rows were about half of the page's rendering. This writes the same markup
(`tests/roadmaps/test_initiatives_html.py` holds it equal to the template loop it replaced, the
`roadmaps/_status.html` include inlined), every value escaped as the template's autoescaping would.
"""

from django.utils.safestring import SafeString, mark_safe

from vcio.row_urls import row_reverse
from vcio.rows_html import escape, menu_cell, menu_link, menu_post
from vcio.templatetags.vcio_tags import csrf_input, money

GOAL_ICON = '<i class="bi bi-bullseye" aria-hidden="true"></i> '


def _actions(i, slug: str, client_pk, csrf: str) -> str:
    return menu_cell(
        i.title,
        menu_link(row_reverse("roadmaps:edit", slug, client_pk, i.pk), "Edit"),
        menu_link(row_reverse("roadmaps:transition", slug, client_pk, i.pk), "Change status"),
        menu_post(
            row_reverse("roadmaps:delete", slug, client_pk, i.pk),
            csrf,
            f"“{escape(i.title)}” and its status history will be deleted.",
            "Delete initiative?",
            "Delete",
        ),
    )


def initiative_rows_html(rows, *, practice, client, can_edit: bool, csrf_token: str) -> SafeString:
    """The `<tr>` of each initiative of `rows` (as `selectors.initiative_list` reads them: with
    `.linked_goals` and `.owner`)."""
    slug, currency, client_pk = practice.slug, practice.currency, client.pk
    csrf = csrf_input(csrf_token)
    out = []
    for i in rows:
        goals = ""
        if i.linked_goals:
            goals = (
                '<div class="small text-secondary">'
                + " · ".join(GOAL_ICON + escape(g.title) for g in i.linked_goals)
                + "</div>"
            )
        owner = i.owner.display_name if i.owner else ""
        out.append(
            "<tr>"
            f'<td><a class="fw-semibold" href="{escape(row_reverse("roadmaps:detail", slug, client_pk, i.pk))}">'
            f"{escape(i.title)}</a>{goals}</td>"
            f"<td>{escape(i.get_category_display())}</td>"
            f'<td><span class="badge priority-badge priority-{escape(i.priority)}">{escape(i.get_priority_display())}</span></td>'
            f'<td><span class="badge status-badge status-{escape(i.status)}">{escape(i.get_status_display())}</span></td>'
            f'<td class="text-nowrap">{escape(i.quarter_label)}</td>'
            f'<td class="text-nowrap">{escape(owner or "—")}</td>'
            f'<td class="num">{escape(money(i.one_time_cost, currency))}</td>'
            f'<td class="num">{escape(money(i.recurring_monthly_cost, currency))}</td>'
            + (_actions(i, slug, client_pk, csrf) if can_edit else "")
            + "</tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
