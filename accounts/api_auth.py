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
from django.contrib.auth.models import AnonymousUser
from django.dispatch import receiver
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.permissions import SAFE_METHODS, BasePermission
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from vcio.tenancy import activate_practice, all_practices

from .access import Perm, role_can
from .models import ApiKey, Membership, Role

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
        # The key names its practice: found by its hash across practices (the one audited way).
        with all_practices("API key lookup by hash"):
            key = (
                ApiKey.objects.all_practices()
                .select_related("practice")
                .filter(key_hash=hash_key(raw))
                .first()
            )
        now = timezone.now()
        if key is None or key.revoked_at is not None:
            raise exceptions.AuthenticationFailed("Invalid or revoked API key.")
        if key.expires_at is not None and key.expires_at <= now:
            raise exceptions.AuthenticationFailed("This API key has expired.")
        request._request.practice = key.practice
        activate_practice(key.practice)  # its rows only (RLS), dates in the practice's zone
        if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
            ApiKey.objects.for_practice(key.practice_id).filter(pk=key.pk).update(last_used_at=now)
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
