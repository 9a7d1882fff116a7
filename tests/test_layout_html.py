"""The layout written in Python (`vcio.layout_html`, through `{% load layout %}`) is the markup of the
template it replaced, value for value, escaping included: with and without a practice, a logo, an
active sidebar entry, a signed-in user and a CSRF token; and a client's header for a role that edits
and one that does not, archived or not, with and without a consultant. A whole page is also checked
to carry the layout once."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template

from accounts.context_processors import NavLink
from accounts.models import Membership, Practice
from tests.factories import ClientFactory
from tests.markup import normalised_html

pytestmark = pytest.mark.django_db

# What `templates/base.html` had in its head before `{% layout_head %}`.
HEAD = """{% load static %}
  <link rel="icon" href="{% static 'favicon.svg' %}" type="image/svg+xml">
  <link rel="stylesheet" href="{% static 'vendor/bootstrap/bootstrap.min.css' %}">
  <link rel="stylesheet" href="{% static 'vendor/bootstrap-icons/bootstrap-icons.min.css' %}">
  <link rel="stylesheet" href="{% static 'css/app.css' %}">
  {% if practice %}<style nonce="{{ request.csp_nonce }}">:root { --vcio-accent: {{ practice.brand_colour }}; }</style>{% endif %}
  <script src="{% static 'vendor/bootstrap/bootstrap.bundle.min.js' %}" defer></script>
  <script src="{% static 'vendor/htmx/htmx.min.js' %}" defer></script>
  <script src="{% static 'js/app.js' %}" defer></script>
"""

# What `templates/base.html` had around `{% block content %}` before `{% layout_shell_start %}` and
# `{% layout_shell_end %}`; CONTENT stands for the block.
SHELL = """{% load vcio_tags %}
<div class="app-shell">
  {% if practice %}
  <nav class="sidebar" aria-label="Practice navigation">
    <a class="sidebar-brand" href="{% row_url 'home' %}">
      {% if practice.logo %}<img src="{{ practice.logo.url }}" alt="" class="brand-logo">{% else %}<span class="brand-mark" aria-hidden="true">{{ practice.name|slice:":1"|upper }}</span>{% endif %}
      <span class="brand-name">{{ practice.name }}</span>
    </a>
    <ul class="nav flex-column">
      {% for entry in sidebar %}
      <li><a class="nav-link {% if nav == entry.key %}active{% endif %}" href="{{ entry.url }}" {% if nav == entry.key %}aria-current="page"{% endif %}><i class="bi {{ entry.icon }}" aria-hidden="true"></i> {{ entry.label }}</a></li>
      {% endfor %}
    </ul>
  </nav>
  {% endif %}
  <div class="main-col">
    <header class="topbar">
      {% if practice %}
      <div class="dropdown">
        <button class="btn btn-sm btn-outline-secondary dropdown-toggle" type="button" data-bs-toggle="dropdown" aria-expanded="false" aria-label="Switch practice">
          <i class="bi bi-briefcase" aria-hidden="true"></i> {{ practice.name }}
        </button>
        <ul class="dropdown-menu">
          {% for p in switch_practices %}
          <li><a class="dropdown-item {% if p.slug == practice.slug %}active{% endif %}" href="{% row_url 'practice_home' p.slug %}">{{ p.name }}</a></li>
          {% endfor %}
          <li><hr class="dropdown-divider"></li>
          <li><a class="dropdown-item" href="{% row_url 'onboarding' %}"><i class="bi bi-plus" aria-hidden="true"></i> New practice</a></li>
        </ul>
      </div>
      <span class="badge text-bg-light border role-badge">{{ membership.get_role_display }}</span>
      {% else %}
      <a class="navbar-brand fw-semibold" href="/">vcio</a>
      {% endif %}
      <div class="ms-auto d-flex align-items-center gap-2">
        {% if practice and user.is_authenticated %}
        <a class="btn btn-sm btn-light position-relative bell" id="bell" href="{% row_url 'qbr:notifications' practice.slug %}" aria-label="Notifications">
          <i class="bi bi-bell" aria-hidden="true"></i>
          <span id="bell-slot" hx-get="{% row_url 'qbr:notification_count' practice.slug %}" hx-trigger="load, notifications-changed from:body" hx-swap="innerHTML"></span>
        </a>
        {% endif %}
        {% if user.is_authenticated %}
        <div class="dropdown">
          <button class="btn btn-sm btn-light dropdown-toggle" type="button" data-bs-toggle="dropdown" aria-expanded="false">
            <i class="bi bi-person-circle" aria-hidden="true"></i> <span class="user-name">{{ user.display_name }}</span>
          </button>
          <ul class="dropdown-menu dropdown-menu-end">
            <li><a class="dropdown-item" href="{% row_url 'profile' %}">Profile</a></li>
            <li><a class="dropdown-item" href="{% row_url 'account_change_password' %}">Change password</a></li>
            <li><a class="dropdown-item" href="{% row_url 'mfa_index' %}">Two-factor authentication</a></li>
            {% if practice %}<li><a class="dropdown-item" href="{% row_url 'qbr:reminder_settings' practice.slug %}">My reminders</a></li>{% endif %}
            <li><hr class="dropdown-divider"></li>
            <li><form method="post" action="{% row_url 'account_logout' %}">{% csrf_token %}<button class="dropdown-item" type="submit">Log out</button></form></li>
          </ul>
        </div>
        {% endif %}
      </div>
    </header>
    <main id="main" class="content" tabindex="-1">
      CONTENT
    </main>
  </div>
