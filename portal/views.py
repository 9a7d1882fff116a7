"""The client-executive portal: read-only pages of one client, in its practice's branding.

Thin views: access through `portal.access.PortalMixin` (the client from the user's PortalAccess, on
every request; read-only; hidden sections 404), reads through `portal.selectors` over the other apps'
selectors. The practice's side (which sections a client's executives see) is `PortalSettingsView`.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.generic import FormView, TemplateView, View

from accounts.access import Perm
from budgets import selectors as budget_selectors
from budgets.charts import actual_chart, category_chart, forecast_chart, monthly_chart
from budgets.models import BudgetStatus
from clients.mixins import ClientPageMixin
from qbr import advisory_selectors
from qbr import selectors as qbr_selectors
from qbr.models import Meeting
from roadmaps import board_selectors as roadmap_board
from vcio.charts import sparkline
from vcio.forms import run_service
from vcio.listing import paginate

from . import selectors, services
from .access import PortalMixin, PortalReadOnlyMixin
from .forms import PortalSettingsForm


def practice_today(practice):
    return budget_selectors.practice_today(practice)


def trend_line(points: list[float], framework, accent: str):
    """A framework's score trend as a sparkline (0-100 %), or "" with fewer than two points."""
    if len(points) < 2:
        return ""
    return sparkline(points, title=f"Score trend of {framework}", accent=accent, min_value=0, max_value=100)


class PortalHomeView(PortalReadOnlyMixin, TemplateView):
    """`/portal/`: the executive's clients — straight to the dashboard when there is one."""

    template_name = "portal/chooser.html"

    def get(self, request, *args, **kwargs):
        self.accesses = selectors.accesses_of_all_practices(user=request.user)
        if not self.accesses:
            raise Http404("You have no client portal.")
        if len(self.accesses) == 1:
            return redirect("portal:dashboard", client_pk=self.accesses[0].client_id)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["accesses"] = self.accesses
        return ctx


class PortalPageView(PortalMixin, TemplateView):
    @property
    def today(self):
        return practice_today(self.practice)


class DashboardView(PortalPageView):
    template_name = "portal/dashboard.html"
    section = "dashboard"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        data = selectors.dashboard(
            client=self.client_obj, email=self.request.user.email, shows=self.shows, today=self.today
        )
        accent = self.practice.brand_colour
        for summary in data.compliance:
            points = [float(p.percent) for p in summary.trend if p.percent is not None]
            if summary.percent is not None and summary.in_progress is not None:
                points.append(float(summary.percent))
            summary.sparkline = trend_line(points, summary.framework, accent)
        ctx.update(data=data, today=self.today)
        return ctx


class RoadmapView(PortalPageView):
    template_name = "portal/roadmap.html"
    section = "roadmap"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        try:
            shift = max(-40, min(40, int(self.request.GET.get("shift", 0))))
        except ValueError:
            shift = 0
        grid = roadmap_board.timeline_grid(client=self.client_obj, today=self.today, shift=shift)
        ctx.update(
            grid=grid,
            shift=shift,
            lane_background=render_to_string("roadmaps/_timeline_lane_background.html", {"grid": grid}),
            page=paginate(self.request, selectors.roadmap_initiatives(client=self.client_obj)),
        )
        return ctx


class BudgetView(PortalPageView):
    template_name = "portal/budget.html"
    section = "budget"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        client, today = self.client_obj, self.today
        year = budget_selectors.current_fiscal_year(client, today)
        # Budgets are shown once proposed: a draft is the consultant's work in progress.
        years = [
            y
            for y in budget_selectors.budget_years(client=client, today=today)
            if y.get("budget") and y.get("status") != BudgetStatus.DRAFT
        ]
        try:
            wanted = int(self.request.GET.get("year", year))
        except ValueError:
            wanted = year
        budget = budget_selectors.budget_of(client=client, fiscal_year=wanted)
        if budget is not None and not budget_selectors.is_shared(budget):
            budget = None
        if budget is None and wanted != year:
            raise Http404("No budget for that year.")
        ctx.update(year=wanted, years=years, budget=budget, currency=self.practice.currency)
        if budget is None:
            return ctx
        budget.client = client
        accent, currency = self.practice.brand_colour, self.practice.currency
        lines = list(budget_selectors.budget_lines(budget=budget))
        plan = budget_selectors.plan(budget=budget, lines=lines)
        variance = budget_selectors.variance(budget=budget, today=today)
        forecast = budget_selectors.forecast(budget=budget, lines=lines)
        ctx.update(
            plan=plan,
            variance=variance,
            forecast=forecast,
            category=category_chart(plan, budget=budget, accent=accent, currency=currency),
            monthly=monthly_chart(variance, budget=budget, accent=accent, currency=currency),
            actual=actual_chart(variance, budget=budget, accent=accent, currency=currency),
            forecast_figure=forecast_chart(forecast, budget=budget, accent=accent, currency=currency),
        )
        return ctx


