from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def get_signup_redirect_url(self, request):
        """Sign-up leads to creating a practice (unless an invitation brought the user here)."""
        pending = request.session.get("pending_invitation")
        if pending:
            return reverse("invitation_accept", kwargs={"token": pending})
        return reverse("onboarding")
