"""Who reaches the portal: an executive lands on it, sees only their own client, never a practice page
or the API, cannot write anything, and loses access at their next request once it is removed."""

import uuid

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from clients.models import PortalAccess
from clients.portal_services import portal_access_remove
from tests import isolation_patterns as url_patterns
from tests import isolation_walk as walk
from tests.factories import ClientFactory, QBRReportFactory, UserFactory
from tests.portal.conftest import EXEC_EMAIL, portal_url

pytestmark = pytest.mark.django_db

CLIENT_PAGES = ["dashboard", "roadmap", "budget", "compliance", "renewals", "meetings", "reports"]


def portal_patterns():
    return walk.select(url_patterns.discover(), "portal")


def test_an_executive_lands_on_the_portal_of_their_only_client(as_executive, client_a1):
    home = as_executive.get("/")
    assert home.status_code == 302 and home.url == reverse("portal:home")
    chooser = as_executive.get(home.url)
    assert chooser.status_code == 302 and chooser.url == portal_url("dashboard", client_a1)
    page = as_executive.get(chooser.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert client_a1.name in html and client_a1.practice.name in html
    assert "sidebar" not in html  # the portal's own layout, no practice navigation


def test_with_several_clients_a_chooser_lists_them_across_practices(
    executive, client_a1, client_a2, practice_b, login
):
    other = ClientFactory(practice=practice_b, name="Bravo Bakery")
    PortalAccess.objects.create(practice=client_a2.practice, client=client_a2, user=executive)
    PortalAccess.objects.create(practice=practice_b, client=other, user=executive)
    http = login(executive)
    response = http.get(reverse("portal:home"))
    assert response.status_code == 200
    html = response.content.decode()
    for client in (client_a1, client_a2, other):
        assert client.name in html and portal_url("dashboard", client) in html
    assert http.get(portal_url("dashboard", other)).status_code == 200  # the other practice's too


def test_someone_without_portal_access_gets_404_on_the_portal(as_owner_a, client_a1):
    assert as_owner_a.get(reverse("portal:home")).status_code == 404
    for name in CLIENT_PAGES:
        assert as_owner_a.get(portal_url(name, client_a1)).status_code == 404, name


def test_signed_out_visitors_are_sent_to_the_login(client_a1):
    response = HttpClient().get(portal_url("dashboard", client_a1))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_other_clients_and_practices_are_404_on_every_portal_page(as_executive, client_a2, practice_b):
    foreign_b = ClientFactory(practice=practice_b, name="Bravo Bakery")
    report_a2 = QBRReportFactory(client=client_a2, ready=True)
    for client in (client_a2, foreign_b):
        for name in CLIENT_PAGES:
            response = as_executive.get(portal_url(name, client))
            assert response.status_code == 404, (name, client)
            assert client.name not in response.content.decode()
    assert as_executive.get(portal_url("report_pdf", client_a2, report_a2.pk)).status_code == 404


def test_a_report_or_meeting_of_another_client_is_404_under_the_executives_client(
    as_executive, client_a1, client_a2, owner_a
):
    from tests.portal.conftest import fill_client

    made = fill_client(client_a2, owner_a)
    report = QBRReportFactory(client=client_a2, ready=True)
    assert as_executive.get(portal_url("report_pdf", client_a1, report.pk)).status_code == 404
    assert as_executive.get(portal_url("meeting", client_a1, made["meeting"].pk)).status_code == 404
    assert as_executive.get(portal_url("report_pdf", client_a1, uuid.uuid4())).status_code == 404


def test_every_practice_page_and_api_url_is_404_for_an_executive(practice_a, owner_a, client_a1, practice_b):
    """Typed URLs: every `/p/…` page and every `/api/…` route, filled with the executive's own
    client's objects (and the practice's slug), answers 404 — never a page of the practice."""
    world = walk.build_world(practice_a, owner_a, client_a1, practice_b)
    executive = world.a1.object("access_pk").user
    http = walk.login(executive)
    patterns = url_patterns.discover()
    failures, checked = [], 0
    for surface in ("page", "api"):
        for pattern in walk.select(patterns, surface):
            url = walk.url_for(pattern, walk.fill(pattern, world.a1))
            response = http.get(url)
            checked += 1
            if response.status_code != 404:
                failures.append(f"GET {url} ({pattern.name}): {response.status_code}")
    for url in ("/p/alpha/", "/p/alpha/clients/", "/api/v1/clients/", "/api/v1/me/", "/admin/"):
        response = http.get(url)
        checked += 1
        if response.status_code not in (404, 403, 302) or (url != "/admin/" and response.status_code != 404):
            failures.append(f"GET {url}: {response.status_code}")
    assert not failures, "\n".join(failures)
    assert checked > 100


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_every_portal_url_refuses_writes_and_changes_nothing(
    method, practice_a, owner_a, client_a1, practice_b
):
    world = walk.build_world(practice_a, owner_a, client_a1, practice_b)
    executive = world.a1.object("access_pk").user
    tables = walk.our_tables()
    patterns = portal_patterns()
    assert {p.name for p in patterns} >= {f"portal:{n}" for n in CLIENT_PAGES} | {"portal:home"}
    for csrf in (False, True):
        http = HttpClient(enforce_csrf_checks=csrf)
        http.force_login(executive)
        for pattern in patterns:
            url = walk.url_for(pattern, walk.fill(pattern, world.a1))
            before = walk.snapshot(tables)
            response = walk.send(http, method, url, api=False)
            after = walk.snapshot(tables)
            assert response.status_code in ((403, 405) if csrf else (405,)), (
                method,
                url,
                response.status_code,
            )
            assert before == after, walk.changed_tables(tables, before, after)


def test_portal_views_answer_only_get_head_and_options(as_executive, client_a1):
    response = as_executive.options(portal_url("dashboard", client_a1))
    assert response.status_code == 200
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "OPTIONS"}
    assert as_executive.head(portal_url("dashboard", client_a1)).status_code == 200


