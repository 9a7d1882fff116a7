"""Who may do what — the one place roles are enforced, for pages and the API alike.

Every practice page resolves the practice from the URL, the user's membership and role once per
request through `PracticeMixin` / `ClientMixin` (class views) or `attach_practice` (function views). Another
practice's objects are 404s; a role that may not act gets a 403 and nothing changes.
"""

import zoneinfo
from enum import StrEnum

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import Client, Membership, Practice, Role


class Perm(StrEnum):
    VIEW = "view"  # read anything of the practice
    EDIT = "edit"  # all client work
    MANAGE_MEMBERS = "manage_members"  # invite, change roles, remove (not owners)
    MANAGE_OWNERS = "manage_owners"  # promote to / demote from / remove owners
    MANAGE_SETTINGS = "manage_settings"  # practice settings, branding, API keys
    DELETE_PRACTICE = "delete_practice"


ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.OWNER: frozenset(Perm),
    Role.ADMIN: frozenset({Perm.VIEW, Perm.EDIT, Perm.MANAGE_MEMBERS, Perm.MANAGE_SETTINGS}),
    Role.CONSULTANT: frozenset({Perm.VIEW, Perm.EDIT}),
    Role.VIEWER: frozenset({Perm.VIEW}),
}


def role_can(role: str, perm: Perm) -> bool:
    return perm in ROLE_PERMS.get(role, frozenset())


def can_manage_role(actor_role: str, role: str) -> bool:
    """May someone with `actor_role` invite to, grant, take away or remove `role`? Owners are managed
    by owners only (MANAGE_OWNERS); every other role by whoever may manage members."""
    return role_can(actor_role, Perm.MANAGE_OWNERS if role == Role.OWNER else Perm.MANAGE_MEMBERS)


def require(membership: Membership, perm: Perm) -> None:
    if not role_can(membership.role, perm):
        raise PermissionDenied(f"Your role ({membership.get_role_display()}) may not do this.")


def resolve_membership(user, slug: str) -> Membership:
    """The user's membership of the practice with this slug, or 404 (also for non-members)."""
    if not user.is_authenticated:
        raise Http404
    try:
        return Membership.objects.select_related("practice", "user").get(practice__slug=slug, user=user)
    except Membership.DoesNotExist:
        raise Http404("No such practice.") from None


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def attach_practice(request, slug: str, read_perm: Perm = Perm.VIEW, write_perm: Perm = Perm.EDIT):
    """Resolve and check once; afterwards `request.practice`, `request.membership`, `request.can`."""
    membership = resolve_membership(request.user, slug)
    request.membership = membership
    request.practice: Practice = membership.practice
    request.can = {p.value: role_can(membership.role, p) for p in Perm}
    require(membership, read_perm if request.method in SAFE_METHODS else write_perm)
    request.session["current_practice"] = membership.practice.slug
    activate_practice_timezone(membership.practice)
    return membership


def activate_practice_timezone(practice: Practice) -> None:
    """Show times in the practice's time zone for the rest of this request (reset by
    `clients.middleware.PracticeTimezoneMiddleware`, which wraps every request)."""
    try:
        timezone.activate(zoneinfo.ZoneInfo(practice.time_zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        timezone.deactivate()


class PracticeMixin(LoginRequiredMixin):
    """For every practice page. Set `read_perm` / `write_perm` to tighten a view."""

    read_perm: Perm = Perm.VIEW
    write_perm: Perm = Perm.EDIT
    nav = "clients"  # the sidebar entry to highlight

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        attach_practice(request, kwargs["practice_slug"], self.read_perm, self.write_perm)
        self.practice = request.practice
        self.membership = request.membership
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["practice"] = self.practice
        ctx["membership"] = self.membership
        ctx.setdefault("nav", self.nav)
        return ctx


class ClientMixin(PracticeMixin):
    """For every page under a client: the client comes from the practice-scoped queryset or 404."""

    client_select_related = ("primary_consultant",)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        attach_practice(request, kwargs["practice_slug"], self.read_perm, self.write_perm)
        self.practice = request.practice
        self.membership = request.membership
        self.client_obj = get_client_or_404(self.practice, kwargs["client_pk"], *self.client_select_related)
        request.client_obj = self.client_obj
        return super(PracticeMixin, self).dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["client"] = self.client_obj
        return ctx


def get_client_or_404(practice: Practice, pk, *select_related) -> Client:
    qs = Client.objects.for_practice(practice)
    if select_related:
        qs = qs.select_related(*select_related)
    return get_object_or_404(qs, pk=pk)
