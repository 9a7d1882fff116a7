"""Pages for the team (members, invitations) and the public accept link (for team and portal
invitations alike).

Thin views: access through PracticeMixin (`read_perm`/`write_perm`), objects through
`scoped_object_or_404` (another practice's ids are 404s), writes through `member_services`.
"""

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.generic import FormView, TemplateView, View

from vcio.forms import run_service
from vcio.history import parse_before
from vcio.listing import csv_response, paginate_kept
from vcio.models import scoped_object_or_404

from . import member_selectors as selectors
from . import member_services as services
from .access import Perm, PracticeMixin, can_manage_role
from .forms import DisplayNameForm, HistoryFilterForm
from .member_forms import MemberInvitationForm, RoleForm, role_choices
from .members_html import invitation_rows_html, member_rows_html
from .models import Invitation, Membership
from .services import user_set_name

SESSION_KEY = "pending_invitation"


def error_message(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


class MemberManagementMixin(PracticeMixin):
    read_perm = Perm.MANAGE_MEMBERS
    write_perm = Perm.MANAGE_MEMBERS
    nav = "settings"

    def members_url(self):
        return reverse("accounts:members", kwargs={"practice_slug": self.practice.slug})


class MembersView(MemberManagementMixin, TemplateView):
    template_name = "accounts/members/members.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            rows = (
                [
                    m.user.get_full_name(),
                    m.user.email,
                    m.get_role_display(),
                    m.created_at.date().isoformat(),
                ]
                for m in selectors.members(practice=self.practice)
            )
            return csv_response(
                f"{self.practice.slug}-members.csv", ["Name", "E-mail", "Role", "Joined"], rows
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        actor_role = self.membership.role
        filter_form = HistoryFilterForm(self.request.GET or None, practice=self.practice)
        filters = filter_form.cleaned_data if filter_form.is_valid() else {}
        # both lists' page statements are kept (vcio.kept): the same for every practice
        members = paginate_kept(
            self.request,
            "accounts.members",
            self.practice,
            lambda practice: selectors.members(practice=practice),
        )
        invitations = paginate_kept(
            self.request,
            "accounts.member_invitations",
            self.practice,
            lambda practice: selectors.pending_member_invitations(practice=practice),
            per_page=10,
            param="invitations_page",
        )
        csrf_token = get_token(self.request)
        ctx.update(
            nav="settings",
            page=members,
            member_rows_html=member_rows_html(
                [(m, can_manage_role(actor_role, m.role)) for m in members.object_list],
                practice=self.practice,
                user_id=self.request.user.pk,
                role_choices=role_choices(actor_role),
                csrf_token=csrf_token,
            ),
            invitations_page=invitations,
            invitation_rows_html=invitation_rows_html(
                [(i, can_manage_role(actor_role, i.role)) for i in invitations.object_list],
                practice=self.practice,
                now=timezone.now(),
                csrf_token=csrf_token,
            ),
            filter_form=filter_form,
            entries=selectors.team_history(
                practice=self.practice,
                user_id=filters["user"].pk if filters.get("user") else None,
                date_from=filters.get("date_from"),
                date_to=filters.get("date_to"),
                before=parse_before(self.request.GET.get("before")),
            ),
        )
        return ctx


class MemberInviteView(MemberManagementMixin, FormView):
    template_name = "accounts/members/invite.html"
    form_class = MemberInvitationForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "actor_role": self.membership.role}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "nav": "settings"}

    def form_valid(self, form):
        result = run_service(
            form,
            services.invitation_create,
            practice=self.practice,
            actor=self.request.user,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            base_url=self.request.build_absolute_uri("/"),
        )
        if result is None:
            return self.form_invalid(form)
        invitation, _ = result
        messages.success(self.request, f"Invitation sent to {invitation.email}.")
        return redirect(self.members_url())


class MembershipActionMixin(MemberManagementMixin, View):
    http_method_names = ["post"]

    def get_membership(self) -> Membership:
        membership = scoped_object_or_404(
            Membership.objects.select_related("user"), practice=self.practice, pk=self.kwargs["membership_pk"]
        )
        membership.practice = self.practice
        return membership


class MemberRoleView(MembershipActionMixin):
    def post(self, request, *args, **kwargs):
        membership = self.get_membership()
        form = RoleForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose one of the roles: Owner, Admin, Consultant or Viewer.")
            return redirect(self.members_url())
        try:
            services.membership_change_role(
                membership=membership, actor=request.user, role=form.cleaned_data["role"]
            )
        except ValidationError as exc:
            error_message(request, exc)
        else:
            messages.success(
                request, f"{membership.user.display_name} is now {membership.get_role_display().lower()}."
            )
        if membership.user_id == request.user.pk and not can_manage_role(membership.role, membership.role):
            return redirect("home")  # demoted themselves out of this page
        return redirect(self.members_url())


