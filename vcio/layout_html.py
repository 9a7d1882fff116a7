"""The layout every page shares — the head's stylesheets and scripts, the practice sidebar and the top
bar — and a client's header with its tabs, rendered in Python.

Through the template engine they cost about a millisecond of every page (two dozen links, a loop over
the sidebar, the practice switcher, the user menu). This writes the same markup:
`tests/test_layout_html.py` holds it equal to the template markup it replaced, every value escaped as
autoescaping would.
"""

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import pluralize
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe

from vcio.row_urls import row_reverse
from vcio.rows_html import escape, number_html
from vcio.templatetags.vcio_tags import csrf_input

ASSETS = (
    ('<link rel="icon" href="{}" type="image/svg+xml">', "favicon.svg"),
    ('<link rel="stylesheet" href="{}">', "vendor/bootstrap/bootstrap.min.css"),
    ('<link rel="stylesheet" href="{}">', "vendor/bootstrap-icons/bootstrap-icons.min.css"),
    ('<link rel="stylesheet" href="{}">', "css/app.css"),
)
CURRENT = 'aria-current="page"'
SCRIPTS = ("vendor/bootstrap/bootstrap.bundle.min.js", "vendor/htmx/htmx.min.js", "js/app.js")


# The head's stylesheet and script tags, written once per process: a static file's URL is the same
# for every request (a hashed name comes from the manifest the storage loaded at start), and asking
# the storage costs more than the rest of the layout. Emptied when a test changes the static settings.
_STATIC_TAGS: dict[str, str] = {}
STATIC_SETTINGS = frozenset({"STATIC_URL", "STATIC_ROOT", "STORAGES", "DEBUG", "FORCE_SCRIPT_NAME"})


@receiver(setting_changed)
def _static_settings_changed(*, setting, **kwargs):
    if setting in STATIC_SETTINGS:
        _STATIC_TAGS.clear()


def _static_tags() -> tuple[str, str]:
    if not _STATIC_TAGS:
        _STATIC_TAGS["assets"] = "\n".join(template.format(escape(static(path))) for template, path in ASSETS)
        _STATIC_TAGS["scripts"] = "\n".join(
            f'<script src="{escape(static(path))}" defer></script>' for path in SCRIPTS
        )
    return _STATIC_TAGS["assets"], _STATIC_TAGS["scripts"]


def head_html(practice, nonce) -> SafeString:
    """The head's icon, stylesheets, the practice's accent colour and the scripts."""
    assets, scripts = _static_tags()
    out = [assets]
    if practice:
        out.append(
            f'<style nonce="{escape(nonce)}">:root {{ --vcio-accent: {escape(practice.brand_colour)}; }}</style>'
        )
    out.append(scripts)
    return mark_safe("\n".join(out))  # noqa: S308 - every value above is escaped


def _sidebar(practice, entries, nav) -> str:
    if practice.logo:
        mark = f'<img src="{escape(practice.logo.url)}" alt="" class="brand-logo">'
    else:
        mark = f'<span class="brand-mark" aria-hidden="true">{escape(practice.name[:1].upper())}</span>'
    links = []
    for entry in entries:
        active = nav == entry.key
        links.append(
            f'<li><a class="nav-link {"active" if active else ""}" href="{escape(entry.url)}" '
            f"{CURRENT if active else ''}>"
            f'<i class="bi {escape(entry.icon)}" aria-hidden="true"></i> {escape(entry.label)}</a></li>'
        )
    return (
        '<nav class="sidebar" aria-label="Practice navigation">'
        f'<a class="sidebar-brand" href="{escape(row_reverse("home"))}">{mark}'
        f'<span class="brand-name">{escape(practice.name)}</span></a>'
        f'<ul class="nav flex-column">{"".join(links)}</ul></nav>'
    )


def _switcher(practice, practices, membership) -> str:
    items = "".join(
        f'<li><a class="dropdown-item {"active" if p.slug == practice.slug else ""}" '
        f'href="{escape(row_reverse("practice_home", p.slug))}">{escape(p.name)}</a></li>'
        for p in practices
    )
    role = membership.get_role_display() if membership is not None else ""
    return (
        '<div class="dropdown"><button class="btn btn-sm btn-outline-secondary dropdown-toggle" type="button" '
        'data-bs-toggle="dropdown" aria-expanded="false" aria-label="Switch practice">'
        f'<i class="bi bi-briefcase" aria-hidden="true"></i> {escape(practice.name)} </button>'
        f'<ul class="dropdown-menu">{items}<li><hr class="dropdown-divider"></li>'
        f'<li><a class="dropdown-item" href="{escape(row_reverse("onboarding"))}">'
        '<i class="bi bi-plus" aria-hidden="true"></i> New practice</a></li></ul></div>'
        f'<span class="badge text-bg-light border role-badge">{escape(role)}</span>'
    )


