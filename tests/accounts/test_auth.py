"""Accounts: sign-up into onboarding, passwords, login rate limit, required two-factor."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from accounts.models import Membership, Practice, Role, User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "blue-Harbor-lantern-71"


def test_login_page_looks_like_the_product(client):
    html = client.get(reverse("account_login")).content.decode()
    assert 'class="form-control' in html  # Bootstrap inputs from our element templates
    assert 'class="btn btn-primary w-100"' in html
    assert 'for="id_login"' in html  # every input labelled
    assert "<script>" not in html  # nothing inline (CSP)


def test_signup_leads_to_onboarding_and_the_creator_becomes_owner(client):
    # sign up
    response = client.post(
        reverse("account_signup"),
        {
            "name": "Fran Founder",
            "email": "Founder@Example.com",
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("onboarding")
    assert "Create your practice" in client.get(response["Location"]).content.decode()

    # create the practice
    created = client.post(
        reverse("onboarding"),
        {
            "name": "Founder IT Advisors",
            "currency": "EUR",
            "time_zone": "Europe/Berlin",
            "fiscal_year_start_month": 4,
        },
    )

    practice = Practice.objects.get(name="Founder IT Advisors")
    assert created.status_code == 302
    assert created["Location"] == reverse("practice_home", kwargs={"practice_slug": practice.slug})
    assert (practice.currency, practice.time_zone, practice.fiscal_year_start_month) == (
        "EUR",
        "Europe/Berlin",
        4,
    )
    user = User.objects.get(email="founder@example.com")
    assert Membership.objects.get(practice=practice, user=user).role == Role.OWNER
    page = client.get(created["Location"], follow=True)
    assert page.status_code == 200
    assert "Welcome to Founder IT Advisors" in page.content.decode()


def test_home_sends_a_user_without_practice_to_onboarding(client):
    client.post(
        reverse("account_signup"),
        {
            "name": "Sol Solo",
            "email": "solo@example.com",
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
        },
    )
    assert client.get("/")["Location"] == reverse("onboarding")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Short-1a", "at least 10 characters"),
        ("password123", "too common"),
        ("8172635490123", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused_with_a_field_error(client, password, message):
    response = client.post(
        reverse("account_signup"), {"email": "weak@example.com", "password1": password, "password2": password}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'class="invalid-feedback d-block"' in response.content.decode()
    assert not User.objects.filter(email="weak@example.com").exists()


def test_signup_with_invalid_email_is_a_field_error(client):
    response = client.post(
        reverse("account_signup"), {"email": "nope", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()


def test_eleventh_failed_login_in_a_row_is_rate_limited(client, owner_a):
    for _ in range(10):
        response = client.post(
            reverse("account_login"), {"login": owner_a.email, "password": "wrong-password!"}
        )
        assert response.status_code == 200
        assert "not correct" in response.content.decode()

    # the 11th attempt is refused even with the right password
    response = client.post(reverse("account_login"), {"login": owner_a.email, "password": PASSWORD})

    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_successful_login_works_after_a_few_failures(client, owner_a):
    for _ in range(3):
        client.post(reverse("account_login"), {"login": owner_a.email, "password": "wrong-password!"})
    response = client.post(reverse("account_login"), {"login": owner_a.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner_a.pk)


def test_password_reset_sends_an_email(client, owner_a, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": owner_a.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_password_change_page_renders_in_product_style(as_owner_a):
    html = as_owner_a.get(reverse("account_change_password")).content.decode()
    assert 'class="form-control' in html
    assert "auth-card" in html


# --- require two-factor ---------------------------------------------------------------------------------


@pytest.fixture
def two_factor_practice(practice_a):
    practice_a.require_two_factor = True
    practice_a.save()
    return practice_a


def test_without_totp_a_member_reaches_only_setup_and_logout(
    two_factor_practice, consultant_a, client_a1, login
):
    http = login(consultant_a)
    setup = reverse("mfa_activate_totp")
    blocked = [
        "/",
        reverse("clients:list", kwargs={"practice_slug": "alpha"}),
        reverse("clients:overview", kwargs={"practice_slug": "alpha", "client_pk": client_a1.pk}),
        reverse("clients:contacts", kwargs={"practice_slug": "alpha", "client_pk": client_a1.pk}),
        reverse("onboarding"),
        reverse("account_change_password"),
    ]
    for path in blocked:
        response = http.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == setup, path
    # writes are stopped too
    assert (
        http.post(reverse("clients:create", kwargs={"practice_slug": "alpha"}), {"name": "X"})["Location"]
        == setup
    )
    # the API with the browser session: refused
    api = http.get("/api/v1/clients/")
    assert api.status_code == 403
    assert client_a1.name not in api.content.decode()

    # the set-up pages and logout are reachable
    assert http.get(reverse("mfa_index")).status_code == 200
    setup_page = http.get(setup)
    assert setup_page.status_code in (200, 302)
    if setup_page.status_code == 302:  # allauth asks for the password again first
        assert setup_page["Location"].startswith(reverse("account_reauthenticate"))
        assert http.get(setup_page["Location"]).status_code == 200
    assert http.get(reverse("account_logout")).status_code == 200


def test_after_activating_totp_the_member_gets_through(two_factor_practice, consultant_a, client_a1, login):
    http = login(consultant_a)
    assert http.get(reverse("clients:list", kwargs={"practice_slug": "alpha"})).status_code == 302

    TOTP.activate(consultant_a, generate_totp_secret())
    assert Authenticator.objects.filter(user=consultant_a, type=Authenticator.Type.TOTP).exists()

    assert http.get(reverse("clients:list", kwargs={"practice_slug": "alpha"})).status_code == 200
    assert (
        http.get(
            reverse("clients:overview", kwargs={"practice_slug": "alpha", "client_pk": client_a1.pk})
        ).status_code
        == 200
    )
    assert http.get("/api/v1/clients/").status_code == 200


def test_turning_the_rule_on_catches_signed_in_members_on_their_next_page_of_the_practice(
    practice_a, consultant_a, client_a1, login
):
    http = login(consultant_a)
    list_url = reverse("clients:list", kwargs={"practice_slug": "alpha"})
    assert http.get(list_url).status_code == 200  # "nothing required" is now kept in the session
    practice_a.require_two_factor = True
    practice_a.save()
    for path in (
        list_url,
        reverse("clients:overview", kwargs={"practice_slug": "alpha", "client_pk": client_a1.pk}),
    ):
        assert http.get(path)["Location"] == reverse("mfa_activate_totp"), path


def test_outside_the_practice_the_rule_applies_within_a_minute(practice_a, consultant_a, login):
    from accounts.two_factor import RECHECK_SECONDS, SESSION_KEY

    http = login(consultant_a)
    password_url = reverse("account_change_password")
    assert http.get(password_url).status_code == 200  # the answer is kept for RECHECK_SECONDS
    practice_a.require_two_factor = True
    practice_a.save()
    session = http.session
    session[SESSION_KEY]["until"] -= RECHECK_SECONDS  # a minute later
    session.save()
    assert http.get(password_url)["Location"] == reverse("mfa_activate_totp")


def test_the_rule_costs_no_query_while_nothing_is_required(practice_a, consultant_a, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    http = login(consultant_a)
    list_url = reverse("clients:list", kwargs={"practice_slug": "alpha"})
    http.get(list_url)
    with CaptureQueriesContext(connection) as ctx:
        assert http.get(list_url).status_code == 200
    assert not [q for q in ctx.captured_queries if "mfa_authenticator" in q["sql"]]


def test_two_factor_not_required_lets_members_in(practice_a, consultant_a, login):
    assert (
        login(consultant_a).get(reverse("clients:list", kwargs={"practice_slug": "alpha"})).status_code == 200
    )


def test_owner_turns_on_required_two_factor_in_settings(as_owner_a, practice_a):
    data = {
        "name": practice_a.name,
        "brand_colour": "#1f6feb",
        "currency": "USD",
        "time_zone": "UTC",
        "fiscal_year_start_month": 1,
        "require_two_factor": "on",
    }
    response = as_owner_a.post(reverse("accounts:settings", kwargs={"practice_slug": "alpha"}), data)
    assert response.status_code == 302
    practice_a.refresh_from_db()
    assert practice_a.require_two_factor
    # and the owner (without TOTP) is now sent to set it up
    assert as_owner_a.get(reverse("clients:list", kwargs={"practice_slug": "alpha"}))["Location"] == reverse(
        "mfa_activate_totp"
    )


def test_signup_asks_for_the_display_name_used_everywhere(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "none"
    response = client.post(
        reverse("account_signup"),
        {
            "name": "Dana Whitfield",
            "email": "dana@example.com",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="dana@example.com")
    assert user.name == "Dana Whitfield" and user.display_name == "Dana Whitfield"
    from django.test import Client

    missing = Client().post(
        reverse("account_signup"),
        {
            "name": "",
            "email": "x@example.com",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    assert missing.status_code == 200 and not User.objects.filter(email="x@example.com").exists()


def test_profile_page_changes_the_name_and_links_to_email_change(login):
    from tests.factories import UserFactory

    user = UserFactory(email="p@example.com", name="", first_name="", last_name="")
    http = login(user)
    page = http.get(reverse("profile")).content.decode()
    assert reverse("account_email") in page and reverse("mfa_index") in page
    assert http.post(reverse("profile"), {"name": "   "}).status_code == 200
    assert http.post(reverse("profile"), {"name": " Pat   Lee "}).status_code == 302
    user.refresh_from_db()
    assert user.name == "Pat Lee"
    assert "Pat Lee" in http.get(reverse("profile")).content.decode()
