"""The budgets API: budgets, lines, scenarios and actuals (CRUD), the build, approval and promotion
actions, and each budget's summary — scoped to the key's practice, refused to read-only keys,
Decimal strings throughout."""

import json
from datetime import date
from decimal import Decimal

import pytest

from budgets import actual_selectors, actual_services, phasing, selectors, services
from budgets.models import Actual, Budget, BudgetLine
from tests.factories import ClientFactory

from .conftest import FY, D

pytestmark = pytest.mark.django_db


def post(http, path, data=None):
    return http.post(path, json.dumps(data or {}), content_type="application/json")


def patch(http, path, data):
    return http.patch(path, json.dumps(data), content_type="application/json")


def test_build_approve_reopen_through_the_api(api, api_key_a, july, roadmap):
    http = api(api_key_a[1])
    created = post(http, "/api/v1/budgets/", {"client": str(july.pk), "fiscal_year": FY, "notes": "Draft"})
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["total"] == "0.00" and created.json()["status"] == "draft"

    built = post(http, f"/api/v1/budgets/{pk}/build/")
    assert built.status_code == 200 and built.json()["created"] == 6
    again = post(http, f"/api/v1/budgets/{pk}/build/").json()
    assert (again["created"], again["updated"], again["removed"], again["unchanged"]) == (0, 0, 0, 6)
    budget = Budget.objects.get(pk=pk)
    assert Decimal(again["budget"]["total"]) == selectors.plan(budget=budget).total

    assert post(http, f"/api/v1/budgets/{pk}/approve/").json()["status"] == "approved"
    refused = patch(http, f"/api/v1/budgets/{pk}/", {"notes": "changed"})
    assert refused.status_code == 400 and "budget" in refused.json()
    assert post(http, f"/api/v1/budgets/{pk}/build/").status_code == 400
    line = BudgetLine.objects.filter(budget_id=pk).first()
    assert patch(http, f"/api/v1/budget-lines/{line.pk}/", {"amount": "1.00"}).status_code == 400
    assert post(http, f"/api/v1/budgets/{pk}/reopen/").json()["status"] == "draft"
    assert (
        patch(http, f"/api/v1/budgets/{pk}/", {"notes": "changed", "fiscal_year": 2030}).json()["fiscal_year"]
        == FY
    )
    duplicate = post(http, "/api/v1/budgets/", {"client": str(july.pk), "fiscal_year": FY})
    assert duplicate.status_code == 400 and "fiscal_year" in duplicate.json()


