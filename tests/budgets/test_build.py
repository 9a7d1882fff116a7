"""Building a budget from the roadmap and the contracts (`services.budget_build`): the one cost rule of
each source, idempotent, keyed by source, manual lines never touched, hand changes kept."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from budgets import actual_services, phasing, selectors, services
from budgets.models import BudgetLine, LineSource
from roadmaps.selectors import initiative_cost_rollups
from roadmaps.services import initiative_transition, initiative_update
from tests.factories import ContractFactory
from vcio.fiscal import FiscalQuarter

from .conftest import FY, D, initiative

pytestmark = pytest.mark.django_db


def snapshot(budget):
    fields = (
        "id",
        "name",
        "category",
        "expense_type",
        "recurrence",
        "amount",
        "first_month",
        "months",
        "vendor_id",
        "source",
        "source_part",
        "initiative_id",
        "contract_id",
        "adjusted",
        "dropped",
    )
    return {
        line.pk: tuple(getattr(line, f) for f in fields)
        for line in BudgetLine.objects.for_practice(budget.practice_id).filter(budget=budget)
    }


def line_of(budget, source, part=""):
    qs = BudgetLine.objects.for_practice(budget.practice_id).filter(budget=budget)
    if hasattr(source, "target_start"):
        return qs.get(initiative=source, source_part=part)
    return qs.get(contract=source)


def test_the_build_follows_the_roadmap_and_the_contracts(budget, roadmap):
    lines = {(ln.initiative_id or ln.contract_id, ln.source_part): ln for ln in budget.lines.all()}
    assert len(lines) == 6  # firewall ×2, mfa, backup (running), m365, edr; not the proposed or rejected ones
    firewall_once = lines[(roadmap["firewall"].pk, "one_time")]
    # FY2027 Q2 starts in October: fiscal month 4 of a July year
    assert (firewall_once.recurrence, firewall_once.amount, firewall_once.first_month) == (
        "one_time",
        D("12000.00"),
        4,
    )
    assert (firewall_once.category, firewall_once.expense_type) == ("hardware", "capex")
    firewall_run = lines[(roadmap["firewall"].pk, "recurring")]
    assert (firewall_run.recurrence, firewall_run.amount, firewall_run.first_month, firewall_run.months) == (
        "monthly",
        D("150.00"),
        4,
        None,
    )
    assert lines[(roadmap["mfa"].pk, "one_time")].first_month == 7  # FY2027 Q3 = January
    backup = lines[(roadmap["backup"].pk, "recurring")]  # started in FY2026 Q4: runs all year
    assert (backup.first_month, phasing.line_total(backup)) == (1, D("1080.00"))
    m365 = lines[(roadmap["m365"].pk, "")]
    assert (m365.recurrence, m365.amount, m365.category, m365.vendor_id) == (
        "monthly",
        D("880.00"),
        "cloud",
        roadmap["m365"].vendor_id,
    )
    edr = lines[(roadmap["edr"].pk, "")]
    assert [i + 1 for i, v in enumerate(phasing.line_months(edr)) if v] == [2, 5, 8, 11]  # Aug, Nov, Feb, May


def test_contract_lines_phase_exactly_as_the_vendors_billing_rule(budget, july):
    billed = {c.pk: m for c, m in selectors.fiscal_year_billing(client=july, fiscal_year=FY)}
    for line in budget.lines.filter(source=LineSource.CONTRACT):
        charges = [billed[line.contract_id][day] for day in sorted(billed[line.contract_id])]
        assert phasing.line_months(line) == charges


def test_initiative_lines_add_up_to_the_roadmaps_cost_rollup(budget, july):
    rollup = initiative_cost_rollups(
        client=july, first=FiscalQuarter(FY, 1), last=FiscalQuarter(FY, 4), statuses=selectors.BUILD_STATUSES
    ).years[0]
    lines = budget.lines.filter(source=LineSource.INITIATIVE)
    assert sum((phasing.line_total(ln) for ln in lines), D("0")) == rollup.total
    assert (
        sum((phasing.line_total(ln) for ln in lines if ln.recurrence == "one_time"), D("0"))
        == rollup.one_time
    )


def test_building_twice_gives_the_same_lines(budget, owner_a):
    before = snapshot(budget)
    result = services.budget_build(budget=budget, actor=owner_a)
    assert not result.changed and result.unchanged == 6
    assert snapshot(budget) == before


def test_changing_an_initiatives_cost_changes_exactly_its_line(budget, roadmap, owner_a):
    before = snapshot(budget)
    initiative_update(initiative=roadmap["firewall"], actor=owner_a, one_time_cost=D("13500.00"))

    result = services.budget_build(budget=budget, actor=owner_a)

    after = snapshot(budget)
    changed = {pk for pk in after if after[pk] != before.get(pk)}
    assert changed == {line_of(budget, roadmap["firewall"], "one_time").pk}
    assert line_of(budget, roadmap["firewall"], "one_time").amount == D("13500.00")
    assert (result.created, result.updated, result.removed) == (0, 1, 0)


def test_manual_lines_survive_and_vanished_sources_go(budget, roadmap, owner_a, july, vendor_a):
    manual = services.line_create(
        budget=budget,
        actor=owner_a,
        name="Contingency",
        category="other",
        expense_type="opex",
        recurrence="quarterly",
        amount=D("1000.00"),
        first_month=1,
        months=None,
        vendor=None,
        notes="",
    )
    initiative_transition(initiative=roadmap["idea"], actor=owner_a, to="approved")  # now counts
    initiative_transition(initiative=roadmap["firewall"], actor=owner_a, to="rejected")  # no longer
    new_contract = ContractFactory(
        client=july,
        vendor=vendor_a,
        name="Backup appliance",
        start_date=date(2026, 9, 1),
        billing_frequency="one_time",
        cost=D("2500.00"),
        auto_renew=False,
        term_months=None,
    )

    result = services.budget_build(budget=budget, actor=owner_a)

    assert (result.created, result.removed) == (2, 2)
    assert BudgetLine.objects.filter(pk=manual.pk).exists()
    assert not budget.lines.filter(initiative=roadmap["firewall"]).exists()
    assert budget.lines.get(initiative=roadmap["idea"]).amount == D("5000.00")
    once = budget.lines.get(contract=new_contract)
    assert (once.recurrence, once.first_month, phasing.line_total(once)) == ("one_time", 3, D("2500.00"))


def test_a_line_changed_by_hand_or_dropped_keeps_its_numbers_until_reset(budget, roadmap, owner_a):
    line = line_of(budget, roadmap["firewall"], "one_time")
    services.line_update(line=line, actor=owner_a, amount=D("9000.00"), first_month=6)
    dropped = line_of(budget, roadmap["m365"])
    services.line_drop(line=dropped, actor=owner_a)
    initiative_update(initiative=roadmap["firewall"], actor=owner_a, one_time_cost=D("15000.00"))

    result = services.budget_build(budget=budget, actor=owner_a)

    line.refresh_from_db()
    assert (line.adjusted, line.amount, line.first_month) == (True, D("9000.00"), 6)
    assert result.kept == 2 and budget.lines.filter(contract=roadmap["m365"]).count() == 1
    assert phasing.line_total(line_of(budget, roadmap["m365"])) == D("0.00")
    services.line_reset(line=line, actor=owner_a)
    line.refresh_from_db()
    assert (line.adjusted, line.amount, line.first_month) == (False, D("15000.00"), 4)


def test_nothing_is_duplicated_by_the_database_either(budget, roadmap):
    from django.db import IntegrityError, transaction

    line = line_of(budget, roadmap["m365"])
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLine.objects.create(
            practice_id=budget.practice_id,
            budget=budget,
            name="Again",
            amount=1,
            source="contract",
            contract=line.contract,
        )


def test_generated_lines_are_dropped_not_deleted(budget, roadmap, owner_a):
    with pytest.raises(ValidationError):
        services.line_delete(line=line_of(budget, roadmap["m365"]), actor=owner_a)


def test_one_budget_per_client_and_year(budget, july, owner_a):
    with pytest.raises(ValidationError) as exc:
        services.budget_create(client=july, actor=owner_a, fiscal_year=FY)
    assert "fiscal_year" in exc.value.message_dict


# --- approval ----------------------------------------------------------------------------------------


def test_an_approved_budget_refuses_every_change_until_reopened(budget, roadmap, owner_a):
    services.budget_approve(budget=budget, actor=owner_a)
    before = snapshot(budget)
    line = line_of(budget, roadmap["m365"])
    attempts = [
        lambda: services.budget_build(budget=budget, actor=owner_a),
        lambda: services.line_create(
            budget=budget,
            actor=owner_a,
            name="x",
            category="other",
            expense_type="opex",
            recurrence="monthly",
            amount=D("1"),
            first_month=1,
            months=None,
            vendor=None,
            notes="",
        ),
        lambda: services.line_update(line=line, actor=owner_a, amount=D("1.00")),
        lambda: services.line_drop(line=line, actor=owner_a),
        lambda: services.budget_update(budget=budget, actor=owner_a, notes="changed"),
        lambda: services.budget_delete(budget=budget, actor=owner_a),
        lambda: services.budget_approve(budget=budget, actor=owner_a),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError):
            attempt()
    budget.refresh_from_db()
    assert snapshot(budget) == before and budget.notes == "" and budget.status == "approved"

    services.budget_reopen(budget=budget, actor=owner_a)
    services.line_update(line=line_of(budget, roadmap["m365"]), actor=owner_a, notes="Price rise in March")
    reasons = [r.history_change_reason for r in budget.history.order_by("history_date")]
    assert "Approved" in reasons and "Reopened" in reasons
    approved = budget.history.filter(history_change_reason="Approved").get()
    assert approved.status == "approved" and approved.history_user == owner_a


# --- scenarios ---------------------------------------------------------------------------------------


def test_a_scenario_copies_the_budget_and_changes_alone(budget, roadmap, owner_a):
    scenario = services.scenario_create(budget=budget, actor=owner_a, name="Defer the firewall")
    assert snapshot(scenario).keys().isdisjoint(snapshot(budget))
    assert scenario.lines.count() == budget.lines.count()
    before = snapshot(budget)
    line = scenario.lines.get(initiative=roadmap["firewall"], source_part="one_time")
    services.line_update(line=line, actor=owner_a, first_month=12)
    assert snapshot(budget) == before
    with pytest.raises(ValidationError):
        services.budget_build(budget=scenario, actor=owner_a)
    with pytest.raises(ValidationError):
        services.budget_approve(budget=scenario, actor=owner_a)
    with pytest.raises(ValidationError):
        services.scenario_create(budget=budget, actor=owner_a, name="defer THE firewall")


def test_promoting_a_scenario_replaces_the_budgets_lines_at_once(budget, roadmap, owner_a, july):
    paid = budget.lines.get(contract=roadmap["m365"])
    actual = actual_services.actual_create(
        client=july,
        actor=owner_a,
        date=date(2026, 8, 3),
        amount=D("880.00"),
        category="cloud",
        vendor=None,
        budget_line=paid,
        description="M365 August",
    )
    scenario = services.scenario_create(budget=budget, actor=owner_a, name="Cloud first")
    services.line_update(
        line=scenario.lines.get(initiative=roadmap["firewall"], source_part="one_time"),
        actor=owner_a,
        first_month=12,
    )
    services.line_drop(line=scenario.lines.get(contract=roadmap["edr"]), actor=owner_a)
    extra = services.line_create(
        budget=scenario,
        actor=owner_a,
        name="Azure",
        category="cloud",
        expense_type="opex",
        recurrence="monthly",
        amount=D("400.00"),
        first_month=3,
        months=None,
        vendor=None,
        notes="",
    )

    services.scenario_promote(scenario=scenario, actor=owner_a)

    ours = selectors.plan(budget=budget, with_previous=False)
    theirs = selectors.plan(budget=scenario, with_previous=False)
    assert ours.months == theirs.months and ours.total == theirs.total
    assert budget.lines.get(initiative=roadmap["firewall"], source_part="one_time").first_month == 12
    assert budget.lines.filter(name="Azure").count() == 1 and budget.lines.count() == 7
    actual.refresh_from_db()
    assert actual.budget_line_id == paid.pk  # the line was updated in place
    assert budget.history.filter(history_change_reason="Promoted scenario “Cloud first”").exists()
    extra.refresh_from_db()
    assert extra.copied_from is not None  # a second promotion finds its twin
    services.scenario_promote(scenario=scenario, actor=owner_a)
    assert budget.lines.count() == 7


def test_promoting_into_an_approved_budget_changes_nothing(budget, owner_a):
    scenario = services.scenario_create(budget=budget, actor=owner_a, name="Lean")
    services.line_update(line=scenario.lines.first(), actor=owner_a, amount=D("1.00"))
    services.budget_approve(budget=budget, actor=owner_a)
    before = snapshot(budget)
    with pytest.raises(ValidationError):
        services.scenario_promote(scenario=scenario, actor=owner_a)
    assert snapshot(budget) == before


def test_the_forecast_carries_recurring_lines_with_inflation_and_adds_later_initiatives(
    budget, july, owner_a
):
    initiative(
        july, 20282, one_time="4000.00", monthly="100.00", status="proposed", category="cloud"
    )  # FY2028 Q2
    services.budget_settings_update(practice=july.practice, actor=owner_a, inflation_rate=D("10.00"))
    forecast = selectors.forecast(budget=budget)
    first, second, third = forecast.years
    assert first.total == selectors.plan(budget=budget, with_previous=False).total
    recurring = sum((phasing.annualized(ln) for ln in budget.lines.all()), D("0"))
    assert second.carried == (recurring * D("1.1")).quantize(D("0.01"))
    assert (second.new_one_time, second.new_recurring) == (D("4000.00"), D("900.00"))  # October..June
    assert (third.new_one_time, third.new_recurring) == (D("0.00"), D("1200.00"))
    assert third.carried == sum(
        ((phasing.annualized(ln) * D("1.21")).quantize(D("0.01")) for ln in budget.lines.all()), D("0")
    )


def test_deleting_the_practice_takes_its_budgets_and_nothing_else(
    budget, july, owner_a, canary_client_b, owner_b
):
    from accounts.services import practice_delete
    from budgets.models import Actual, Budget

    services.scenario_create(budget=budget, actor=owner_a, name="S")
    actual_services.actual_create(
        client=july,
        actor=owner_a,
        date=date(2026, 8, 1),
        amount=D("5"),
        category="cloud",
        vendor=budget.lines.exclude(vendor=None).first().vendor,
        budget_line=budget.lines.first(),
        description="x",
    )
    theirs = services.budget_create(client=canary_client_b, actor=owner_b, fiscal_year=FY)
    services.budget_settings_update(practice=july.practice, actor=owner_a, inflation_rate=D("2"))

    practice_delete(practice=july.practice, actor=owner_a)

    assert not Budget.objects.filter(practice_id=july.practice_id).exists()
    assert not BudgetLine.objects.filter(practice_id=july.practice_id).exists()
    assert not Actual.objects.filter(practice_id=july.practice_id).exists()
    assert Budget.objects.filter(pk=theirs.pk).exists()
