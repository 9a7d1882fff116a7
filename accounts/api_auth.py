"""API authentication and the one API permission.

- `Authorization: Api-Key <key>` (or `Bearer <key>`): the practice is the key's; a read-only key
  acts as a viewer, a read-write key as a consultant. Revoked, expired or unknown keys get 401.
- Browser session: the practice is `X-Practice: <slug>` or `?practice=<slug>`, else the one the user
  last used in the app; the user's membership role applies (and the practice's "require two-factor").

A key is not a person: audit history of a change made with a key has no user and says
"API key “<name>”" as its reason.
"""

import hashlib
import re
import secrets

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.permissions import SAFE_METHODS, BasePermission
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from vcio.tenancy import activate_practice, all_practices, practice_context

from .access import Perm, role_can
from .models import ApiKey, Membership, Practice, Role

KEY_PREFIX = "vcio"
SLUG_RE = re.compile(r"[-a-zA-Z0-9_]{1,60}")


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def generate_key() -> tuple[str, str]:
    """A new key and its public prefix; the raw key is shown once and never stored."""
    prefix = secrets.token_hex(4)
    return f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}", prefix


class ApiKeyUser:
    """The identity of a request made with an API key (not a person)."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    pk = None
    id = None

    def __init__(self, key: ApiKey):
        self.api_key = key

    def __str__(self):
        return f"API key {self.api_key.name}"


# --- finding a key: by its hash, through the shared cache ------------------------------------------
#
# With `API_KEY_CACHE_SECONDS` (Redis), a key found in the database is kept in the cache with its
# practice. Any save or delete of the key, and any save of its practice, replaces the entry by a
# marker for as long as an entry lives — at once and again when the transaction commits. A request
# that read the key before the change committed adds its copy only where no entry is (`cache.add`),
# so it can never put back what the change invalidated: until the marker expires, the key is read
# from the database. A revoked key is refused by the next request.

CACHE_PREFIX = "vcio:api-key:"
LAST_USED_EVERY = 60  # seconds: a key's `last_used_at` is written at most this often
_CHANGED = "changed"  # the marker


def find_key(key_hash: str, request=None) -> tuple[ApiKey | None, str | None]:
    """(the key with this hash and its practice, or None; the cache entry to `remember_key` it in —
    None when it came from the cache, or when a change's marker is there). With Redis and a
    `request`, the same round trip counts the request against the key's rate limit
    (`ApiKeyRateThrottle`, which then reads the count from `request.rate_counted`)."""
    from .api_throttles import ApiKeyRateThrottle

    seconds = settings.API_KEY_CACHE_SECONDS
    counter = ApiKeyRateThrottle.counter(key_hash) if request is not None else None
    if seconds and counter is not None and hasattr(cache, "get_and_count"):
        entry, count, left = cache.get_and_count(CACHE_PREFIX + key_hash, *counter)
        request.rate_counted = (counter[0], count, left)
    else:
        entry = cache.get(CACHE_PREFIX + key_hash) if seconds else None
    if isinstance(entry, ApiKey):
        return entry, None
    # The key names its practice: found by its hash across practices (the one audited way).
    with all_practices("API key lookup by hash"):
        key = ApiKey.objects.all_practices().select_related("practice").filter(key_hash=key_hash).first()
    if key is None and getattr(request, "rate_counted", None) is not None:
        # No such key: its count is not kept (a client trying made-up keys would otherwise leave a
        # counter in Redis for every one, each for a whole window).
        cache.delete(request.rate_counted[0])
        request.rate_counted = None
    return key, (CACHE_PREFIX + key_hash if seconds and entry is None else None)


def remember_key(entry: str, key: ApiKey, now) -> None:
    """Keep a key read from the database in the cache — where the cache holds nothing — for as long
    as its `last_used_at` stays within the minute, so that a cached copy never asks for that write."""
    age = 0 if key.last_used_at is None else (now - key.last_used_at).total_seconds()
    cache.add(entry, key, max(1, min(settings.API_KEY_CACHE_SECONDS, int(LAST_USED_EVERY - age))))


def forget_keys(key_hashes) -> None:
    """The keys changed (or their practice did): mark their cache entries now and on commit."""
    seconds = settings.API_KEY_CACHE_SECONDS
    entries = {CACHE_PREFIX + h: _CHANGED for h in key_hashes}
    if not seconds or not entries:
        return

    def mark():
        cache.set_many(entries, seconds)

    mark()
    transaction.on_commit(mark)


@receiver(post_save, sender=ApiKey, dispatch_uid="accounts.api_auth.forget_saved_key")
@receiver(post_delete, sender=ApiKey, dispatch_uid="accounts.api_auth.forget_deleted_key")
def _forget_key(sender, instance, created=False, **kwargs):
    if not created:  # a new key is in no cache: misses are not cached
        forget_keys([instance.key_hash])


@receiver(post_save, sender=Practice, dispatch_uid="accounts.api_auth.forget_practice_keys")
def _forget_practice_keys(sender, instance, created, **kwargs):
    if created or not settings.API_KEY_CACHE_SECONDS:
        return
    with practice_context(instance.pk):
        forget_keys(list(ApiKey.objects.for_practice(instance).values_list("key_hash", flat=True)))


class ApiKeyAuthentication(BaseAuthentication):
    keywords = ("api-key", "bearer")

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        keyword, _, raw = header.partition(" ")
        if keyword.lower() not in self.keywords:
            return None
        raw = raw.strip()
        if not raw:
            raise exceptions.AuthenticationFailed("No API key given.")
        key, entry = find_key(hash_key(raw), request._request)
        now = timezone.now()
        if key is None or key.revoked_at is not None:
            raise exceptions.AuthenticationFailed("Invalid or revoked API key.")
        if key.expires_at is not None and key.expires_at <= now:
            raise exceptions.AuthenticationFailed("This API key has expired.")
        request._request.practice = key.practice
        activate_practice(key.practice)  # its rows only (RLS), dates in the practice's zone
        if key.last_used_at is None or (now - key.last_used_at).total_seconds() > LAST_USED_EVERY:
            ApiKey.objects.for_practice(key.practice_id).filter(pk=key.pk).update(last_used_at=now)
            key.last_used_at = now
        if entry is not None:
            remember_key(entry, key, now)
        request._request.api_role = Role.VIEWER if key.read_only else Role.CONSULTANT
        request._request.api_key = key
        return ApiKeyUser(key), key

    def authenticate_header(self, request):
        return 'Api-Key realm="api"'


class PracticeSessionAuthentication(SessionAuthentication):
    """Session auth that answers 401 (not 403) to anonymous requests, via the header below."""

    def authenticate_header(self, request):
        return 'Session realm="api"'


def _session_membership(request):
    user = request.user
    slug = (
        request.headers.get("X-Practice")
        or request.query_params.get("practice")
        or request._request.session.get("current_practice")
    )
    memberships = Membership.objects.select_related("practice").filter(user=user)
    if slug:
        if not SLUG_RE.fullmatch(slug):  # e.g. a NUL character: PostgreSQL would refuse the query
            return None
        return memberships.filter(practice__slug=slug).first()
    return memberships.order_by("created_at").first()


def _has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


@receiver(pre_create_historical_record, dispatch_uid="accounts.api_auth.api_key_history_reason")
def _name_api_key_in_history(sender, history_instance, **kwargs):
    """A change made with an API key records which key made it."""
    request = getattr(HistoricalRecords.context, "request", None)
    key = getattr(request, "api_key", None)
    if key is not None and not history_instance.history_change_reason:
        history_instance.history_change_reason = f"API key “{key.name}”"


class PracticeRolePermission(BasePermission):
    """Every API request acts for one practice with one role. Reads need VIEW, writes need EDIT
    (or `write_perm` on the view)."""

    message = "Your role may not change data through the API."

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        if isinstance(request.auth, ApiKey):
            # DRF also put the ApiKeyUser on the Django request, where the audit history looks for
            # the person acting: there is none (the key is named in the history's reason instead).
            request._request.user = AnonymousUser()
        else:  # a browser session: resolve practice and role once
            membership = _session_membership(request)
            if membership is None:
                raise exceptions.NotFound("You are not a member of that practice.")
            if membership.practice.require_two_factor and not _has_totp(request.user):
                raise exceptions.PermissionDenied("This practice requires two-factor authentication.")
            request._request.practice = membership.practice
            activate_practice(membership.practice)
            request._request.api_role = membership.role
            request._request.membership = membership
        role = request._request.api_role
        needed = (
            getattr(view, "read_perm", Perm.VIEW)
            if request.method in SAFE_METHODS
            else getattr(view, "write_perm", Perm.EDIT)
        )
        return role_can(role, needed)


class ApiKeySchema(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>`; create keys under Settings → API keys.",
        }


class SessionSchema(OpenApiAuthenticationExtension):
    target_class = PracticeSessionAuthentication
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
