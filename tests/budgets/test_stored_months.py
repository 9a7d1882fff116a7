"""Each budget keeps its lines' phased months (`Budget.planned_months`), so the client list, the
dashboard and the budgets API read 12 numbers a budget instead of every line. Every service that
writes lines keeps them exact; a line saved outside the services makes them unknown, and readers
then sum the lines — so no page ever shows a stale figure."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from budgets import phasing, planned, reports, selectors, services
from budgets.models import Budget, BudgetLine
from tests.factories import ClientFactory, UserFactory
from vcio.tenancy import all_practices, practice_context

from .conftest import FY, D
from .test_planned_totals import TODAY, _add_lines

pytestmark = pytest.mark.django_db


def phased(budget) -> list:
    """What the stored months must be: the budget's lines phased one by one, in Python."""
    lines = BudgetLine.objects.for_practice(budget.practice_id).filter(budget_id=budget.pk)
    return phasing.sum_months(phasing.line_months(line) for line in lines)


def stored(budget) -> list | None:
    return Budget.objects.for_practice(budget.practice_id).get(pk=budget.pk).stored_months()


def figured(budget) -> dict:
    """What the kept plan figures must be: the plan of every line, made in Python."""
    lines = BudgetLine.objects.for_practice(budget.practice_id).filter(budget_id=budget.pk)
    return reports.figures_of(reports.plan_of(lines, selectors.CATEGORIES))


def kept(budget) -> dict | None:
    return Budget.objects.for_practice(budget.practice_id).get(pk=budget.pk).plan_figures


def test_every_service_that_writes_lines_keeps_the_months(july, roadmap, owner_a):
    budget = services.budget_create(client=july, actor=owner_a, fiscal_year=FY)
    assert stored(budget) == phasing.zeros()  # no lines yet: known, and zero
    assert kept(budget) == figured(budget) and kept(budget)["groups"] == {}

    steps = {
        "build": lambda: services.budget_build(budget=budget, actor=owner_a),
        "manual lines": lambda: _add_lines(budget, owner_a),  # line_create and line_drop
    }
    for name, step in steps.items():
        step()
        assert stored(budget) == phased(budget), name
        assert kept(budget) == figured(budget), name
    generated = BudgetLine.objects.filter(budget=budget, contract__isnull=False).first()
    manual = BudgetLine.objects.filter(
        budget=budget, contract__isnull=True, initiative__isnull=True, dropped=False
    ).first()
    steps = {
        "update": lambda: services.line_update(
            line=generated, actor=owner_a, amount=D("1.00"), first_month=9
        ),
        "drop": lambda: services.line_drop(line=generated, actor=owner_a),
        "take back in": lambda: services.line_drop(line=generated, actor=owner_a, dropped=False),
        "reset": lambda: services.line_reset(line=generated, actor=owner_a),
        "delete": lambda: services.line_delete(line=manual, actor=owner_a),
    }
    for name, step in steps.items():
        before = stored(budget)
        step()
        assert stored(budget) == phased(budget), name
        assert kept(budget) == figured(budget), name
        assert stored(budget) != before, name  # each step changes the plan

    scenario = services.scenario_create(budget=budget, actor=owner_a, name="Lean year")
    assert stored(scenario) == phased(scenario) == phased(budget)
    cut = BudgetLine.objects.filter(budget=scenario).order_by("-amount").first()
    services.line_update(line=cut, actor=owner_a, amount=D("0.00"))
    assert stored(scenario) == phased(scenario) != phased(budget)
    assert kept(scenario) == figured(scenario) != figured(budget)
    services.scenario_promote(scenario=scenario, actor=owner_a)
    assert stored(budget) == phased(budget) == phased(scenario)
    assert kept(budget) == figured(budget) == figured(scenario)


def test_a_line_saved_outside_the_services_makes_the_months_unknown_and_readers_sum_the_lines(
    budget, owner_a, july, api, api_key_a
):
    _add_lines(budget, owner_a)
    line = BudgetLine.objects.filter(budget=budget).order_by("-amount").first()
    line.amount += D("1000.00")
    line.save()  # as the admin or a shell would
    assert stored(budget) is None and kept(budget) is None

    expected = sum(phased(budget), D("0.00"))
    assert selectors.planned_totals(practice=july.practice, clients=[july], today=TODAY) == {
        july.pk: expected
    }
    book = selectors.book_panel_figures(practice=july.practice, clients=[july], today=TODAY)
    assert book[july.pk].planned_total == expected
    assert book[july.pk].planned_ytd == sum(phased(budget)[: book[july.pk].elapsed], D("0.00"))
    listed = api(api_key_a[1]).get("/api/v1/budgets/").json()["results"]
    assert [D(b["total"]) for b in listed if b["id"] == str(budget.pk)] == [expected]

    line.delete()
    planned.replan(budget)
    assert stored(budget) == phased(budget)
    line = BudgetLine.objects.filter(budget=budget).first()
    line.delete()
    assert stored(budget) is None


