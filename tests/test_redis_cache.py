"""The Redis cache backend (`vcio.cache`): Django's, keeping one client per connection pool — against
a real Redis (CI sets REDIS_TEST_URL), with the API's rate limit counted in it."""

import os
import time
import uuid

import pytest
from django.core.cache import caches

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not os.environ.get("REDIS_TEST_URL"), reason="REDIS_TEST_URL not set (CI sets it)"),
]


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "vcio.cache.RedisCache",
            "LOCATION": os.environ["REDIS_TEST_URL"],
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",  # this test's keys only
        }
    }
    cache = caches["default"]
    yield cache
    cache.clear()


def test_one_client_per_pool_serves_every_call(redis_cache):
    client = redis_cache._cache.get_client(write=True)
    redis_cache.set("a", {"n": 1}, 30)
    assert redis_cache.get("a") == {"n": 1}
    assert redis_cache.add("counter", 0, 30)
    assert redis_cache.incr("counter") == 1
    assert redis_cache.get_many(["a", "counter"]) == {"a": {"n": 1}, "counter": 1}
    redis_cache.delete("a")
    assert redis_cache.get("a") is None
    # the same client object for every call: Django's own built a new one each time
    assert redis_cache._cache.get_client(write=True) is client
    assert redis_cache._cache.get_client("a") is redis_cache._cache.get_client("b")


def test_the_api_rate_limit_counts_in_redis(redis_cache, settings, api, api_key_a):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "api_key": "2/min"},
    }
    http = api(api_key_a[1])
    assert [http.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 429]
    # one number in Redis, the refused request included; the window's expiry is set once
    assert redis_cache.get(f"api-rate:api_key:{api_key_a[0].key_hash}") == 3
    answer = http.get("/api/v1/me/")
    assert answer.status_code == 429 and 0 < int(answer["Retry-After"]) <= 60


def test_a_window_counts_from_its_first_event_until_it_expires(redis_cache):
    assert redis_cache.count_in_window("w", 60)[0] == 1
    count, left = redis_cache.count_in_window("w", 60)
    assert count == 2 and 59 < left <= 60
    redis_cache.count_in_window("short", 1)
    time.sleep(1.1)
    assert redis_cache.count_in_window("short", 1)[0] == 1  # a new window


def test_a_counter_without_an_expiry_gets_one(redis_cache):
    redis_cache.set("stuck", 5, None)  # no expiry
    count, left = redis_cache.count_in_window("stuck", 60)
    assert count == 6 and left == 60
    raw = redis_cache._cache.get_client(write=True)
    assert 0 < raw.ttl(redis_cache.make_and_validate_key("stuck")) <= 60


def test_a_cached_key_is_found_and_counted_in_one_round_trip(redis_cache, settings, api, api_key_a):
    """With the key cache on, the key's entry is read and the request counted against its rate limit
    in one Redis transaction (`get_and_count`); the throttle reads that count instead of counting again."""
    from unittest import mock

    settings.API_KEY_CACHE_SECONDS = 60
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "api_key": "3/min"},
    }
    http = api(api_key_a[1])
    with (
        mock.patch.object(type(redis_cache), "count_in_window", side_effect=AssertionError("counted twice")),
        mock.patch.object(type(redis_cache), "get_and_count", wraps=redis_cache.get_and_count) as both,
    ):
        assert [http.get("/api/v1/me/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert both.call_count == 4
    assert redis_cache.get(f"api-rate:api_key:{api_key_a[0].key_hash}") == 4
    assert isinstance(
        redis_cache.get_and_count("vcio:api-key:" + api_key_a[0].key_hash, "x", 60)[0], type(api_key_a[0])
    )
    revoked = api_key_a[0]
    revoked.revoked_at = revoked.created_at
    revoked.save()  # replaces the cached entry by the change's marker: the next request reads the database
    assert http.get("/api/v1/me/").status_code in (401, 403)


def test_a_made_up_key_leaves_no_counter(redis_cache, settings, api):
    """A key that does not exist is refused (401) and its count is not kept: trying made-up keys
    must not leave a counter in Redis for each one."""
    from accounts.api_auth import hash_key

    settings.API_KEY_CACHE_SECONDS = 60
    raw = "vcio_deadbeef_" + "0" * 48
    assert api(raw).get("/api/v1/me/").status_code == 401
    assert redis_cache.get(f"api-rate:api_key:{hash_key(raw)}") is None
    client = redis_cache._cache.get_client(write=True)
    assert not client.keys(f"*api-rate:api_key:{hash_key(raw)}*")
