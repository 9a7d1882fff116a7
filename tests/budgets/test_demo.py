"""seed_demo gives every client this year's and next year's budgets built from its roadmap and
contracts, believable actual spend for the months already past (some lines over plan, some under),
and a what-if scenario for a couple of clients."""

from accounts.demo import seed_practice
from budgets import selectors
from budgets.models import Actual, Budget, BudgetLine
from tests.test_seed_scale import monthly_spend, summed_by_month


def test_demo_budgets(db):
    world, _ = seed_practice("Demo Budgets Practice")
    practice = world.practice
    today = selectors.practice_today(practice)
    over = under = 0
    for client in world.clients:
        year = selectors.current_fiscal_year(client, today)
        budgets = Budget.objects.for_client(client).filter(scenario_of__isnull=True)
        assert sorted(budgets.values_list("fiscal_year", flat=True)) == [year, year + 1], client.name
        current = budgets.get(fiscal_year=year)
        lines = BudgetLine.objects.for_practice(practice).filter(budget=current)
        assert lines.filter(source="initiative").exists() and lines.filter(source="contract").exists(), (
            client.name
        )
        assert current.built_at is not None
        variance = selectors.variance(budget=current, today=today)
        if variance.elapsed > 1:
            assert variance.total.actual_ytd > 0, client.name
            actuals = Actual.objects.for_client(client)
            assert actuals.filter(date__gt=today).count() == 0
            assert actuals.filter(budget_line__isnull=True).exists() or actuals.count() > 10
        assert monthly_spend(client) == summed_by_month(client), client.name  # kept by the demo
        over += sum(1 for r in variance.rows if r.variance_ytd > 0)
        under += sum(1 for r in variance.rows if r.variance_ytd < 0)
    assert over >= 3 and under >= 3  # some categories over plan, some under
    assert Budget.objects.for_practice(practice).filter(status="approved").exists()
    scenarios = Budget.objects.for_practice(practice).filter(scenario_of__isnull=False)
    assert scenarios.count() == 2
    for scenario in scenarios:
        base = selectors.plan(budget=scenario.scenario_of, with_previous=False)
        mine = selectors.plan(budget=scenario, with_previous=False)
        assert mine.months != base.months  # the what-if changed something
    assert selectors.budget_settings(practice=practice).pk is not None
