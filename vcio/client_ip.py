"""The client's IP address, the one way: login rate limits (allauth) and API throttles (DRF) count by it.

`TRUSTED_PROXY_COUNT` (setting, default 0) is the number of reverse proxies in front of the app that
we run ourselves, each appending the address it received the request from to `X-Forwarded-For`:

- 0 (no proxy, the local default): the connecting address (`REMOTE_ADDR`); `X-Forwarded-For` is
  ignored, since anyone can send it.
- n >= 1: the n-th address from the right of `X-Forwarded-For` — the one our outermost proxy saw.
  Everything left of it was written by the client and is never trusted. (If the header holds fewer
  entries than expected, the leftmost is used: the request passed fewer proxies than configured.)

An address that does not parse falls back to `REMOTE_ADDR`, so a malformed header never becomes a
free-form rate-limit key.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _clean(value: str | None) -> str | None:
    """The address in `value` (without a port or IPv6 brackets), normalised; None if it is not one."""
    if not value:
        return None
    value = value.strip()
    if value.startswith("["):  # "[2001:db8::1]:443"
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:  # "203.0.113.7:51234"
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The client's address for rate limiting (a Django or DRF request)."""
    meta = request.META
    remote = _clean(meta.get("REMOTE_ADDR")) or "0.0.0.0"  # noqa: S104 - a key, not a bind address
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded:
        return remote
    hops = [hop for hop in (part.strip() for part in forwarded.split(",")) if hop]
    if not hops:
        return remote
    return _clean(hops[-min(count, len(hops))]) or remote