class ComplianceView(PortalPageView):
    template_name = "portal/compliance.html"
    section = "compliance"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        accent = self.practice.brand_colour
        frameworks = selectors.compliance_frameworks(client=self.client_obj, today=self.today)
        for row in frameworks:
            points = [float(p.percent) for p in row["summary"].trend if p.percent is not None]
            row["sparkline"] = trend_line(points, row["summary"].framework, accent)
        ctx.update(
            frameworks=frameworks,
            gaps=selectors.compliance_gaps(client=self.client_obj, today=self.today),
            today=self.today,
        )
        return ctx


class RenewalsView(PortalPageView):
    template_name = "portal/renewals.html"
    section = "renewals"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            renewals=selectors.upcoming_renewals(client=self.client_obj, today=self.today),
            currency=self.practice.currency,
        )
        return ctx


class AdvisoriesView(PortalPageView):
    """The practice's published advisories that concern this client (all clients, its industry, or
    chosen): title, severity, category, date, the safely rendered Markdown body and its link."""

    template_name = "portal/advisories.html"
    section = "advisories"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["advisories"] = advisory_selectors.advisories_for_client(
            client=self.client_obj, today=self.today, limit=50
        )
        return ctx


class MeetingsView(PortalPageView):
    template_name = "portal/meetings.html"
    section = "meetings"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            page=paginate(self.request, qbr_selectors.client_meetings(client=self.client_obj)),
            open_items=list(qbr_selectors.open_action_items(client=self.client_obj)[:50]),
            now=timezone.now(),
        )
        return ctx


class MeetingDetailView(PortalPageView):
    template_name = "portal/meeting_detail.html"
    section = "meetings"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        try:
            meeting = qbr_selectors.meeting_detail(client=self.client_obj, pk=self.kwargs["meeting_pk"])
        except (Meeting.DoesNotExist, ValidationError, ValueError):
            raise Http404("No such meeting.") from None
        ctx.update(
            meeting=meeting,
            agenda=list(meeting.agenda_items.all()),
            action_items=list(meeting.action_items.all()),
            members=[link.user for link in meeting.member_links.all()],
            contacts=[link.contact for link in meeting.contact_links.all()],
        )
        return ctx


class ReportsView(PortalPageView):
    template_name = "portal/reports.html"
    section = "reports"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page"] = paginate(self.request, selectors.client_reports(client=self.client_obj))
        return ctx


class ReportDownloadView(PortalMixin, View):
    """The PDF of one of the client's generated reports, through this view (never a media URL)."""

    section = "reports"

    def get(self, request, *args, **kwargs):
        report = self.scoped(selectors.client_reports(client=self.client_obj), kwargs["report_pk"])
        name = (
            slugify(f"{self.client_obj.name} qbr {report.period_label} v{report.version}")[:80]
            or "qbr-report"
        )
        response = FileResponse(
            report.pdf.open("rb"), content_type="application/pdf", as_attachment=True, filename=f"{name}.pdf"
        )
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


# --- the practice's side ------------------------------------------------------------------------------


class PortalSettingsView(ClientPageMixin, FormView):
    """Which portal sections the client's executives see (a tab of the client's page)."""

    template_name = "portal/settings.html"
    form_class = PortalSettingsForm
    tab = "portal_sections"
    read_perm = Perm.VIEW
    write_perm = Perm.EDIT

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(practice=self.practice, instance=selectors.portal_settings(client=self.client_obj))
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["portal_users"] = selectors.portal_user_count(client=self.client_obj)
        return ctx

    def form_valid(self, form):
        result = run_service(
            form,
            services.portal_settings_update,
            client=self.client_obj,
            actor=self.request.user,
            hidden_sections=form.hidden_sections(),
        )
        if result is None:
            return self.form_invalid(form)
        messages.success(self.request, f"Portal sections of {self.client_obj.name} saved.")
        return redirect(reverse("portal_practice:settings", args=[self.practice.slug, self.client_obj.pk]))
