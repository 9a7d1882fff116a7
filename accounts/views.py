"""Pages of the accounts app: the home redirect, onboarding (create a practice), practice settings and
deleting the practice. Thin views: access through PracticeMixin, writes through services."""

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView, View

from vcio.forms import run_service
from vcio.history import parse_before
from vcio.registry import landing_for, sidebar_entries

from . import selectors, services
from .access import Perm, PracticeMixin
from .forms import DisplayNameForm, OnboardingForm, PracticeDeleteForm, PracticeSettingsForm


@login_required
def home(request):
    """Send the user to the practice they last used, or their first one, or to create one."""
    memberships = list(selectors.user_memberships(user=request.user))
    if not memberships:
        # A client executive (portal access only) lands where the clients/portal apps say, never on
        # "create your practice".
        return landing_for(request) or redirect("onboarding")
    current = request.session.get("current_practice")
    slug = next(
        (m.practice.slug for m in memberships if m.practice.slug == current), memberships[0].practice.slug
    )
    return redirect("practice_home", practice_slug=slug)


class PracticeHomeView(PracticeMixin, View):
    """`/p/<practice>/`: the first section of the sidebar the user's role may see."""

    def get(self, request, *args, **kwargs):
        for entry in sidebar_entries():
            if request.can.get(entry.perm, False):
                return redirect(entry.url_name, practice_slug=self.practice.slug)
        raise Http404("This practice has no pages yet.")


class PracticeSettingsView(PracticeMixin, FormView):
    template_name = "accounts/practice_settings.html"
    form_class = PracticeSettingsForm
    read_perm = Perm.MANAGE_SETTINGS
    write_perm = Perm.MANAGE_SETTINGS
    nav = "settings"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # A copy: a failed form must not leave the request's practice half-changed for the page render.
        kwargs.update(practice=self.practice, instance=copy(self.practice))
        return kwargs

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if not (k == "logo" and v is None)}
        if data.get("logo") is False:  # "clear" ticked
            data["logo"] = ""
        result = run_service(
            form, services.practice_update, practice=form.instance, actor=self.request.user, **data
        )
        if result is None:
            return self.form_invalid(form)
        messages.success(self.request, "Practice settings saved.")
        return redirect("accounts:settings", practice_slug=result.slug)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["entries"] = selectors.practice_history(
            practice=self.practice, before=parse_before(self.request.GET.get("before"))
        )
        if self.request.can[Perm.DELETE_PRACTICE]:
            ctx.setdefault("delete_form", PracticeDeleteForm(practice=self.practice))
            ctx["delete_summary"] = selectors.practice_delete_summary(practice=self.practice)
        return ctx


class PracticeDeleteView(PracticeSettingsView):
    """POST only, owners only: delete the practice once its name has been typed (and the modal
    confirmed). A wrong name shows the settings page again with the error under the field."""

    http_method_names = ["post"]
    read_perm = write_perm = Perm.DELETE_PRACTICE

    def post(self, request, *args, **kwargs):
        form = PracticeDeleteForm(request.POST, practice=self.practice)
        if not form.is_valid():
            settings_form = PracticeSettingsForm(practice=self.practice, instance=self.practice)
            return self.render_to_response(self.get_context_data(form=settings_form, delete_form=form))
        name = self.practice.name
        try:
            services.practice_delete(practice=self.practice, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("accounts:settings", practice_slug=self.practice.slug)
        request.session.pop("current_practice", None)
        messages.success(request, f"Practice “{name}” and all its data were deleted.")
        return redirect("/")


class OnboardingView(LoginRequiredMixin, FormView):
    """After sign-up: create the practice; its creator becomes the owner."""

    template_name = "accounts/onboarding.html"
    form_class = OnboardingForm

    def form_valid(self, form):
        practice = run_service(form, services.practice_create, owner=self.request.user, **form.cleaned_data)
        if practice is None:
            return self.form_invalid(form)
        messages.success(self.request, f"Welcome to {practice.name}. Add your first client.")
        return redirect("practice_home", practice_slug=practice.slug)


class ProfileView(LoginRequiredMixin, FormView):
    """The signed-in person's profile: display name here; e-mail, password and two-factor through
    allauth's pages (linked)."""

    template_name = "accounts/profile.html"
    form_class = DisplayNameForm

    def get_initial(self):
        return {"name": self.request.user.name or self.request.user.get_full_name()}

    def form_valid(self, form):
        if run_service(form, services.user_set_name, user=self.request.user, **form.cleaned_data) is None:
            return self.form_invalid(form)
        messages.success(self.request, "Profile saved.")
        return redirect("profile")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["memberships"] = selectors.user_memberships(user=self.request.user)
        return ctx