</div>
"""

# `templates/clients/_client_header.html` before `{% client_header %}`.
CLIENT_HEADER = """{% load vcio_tags %}<div class="client-header">
  <div class="d-flex flex-wrap justify-content-between gap-3 align-items-start">
    <div class="min-w-0">
      <nav aria-label="breadcrumb"><ol class="breadcrumb mb-1 small"><li class="breadcrumb-item"><a href="{% row_url 'clients:list' practice.slug %}">Clients</a></li></ol></nav>
      <h1 dir="auto" class="text-break-anywhere">{{ client.name }} {% if client.is_archived %}<span class="badge badge-status-archived fs-6 align-middle">Archived</span>{% endif %}</h1>
      <p class="text-secondary mb-0">{{ client.get_industry_display }} · {{ client.headcount }} {{ client.headcount|pluralize:"person,people" }} · {{ client.locations }} location{{ client.locations|pluralize }} · Fiscal year starts {{ client.get_fiscal_year_start_month_display }}{% if client.primary_consultant %} · <span dir="auto">{{ client.primary_consultant.display_name }}</span>{% endif %}</p>
    </div>
    {% if can.edit %}
    <div class="d-flex gap-2">
      <a class="btn btn-outline-secondary btn-sm" href="{% row_url 'clients:edit' practice.slug client.pk %}"><i class="bi bi-pencil" aria-hidden="true"></i> Edit</a>
      {% if client.is_archived %}
      <form method="post" action="{% row_url 'clients:restore' practice.slug client.pk %}">{% csrf_token %}<button class="btn btn-outline-success btn-sm" type="submit"><i class="bi bi-arrow-counterclockwise" aria-hidden="true"></i> Restore</button></form>
      {% else %}
      <form method="post" action="{% row_url 'clients:archive' practice.slug client.pk %}" data-confirm="{{ client.name }} will leave the active client list. Its data is kept and you can restore it at any time." data-confirm-title="Archive this client?" data-confirm-button="Archive">{% csrf_token %}<button class="btn btn-outline-danger btn-sm" type="submit"><i class="bi bi-archive" aria-hidden="true"></i> Archive</button></form>
      {% endif %}
    </div>
    {% endif %}
  </div>
  <ul class="nav nav-tabs client-tabs" aria-label="Client sections">
    {% for tab in tabs %}
    <li class="nav-item"><a class="nav-link {% if tab.key == active_tab %}active{% endif %}" {% if tab.key == active_tab %}aria-current="page"{% endif %} href="{{ tab.url }}"><i class="bi {{ tab.icon }}" aria-hidden="true"></i> {{ tab.label }}</a></li>
    {% endfor %}
  </ul>
