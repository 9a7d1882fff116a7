"""Pages of the client's Budget tab (the plan, its lines, budget vs actual, forecast, scenarios) and
the practice's budget settings: thin views that check access (ClientMixin / PracticeMixin), call a
selector or a service, render. Objects named in a URL come through the scoped lookup (another
practice's or client's is a 404). On this tab's frame (`BudgetTabMixin`, `PlanMixin`), the
plan's lines live in `budgets.line_views` and the actual-spend pages (list, form, delete, CSV
import) in `budgets.actual_views`."""

from urllib.parse import parse_qs, urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.generic import FormView, TemplateView, View

from accounts.access import Perm, PracticeMixin
from clients.mixins import ClientPageMixin
from vcio.fiscal import fiscal_year_range
from vcio.forms import run_service
from vcio.listing import csv_response, safe_filename
from vcio.templatetags.vcio_tags import format_money

from . import actual_selectors, exports, phasing, plan_selectors, reports, selectors, services
from .charts import actual_chart, category_chart, forecast_chart, monthly_chart
from .forms import (
    BudgetCreateForm,
    BudgetNotesForm,
    BudgetSettingsForm,
    ScenarioCreateForm,
    ScenarioForm,
)
from .models import Budget, BudgetLine, BudgetStatus

MAX_COMPARED = 3
LINES_SHOWN = 10  # a category's lines on the plan before "Show all"


def _name(client) -> str:
    return slugify(client.name)[:40].strip("-") or "client"


# --- the tab's frame -------------------------------------------------------------------------------------


class BudgetTabMixin(ClientPageMixin):
    tab = "budget"
    section = "plan"

    def today(self):
        return selectors.practice_today(self.practice)

    def url(self, name, *args):
        return reverse(f"budgets:{name}", args=[self.practice.slug, self.client_obj.pk, *args])

    def budget(self, pk) -> Budget:
        return self.scoped(Budget.objects.select_related("scenario_of", "approved_by"), pk)

    def frame(self, budget: Budget | None, year: int) -> dict:
        """What every page of the tab shows: the fiscal-year selector and the section nav."""
        base = budget.scenario_of if budget is not None and budget.is_scenario else budget
        return {
            "section": self.section,
            "budget": budget,
            "base": base,
            "year": year,
            "years": selectors.budget_years(client=self.client_obj, today=self.today()),
            "year_range": fiscal_year_range(year, self.client_obj.fiscal_year_start_month),
            "currency": self.practice.currency,
            "editable": bool(
                budget is not None and self.request.can.get(Perm.EDIT) and not budget.is_approved
            ),
        }


# --- the plan ------------------------------------------------------------------------------------------