def test_lines_crud_with_their_phased_months(api, api_key_a, budget, roadmap, vendor_a):
    http = api(api_key_a[1])
    created = post(
        http,
        "/api/v1/budget-lines/",
        {
            "budget": str(budget.pk),
            "name": "Training",
            "category": "training",
            "expense_type": "opex",
            "recurrence": "quarterly",
            "amount": "300.00",
            "first_month": 2,
            "vendor": str(vendor_a.pk),
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["source"] == "manual" and body["total"] == "1200.00"
    assert body["phased"] == [
        "0.00",
        "300.00",
        "0.00",
        "0.00",
        "300.00",
        "0.00",
        "0.00",
        "300.00",
        "0.00",
        "0.00",
        "300.00",
        "0.00",
    ]
    generated = budget.lines.get(contract=roadmap["m365"])
    changed = patch(http, f"/api/v1/budget-lines/{generated.pk}/", {"amount": "900.00"})
    assert changed.json()["adjusted"] is True
    assert http.delete(f"/api/v1/budget-lines/{generated.pk}/").status_code == 400
    dropped = patch(http, f"/api/v1/budget-lines/{generated.pk}/", {"dropped": True})
    assert dropped.json()["dropped"] is True and dropped.json()["total"] == "0.00"
    assert http.delete(f"/api/v1/budget-lines/{body['id']}/").status_code == 204
    listed = http.get("/api/v1/budget-lines/", {"budget": str(budget.pk), "source": "contract"}).json()
    assert listed["count"] == 2
    bad = post(
        http,
        "/api/v1/budget-lines/",
        {"budget": str(budget.pk), "name": "x", "amount": "abc", "first_month": 13},
    )
    assert bad.status_code == 400 and {"amount", "first_month"} <= set(bad.json())


def test_scenarios_through_the_api(api, api_key_a, budget, roadmap):
    http = api(api_key_a[1])
    made = post(http, "/api/v1/scenarios/", {"budget": str(budget.pk), "name": "Lean"})
    assert made.status_code == 201, made.content
    sid = made.json()["id"]
    assert made.json()["total"] == str(selectors.plan(budget=budget).total)
    line = BudgetLine.objects.get(budget_id=sid, initiative=roadmap["firewall"], source_part="one_time")
    patch(http, f"/api/v1/budget-lines/{line.pk}/", {"first_month": 12})
    assert http.get(f"/api/v1/scenarios/{sid}/summary/").json()["planned"]["by_month"][11] != "0.00"
    promoted = post(http, f"/api/v1/scenarios/{sid}/promote/")
    assert promoted.status_code == 200 and promoted.json()["id"] == str(budget.pk)
    assert budget.lines.get(initiative=roadmap["firewall"], source_part="one_time").first_month == 12
    assert post(http, "/api/v1/scenarios/", {"budget": sid, "name": "Of a scenario"}).status_code == 400
    assert http.get("/api/v1/budgets/").json()["count"] == 1  # scenarios are not budgets
    assert http.get("/api/v1/scenarios/", {"budget": str(budget.pk)}).json()["count"] == 1


def test_actuals_crud(api, api_key_a, budget, july, client_a2):
    http = api(api_key_a[1])
    line = budget.lines.first()
    made = post(
        http,
        "/api/v1/actuals/",
        {
            "client": str(july.pk),
            "date": "2026-08-01",
            "amount": "-12.50",
            "category": "cloud",
            "budget_line": str(line.pk),
            "description": "Credit",
        },
    )
    assert made.status_code == 201 and made.json()["amount"] == "-12.50" and made.json()["source"] == "manual"
    other = services.budget_create(client=client_a2, actor=None, fiscal_year=FY)
    other_line = services.line_create(
        budget=other,
        actor=None,
        name="A2",
        category="other",
        expense_type="opex",
        recurrence="monthly",
        amount=D("1"),
        first_month=1,
        months=None,
        vendor=None,
        notes="",
    )
    wrong = post(
        http,
        "/api/v1/actuals/",
        {
            "client": str(july.pk),
            "date": "2026-08-01",
            "amount": "1",
            "category": "cloud",
            "budget_line": str(other_line.pk),
        },
    )
    assert wrong.status_code == 400 and "budget_line" in wrong.json()
    moved = patch(http, f"/api/v1/actuals/{made.json()['id']}/", {"client": str(client_a2.pk)})
    assert moved.status_code == 400
    assert http.get("/api/v1/actuals/", {"date_from": "2026-08-01", "category": "cloud"}).json()["count"] == 1


def test_another_practice_sees_nothing_and_read_only_keys_change_nothing(
    api, api_key_b, read_only_key_a, budget, july
):
    actual = actual_services.actual_create(
        client=july,
        actor=None,
        date=date(2026, 8, 1),
        amount=D("1"),
        category="cloud",
        vendor=None,
        budget_line=None,
        description="x",
    )
    scenario = services.scenario_create(budget=budget, actor=None, name="S")
    line = budget.lines.first()
    theirs = api(api_key_b[1])
    for path in (
        f"/api/v1/budgets/{budget.pk}/",
        f"/api/v1/budgets/{budget.pk}/summary/",
        f"/api/v1/scenarios/{scenario.pk}/",
        f"/api/v1/budget-lines/{line.pk}/",
        f"/api/v1/actuals/{actual.pk}/",
    ):
        assert theirs.get(path).status_code == 404, path
    assert post(theirs, f"/api/v1/budgets/{budget.pk}/build/").status_code == 404
    for prefix in ("budgets", "scenarios", "budget-lines", "actuals"):
        assert theirs.get(f"/api/v1/{prefix}/").json()["count"] == 0
    assert post(theirs, "/api/v1/budgets/", {"client": str(july.pk), "fiscal_year": 2030}).status_code == 400

    reader = api(read_only_key_a[1])
    counts = (Budget.objects.count(), BudgetLine.objects.count(), Actual.objects.count())
    assert reader.get(f"/api/v1/budgets/{budget.pk}/summary/").status_code == 200
    assert post(reader, f"/api/v1/budgets/{budget.pk}/build/").status_code == 403
    assert post(reader, f"/api/v1/budgets/{budget.pk}/approve/").status_code == 403
    assert post(reader, f"/api/v1/scenarios/{scenario.pk}/promote/").status_code == 403
    assert patch(reader, f"/api/v1/budget-lines/{line.pk}/", {"amount": "1"}).status_code == 403
    assert reader.delete(f"/api/v1/actuals/{actual.pk}/").status_code == 403
    assert (Budget.objects.count(), BudgetLine.objects.count(), Actual.objects.count()) == counts
    assert Budget.objects.get(pk=budget.pk).status == "draft"


@pytest.mark.parametrize("prefix", ["budgets", "scenarios", "budget-lines", "actuals"])
def test_list_endpoints_run_constant_queries(
    prefix, api, api_key_a, practice_a, owner_a, django_assert_num_queries
):
    http = api(api_key_a[1])

    def grow(n):
        for _ in range(n):
            client = ClientFactory(practice=practice_a)
            budget = services.budget_create(client=client, actor=owner_a, fiscal_year=FY)
            services.line_create(
                budget=budget,
                actor=owner_a,
                name="L",
                category="cloud",
                expense_type="opex",
                recurrence="monthly",
                amount=D("2"),
                first_month=1,
                months=None,
                vendor=None,
                notes="",
            )
            services.scenario_create(budget=budget, actor=owner_a, name="S")
            actual_services.actual_create(
                client=client,
                actor=owner_a,
                date=date(2027, 1, 1),
                amount=D("1"),
                category="cloud",
                vendor=None,
                budget_line=None,
                description="",
            )

    grow(2)
    http.get(f"/api/v1/{prefix}/")  # the key's first use of the minute records last_used_at
    with django_assert_num_queries(20, exact=False) as small:
        assert http.get(f"/api/v1/{prefix}/").status_code == 200
    grow(8)
    with django_assert_num_queries(len(small.captured_queries)):
        assert http.get(f"/api/v1/{prefix}/").status_code == 200


def test_the_summary_equals_the_lines_phased_months_and_the_actuals_for_a_demo_budget(api, transactional_db):
    """The issue's check: a budget built from the demo data (roadmap and contracts) with its demo
    actuals; the endpoint's totals are the sums of the lines' phased months and of the actuals."""
    from accounts.apikey_services import api_key_create
    from accounts.demo import seed_practice

    world, _ = seed_practice("Summary Partners")
    _, raw = api_key_create(practice=world.practice, actor=world.owner, name="check", read_only=True)
    http = api(raw)
    checked = 0
    for client in world.clients:
        today = selectors.practice_today(world.practice)
        year = selectors.current_fiscal_year(client, today)
        budget = Budget.objects.get(client=client, fiscal_year=year, scenario_of__isnull=True)
        assert budget.built_at is not None and budget.lines.exclude(source="manual").exists()
        data = http.get(f"/api/v1/budgets/{budget.pk}/summary/").json()

        lines = list(budget.lines.all())
        months = phasing.sum_months(phasing.line_months(line) for line in lines)
        assert data["planned"]["by_month"] == [str(v) for v in months]
        assert (
            Decimal(data["planned"]["total"])
            == sum(months, D("0"))
            == sum((phasing.line_total(ln) for ln in lines), D("0"))
        )
        for row in data["categories"]:
            mine = [line for line in lines if line.category == row["category"]]
            assert Decimal(row["planned"]) == sum((phasing.line_total(ln) for ln in mine), D("0"))

        starts = phasing.month_starts(year, client.fiscal_year_start_month)
        assert data["months"] == [d.isoformat() for d in starts]
        actuals = list(actual_selectors.actuals_in_year(client=client, fiscal_year=year))
        assert Decimal(data["actual"]["total"]) == sum((a.amount for a in actuals), D("0"))
        by_month = [
            sum((a.amount for a in actuals if (a.date.year, a.date.month) == (d.year, d.month)), D("0"))
            for d in starts
        ]
        assert [Decimal(v) for v in data["actual"]["by_month"]] == by_month
        assert Decimal(data["variance"]["total"]) == Decimal(data["actual"]["total"]) - Decimal(
            data["planned"]["total"]
        )
        assert all(
            isinstance(v, str) and "." in v for v in data["planned"]["by_month"] + data["actual"]["by_month"]
        )
        checked += bool(actuals)
    assert checked >= 4
