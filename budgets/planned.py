"""Each budget's stored planned months (`Budget.planned_months`: its lines phased by
`phasing.line_months` and summed) and plan figures (`Budget.plan_figures`: each category's line count
and months, the summary — `reports.figures_of`), kept by every service that writes lines (`replan`),
and stored again for budgets that have none (`replan_all_practices`, `manage.py replan_budgets`, after
upgrading)."""

from django.db import transaction
from django.db.models import Q

from vcio.tenancy import all_practices, practice_context

from . import phasing, reports
from .models import Budget, BudgetCategory, BudgetLine

STALE = Q(planned_months__isnull=True) | Q(plan_figures__isnull=True)


def figures(lines) -> tuple[list[str], dict]:
    """(planned months, plan figures) of these lines, as stored."""
    plan = reports.plan_of(lines, BudgetCategory.choices)
    return phasing.as_text(plan.months), reports.figures_of(plan)


def replan(*budgets: Budget) -> None:
    """Keep each budget's `planned_months` and `plan_figures` — one read of the lines and one write a
    budget. Called at the end of every service that writes lines."""
    if not budgets:
        return
    practice_id = budgets[0].practice_id
    lines = {b.pk: [] for b in budgets}
    for line in (
        BudgetLine.objects.for_practice(practice_id)
        .filter(budget_id__in=list(lines))
        .only("budget_id", *reports.FIGURE_FIELDS)
    ):
        lines[line.budget_id].append(line)
    for budget in budgets:
        budget.planned_months, budget.plan_figures = figures(lines[budget.pk])
        Budget.objects.for_practice(practice_id).filter(pk=budget.pk).update(
            planned_months=budget.planned_months, plan_figures=budget.plan_figures
        )


def replan_practice(practice_id) -> int:
    """`replan` every budget of a practice whose months or figures are not known (after an upgrade,
    or a line changed outside the services); returns how many."""
    stale = list(Budget.objects.for_practice(practice_id).filter(STALE))
    for start in range(0, len(stale), 200):
        replan(*stale[start : start + 200])
    return len(stale)


def replan_all_practices() -> int:
    """`replan_practice` in each practice that has budgets whose months are not known
    (`manage.py replan_budgets`, to run after upgrading)."""
    with all_practices("budgets: find budgets whose planned months are not stored"):
        practice_ids = list(
            Budget.objects.all_practices()
            .filter(STALE)
            .order_by()
            .values_list("practice_id", flat=True)
            .distinct()
        )
    total = 0
    for practice_id in practice_ids:
        with practice_context(practice_id), transaction.atomic():
            total += replan_practice(practice_id)
    return total
