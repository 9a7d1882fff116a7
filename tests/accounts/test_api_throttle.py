"""API rate limits: per API key, per signed-in user, per IP without credentials; 429 in the API's
error format with Retry-After."""

import time
from unittest import mock

import pytest

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"
CLIENTS = "/api/v1/clients/"


@pytest.fixture
def rates(settings):
    """`rates(api_key=..., user=..., anon=...)`: override the configured rates for this test."""

    def set_rates(**overrides):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **overrides},
        }

    return set_rates


def assert_throttled(response):
    assert response.status_code == 429
    body = response.json()
    assert set(body) == {"detail"} and "throttled" in body["detail"]
    assert 0 < int(response["Retry-After"]) <= 60


def test_defaults_come_from_settings(settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert rates == {"api_key": "1200/hour", "user": "1200/hour", "anon": "60/min"}


def test_the_request_after_the_limit_of_a_key_gets_429_and_other_keys_still_work(
    rates, api, api_key_a, read_only_key_a, api_key_b
):
    rates(api_key="3/min")
    http = api(api_key_a[1])
    for _ in range(3):
        assert http.get(ME).status_code == 200

    assert_throttled(http.get(CLIENTS))
    assert_throttled(http.post(CLIENTS, {"name": "Too many"}, content_type="application/json"))

    # every key has its own budget, also within the same practice
    assert api(read_only_key_a[1]).get(ME).status_code == 200
    assert api(api_key_b[1]).get(ME).status_code == 200


def test_the_request_after_the_limit_of_a_session_user_gets_429(
    rates, as_owner_a, as_admin_a, api, api_key_a
):
    rates(user="2/min")
    for _ in range(2):
        assert as_owner_a.get(ME, HTTP_X_PRACTICE="alpha").status_code == 200

    assert_throttled(as_owner_a.get(ME, HTTP_X_PRACTICE="alpha"))

    assert as_admin_a.get(ME, HTTP_X_PRACTICE="alpha").status_code == 200  # another person
    assert api(api_key_a[1]).get(ME).status_code == 200  # a key is not a user


def test_anonymous_requests_are_limited_per_ip(rates, client):
    rates(anon="2/min")
    for _ in range(2):
        assert client.get("/api/schema/?format=json").status_code == 200

    assert_throttled(client.get("/api/schema/?format=json"))
    assert client.get("/api/schema/?format=json", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_a_throttled_write_changes_nothing(rates, api, api_key_a):
    from clients.models import Client

    rates(api_key="1/min")
    http = api(api_key_a[1])
    assert http.get(ME).status_code == 200

    assert_throttled(http.post(CLIENTS, {"name": "Refused"}, content_type="application/json"))
    assert not Client.objects.filter(name="Refused").exists()


def test_a_new_window_begins_one_period_after_the_first_request(rates, api, api_key_a):
    from accounts.api_throttles import ApiKeyRateThrottle

    rates(api_key="2/min")
    http = api(api_key_a[1])
    started = time.time()
    assert [http.get(ME).status_code for _ in range(3)] == [200, 200, 429]
    with mock.patch.object(ApiKeyRateThrottle, "timer", lambda self: started + 59):
        answer = http.get(ME)
        assert answer.status_code == 429 and int(answer["Retry-After"]) <= 2
    with mock.patch.object(ApiKeyRateThrottle, "timer", lambda self: started + 61):
        assert [http.get(ME).status_code for _ in range(3)] == [200, 200, 429]
