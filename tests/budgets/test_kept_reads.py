"""The budget tab's fixed reads — the budget of a fiscal year and the years its selector offers —
run statements kept for any client and year (`vcio.kept`): for clients of two practices and years
with and without a budget, each answer is the ORM's, never a scenario, never another client's."""

import pytest

from budgets import selectors
from budgets import services as budget_services
from budgets.models import Budget
from vcio import kept

pytestmark = pytest.mark.django_db


def orm_budget_of(client, year):
    return Budget.objects.filter(client=client, fiscal_year=year, scenario_of__isnull=True).first()


def test_the_budget_of_a_year_and_the_years_offered_are_the_orms(
    client_a1, client_a2, canary_client_b, owner_a, owner_b
):
    a1_2026 = budget_services.budget_create(client=client_a1, actor=owner_a, fiscal_year=2026)
    budget_services.budget_create(client=client_a1, actor=owner_a, fiscal_year=2027)
    budget_services.scenario_create(budget=a1_2026, actor=owner_a, name="Lean")
    budget_services.budget_create(client=client_a2, actor=owner_a, fiscal_year=2027)
    budget_services.budget_create(client=canary_client_b, actor=owner_b, fiscal_year=2026)
    kept.KEPT.clear()
    seen = set()
    for client in (client_a1, client_a2, canary_client_b, client_a1):
        for year in (2026, 2027, 2031):
            ours = selectors.budget_of(client=client, fiscal_year=year)
            theirs = orm_budget_of(client, year)
            assert ours == theirs
            if ours is not None:
                assert ours.client_id == client.pk and ours.scenario_of_id is None
                assert ours.approved_by is None
                seen.add(ours.pk)
        years = selectors.budget_years(client=client)
        by_year = {y["year"]: y["budget"] for y in years}
        for year in by_year:
            found = orm_budget_of(client, year)
            assert by_year[year] == (found.pk if found else None)
    assert len(seen) == 4  # the scenario never
    assert {k[0] for k in kept.KEPT} == {"budgets.budget-of", "budgets.years"}
    assert None not in kept.KEPT.values()  # kept, and used
