"""The client list's rows, rendered in Python.

The client list is the page a consultant opens first, 25 rows of a dozen cells and an action menu
each; through Django's template engine the rows were over a third of the page's time. This writes the
same markup (`tests/clients/test_list_html.py` holds it equal to the template loop it replaced), every
value escaped as the template's autoescaping would.
"""

from django.template.defaultfilters import floatformat
from django.utils import formats
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime

from vcio.row_urls import row_reverse
from vcio.rows_html import MENU_DIVIDER, escape, menu_cell, menu_link
from vcio.templatetags.vcio_tags import csrf_input, date, money

NO_VALUE = '<span class="text-body-secondary">—</span>'


def _text(value) -> str:
    """`{{ value }}`: in local time, localized, escaped."""
    return conditional_escape(formats.localize(template_localtime(value)))


def _cell(column, value, currency: str) -> str:
    if value is None:
        shown = NO_VALUE
    elif column.kind == "money":
        shown = escape(money(value, currency))
    elif column.kind == "percent":
        shown = f"{conditional_escape(floatformat(value, 1))}%"
    elif column.kind == "date":
        shown = escape(date(template_localtime(value), "j M Y"))
    else:
        shown = _text(value)
    return f'<td class="num text-nowrap" data-column="{escape(column.key)}">{shown}</td>'


def _actions(c, slug: str, csrf: str, next_url: str) -> str:
    pk = c.pk
    back = f'<input type="hidden" name="next" value="{escape(next_url)}">'
    if c.is_archived:
        state = (
            f'<li><form method="post" action="{escape(row_reverse("clients:restore", slug, pk))}">'
            f'{csrf}{back}<button class="dropdown-item" type="submit">Restore</button></form></li>'
        )
    else:
        name = escape(c.name)
        state = (
            f'<li><form method="post" action="{escape(row_reverse("clients:archive", slug, pk))}" '
            f'data-confirm="{name} will leave the active client list. Its data is kept and you can restore '
            'it at any time." data-confirm-title="Archive this client?" data-confirm-button="Archive">'
            f'{csrf}{back}<button class="dropdown-item text-danger" type="submit">Archive</button></form></li>'
        )
    return menu_cell(
        c.name,
        menu_link(row_reverse("clients:edit", slug, pk), "Edit"),
        menu_link(row_reverse("clients:contact_create", slug, pk), "Add a contact"),
        MENU_DIVIDER,
        state,
    )


def client_rows_html(rows, *, practice, can_edit: bool, csrf_token: str, next_url: str) -> SafeString:
    """The `<tr>` of each client of `rows` (each with `.contact_count` and `.extra`, its
    [(column, value)]): name, industry, headcount, contacts, consultant, status, the columns other
    apps add, and — for a role that edits — the row's action menu."""
    slug, currency = practice.slug, practice.currency
    csrf = csrf_input(csrf_token)
    out = []
    for c in rows:
        name = escape(c.name)
        consultant = c.primary_consultant.display_name if c.primary_consultant else ""
        out.append(
            "<tr>"
            f'<td class="cell-name"><a class="fw-semibold" dir="auto" title="{name}" '
            f'href="{escape(row_reverse("clients:overview", slug, c.pk))}">{name}</a></td>'
            f"<td>{escape(c.get_industry_display())}</td>"
            f'<td class="num">{_text(c.headcount)}</td>'
            f'<td class="num">{_text(c.contact_count)}</td>'
            f'<td dir="auto">{escape(consultant or "—")}</td>'
            f'<td><span class="badge badge-status-{escape(c.status)}">{escape(c.get_status_display())}</span></td>'
            + "".join(_cell(column, value, currency) for column, value in c.extra)
            + (_actions(c, slug, csrf, next_url) if can_edit else "")
            + "</tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
