"""The Members page's rows (members and pending invitations), rendered in Python.

The Members page shows a page of members, each with a role select and a remove form for a role that
manages them, and the pending invitations with their resend and revoke forms; through Django's template
engine the two loops were most of the page's rendering. This writes the same markup
(`tests/accounts/test_members_html.py` holds it equal to the template loops it replaced), every value
escaped as the template's autoescaping would.
"""

from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime

from vcio.row_urls import row_reverse
from vcio.rows_html import escape
from vcio.templatetags.vcio_tags import csrf_input, date, options


def _member_controls(m, slug: str, practice_name: str, csrf: str, role_options: str) -> tuple[str, str]:
    """The role cell's form (a role select) and the remove form of a member the viewer manages."""
    pk = m.pk
    who = escape(m.user.display_name)
    role = (
        f'<form method="post" action="{escape(row_reverse("accounts:member_role", slug, pk))}" '
        f'class="d-flex gap-1 role-form">{csrf}'
        f'<select class="form-select form-select-sm" name="role" aria-label="Role of {who}">{role_options}</select>'
        '<button class="btn btn-sm btn-outline-secondary" type="submit">Save</button></form>'
    )
    remove = (
        f'<form method="post" action="{escape(row_reverse("accounts:member_remove", slug, pk))}" '
        f'data-confirm="{who} will lose access to {practice_name} and all its clients at once. Their past '
        'work and history are kept." data-confirm-title="Remove this member?" data-confirm-button="Remove member">'
        f'{csrf}<button class="btn btn-sm btn-outline-danger" type="submit" aria-label="Remove {who}">'
        '<i class="bi bi-person-dash" aria-hidden="true"></i> Remove</button></form>'
    )
    return role, remove


def member_rows_html(rows, *, practice, user_id, role_choices, csrf_token: str) -> SafeString:
    """The `<tr>` of each `(membership, manageable)` of `rows` (memberships with their `.user`): name
    (marked "You" for `user_id`), e-mail, role, joined (in the current time zone) and — where
    `manageable` — a select of `role_choices` and the remove form."""
    slug, practice_name = practice.slug, escape(practice.name)
    csrf = csrf_input(csrf_token)
    role_options: dict[str, str] = {}  # the select's options, by the member's role
    out = []
    for m, manageable in rows:
        you = ' <span class="badge text-bg-light border">You</span>' if m.user_id == user_id else ""
        if manageable:
            if m.role not in role_options:
                role_options[m.role] = options(role_choices, m.role)
            role, remove = _member_controls(m, slug, practice_name, csrf, role_options[m.role])
        else:
            role = f'<span class="badge badge-role-{escape(m.role)}">{escape(m.get_role_display())}</span>'
            remove = ""
        out.append(
            "<tr>"
            f'<td class="fw-semibold">{escape(m.user.get_full_name() or "—")}{you}</td>'
            f"<td>{escape(m.user.email)}</td>"
            f"<td>{role}</td>"
            f'<td class="text-nowrap">{escape(date(template_localtime(m.created_at), "Y-m-d"))}</td>'
            f'<td class="text-end">{remove}</td>'
            "</tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


def _invitation_controls(i, slug: str, csrf: str) -> str:
    pk = i.pk
    email = escape(i.email)
    return (
        '<div class="d-inline-flex gap-1">'
        f'<form method="post" action="{escape(row_reverse("accounts:invitation_resend", slug, pk))}">{csrf}'
        f'<button class="btn btn-sm btn-outline-secondary" type="submit" aria-label="Resend the invitation to '
        f'{email}"><i class="bi bi-send" aria-hidden="true"></i> Resend</button></form>'
        f'<form method="post" action="{escape(row_reverse("accounts:invitation_revoke", slug, pk))}" '
        f'data-confirm="The link sent to {email} will stop working." data-confirm-title="Revoke this invitation?" '
        f'data-confirm-button="Revoke">{csrf}<button class="btn btn-sm btn-outline-danger" type="submit" '
        f'aria-label="Revoke the invitation to {email}">Revoke</button></form>'
        "</div>"
    )


def invitation_rows_html(rows, *, practice, now, csrf_token: str) -> SafeString:
    """The `<tr>` of each `(invitation, manageable)` of `rows` (invitations with their `.invited_by`):
    e-mail, role, who invited, expiry (in the current time zone; "Expired" when before `now`) and — where
    `manageable` — the resend and revoke forms."""
    slug = practice.slug
    csrf = csrf_input(csrf_token)
    out = []
    for i, manageable in rows:
        inviter = i.invited_by.display_name if i.invited_by else ""
        if i.expires_at < now:
            expires = '<span class="badge text-bg-warning">Expired</span>'
        else:
            expires = escape(date(template_localtime(i.expires_at), "Y-m-d"))
        out.append(
            "<tr>"
            f"<td>{escape(i.email)}</td>"
            f'<td><span class="badge badge-role-{escape(i.role)}">{escape(i.get_role_display())}</span></td>'
            f"<td>{escape(inviter or '—')}</td>"
            f'<td class="text-nowrap">{expires}</td>'
            f'<td class="text-end">{_invitation_controls(i, slug, csrf) if manageable else ""}</td>'
            "</tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