class MemberRemoveView(MembershipActionMixin):
    def post(self, request, *args, **kwargs):
        membership = self.get_membership()
        try:
            services.membership_remove(membership=membership, actor=request.user)
        except ValidationError as exc:
            error_message(request, exc)
            return redirect(self.members_url())
        messages.success(request, f"{membership.user.display_name} was removed from {self.practice.name}.")
        if membership.user_id == request.user.pk:
            return redirect("home")
        return redirect(self.members_url())


class MemberInvitationActionView(MemberManagementMixin, View):
    """POST: resend or revoke an invitation to the team."""

    http_method_names = ["post"]
    action = "resend"

    def post(self, request, *args, **kwargs):
        invitation = scoped_object_or_404(
            Invitation.objects.filter(client__isnull=True), practice=self.practice, pk=kwargs["invitation_pk"]
        )
        invitation.practice = self.practice
        invitation_action(request, invitation, self.action)
        return redirect(self.members_url())


def invitation_action(request, invitation: Invitation, action: str) -> None:
    try:
        if action == "resend":
            services.invitation_resend(
                invitation=invitation, actor=request.user, base_url=request.build_absolute_uri("/")
            )
        else:
            services.invitation_revoke(invitation=invitation, actor=request.user)
    except ValidationError as exc:
        error_message(request, exc)
        return
    done = "sent again with a new link, valid for 7 days" if action == "resend" else "revoked"
    messages.success(request, f"Invitation for {invitation.email} {done}.")


# --- the link in the e-mail ----------------------------------------------------------------------


class InvitationAcceptView(View):
    """Public: shows the invitation; a logged-in user accepts it (POST). Anyone else signs up or logs in
    first — the token waits in the session and sign-up comes back here (see `adapters`)."""

    template_name = "accounts/members/accept.html"

    def render(self, request, invitation, *, refusal=None, wrong_account=None, status=200, name_form=None):
        token = self.kwargs["token"]
        here = reverse("invitation_accept", kwargs={"token": token})
        signup_query = {"next": here}
        if invitation is not None:
            signup_query["email"] = invitation.email  # allauth's sign-up form starts with it filled in
        return render(
            request,
            self.template_name,
            {
                "invitation": invitation,
                "refusal": refusal,
                "wrong_account": wrong_account,
                "name_form": name_form
                or (DisplayNameForm() if request.user.is_authenticated and request.user.needs_name else None),
                "here": here,
                "login_url": f"{reverse('account_login')}?{urlencode({'next': here})}",
                "signup_url": f"{reverse('account_signup')}?{urlencode(signup_query)}",
            },
            status=status,
        )

    def get(self, request, token):
        invitation = services.invitation_by_token(token)
        refusal = services.invitation_refusal(invitation)
        if refusal:
            request.session.pop(SESSION_KEY, None)
            return self.render(
                request, invitation, refusal=refusal, status=404 if invitation is None else 410
            )
        if not request.user.is_authenticated:
            request.session[SESSION_KEY] = token
            # The link came by e-mail to this address: signing up with it needs no second verification.
            get_adapter(request).stash_verified_email(request, invitation.email)
        elif wrong_account := services.invitation_account_refusal(invitation, request.user):
            return self.render(request, invitation, wrong_account=wrong_account, status=403)
        return self.render(request, invitation)

    def post(self, request, token):
        if not request.user.is_authenticated:
            request.session[SESSION_KEY] = token
            return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
        invitation = services.invitation_by_token(token)
        wrong_account = (
            services.invitation_account_refusal(invitation, request.user)
            if invitation is not None and not services.invitation_refusal(invitation)
            else None
        )
        if wrong_account:
            return self.render(request, invitation, wrong_account=wrong_account, status=403)
        if request.user.needs_name:  # asked once, here or at sign-up: shown everywhere instead of the e-mail
            name_form = DisplayNameForm(request.POST)
            if not name_form.is_valid():
                return self.render(request, invitation, name_form=name_form, status=400)
            user_set_name(user=request.user, name=name_form.cleaned_data["name"])
        try:
            invitation = services.invitation_accept(token=token, user=request.user)
        except ValidationError as exc:
            invitation = services.invitation_by_token(token)
            status = 404 if invitation is None else 410
            return self.render(request, invitation, refusal=" ".join(exc.messages), status=status)
        request.session.pop(SESSION_KEY, None)
        if invitation.is_portal:
            messages.success(request, f"You now have access to {invitation.client.name}'s portal.")
            return redirect("home")
        messages.success(
            request,
            f"Welcome to {invitation.practice.name}. You joined as {invitation.get_role_display().lower()}.",
        )
        return redirect("practice_home", practice_slug=invitation.practice.slug)
