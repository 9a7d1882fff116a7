"""API rate limits (DRF throttles), counted in the cache (Redis when `REDIS_URL` is set, else per
process):

- per API key (`api_key` scope, keyed by the key's id): `API_THROTTLE_RATE`, default 1200/hour;
- per signed-in user of a browser session (`user` scope): the same rate;
- per IP address for anonymous requests (`anon` scope; e.g. the schema): `API_ANON_THROTTLE_RATE`,
  default 60/min. The address is `vcio.client_ip.client_ip` (honouring `TRUSTED_PROXY_COUNT`), the
  same as for login rate limits: a client-supplied `X-Forwarded-For` never changes it.

Over the limit: `429 {"detail": "…"}` with a `Retry-After` header (seconds).

The rates are read from `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]` on every request, not once at
import time as DRF's `SimpleRateThrottle.THROTTLE_RATES` does, so a changed setting (a test's
override) applies at once.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from vcio.client_ip import client_ip

from .models import ApiKey


def count_in_window(cache, key: str, seconds: int, now: float) -> tuple[int, float]:
    """(the count of `key`'s window with one more event, the seconds the window has left): with
    Redis one round trip (`vcio.cache.RedisCache.count_in_window`); with another cache (the
    local-memory one of tests and single-process set-ups) a (start, count) pair read and written."""
    if hasattr(cache, "count_in_window"):
        return cache.count_in_window(key, seconds)
    since, count = cache.get(key) or (now, 0)
    if now - since >= seconds:
        since, count = now, 0
    left = seconds - (now - since)
    cache.set(key, (since, count + 1), left)
    return count + 1, left


class _LiveRateThrottle(SimpleRateThrottle):
    """A rate of n requests per period, counted in a window that starts with a key's first request
    and lasts one period: the requests of the window are counted in the cache, one number and one
    round trip per request whatever the rate (DRF's own keeps each request's time, reads and
    writes them all on every request). Refused requests are counted too, which changes nothing: the
    window ends when it ends, and `Retry-After` says when."""

    cache_format = "api-rate:%(scope)s:%(ident)s"  # not DRF's: its keys hold lists of times

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        counted = getattr(request._request, "rate_counted", None)  # by the key's lookup (api_auth)
        if counted is not None and counted[0] == self.key:
            count, self._left = counted[1:]
        else:
            count, self._left = count_in_window(self.cache, self.key, self.duration, self.timer())
        return count <= self.num_requests

    def wait(self):
        return max(self._left, 1)

    def get_rate(self):
        # Throttles are made afresh for each request, so this reads the setting as it is now.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        # DRF's own would take the whole X-Forwarded-For (client-supplied) when NUM_PROXIES is unset.
        return client_ip(request)


class ApiKeyRateThrottle(_LiveRateThrottle):
    """Each API key has its own budget, whatever the practice's other keys do: counted under the
    key's hash, which its lookup knows before it finds the key — with Redis, finding the key and
    counting the request are one round trip (`accounts.api_auth.find_key`)."""

    scope = "api_key"

    @classmethod
    def counter(cls, key_hash: str) -> tuple[str, int] | None:
        """(the cache key counting `key_hash`'s requests, the window's seconds); None: no limit."""
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(cls.scope)
        if rate is None:
            return None
        _, seconds = cls.parse_rate(cls, rate)
        return cls.cache_format % {"scope": cls.scope, "ident": key_hash}, seconds

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.key_hash}


class SessionUserRateThrottle(_LiveRateThrottle):
    """Each signed-in person (browser session) has their own budget."""

    scope = "user"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiKey) or not request.user or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class AnonymousRateThrottle(_LiveRateThrottle):
    """Requests without credentials, per client IP address."""

    scope = "anon"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
