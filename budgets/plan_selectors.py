"""Reads of a budget's plan page: each category's first lines and the plan's figures kept with the
budget (`Budget.plan_figures`), so the page does not read every line of a large budget. Split from
`budgets.selectors` (the plan's rules — `plan`, `compared_total`, `CATEGORIES` — stay there)."""

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber

from vcio.forms import light_instances
from vendors.models import Vendor

from . import reports
from .models import Budget, BudgetLine
from .selectors import CATEGORIES, compared_total

# What the plan page reads of a line: its months and summary (`reports.plan_of`) and its row
# (`budget_tags.line_row_html`); a line has other columns, left deferred.
PLAN_LINE_COLUMNS = ("id", "name", *reports.FIGURE_FIELDS, "vendor_id", "source", "source_part", "adjusted")


def plan_lines(*, budget: Budget, first: int | None = None, opened=()) -> list[BudgetLine]:
    """The budget's lines as the plan page needs them, in `budget_lines`' order: the columns it
    shows (`PLAN_LINE_COLUMNS`), made into instances without `Model.__init__`
    (`vcio.forms.light_instances`; shown, never saved; give them `with_vendor_names`). With `first`,
    only each category's first `first` lines, and every line of the `opened` categories."""
    lines = BudgetLine.objects.for_practice(budget.practice_id).filter(budget=budget)
    if first is not None:
        ranked = lines.annotate(
            rank=Window(RowNumber(), partition_by=[F("category")], order_by=[F("name").asc(), F("pk").asc()])
        ).filter(Q(rank__lte=first) | Q(category__in=sorted(opened)))
        lines = lines.filter(pk__in=ranked.values("pk"))
    return light_instances(
        lines.only(*PLAN_LINE_COLUMNS).order_by("category", "name", "pk"),
        for_display=True,
    )


def with_vendor_names(lines: list[BudgetLine], *, budget: Budget) -> list[BudgetLine]:
    """Sets `vendor` (its id, practice and name only) on the lines that have one: one query for the
    lines a page shows."""
    ids = {line.vendor_id for line in lines if line.vendor_id}
    if ids:
        vendors = {
            v.pk: v
            for v in light_instances(
                Vendor.objects.for_practice(budget.practice_id)
                .filter(pk__in=ids)
                .only("id", "practice_id", "name")
            )
        }
        for line in lines:
            if line.vendor_id in vendors:
                line.vendor = vendors[line.vendor_id]
    return lines


def plan_page(*, budget: Budget, first: int, opened=()) -> reports.Plan:
    """The plan as its page shows it: every category's figures and the summary, and as rows each
    category's first `first` lines (all of the `opened` categories'). From the budget's kept plan
    figures (`Budget.plan_figures`) and those lines only — a page whose cost does not grow with the
    budget; where the figures are not known, from every line (`plan`)."""
    previous = compared_total(budget=budget)
    if budget.plan_figures is None:
        return reports.plan_of(plan_lines(budget=budget), CATEGORIES, previous)
    shown = plan_lines(budget=budget, first=first, opened=opened)
    return reports.plan_from_figures(budget.plan_figures, CATEGORIES, shown, previous)
