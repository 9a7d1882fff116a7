"""What a client's History tab shows of its budgets, their lines and its actual spend (registered in
`BudgetsConfig.ready`). Split from `budgets.selectors`."""

from vcio.history import HistorySource

from .models import Actual, Budget, BudgetLine


def budget_label(record) -> str:
    if record.scenario_of_id:
        return f"FY{record.fiscal_year} scenario “{record.name}”"
    return f"FY{record.fiscal_year} budget"


def line_label(record) -> str:
    return record.name


def actual_label(record) -> str:
    return f"{record.date:%Y-%m-%d} {record.description or record.get_category_display()}"


def _client_budget_ids(client):
    return Budget.objects.for_client(client).values("pk")


CLIENT_HISTORY_SOURCES = [
    HistorySource(
        "Budget", lambda c: Budget.history.filter(practice_id=c.practice_id, client_id=c.pk), (), budget_label
    ),
    HistorySource(
        "Budget line",
        lambda c: BudgetLine.history.filter(practice_id=c.practice_id, budget_id__in=_client_budget_ids(c)),
        (),
        line_label,
    ),
    HistorySource(
        "Actual spend",
        lambda c: Actual.history.filter(practice_id=c.practice_id, client_id=c.pk),
        (),
        actual_label,
    ),
]