</div>
"""

TOKEN = "t0ken&<abc>"


def _both(reference: str, python: str, context: dict) -> tuple[str, str]:
    expected = Template(reference).render(Context(context))
    got = Template(python).render(Context(context))
    return normalised_html(expected), normalised_html(got)


def _links(*entries):
    return [
        NavLink(SimpleNamespace(key=k, label=label, icon=icon), url, True) for k, label, icon, url in entries
    ]


SIDEBAR = (
    ("clients", "Clients <& co>", "bi-building", "/p/x/clients/?a=1&b=2"),
    ("dashboard", "Dashboard", "bi-speedometer2", "/p/x/dashboard/"),
    ("settings", "Settings", 'bi-gear"', "/p/x/settings/"),
)


def _user(owner, name):
    owner.first_name, owner.last_name = name, "O'Neil"
    return owner


@pytest.fixture
def second_practice(db):
    return Practice.objects.create(name='Zeta <"Partners"> & Co', slug="zeta")


@pytest.mark.parametrize("logo", [False, True])
@pytest.mark.parametrize("nav", ["clients", "settings", None])
@pytest.mark.parametrize("token", [TOKEN, "", "NOTPROVIDED"])
def test_the_shell_with_a_practice_is_the_templates_markup(
    practice_a, owner_a, second_practice, logo, nav, token
):
    practice_a.name = "Northwind <b>IT</b> & 'Partners'"
    practice_a.brand_colour = "#a1b2c3"
    if logo:
        practice_a.logo.name = "logos/north wind&<x>.png"
    membership = Membership.objects.get(practice=practice_a, user=owner_a)
    context = {
        "practice": practice_a,
        "sidebar": lambda: _links(*SIDEBAR),
        "nav": nav,
        "switch_practices": [practice_a, second_practice],
        "membership": membership,
        "user": _user(owner_a, "Dana <b>"),
        "csrf_token": token,
        "request": SimpleNamespace(csp_nonce='n0nce"&'),
    }
    expected, got = _both(
        SHELL.replace("CONTENT", "") + HEAD,
        "{% load layout %}{% layout_shell_start %}{% layout_shell_end %}{% layout_head %}",
        context,
    )
    assert got == expected
    assert "Dana &lt;b&gt;" in got and "Zeta &lt;&quot;Partners&quot;&gt; &amp; Co" in got
    assert ('aria-current="page"' in got) is (nav is not None)
    assert ("csrfmiddlewaretoken" in got) is (token == TOKEN)


@pytest.mark.parametrize("signed_in", [True, False])
def test_the_shell_without_a_practice_is_the_templates_markup(owner_a, signed_in):
    context = {
        "user": _user(owner_a, "") if signed_in else AnonymousUser(),
        "csrf_token": TOKEN,
        "request": SimpleNamespace(),
    }
    expected, got = _both(
        SHELL.replace("CONTENT", "") + HEAD,
        "{% load layout %}{% layout_shell_start %}{% layout_shell_end %}{% layout_head %}",
        context,
    )
    assert got == expected
    assert ("Log out" in got) is signed_in and "Switch practice" not in got and "<style" not in got


@pytest.mark.parametrize("can_edit", [True, False])
@pytest.mark.parametrize("archived", [False, True])
@pytest.mark.parametrize(
    ("headcount", "locations", "consultant"), [(1, 1, True), (1250, 1500, False), (2, 0, True)]
)
def test_the_client_header_is_the_templates_markup(
    practice_a, consultant_a, settings, can_edit, archived, headcount, locations, consultant
):
    settings.USE_THOUSAND_SEPARATOR = True  # numbers are localised as {{ }} does
    consultant_a.first_name = "Ana <i>"
    consultant_a.save()
    client = ClientFactory(
        practice=practice_a,
        name='Bayside <Dental> & "Co"',
        headcount=headcount,
        locations=locations,
        status="archived" if archived else "active",
        primary_consultant=consultant_a if consultant else None,
    )
    tabs = _links(
        ("overview", "Overview", "bi-house", f"/p/alpha/clients/{client.pk}/"),
        ("contacts", "Contacts & <people>", "bi-people", f"/p/alpha/clients/{client.pk}/contacts/?x=1&y=2"),
    )
    context = {
        "practice": practice_a,
        "client": client,
        "can": {"edit": can_edit},
        "tabs": tabs,
        "active_tab": "contacts",
        "csrf_token": TOKEN,
    }
    expected, got = _both(CLIENT_HEADER, "{% load layout %}{% client_header %}", context)
    assert got == expected
    assert "Bayside &lt;Dental&gt; &amp; &quot;Co&quot;" in got
    assert ("Edit</a>" in got) is can_edit
    assert ("Restore</button>" in got) is (can_edit and archived)


def test_a_page_carries_the_layout_once(as_owner_a, client_a1):
    response = as_owner_a.get(f"/p/{client_a1.practice.slug}/clients/{client_a1.pk}/contacts/")
    html = response.content.decode()
    assert response.status_code == 200
    for marker in (
        '<div class="app-shell">',
        '<main id="main"',
        '<div class="client-header">',
        "Log out</button>",
    ):
        assert html.count(marker) == 1, marker
    assert html.index('<nav class="sidebar"') < html.index('<main id="main"') < html.index("client-header")
    assert html.index("client-header") < html.index("</main>")