def _user_menu(practice, user, csrf: str) -> str:
    reminders = (
        f'<li><a class="dropdown-item" href="{escape(row_reverse("qbr:reminder_settings", practice.slug))}">'
        "My reminders</a></li>"
        if practice
        else ""
    )
    return (
        '<div class="dropdown"><button class="btn btn-sm btn-light dropdown-toggle" type="button" '
        'data-bs-toggle="dropdown" aria-expanded="false"><i class="bi bi-person-circle" aria-hidden="true"></i> '
        f'<span class="user-name">{escape(user.display_name)}</span></button>'
        '<ul class="dropdown-menu dropdown-menu-end">'
        f'<li><a class="dropdown-item" href="{escape(row_reverse("profile"))}">Profile</a></li>'
        f'<li><a class="dropdown-item" href="{escape(row_reverse("account_change_password"))}">Change password</a></li>'
        f'<li><a class="dropdown-item" href="{escape(row_reverse("mfa_index"))}">Two-factor authentication</a></li>'
        f'{reminders}<li><hr class="dropdown-divider"></li>'
        f'<li><form method="post" action="{escape(row_reverse("account_logout"))}">{csrf}'
        '<button class="dropdown-item" type="submit">Log out</button></form></li></ul></div>'
    )


def shell_start_html(*, practice, sidebar, nav, switch_practices, membership, user, csrf_token) -> SafeString:
    """The page's shell up to where its content starts: the sidebar (with a practice), the top bar
    (practice switcher and role, notifications bell, user menu) and the opening `<main>`."""
    out = ['<div class="app-shell">']
    if practice:
        out.append(_sidebar(practice, sidebar() if callable(sidebar) else sidebar or (), nav))
    out.append('<div class="main-col"><header class="topbar">')
    if practice:
        out.append(_switcher(practice, switch_practices or (), membership))
    else:
        out.append('<a class="navbar-brand fw-semibold" href="/">vcio</a>')
    out.append('<div class="ms-auto d-flex align-items-center gap-2">')
    authenticated = user is not None and user.is_authenticated
    if practice and authenticated:
        slug = practice.slug
        out.append(
            f'<a class="btn btn-sm btn-light position-relative bell" id="bell" '
            f'href="{escape(row_reverse("qbr:notifications", slug))}" aria-label="Notifications">'
            '<i class="bi bi-bell" aria-hidden="true"></i>'
            f'<span id="bell-slot" hx-get="{escape(row_reverse("qbr:notification_count", slug))}" '
            'hx-trigger="load, notifications-changed from:body" hx-swap="innerHTML"></span></a>'
        )
    if authenticated:
        out.append(_user_menu(practice, user, csrf_input(csrf_token)))
    out.append('</div></header><main id="main" class="content" tabindex="-1">')
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


SHELL_END = mark_safe("</main></div></div>")


def client_header_html(*, practice, client, can_edit: bool, tabs, active_tab, csrf_token) -> SafeString:
    """A client's header: the breadcrumb, its name and facts, Edit / Archive or Restore for a role
    that edits, and the client's tabs."""
    slug, pk = practice.slug, client.pk
    name = escape(client.name)
    archived = client.is_archived
    headcount, locations = client.headcount, client.locations
    consultant = client.primary_consultant
    facts = (
        f"{escape(client.get_industry_display())} · {number_html(headcount)} {pluralize(headcount, 'person,people')}"
        f" · {number_html(locations)} location{pluralize(locations)}"
        f" · Fiscal year starts {escape(client.get_fiscal_year_start_month_display())}"
    )
    if consultant:
        facts += f' · <span dir="auto">{escape(consultant.display_name)}</span>'
    out = [
        '<div class="client-header"><div class="d-flex flex-wrap justify-content-between gap-3 align-items-start">'
        '<div class="min-w-0"><nav aria-label="breadcrumb"><ol class="breadcrumb mb-1 small">'
        f'<li class="breadcrumb-item"><a href="{escape(row_reverse("clients:list", slug))}">Clients</a></li>'
        f'</ol></nav><h1 dir="auto" class="text-break-anywhere">{name} '
        + ('<span class="badge badge-status-archived fs-6 align-middle">Archived</span>' if archived else "")
        + f'</h1><p class="text-secondary mb-0">{facts}</p></div>'
    ]
    if can_edit:
        csrf = csrf_input(csrf_token)
        if archived:
            state = (
                f'<form method="post" action="{escape(row_reverse("clients:restore", slug, pk))}">{csrf}'
                '<button class="btn btn-outline-success btn-sm" type="submit">'
                '<i class="bi bi-arrow-counterclockwise" aria-hidden="true"></i> Restore</button></form>'
            )
        else:
            state = (
                f'<form method="post" action="{escape(row_reverse("clients:archive", slug, pk))}" '
                f'data-confirm="{name} will leave the active client list. Its data is kept and you can restore '
                'it at any time." data-confirm-title="Archive this client?" data-confirm-button="Archive">'
                f'{csrf}<button class="btn btn-outline-danger btn-sm" type="submit">'
                '<i class="bi bi-archive" aria-hidden="true"></i> Archive</button></form>'
            )
        out.append(
            '<div class="d-flex gap-2"><a class="btn btn-outline-secondary btn-sm" '
            f'href="{escape(row_reverse("clients:edit", slug, pk))}"><i class="bi bi-pencil" aria-hidden="true">'
            f"</i> Edit</a>{state}</div>"
        )
    out.append('</div><ul class="nav nav-tabs client-tabs" aria-label="Client sections">')
    for tab in tabs or ():
        active = tab.key == active_tab
        out.append(
            f'<li class="nav-item"><a class="nav-link {"active" if active else ""}" '
            f'{CURRENT if active else ""} href="{escape(tab.url)}">'
            f'<i class="bi {escape(tab.icon)}" aria-hidden="true"></i> {escape(tab.label)}</a></li>'
        )
    out.append("</ul></div>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
