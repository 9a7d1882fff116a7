"""Each budget's stored planned months (`Budget.planned_months`): its lines phased by
`phasing.line_months` and summed, kept by every service that writes lines (`replan`), and stored again
for budgets that have none (`replan_all_practices`, `manage.py replan_budgets`, after upgrading)."""

from django.db import transaction

from vcio.tenancy import all_practices, practice_context

from . import phasing
from .models import Budget, BudgetLine


def replan(*budgets: Budget) -> None:
    """Keep each budget's `planned_months`: its lines phased by `phasing.line_months`, summed — one
    read of the lines and one write a budget. Called at the end of every service that writes lines."""
    if not budgets:
        return
    practice_id = budgets[0].practice_id
    months = {b.pk: phasing.zeros() for b in budgets}
    for line in (
        BudgetLine.objects.for_practice(practice_id)
        .filter(budget_id__in=list(months))
        .only("budget_id", "recurrence", "amount", "first_month", "months", "dropped")
    ):
        months[line.budget_id] = phasing.add(months[line.budget_id], phasing.line_months(line))
    for budget in budgets:
        budget.planned_months = phasing.as_text(months[budget.pk])
        Budget.objects.for_practice(practice_id).filter(pk=budget.pk).update(
            planned_months=budget.planned_months
        )


def replan_practice(practice_id) -> int:
    """`replan` every budget of a practice whose months are not known (after an upgrade, or a line
    changed outside the services); returns how many."""
    stale = list(Budget.objects.for_practice(practice_id).filter(planned_months__isnull=True))
    for start in range(0, len(stale), 200):
        replan(*stale[start : start + 200])
    return len(stale)


def replan_all_practices() -> int:
    """`replan_practice` in each practice that has budgets whose months are not known
    (`manage.py replan_budgets`, to run after upgrading)."""
    with all_practices("budgets: find budgets whose planned months are not stored"):
        practice_ids = list(
            Budget.objects.all_practices()
            .filter(planned_months__isnull=True)
            .order_by()
            .values_list("practice_id", flat=True)
            .distinct()
        )
    total = 0
    for practice_id in practice_ids:
        with practice_context(practice_id), transaction.atomic():
            total += replan_practice(practice_id)
    return total