class PlanMixin(BudgetTabMixin):
    """Renders a budget's plan page (or just its lines, `#budget-plan`, for htmx)."""

    def opened(self) -> set[str]:
        """The categories whose every line the plan shows (`?open=`, comma-separated keys). An htmx
        request from the plan carries those the plan shows (`hx-vals` on `#budget-plan`, inherited
        by its edit, add and action requests: a line saved in place keeps them open), and those of
        the page it came from."""
        values = self.request.GET.getlist("open")
        if self.request.htmx:
            values += self.request.POST.getlist("open")
        current = getattr(getattr(self.request, "htmx", None), "current_url", None)
        if current:
            values += parse_qs(urlsplit(current).query).get("open", [])
        return {key for value in values for key in value.split(",") if key in selectors.CATEGORY_KEYS}

    def plan_context(self, budget: Budget, opened: set[str] | None = None) -> dict:
        opened = self.opened() if opened is None else opened
        plan = plan_selectors.plan_page(budget=budget, first=LINES_SHOWN, opened=opened)
        base = budget.scenario_of if budget.is_scenario else budget
        ctx = {
            **self.frame(budget, budget.fiscal_year),
            "plan": plan,
            "month_labels": phasing.month_labels(self.client_obj.fiscal_year_start_month),
            "scenarios": list(selectors.scenarios_of(budget=base)) if not budget.is_scenario else [],
        }
        svg, caption = category_chart(
            plan, budget=budget, accent=self.practice.brand_colour, currency=self.practice.currency
        )
        ctx.update(category_svg=svg, category_caption=caption, open_keys=",".join(sorted(opened)))
        ctx["rows"] = plan_table(
            plan,
            budget=budget,
            currency=self.practice.currency,
            base_url=self.url("plan", budget.pk),
            opened=opened,
        )
        plan_selectors.with_vendor_names([r["line"] for r in ctx["rows"] if "line" in r], budget=budget)
        return ctx

    def plan_partial(
        self, budget: Budget, status: int = 200, message: str = "", opened: set[str] = frozenset()
    ):
        """The plan again after a change; `opened`: categories to show in full besides the page's."""
        ctx = {
            **self.get_context_data(),
            **self.plan_context(budget, self.opened() | set(opened)),
            "saved_message": message,
        }
        response = TemplateResponse(self.request, "budgets/_plan.html", ctx, status=status)
        response["HX-Retarget"] = "#budget-plan"
        response["HX-Reswap"] = "outerHTML"
        return response

    def export_csv(self, budget: Budget):
        plan = selectors.plan(budget=budget)
        header, rows = exports.plan_rows(budget, plan)
        suffix = slugify(budget.name) if budget.is_scenario else "budget"
        return csv_response(f"{_name(self.client_obj)}-fy{budget.fiscal_year}-{suffix}.csv", header, rows)


def plan_table(
    plan: reports.Plan, *, budget: Budget, currency: str, base_url: str, opened=None
) -> list[dict]:
    """The lines table as plain rows with their money already formatted. With `opened` (the keys of
    the categories shown in full), a category shows its first LINES_SHOWN lines, then a row offering
    the others (`more`), so the page's cost does not grow with the budget; its subtotal and the
    plan's totals count every line. Without it (one line's row), every line."""

    def fmt(value):
        return format_money(value, currency) if value else ""

    rows = []
    for group in plan.groups:
        rows.append(
            {
                "group": True,
                "key": group.key,
                "label": group.label,
                "count": group.count,
                "months": [fmt(v) for v in group.months],
                "total": format_money(group.total, currency),
            }
        )
        shown, more = group.rows, None
        if opened is not None and group.key not in opened and group.count > LINES_SHOWN:
            shown = shown[:LINES_SHOWN]
            more = {
                "more": True,
                "key": group.key,
                "label": group.label,
                "count": group.count,
                "url": f"{base_url}?open={','.join(sorted({*opened, group.key}))}#cat-{group.key}",
            }
        for row in shown:
            line = row.line
            rows.append(
                {
                    "line": line,
                    "id": line.pk,
                    "amount": format_money(line.amount, currency),
                    "months": [fmt(v) for v in row.months],
                    "total": format_money(row.total, currency),
                    "edit_url": f"{base_url}lines/{line.pk}/edit/",
                }
            )
        if more:
            rows.append(more)
    return rows


class BudgetHomeView(PlanMixin, TemplateView):
    """The Budget tab: the plan of the chosen fiscal year's budget (`?year=`, default this year), or
    the way to make one."""

    template_name = "budgets/plan.html"

    def get(self, request, *args, **kwargs):
        current = selectors.current_fiscal_year(self.client_obj, self.today())
        try:
            self.year = int(request.GET.get("year", current))
        except (TypeError, ValueError):
            self.year = current
        if not 2000 <= self.year <= 2100:
            self.year = current
        self.the_budget = selectors.budget_of(client=self.client_obj, fiscal_year=self.year)
        if self.the_budget is not None and request.GET.get("format") == "csv":
            return self.export_csv(self.the_budget)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        budget = getattr(self, "the_budget", None)
        if budget is not None:
            budget.client = self.client_obj
            ctx.update(self.plan_context(budget))
        else:
            ctx.update(self.frame(None, self.year))
            ctx.setdefault("create_form", BudgetCreateForm(initial={"fiscal_year": self.year}))
        return ctx


