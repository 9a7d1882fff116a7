"""A client's Contacts list's rows, rendered in Python.

A page shows up to 50 contacts, each with its title, e-mail, phone, executive badge and — for a role
that edits — an action menu with its delete form; through Django's template engine the rows were most
of the page's rendering. This writes the same markup (`tests/clients/test_contacts_html.py` holds it
equal to the template loop it replaced), every value escaped as the template's autoescaping would.
"""

from django.utils.safestring import SafeString, mark_safe

from vcio.row_urls import row_reverse
from vcio.rows_html import escape, menu_cell, menu_link, menu_post
from vcio.templatetags.vcio_tags import csrf_input

EXECUTIVE = '<span class="badge text-bg-primary">Executive</span>'


def _actions(c, slug: str, client, csrf: str) -> str:
    client_pk = client.pk
    return menu_cell(
        c.name,
        menu_link(row_reverse("clients:contact_edit", slug, client_pk, c.pk), "Edit"),
        menu_post(
            row_reverse("clients:contact_delete", slug, client_pk, c.pk),
            csrf,
            f"{escape(c.name)} will be removed from {escape(client.name)}'s contacts.",
            "Delete contact?",
            "Delete",
        ),
    )


def contact_rows_html(rows, *, practice, client, can_edit: bool, csrf_token: str) -> SafeString:
    """The `<tr>` of each contact of `rows` (the client's, as `selectors.client_contacts` reads them)."""
    slug = practice.slug
    csrf = csrf_input(csrf_token)
    out = []
    for c in rows:
        email = f'<a href="mailto:{escape(c.email)}">{escape(c.email)}</a>' if c.email else "—"
        out.append(
            "<tr>"
            f'<td class="fw-semibold">{escape(c.name)}</td><td>{escape(c.title or "—")}</td>'
            f"<td>{email}</td>"
            f"<td>{escape(c.phone or '—')}</td>"
            f"<td>{EXECUTIVE if c.is_executive else ''}</td>"
            + (_actions(c, slug, client, csrf) if can_edit else "")
            + "</tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
