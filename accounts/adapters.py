from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from vcio.client_ip import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_signup_redirect_url(self, request):
        """Sign-up leads to creating a practice (unless an invitation brought the user here)."""
        pending = request.session.get("pending_invitation")
        if pending:
            return reverse("invitation_accept", kwargs={"token": pending})
        return reverse("onboarding")

    def get_client_ip(self, request):
        """Login, sign-up and password-reset rate limits count by this address: the one
        `TRUSTED_PROXY_COUNT` says our proxy saw, never a client-supplied `X-Forwarded-For`."""
        return client_ip(request)