class BudgetCreateView(PlanMixin, TemplateView):
    """POST: make the fiscal year's budget (built from the roadmap and the contracts, or empty)."""

    template_name = "budgets/plan.html"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = BudgetCreateForm(request.POST)
        if not form.is_valid():
            self.year = selectors.current_fiscal_year(self.client_obj, self.today())
            ctx = {**self.get_context_data(), **self.frame(None, self.year), "create_form": form}
            messages.error(request, "Choose a fiscal year from 2000 to 2100.")
            return self.render_to_response(ctx, status=400)
        year = form.cleaned_data["fiscal_year"]
        build = form.cleaned_data["build"]
        try:
            budget = services.budget_create(
                client=self.client_obj, actor=request.user, fiscal_year=year, build=build
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(self.url("budget") + f"?year={year}")
        if build:
            count = BudgetLine.objects.for_practice(self.practice).filter(budget=budget).count()
            messages.success(
                request,
                f"FY{year} budget built from the roadmap and contracts: {count} line{'s' if count != 1 else ''}.",
            )
        else:
            messages.success(
                request, f"FY{year} budget created. Add its lines, or build it from the roadmap."
            )
        return redirect(self.url("plan", budget.pk))


class BudgetPlanView(PlanMixin, TemplateView):
    """A budget's (or a scenario's) plan; `?format=csv` exports its lines."""

    template_name = "budgets/plan.html"

    def get(self, request, *args, **kwargs):
        self.the_budget = self.budget(kwargs["budget_pk"])
        if request.GET.get("format") == "csv":
            return self.export_csv(self.the_budget)
        response = super().get(request, *args, **kwargs)
        patch_vary_headers(response, ("HX-Request",))
        return response

    def get_template_names(self):
        # "Show all … lines" (htmx, `?open=`) swaps the plan alone
        if self.request.htmx and "open" in self.request.GET:
            return ["budgets/_plan.html"]
        return super().get_template_names()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        budget = self.the_budget
        budget.client = self.client_obj
        ctx.update(self.plan_context(budget))
        return ctx


class BudgetXlsxView(BudgetTabMixin, View):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        budget = self.budget(kwargs["budget_pk"])
        budget.client = self.client_obj
        lines = list(selectors.budget_lines(budget=budget))
        plan = selectors.plan(budget=budget, lines=lines)
        body = exports.workbook(
            budget=budget,
            plan=plan,
            variance=selectors.variance(budget=budget, plan_=plan, today=self.today()),
            forecast=selectors.forecast(budget=budget, lines=lines),
            actuals=actual_selectors.actuals_in_year(client=self.client_obj, fiscal_year=budget.fiscal_year),
            currency=self.practice.currency,
        )
        response = HttpResponse(body, content_type=exports.XLSX_TYPE)
        suffix = slugify(budget.name) if budget.is_scenario else "budget"
        name = safe_filename(f"{_name(self.client_obj)}-fy{budget.fiscal_year}-{suffix}.xlsx")
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response


class BudgetEditView(BudgetTabMixin, FormView):
    """A budget's notes, or a scenario's name and notes."""

    template_name = "budgets/budget_form.html"
    read_perm = Perm.EDIT

    def get_budget(self):
        if not hasattr(self, "_budget"):
            self._budget = self.budget(self.kwargs["budget_pk"])
            self._budget.client = self.client_obj
        return self._budget

    def get_form_class(self):
        return ScenarioForm if self.get_budget().is_scenario else BudgetNotesForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_budget()
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        budget = self.get_budget()
        ctx.update(self.frame(budget, budget.fiscal_year))
        return ctx

    def form_valid(self, form):
        budget = self.budget(self.kwargs["budget_pk"])  # fresh: the form changed its own instance
        budget.client = self.client_obj
        data = {k: form.cleaned_data[k] for k in form.Meta.fields}
        result = run_service(form, services.budget_update, budget=budget, actor=self.request.user, **data)
        if result is None:
            return self.form_invalid(form)
        messages.success(self.request, "Saved.")
        return redirect(self.url("plan", budget.pk))

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class BudgetActionView(BudgetTabMixin, View):
    """POST: build, propose, approve, reopen, promote (a scenario) or delete a budget."""

    http_method_names = ["post"]
    action = "build"

    def post(self, request, *args, **kwargs):
        budget = self.budget(kwargs["budget_pk"])
        budget.client = self.client_obj
        target = self.url("plan", budget.pk)
        try:
            if self.action == "build":
                result = services.budget_build(budget=budget, actor=request.user)
                messages.success(request, result.describe())
            elif self.action == "promote":
                base = services.scenario_promote(scenario=budget, actor=request.user)
                messages.success(request, f"“{budget.name}” is now the FY{base.fiscal_year} budget.")
                target = self.url("plan", base.pk)
            elif self.action == "delete":
                services.budget_delete(budget=budget, actor=request.user)
                if budget.is_scenario:
                    messages.success(request, f"Scenario “{budget.name}” deleted.")
                    target = self.url("scenarios", budget.scenario_of_id)
                else:
                    messages.success(request, f"FY{budget.fiscal_year} budget deleted.")
                    target = self.url("budget") + f"?year={budget.fiscal_year}"
            else:
                to = {
                    "propose": BudgetStatus.PROPOSED,
                    "approve": BudgetStatus.APPROVED,
                    "reopen": BudgetStatus.DRAFT,
                }[self.action]
                services.budget_transition(
                    budget=budget, actor=request.user, to=to, note=request.POST.get("note", "")[:500]
                )
                done = {
                    "propose": "proposed",
                    "approve": "approved: it is frozen until reopened",
                    "reopen": "reopened",
                }
                messages.success(request, f"FY{budget.fiscal_year} budget {done[self.action]}.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(target)


# --- budget vs actual, forecast ------------------------------------------------------------------------


class VarianceView(BudgetTabMixin, TemplateView):
    template_name = "budgets/variance.html"
    section = "variance"

    def get(self, request, *args, **kwargs):
        self.the_budget = self.budget(kwargs["budget_pk"])
        self.the_budget.client = self.client_obj
        self.variance = selectors.variance(budget=self.the_budget, today=self.today())
        if request.GET.get("format") == "csv":
            header, rows = exports.variance_rows(self.the_budget, self.variance)
            return csv_response(
                f"{_name(self.client_obj)}-fy{self.the_budget.fiscal_year}-budget-vs-actual.csv", header, rows
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        budget, variance = self.the_budget, self.variance
        ctx.update(self.frame(budget, budget.fiscal_year))
        accent, currency = self.practice.brand_colour, self.practice.currency
        monthly_svg, monthly_caption = monthly_chart(
            variance, budget=budget, accent=accent, currency=currency
        )
        actual_svg, actual_caption = actual_chart(variance, budget=budget, accent=accent, currency=currency)
        ctx.update(
            variance=variance,
            monthly_svg=monthly_svg,
            monthly_caption=monthly_caption,
            actual_svg=actual_svg,
            actual_caption=actual_caption,
        )
        return ctx


class ForecastView(BudgetTabMixin, TemplateView):
    template_name = "budgets/forecast.html"
    section = "forecast"

    def get(self, request, *args, **kwargs):
        self.the_budget = self.budget(kwargs["budget_pk"])
        self.the_budget.client = self.client_obj
        self.forecast = selectors.forecast(budget=self.the_budget)
        if request.GET.get("format") == "csv":
            header, rows = exports.forecast_rows(self.forecast)
            return csv_response(
                f"{_name(self.client_obj)}-fy{self.the_budget.fiscal_year}-forecast.csv", header, rows
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        budget, forecast = self.the_budget, self.forecast
        ctx.update(self.frame(budget, budget.fiscal_year))
        ctx["forecast"] = forecast
        ctx["forecast_svg"], ctx["forecast_caption"] = forecast_chart(
            forecast, budget=budget, accent=self.practice.brand_colour, currency=self.practice.currency
        )
        return ctx


# --- scenarios -----------------------------------------------------------------------------------------


class ScenarioListView(BudgetTabMixin, TemplateView):
    template_name = "budgets/scenarios.html"
    section = "scenarios"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        budget = self.budget(self.kwargs["budget_pk"])
        budget.client = self.client_obj
        base = budget.scenario_of if budget.is_scenario else budget
        base.client = self.client_obj
        scenarios = list(selectors.scenarios_of(budget=base))
        comparison = selectors.comparison(budget=base, scenarios=scenarios) if scenarios else None
        ctx.update(self.frame(base, base.fiscal_year))
        base_total = comparison.total.values[0] if comparison else None
        ctx.update(
            scenarios=scenarios,
            scenario_rows=[
                {"scenario": s, "total": total, "diff": total - base_total}
                for s, total in zip(
                    scenarios, comparison.total.values[1:] if comparison else [], strict=False
                )
            ],
            base_total=base_total,
        )
        ctx.setdefault("scenario_form", ScenarioCreateForm())
        return ctx


class ScenarioCreateView(ScenarioListView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        budget = self.budget(kwargs["budget_pk"])
        budget.client = self.client_obj
        form = ScenarioCreateForm(request.POST)
        scenario = None
        if form.is_valid():
            scenario = run_service(
                form,
                services.scenario_create,
                budget=budget.scenario_of if budget.is_scenario else budget,
                actor=request.user,
                **form.cleaned_data,
            )
        if scenario is None:
            return self.render_to_response(self.get_context_data(scenario_form=form), status=400)
        messages.success(request, f"Scenario “{scenario.name}” created: change its lines, then compare.")
        return redirect(self.url("plan", scenario.pk))


class CompareView(BudgetTabMixin, TemplateView):
    """The budget and up to three of its scenarios side by side (`?with=<id>`, repeatable; default:
    every scenario, up to three)."""

    template_name = "budgets/compare.html"
    section = "scenarios"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        budget = self.budget(self.kwargs["budget_pk"])
        base = budget.scenario_of if budget.is_scenario else budget
        base.client = self.client_obj
        every = list(selectors.scenarios_of(budget=base))
        wanted = {str(v) for v in self.request.GET.getlist("with")}
        chosen = [s for s in every if str(s.pk) in wanted] if wanted else every
        if budget.is_scenario and budget not in chosen:
            chosen = [budget, *chosen]
        chosen = chosen[:MAX_COMPARED]
        ctx.update(self.frame(base, base.fiscal_year))
        ctx.update(scenarios=every, chosen=chosen, chosen_ids={str(s.pk) for s in chosen})
        if chosen:
            ctx["comparison"] = selectors.comparison(budget=base, scenarios=chosen)
        return ctx


# --- the practice's settings ----------------------------------------------------------------------------


class BudgetSettingsView(PracticeMixin, FormView):
    template_name = "budgets/settings.html"
    form_class = BudgetSettingsForm
    read_perm = Perm.MANAGE_SETTINGS
    write_perm = Perm.MANAGE_SETTINGS
    nav = "settings"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = selectors.budget_settings(practice=self.practice)
        return kwargs

    def form_valid(self, form):
        result = run_service(
            form,
            services.budget_settings_update,
            practice=self.practice,
            actor=self.request.user,
            **form.cleaned_data,
        )
        if result is None:
            return self.form_invalid(form)
        messages.success(self.request, "Budget settings saved.")
        return redirect("budgets:settings", practice_slug=self.practice.slug)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)