def test_readers_take_the_stored_months(budget, owner_a, july, api, api_key_a):
    """The client list, the dashboard's book and the API read the stored months, not the lines: a
    sentinel stored there is what they show."""
    sentinel = [D("1.00")] * 12
    Budget.objects.filter(pk=budget.pk).update(planned_months=phasing.as_text(sentinel))
    assert selectors.planned_totals(practice=july.practice, clients=[july], today=TODAY) == {
        july.pk: D("12.00")
    }
    book = selectors.book_panel_figures(practice=july.practice, clients=[july], today=TODAY)
    assert (book[july.pk].planned_total, book[july.pk].planned_ytd) == (D("12.00"), D("5.00"))
    detail = api(api_key_a[1]).get(f"/api/v1/budgets/{budget.pk}/")
    assert json.loads(detail.content)["total"] == "12.00"


def test_replan_budgets_stores_what_is_unknown_in_every_practice(budget, owner_a, practice_b, owner_b):
    _add_lines(budget, owner_a)
    with practice_context(practice_b.pk):
        client_b1 = ClientFactory(practice=practice_b, name="Beta client")
        theirs = services.budget_create(client=client_b1, actor=owner_b, fiscal_year=FY)
        services.line_create(
            budget=theirs,
            actor=owner_b,
            name="Firewall",
            recurrence="annual",
            amount=D("900.00"),
            first_month=3,
        )
    with all_practices("test: forget every budget's months"):
        Budget.objects.all_practices().update(planned_months=None)
        Budget.objects.all_practices().filter(pk=budget.pk).update(plan_figures=None)

    out = io.StringIO()
    call_command("replan_budgets", stdout=out)
    assert "2 budgets" in out.getvalue()
    assert stored(budget) == phased(budget) and kept(budget) == figured(budget)
    # figures alone unknown (months stored before the figures existed): stored too
    Budget.objects.filter(pk=theirs.pk).update(plan_figures=None)
    assert planned.replan_all_practices() == 1 and kept(theirs) == figured(theirs)
    assert stored(theirs) == phased(theirs) and sum(stored(theirs)) == D("900.00")
    assert planned.replan_all_practices() == 0


def test_a_line_moved_to_another_budget_clears_both(budget, owner_a, july):
    _add_lines(budget, owner_a)
    other = services.budget_create(client=july, actor=owner_a, fiscal_year=FY + 1)
    assert stored(budget) is not None and stored(other) is not None
    line = BudgetLine.objects.filter(budget=budget, dropped=False).first()
    line.budget = other  # as the admin's change form may
    line.save()
    assert stored(budget) is None and stored(other) is None
    assert selectors.planned_totals(practice=july.practice, clients=[july], today=TODAY) == {
        july.pk: sum(phased(budget), D("0.00"))
    }


def test_the_admins_bulk_delete_clears_the_months(budget, owner_a, login):
    _add_lines(budget, owner_a)
    superuser = UserFactory(is_staff=True, is_superuser=True)
    http = login(superuser)
    doomed = list(BudgetLine.objects.filter(budget=budget, dropped=False).values_list("pk", flat=True)[:2])
    response = http.post(
        reverse("admin:budgets_budgetline_changelist"),
        {"action": "delete_selected", "_selected_action": [str(pk) for pk in doomed], "post": "yes"},
    )
    assert response.status_code == 302
    assert not BudgetLine.objects.filter(pk__in=doomed).exists()
    assert stored(budget) is None  # readers sum the lines that are left
    planned.replan(budget)
    assert stored(budget) == phased(budget)


def test_the_plan_compares_with_last_years_total_from_its_stored_months(budget, owner_a, july):
    """The plan's "vs FY…" reads the year before's (a scenario's: its budget's) planned total from
    the stored months, and sums its lines when they are unknown; no budget the year before: nothing
    to compare."""
    assert selectors.plan(budget=budget).summary.previous_total is None  # no FY-1 budget

    last_year = services.budget_create(client=july, actor=owner_a, fiscal_year=FY - 1)
    assert selectors.plan(budget=budget).summary.previous_total == D("0.00")  # a budget with no lines
    _add_lines(last_year, owner_a)
    expected = sum(phased(last_year), D("0.00"))
    assert expected > 0
    summary = selectors.plan(budget=budget).summary
    assert summary.previous_total == expected
    assert summary.change == summary.total - expected

    Budget.objects.filter(pk=last_year.pk).update(planned_months=phasing.as_text([D("1.00")] * 12))
    assert selectors.plan(budget=budget).summary.previous_total == D("12.00")  # the stored months
    Budget.objects.filter(pk=last_year.pk).update(planned_months=None)
    assert selectors.plan(budget=budget).summary.previous_total == expected  # unknown: the lines

    scenario = services.scenario_create(budget=budget, actor=owner_a, name="Lean year")
    Budget.objects.filter(pk=budget.pk).update(planned_months=phasing.as_text([D("2.00")] * 12))
    assert selectors.plan(budget=scenario).summary.previous_total == D("24.00")  # its budget's
