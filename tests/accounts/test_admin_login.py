"""The Django admin signs in through the app's login (allauth): its rate limits and its two-factor
step apply; `/admin/login/` itself never checks a password (issue 8, item 1)."""

import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ADMIN = "/admin/"


@pytest.fixture
def superuser():
    return UserFactory(email="root@example.com", is_staff=True, is_superuser=True)


def _current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def _login_url_of_admin(client) -> str:
    """Follow the redirects an anonymous visit to /admin/ gets, to the page that asks for a password."""
    response = client.get(ADMIN, follow=True)
    assert response.status_code == 200
    return response.redirect_chain[-1][0]


def _post_credentials(client, url, email, password):
    # both field names: `login` (allauth) and `username` (Django's own admin form)
    return client.post(url, {"login": email, "username": email, "password": password})


def test_an_anonymous_visit_to_the_admin_goes_to_the_app_login(client):
    url = _login_url_of_admin(client)

    assert url.startswith(reverse("account_login"))
    assert "next=%2Fadmin%2F" in url


def test_a_password_posted_to_the_admin_login_opens_no_session(client, superuser):
    response = _post_credentials(client, "/admin/login/?next=/admin/", superuser.email, PASSWORD)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    assert client.get(ADMIN).status_code == 302


def test_password_alone_does_not_open_the_admin_for_a_totp_user(client, superuser):
    secret = generate_totp_secret()
    TOTP.activate(superuser, secret)

    # the password, on whichever login page the admin leads to: no session yet
    url = _login_url_of_admin(client)
    response = _post_credentials(client, url, superuser.email, PASSWORD)
    assert "_auth_user_id" not in client.session
    assert client.get(ADMIN).status_code == 302

    # allauth asks for the code; with it, the admin opens
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": _current_code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(superuser.pk)
    assert client.get(ADMIN).status_code == 200


def test_the_admin_login_is_rate_limited_like_the_app(client, superuser):
    url = _login_url_of_admin(client)
    for _ in range(10):
        _post_credentials(client, url, superuser.email, "wrong-password!")

    # the 11th attempt is refused even with the right password
    response = _post_credentials(client, url, superuser.email, PASSWORD)

    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(ADMIN).status_code == 302


def test_a_signed_in_user_without_staff_gets_no_admin(client, login, owner_a):
    superuser_without_staff = UserFactory(email="super@example.com", is_superuser=True, is_staff=False)

    for user in (owner_a, superuser_without_staff):
        http = login(user)
        assert http.get(ADMIN, follow=True).status_code == 403
        assert http.get("/admin/accounts/user/").status_code != 200


def test_staff_signed_in_through_the_app_reaches_the_admin(client, superuser):
    response = client.post(
        reverse("account_login") + "?next=/admin/", {"login": superuser.email, "password": PASSWORD}
    )

    assert response.status_code == 302 and response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200
