"""The client's address behind zero or more trusted proxies (`TRUSTED_PROXY_COUNT`), and the rate
limits that count by it: allauth's login limit and the API's anonymous throttle (issue 8, item 2)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import PASSWORD
from vcio.client_ip import client_ip

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
SCHEMA = "/api/schema/?format=json"
LOGIN_LIMIT_PER_IP = 30  # ACCOUNT_RATE_LIMITS["login_failed"]: 30/5m/ip


def _request(remote="192.0.2.10", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "expected"),
    [
        (0, "192.0.2.10", None, "192.0.2.10"),
        (0, "192.0.2.10", "203.0.113.5", "192.0.2.10"),  # no proxy: the header is the client's word
        (1, PROXY, "203.0.113.5", "203.0.113.5"),
        (1, PROXY, "1.2.3.4, 203.0.113.5", "203.0.113.5"),  # the client wrote 1.2.3.4
        (1, PROXY, "1.2.3.4,203.0.113.5:51234", "203.0.113.5"),
        (1, PROXY, "[2001:db8::7]:443", "2001:db8::7"),
        (2, PROXY, "1.2.3.4, 203.0.113.5, 10.0.0.3", "203.0.113.5"),
        (2, PROXY, "203.0.113.5", "203.0.113.5"),  # fewer hops than proxies: the leftmost
        (1, PROXY, None, PROXY),  # straight to the app
        (1, PROXY, "not-an-address", PROXY),  # never a free-form key
        (1, PROXY, " , ", PROXY),
    ],
)
def test_client_ip(settings, count, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(_request(remote, forwarded)) == expected


def test_the_default_trusts_no_proxy(settings):
    assert settings.TRUSTED_PROXY_COUNT == 0


# --- allauth's login rate limit ------------------------------------------------------------------


def _fail_logins(client, n, **headers):
    for i in range(n):
        client.post(
            reverse("account_login"), {"login": f"nobody{i}@example.com", "password": "wrong!"}, **headers
        )


def _rate_limited(response) -> bool:
    return response.status_code == 429 or "Too many failed login attempts" in response.content.decode()


def _login(client, user, **headers):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}, **headers)


def test_behind_a_proxy_one_attacker_does_not_lock_everyone_out(settings, client, owner_a, admin_a):
    settings.TRUSTED_PROXY_COUNT = 1
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    _fail_logins(client, LOGIN_LIMIT_PER_IP, **attacker)

    # the attacker's own address is locked out, even with someone's right password…
    assert _rate_limited(_login(client, admin_a, **attacker))
    assert "_auth_user_id" not in client.session

    # …and a prefix the attacker writes into the header does not get them a fresh budget…
    spoofed = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.66"}
    assert _rate_limited(_login(client, admin_a, **spoofed))

    # …but everybody else, through the same proxy, still signs in
    response = _login(client, owner_a, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner_a.pk)


def test_without_a_proxy_a_rotating_forwarded_header_does_not_escape_the_login_limit(client, owner_a):
    for i in range(LOGIN_LIMIT_PER_IP):
        client.post(
            reverse("account_login"),
            {"login": f"nobody{i}@example.com", "password": "wrong!"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
        )

    response = _login(client, owner_a, HTTP_X_FORWARDED_FOR="203.0.113.200")

    assert _rate_limited(response)
    assert "_auth_user_id" not in client.session


# --- the API's anonymous throttle ----------------------------------------------------------------


@pytest.fixture
def anon_rate(settings):
    def set_rate(rate):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": rate},
        }

    return set_rate


def test_without_a_proxy_rotating_x_forwarded_for_does_not_defeat_the_anonymous_limit(anon_rate, client):
    anon_rate("2/min")
    for i in range(2):
        assert client.get(SCHEMA, HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code == 200

    response = client.get(SCHEMA, HTTP_X_FORWARDED_FOR="198.51.100.99")

    assert response.status_code == 429
    assert set(response.json()) == {"detail"}


def test_behind_a_proxy_the_anonymous_limit_is_per_client(settings, anon_rate, client):
    settings.TRUSTED_PROXY_COUNT = 1
    anon_rate("2/min")
    first = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    for _ in range(2):
        assert client.get(SCHEMA, **first).status_code == 200
    assert client.get(SCHEMA, **first).status_code == 429
    # a prefix the client writes itself changes nothing
    spoofed = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "1.1.1.1, 203.0.113.5"}
    assert client.get(SCHEMA, **spoofed).status_code == 429

    # another client behind the same proxy has its own budget
    other = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert client.get(SCHEMA, **other).status_code == 200
