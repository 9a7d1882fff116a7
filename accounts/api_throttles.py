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


class _LiveRateThrottle(SimpleRateThrottle):
    def get_rate(self):
        # Throttles are made afresh for each request, so this reads the setting as it is now.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        # DRF's own would take the whole X-Forwarded-For (client-supplied) when NUM_PROXIES is unset.
        return client_ip(request)


class ApiKeyRateThrottle(_LiveRateThrottle):
    """Each API key has its own budget, whatever the practice's other keys do."""

    scope = "api_key"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


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
