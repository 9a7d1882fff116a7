"""Require two-factor authentication where a practice demands it."""

from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect
from django.urls import reverse

from .models import Membership

ALWAYS_ALLOWED_PREFIXES = ("/static/", "/media/", "/healthz", "/api/")


class RequireTwoFactorMiddleware:
    """A member of a practice with "require two-factor" on, who has no TOTP authenticator, reaches
    nothing but the two-factor set-up pages (and e-mail verification, which allauth requires before
    activating TOTP) and logout until they have one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_set_up(request):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def _allowed_paths() -> tuple[str, ...]:
        return (
            reverse("account_logout"),
            reverse("account_email"),  # a verified address is needed before allauth activates TOTP
            "/accounts/confirm-email/",
            "/accounts/2fa/",
            "/accounts/reauthenticate/",
            *ALWAYS_ALLOWED_PREFIXES,
        )

    def _must_set_up(self, request) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if request.path.startswith(self._allowed_paths()):
            return False
        has_totp = Authenticator.objects.filter(user=OuterRef("user"), type=Authenticator.Type.TOTP)
        return (
            Membership.objects.filter(user=user, practice__require_two_factor=True)
            .annotate(has_totp=Exists(has_totp))
            .filter(has_totp=False)
            .exists()
        )
