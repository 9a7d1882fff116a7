"""API keys kept in the shared cache (`API_KEY_CACHE_SECONDS`, on with Redis): a request with a
cached key reads no key row, and any change to the key or its practice is seen by the very next
request — a revoked or deleted key is refused at once."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.api_auth import CACHE_PREFIX, find_key, forget_keys, hash_key, remember_key
from accounts.apikey_services import api_key_revoke
from accounts.models import ApiKey
from accounts.services import practice_update

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


@pytest.fixture(autouse=True)
def key_cache(settings):
    settings.API_KEY_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def key_reads(client) -> tuple[int, int]:
    """(the answer's status, how many statements read or wrote the key table) of one GET /me/."""
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(ME).status_code
    return status, sum('"accounts_apikey"' in q["sql"] for q in ctx.captured_queries)


def test_a_cached_key_reads_no_key_row(api, api_key_a):
    http = api(api_key_a[1])
    assert key_reads(http) == (200, 2)  # found, and its first use recorded
    assert key_reads(http) == (200, 0)
    assert key_reads(http) == (200, 0)


def test_last_use_is_written_once_a_minute_with_the_cache(api, api_key_a):
    key, raw = api_key_a
    http = api(raw)
    with CaptureQueriesContext(connection) as ctx:
        for _ in range(3):
            assert http.get(ME).status_code == 200
    updates = [q for q in ctx.captured_queries if q["sql"].startswith('UPDATE "accounts_apikey"')]
    assert len(updates) == 1
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_a_revoked_key_is_refused_by_the_next_request(api, api_key_a, owner_a):
    key, raw = api_key_a
    http = api(raw)
    assert http.get(ME).status_code == 200
    assert http.get(ME).status_code == 200  # from the cache
    api_key_revoke(api_key=key, actor=owner_a)
    answer = http.get(ME)
    assert answer.status_code == 401
    assert "revoked" in answer.json()["detail"]


def test_a_deleted_key_is_refused_by_the_next_request(api, api_key_a):
    key, raw = api_key_a
    http = api(raw)
    assert http.get(ME).status_code == 200
    ApiKey.objects.for_practice(key.practice).get(pk=key.pk).delete()
    assert http.get(ME).status_code == 401


def test_a_change_to_the_practice_is_seen_by_the_next_request(api, api_key_a, owner_a, practice_a):
    http = api(api_key_a[1])
    assert http.get(ME).json()["practice"]["name"] == practice_a.name
    practice_update(practice=practice_a, actor=owner_a, name="Alpha Renamed IT")
    assert http.get(ME).json()["practice"]["name"] == "Alpha Renamed IT"


def test_a_copy_read_before_a_change_cannot_replace_its_mark(api_key_a):
    """A request that read the key just before a change committed adds its (old) copy only where the
    cache holds nothing; the change's mark stays, and the key is read from the database."""
    key, raw = api_key_a
    digest = hash_key(raw)
    with mock.patch.object(cache, "get", return_value=None):  # it looked before the change marked
        found, entry = find_key(digest)
    forget_keys([digest])
    remember_key(entry, found, timezone.now())
    assert cache.get(CACHE_PREFIX + digest) == "changed"
    assert find_key(digest)[1] is None  # read from the database, and not to be kept
    cache.delete(CACHE_PREFIX + digest)  # the mark expired
    found, entry = find_key(digest)
    remember_key(entry, found, timezone.now())
    assert find_key(digest) == (found, None)  # from the cache


def test_a_copy_is_kept_while_its_last_use_is_within_the_minute(api_key_a):
    key, raw = api_key_a
    found, entry = find_key(hash_key(raw))
    now = timezone.now()
    found.last_used_at = now - timedelta(seconds=50)
    with mock.patch.object(cache, "add") as add:
        remember_key(entry, found, now)
    assert add.call_args.args[2] == 10  # then read again, and its use written


def test_without_the_setting_nothing_is_cached(api, api_key_a, settings):
    settings.API_KEY_CACHE_SECONDS = 0
    http = api(api_key_a[1])
    http.get(ME)
    assert key_reads(http) == (200, 1)
    assert cache.get(CACHE_PREFIX + api_key_a[0].key_hash) is None
