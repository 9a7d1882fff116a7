"""Who may do what — the one place roles are enforced, for pages and the API alike.

Every practice page resolves the practice from the URL, the user's membership and role once per
request through `PracticeMixin` (class views; `clients.mixins.ClientMixin` extends it for pages
under a client). Another practice's objects are 404s (`vcio.models.scoped_object_or_404`); a role
that may not act gets a 403 and nothing changes.
"""

from enum import StrEnum

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from vcio.prepared import Prepared
from vcio.tenancy import activate_practice

from .models import Membership, Practice, Role
from .two_factor import blocked_by_practice


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
        raise PermissionDenied(refusal_message(membership.get_role_display(), perm))


PERM_ACTIONS = {
    Perm.VIEW: "see this practice",
    Perm.EDIT: "change client work",
    Perm.MANAGE_MEMBERS: "manage this practice's members",
    Perm.MANAGE_OWNERS: "manage this practice's owners",
    Perm.MANAGE_SETTINGS: "change this practice's settings",
    Perm.DELETE_PRACTICE: "delete this practice",
}


def refusal_message(role_label: str, perm: Perm) -> str:
    """ "Your role (Viewer) may not change client work." — shown on the 403 page."""
    return f"Your role ({role_label}) may not {PERM_ACTIONS.get(perm, 'do this')}."


class TwoFactorRequired(Exception):
    """The practice requires two-factor authentication and the user has none yet."""


def _memberships_of(user_id):
    return (
        Membership.objects.filter(user_id=user_id).select_related("practice").order_by("practice__name", "pk")
    )


MEMBERSHIPS_READ = Prepared(_memberships_of, [Membership._meta.get_field("user")])


def resolve_membership(user, slug: str) -> tuple[Membership, list[Membership]]:
    """The user's membership of the practice with this slug (or 404, also for non-members), and all
    their memberships (the practice switcher) — one query for both."""
    if not user.is_authenticated:
        raise Http404
    memberships = MEMBERSHIPS_READ.instances(user.pk)
    if memberships is None:
        memberships = list(_memberships_of(user.pk))
    for membership in memberships:
        membership.user = user
    current = next((m for m in memberships if m.practice.slug == slug), None)
    if current is None:
        raise Http404("No such practice.")
    return current, memberships


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def attach_practice(request, slug: str, read_perm: Perm = Perm.VIEW, write_perm: Perm = Perm.EDIT):
    """Resolve and check once; afterwards `request.practice`, `request.membership`, `request.can`.
    Raises TwoFactorRequired when the practice requires two-factor of a user without it."""
    membership, memberships = resolve_membership(request.user, slug)
    if blocked_by_practice(request, membership.practice):
        raise TwoFactorRequired
    request.membership = membership
    request.user_practices = [m.practice for m in memberships]
    request.practice: Practice = membership.practice
    request.can = {p.value: role_can(membership.role, p) for p in Perm}
    activate_practice(membership.practice)
    require(membership, read_perm if request.method in SAFE_METHODS else write_perm)
    if request.session.get("current_practice") != membership.practice.slug:
        request.session["current_practice"] = membership.practice.slug
    return membership


class PracticeMixin(LoginRequiredMixin):
    """For every practice page. Set `read_perm` / `write_perm` to tighten a view; subclasses that
    resolve more from the URL (a client, an object) extend `resolve()`."""

    read_perm: Perm = Perm.VIEW
    write_perm: Perm = Perm.EDIT
    nav = "clients"  # the sidebar entry to highlight

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        try:
            self.resolve(request, *args, **kwargs)
        except TwoFactorRequired:
            return redirect(reverse("mfa_activate_totp"))
        return super().dispatch(request, *args, **kwargs)

    def resolve(self, request, *args, **kwargs) -> None:
        attach_practice(request, kwargs["practice_slug"], self.read_perm, self.write_perm)
        self.practice = request.practice
        self.membership = request.membership

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["practice"] = self.practice
        ctx["membership"] = self.membership
        ctx.setdefault("nav", self.nav)
        return ctx
