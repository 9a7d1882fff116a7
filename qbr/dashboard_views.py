"""Pages of the consultant's week: the practice dashboard (the practice's home), the notifications
(page, bell count, mark read / all read) and each member's reminder settings. Thin views: access
through PracticeMixin, reads from `qbr.dashboard` / `qbr.notifications`, writes through services."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView, TemplateView, View

from accounts.access import Perm, PracticeMixin
from vcio.forms import run_service
from vcio.listing import paginate
from vcio.models import scoped_object_or_404

from . import advisory_selectors, dashboard, notifications, reminders
from .models import ReminderFrequency, ReminderKind
from .selectors import practice_qbr_settings


class DashboardView(PracticeMixin, TemplateView):
    """`/p/<practice>/dashboard/`: what is due this week and next, for "my clients" (the default) or
    all clients (`?clients=all`, kept in the links)."""

    template_name = "qbr/dashboard.html"
    nav = "dashboard"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        scope = "all" if self.request.GET.get("clients") == "all" else "mine"
        board = dashboard.dashboard(
            practice=self.practice, user=self.request.user if scope == "mine" else None
        )
        ctx.update(
            board=board,
            scope=scope,
            week=dashboard.week_window(board.today),
            advisories=advisory_selectors.latest_published(practice=self.practice),
            # a new practice: "No clients yet" rather than "not the primary consultant of any"
            practice_has_clients=bool(board.client_count) or dashboard.practice_has_clients(self.practice),
        )
        return ctx


class NotificationsView(PracticeMixin, TemplateView):
    template_name = "qbr/notifications.html"
    nav = "notifications"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        unread = self.request.GET.get("show") == "unread"
        qs = notifications.notifications_for(
            practice=self.practice, user=self.request.user, unread_only=unread
        )
        ctx.update(
            page=paginate(self.request, qs, per_page=notifications.PAGE_SIZE),
            unread_only=unread,
            unread=notifications.unread_count(practice=self.practice, user=self.request.user),
        )
        return ctx


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


class NotificationBadgeView(PracticeMixin, View):
    """The bell's unread count (htmx loads it into the top bar, so pages pay no query for it)."""

    def get(self, request, *args, **kwargs):
        count = notifications.unread_count(practice=self.practice, user=request.user)
        return TemplateResponse(request, "qbr/_bell_count.html", {"count": count})


class NotificationReadView(PracticeMixin, View):
    """POST: mark one of my notifications read; then go to `next` (its link) or back to the list.
    With htmx, answers the updated row."""

    def post(self, request, *args, **kwargs):
        mine = notifications.notifications_for(practice=self.practice, user=request.user)
        notification = scoped_object_or_404(mine, practice=self.practice, pk=kwargs["notification_pk"])
        notifications.notification_mark_read(notification=notification, user=request.user)
        if request.headers.get("HX-Request"):
            response = TemplateResponse(
                request, "qbr/_notification.html", {"n": notification, "practice": self.practice}
            )
            response["HX-Trigger"] = "notifications-changed"
            return response
        return redirect(_safe_next(request, f"/p/{self.practice.slug}/notifications/"))


class NotificationsReadAllView(PracticeMixin, View):
    def post(self, request, *args, **kwargs):
        count = notifications.notifications_mark_all_read(practice=self.practice, user=request.user)
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked read.")
        return redirect(_safe_next(request, f"/p/{self.practice.slug}/notifications/"))


class ReminderSettingsForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label="Remind me of",
        choices=ReminderKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text="Untick what you do not want in your digest.",
    )
    frequency = forms.ChoiceField(
        label="How often", choices=ReminderFrequency.choices, widget=forms.RadioSelect
    )
    email = forms.BooleanField(
        label="E-mail me the digest",
        required=False,
        help_text="Notifications in the app come either way.",
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class ReminderSettingsView(PracticeMixin, FormView):
    """`/p/<practice>/settings/reminders/`: the member's own reminder settings. Reminders are about
    clients one is primary consultant of, so viewers (never offered as one) read it and may not save."""

    template_name = "qbr/reminder_settings.html"
    form_class = ReminderSettingsForm
    read_perm = Perm.VIEW
    nav = "notifications"

    def get_initial(self):
        pref = reminders.preference_for(practice=self.practice, user=self.request.user)
        return {
            "kinds": [k for k in ReminderKind.values if pref.wants(k)],
            "frequency": pref.frequency,
            "email": pref.email,
        }

    def form_valid(self, form):
        data = form.cleaned_data
        result = run_service(
            form,
            reminders.preference_update,
            practice=self.practice,
            user=self.request.user,
            actor=self.request.user,
            disabled_kinds=[k for k in ReminderKind.values if k not in data["kinds"]],
            frequency=data["frequency"],
            email=data["email"],
        )
        if result is None:
            return self.form_invalid(form)
        messages.success(self.request, "Reminder settings saved.")
        return redirect("qbr:reminder_settings", practice_slug=self.practice.slug)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["morning_hour"] = f"{practice_qbr_settings(practice=self.practice).morning_hour:02d}:00"
        return ctx
