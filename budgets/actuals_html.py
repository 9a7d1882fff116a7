"""The "Actual spend" list's rows, rendered in Python.

A page of the list shows 50 payments, each with six cells and — for a role that edits — an action menu
with its delete form; through Django's template engine the rows were most of the page's rendering
time. This writes the same markup (`tests/budgets/test_actuals_html.py` holds it equal to the template
loop it replaced), every value escaped as the template's autoescaping would.
"""

from django.utils.safestring import SafeString, mark_safe

from vcio.row_urls import row_reverse
from vcio.rows_html import MENU_DIVIDER, escape, menu_cell, menu_link, menu_post
from vcio.templatetags.vcio_tags import csrf_input, date, money

from .models import ActualSource

IMPORTED = ' <span class="badge source-badge">imported</span>'


def _actions(a, slug: str, client_pk, amount: str, day: str, csrf: str) -> str:
    # `{% row_menu_button a.description|default:a.date %}`: the date object itself, i.e. str(date)
    return menu_cell(
        a.description or a.date,
        menu_link(row_reverse("budgets:actual_edit", slug, client_pk, a.pk), "Edit"),
        MENU_DIVIDER,
        menu_post(
            row_reverse("budgets:actual_delete", slug, client_pk, a.pk),
            csrf,
            f"This payment of {amount} on {day} will be deleted; budget vs actual changes with it.",
            "Delete this spend?",
            "Delete",
        ),
    )


def actual_rows_html(rows, *, practice, client, can_edit: bool, csrf_token: str) -> SafeString:
    """The `<tr data-actual>` of each actual of `rows` (with `vendor` and `budget_line` selected):
    date, description (and an "imported" badge), category, vendor, budget line, amount in the
    practice's currency, and — for a role that edits — the row's action menu."""
    slug, currency, client_pk = practice.slug, practice.currency, client.pk
    csrf = csrf_input(csrf_token)
    out = []
    for a in rows:
        day = escape(date(a.date, "j M Y"))
        amount = escape(money(a.amount, currency))
        vendor = a.vendor.name if a.vendor is not None else ""
        line = a.budget_line.name if a.budget_line is not None else ""
        out.append(
            f'<tr data-actual="{escape(a.pk)}">'
            f'<td class="text-nowrap">{day}</td>'
            f'<td class="cell-name"><span dir="auto">{escape(a.description or "—")}</span>'
            f"{IMPORTED if a.source == ActualSource.IMPORT else ''}</td>"
            f'<td class="text-nowrap">{escape(a.get_category_display())}</td>'
            f'<td dir="auto">{escape(vendor or "—")}</td>'
            f'<td class="small text-break-anywhere" dir="auto">{escape(line or "—")}</td>'
            f'<td class="num">{amount}</td>'
            + (_actions(a, slug, client_pk, amount, day, csrf) if can_edit else "")
            + "</tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
