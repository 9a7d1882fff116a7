"""A client's portal users: who can see the client's read-only portal, invitations, removal.

Thin views: access through ClientPageMixin (member management to write), objects through the
scoped lookup, writes through `portal_services`."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, View

from accounts.access import Perm
from accounts.member_forms import PortalInvitationForm
from accounts.member_views import invitation_action
from accounts.models import Invitation
from vcio.forms import run_service

from . import portal_services, selectors
from .mixins import ClientPageMixin
from .models import Contact, PortalAccess


class PortalAccessView(ClientPageMixin, FormView):
    """Who can see this client's portal; invite an executive (POST)."""

    template_name = "clients/portal_access.html"
    form_class = PortalInvitationForm
    tab = "portal_access"
    read_perm = Perm.VIEW
    write_perm = Perm.MANAGE_MEMBERS

    @cached_property
    def executives(self) -> list[tuple[str, str]]:
        """(name, e-mail) of the client's executives: suggestions for the invitation field."""
        return list(
            Contact.objects.for_client(self.client_obj)
            .filter(is_executive=True)
            .exclude(email="")
            .values_list("name", "email")
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "executives": self.executives}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            now=timezone.now(),
            accesses=selectors.portal_users(client=self.client_obj),
            invitations=selectors.pending_portal_invitations(client=self.client_obj),
            executives=self.executives,
        )
        return ctx

    def form_valid(self, form):
        result = run_service(
            form,
            portal_services.portal_invitation_create,
            client=self.client_obj,
            actor=self.request.user,
            email=form.cleaned_data["email"],
            base_url=self.request.build_absolute_uri("/"),
        )
        if result is None:
            return self.form_invalid(form)
        messages.success(self.request, f"Portal invitation sent to {result[0].email}.")
        return redirect(portal_access_url(self))


def portal_access_url(view) -> str:
    return reverse(
        "clients:portal_access",
        kwargs={"practice_slug": view.practice.slug, "client_pk": view.client_obj.pk},
    )


class PortalInvitationActionView(ClientPageMixin, View):
    http_method_names = ["post"]
    write_perm = Perm.MANAGE_MEMBERS
    action = "resend"

    def post(self, request, *args, **kwargs):
        invitation = self.scoped(Invitation, kwargs["invitation_pk"])
        invitation.practice, invitation.client = self.practice, self.client_obj
        invitation_action(request, invitation, self.action)
        return redirect(portal_access_url(self))


class PortalAccessRemoveView(ClientPageMixin, View):
    http_method_names = ["post"]
    write_perm = Perm.MANAGE_MEMBERS

    def post(self, request, *args, **kwargs):
        access = self.scoped(PortalAccess.objects.select_related("user"), kwargs["access_pk"])
        access.practice = self.practice
        portal_services.portal_access_remove(access=access, actor=request.user)
        messages.success(request, f"{access.user.email} can no longer see {self.client_obj.name}'s portal.")
        return redirect(portal_access_url(self))
