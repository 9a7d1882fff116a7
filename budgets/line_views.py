"""The budget plan's lines, edited inline on the plan (htmx) or on their own page without JavaScript:
add, edit, cancel (the row again), drop / take back in, reset to the source, delete. A line must
belong to the budget in its URL, and the budget to the client (`LineMixin.line`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.generic import TemplateView, View

from accounts.access import Perm
from vcio.forms import run_service
from vcio.models import scoped_object_or_404

from . import reports, selectors, services
from .forms import LineForm
from .models import BudgetLine
from .views import PlanMixin, plan_table


class LineMixin(PlanMixin):
    read_perm = Perm.EDIT

    def resolve(self, request, *args, **kwargs):
        super().resolve(request, *args, **kwargs)
        self.the_budget = self.budget(kwargs["budget_pk"])
        self.the_budget.client = self.client_obj

    def line(self) -> BudgetLine:
        queryset = BudgetLine.objects.filter(budget_id=self.the_budget.pk).select_related(
            "vendor", "initiative", "contract"
        )
        line = scoped_object_or_404(queryset, practice=self.practice, pk=self.kwargs["line_pk"])
        line.budget = self.the_budget
        return line

    def form_context(self, form, line=None) -> dict:
        return {
            **self.get_context_data(),
            **self.frame(self.the_budget, self.the_budget.fiscal_year),
            "form": form,
            "line": line,
            "colspan": 16,
        }

    def render_form(self, form, line=None, status=200):
        template = "budgets/_line_form_row.html" if self.request.htmx else "budgets/line_form.html"
        return TemplateResponse(self.request, template, self.form_context(form, line), status=status)

    def done(self, message: str, line: BudgetLine):
        """The plan again (htmx), the line's category shown in full so the line is in sight; or
        back to the plan page."""
        if self.request.htmx:
            return self.plan_partial(self.the_budget, message=message, opened={line.category})
        messages.success(self.request, message)
        return redirect(self.url("plan", self.the_budget.pk) + f"?open={line.category}#cat-{line.category}")

    def refused(self, exc: ValidationError):
        messages.error(self.request, " ".join(exc.messages))
        if self.request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = self.url("plan", self.the_budget.pk)
            return response
        return redirect(self.url("plan", self.the_budget.pk))


class LineCreateView(LineMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        return self.render_form(LineForm(practice=self.practice, client=self.client_obj))

    def post(self, request, *args, **kwargs):
        form = LineForm(request.POST, practice=self.practice, client=self.client_obj)
        line = None
        if form.is_valid():
            line = run_service(
                form, services.line_create, budget=self.the_budget, actor=request.user, **form.cleaned_data
            )
        if line is None:
            return self.render_form(form, status=400 if not request.htmx else 200)
        return self.done(f"Line “{line.name}” added.", line)


class LineRowView(LineMixin, TemplateView):
    """GET one line's row (the edit form's Cancel)."""

    read_perm = Perm.VIEW
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        line = self.line()
        plan = reports.plan_of([line], selectors.CATEGORIES)
        rows = [
            r
            for r in plan_table(
                plan,
                budget=self.the_budget,
                currency=self.practice.currency,
                base_url=self.url("plan", self.the_budget.pk),
            )
            if not r.get("group")
        ]
        ctx = {
            **self.get_context_data(),
            **self.frame(self.the_budget, self.the_budget.fiscal_year),
            "row": rows[0],
        }
        return TemplateResponse(request, "budgets/_line_row.html", ctx)


class LineEditView(LineMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        line = self.line()
        return self.render_form(LineForm(instance=line, practice=self.practice, client=self.client_obj), line)

    def post(self, request, *args, **kwargs):
        line = self.line()
        form = LineForm(request.POST, instance=line, practice=self.practice, client=self.client_obj)
        saved = None
        if form.is_valid():
            fresh = self.line()
            saved = run_service(
                form, services.line_update, line=fresh, actor=request.user, **form.cleaned_data
            )
        if saved is None:
            return self.render_form(form, self.line(), status=400 if not request.htmx else 200)
        return self.done(f"Line “{saved.name}” saved.", saved)


class LineActionView(LineMixin, View):
    """POST: drop, restore, reset (follow the source again) or delete a line."""

    http_method_names = ["post"]
    action = "drop"

    def post(self, request, *args, **kwargs):
        line = self.line()
        try:
            if self.action == "delete":
                services.line_delete(line=line, actor=request.user)
                message = f"Line “{line.name}” deleted."
            elif self.action == "reset":
                services.line_reset(line=line, actor=request.user)
                message = f"“{line.name}” follows its source again."
            else:
                services.line_drop(line=line, actor=request.user, dropped=self.action == "drop")
                message = f"“{line.name}” {'dropped' if self.action == 'drop' else 'taken back in'}."
        except ValidationError as exc:
            return self.refused(exc)
        return self.done(message, line)
