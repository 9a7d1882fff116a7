"""Require two-factor authentication where a practice demands it."""

from django.shortcuts import redirect
from django.urls import reverse

from vcio.row_urls import row_reverse

from .two_factor import must_set_up

ALWAYS_ALLOWED_PREFIXES = ("/static/", "/media/", "/healthz", "/api/")


class RequireTwoFactorMiddleware:
    """A member of a practice with "require two-factor" on, who has no TOTP authenticator, reaches
    nothing but the two-factor set-up pages (and e-mail verification, which allauth requires before
    activating TOTP) and logout until they have one. The answer is kept in the session for a minute
    while nothing is required (`accounts.two_factor`); practice pages also check their own practice
    (`accounts.access.PracticeMixin`), so turning the rule on takes effect on the next page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_set_up(request):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def _allowed_paths() -> tuple[str, ...]:
        return (
            row_reverse("account_logout"),
            row_reverse("account_email"),  # a verified address is needed before allauth activates TOTP
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
        return must_set_up(request)