def test_a_revoked_executive_loses_access_at_the_next_request(as_executive, executive, client_a1, owner_a):
    assert as_executive.get(portal_url("dashboard", client_a1)).status_code == 200
    access = PortalAccess.objects.get(user=executive, client=client_a1)
    portal_access_remove(access=access, actor=owner_a)
    for name in CLIENT_PAGES:
        assert as_executive.get(portal_url(name, client_a1)).status_code == 404, name
    assert as_executive.get(reverse("portal:home")).status_code == 404
    # The same open session still works for what is not the portal: signing out.
    assert as_executive.post(reverse("account_logout")).status_code == 302


def test_a_portal_invitation_accepted_leads_to_the_dashboard(practice_a, owner_a, client_a1, login):
    from clients.portal_services import portal_invitation_create
    from tests.accounts.test_invitations import accept_url

    _, token = portal_invitation_create(client=client_a1, actor=owner_a, email="cfo@acme.example.com")
    cfo = UserFactory(email="cfo@acme.example.com")
    http = login(cfo)
    accepted = http.post(accept_url(token), follow=True)
    assert accepted.status_code == 200
    assert accepted.redirect_chain[-1][0] == portal_url("dashboard", client_a1)
    assert "Create your practice" not in accepted.content.decode()


def test_the_executive_fixture_is_the_contact_with_that_email(executive, client_a1):
    assert executive.email == EXEC_EMAIL


def test_another_clients_executive_cannot_open_this_clients_portal(executive, client_a1, client_a2, login):
    """Both clients have executives: each sees only their own (the access is the user's, not the
    client's)."""
    other = UserFactory(email="cfo@apex.example.com")
    PortalAccess.objects.create(practice=client_a2.practice, client=client_a2, user=other)
    http = login(other)
    assert http.get(portal_url("dashboard", client_a2)).status_code == 200
    for name in CLIENT_PAGES:
        assert http.get(portal_url(name, client_a1)).status_code == 404, name
    assert login(executive).get(portal_url("dashboard", client_a2)).status_code == 404


def test_a_practice_that_requires_two_factor_requires_it_of_its_client_executives_too(
    executive, client_a1, login
):
    """Without a TOTP authenticator an executive reaches only the set-up — at sign-in (the rule is
    looked up) and, when the practice turns the rule on later, at the next portal page at once."""
    practice = client_a1.practice
    http = login(executive)
    dashboard = portal_url("dashboard", client_a1)
    assert http.get(dashboard).status_code == 200  # "nothing required" is now kept in the session
    practice.require_two_factor = True
    practice.save()
    setup = reverse("mfa_activate_totp")
    for path in (dashboard, portal_url("budget", client_a1), "/"):
        response = http.get(path)
        assert (response.status_code, response["Location"]) == (302, setup), path
    fresh = login(executive)  # a new sign-in looks the rule up
    assert fresh.get(reverse("account_change_password"))["Location"] == setup
    practice.require_two_factor = False
    practice.save()
    assert http.get(dashboard).status_code == 200
