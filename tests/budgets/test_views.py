"""The Budget tab: pages load for the practice's own budgets, another practice's or another client's are
404s, readers cannot write, inline edits answer field errors (never a 500), constant query counts,
exports (CSV with a byte-order mark, XLSX with numbers as numbers)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from budgets import actual_services, planned, services
from budgets.models import Actual, Budget, BudgetLine

from .conftest import FY, HTMX, D, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(budget, july, client_a2, canary_client_b, owner_a, owner_b):
    """A1's budget with a manual line, a scenario and an actual; A2's and B's budgets."""
    line = services.line_create(
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
    scenario = services.scenario_create(budget=budget, actor=owner_a, name="Lean year")
    actual = actual_services.actual_create(
        client=july,
        actor=owner_a,
        date=date(2026, 8, 2),
        amount=D("990.00"),
        category="other",
        vendor=None,
        budget_line=line,
        description="Spare parts",
    )
    a2 = services.budget_create(client=client_a2, actor=owner_a, fiscal_year=FY)
    a2_line = services.line_create(
        budget=a2,
        actor=owner_a,
        name="A2-line",
        category="other",
        expense_type="opex",
        recurrence="monthly",
        amount=D("5.00"),
        first_month=1,
        months=None,
        vendor=None,
        notes="",
    )
    a2_actual = actual_services.actual_create(
        client=client_a2,
        actor=owner_a,
        date=date(2027, 2, 1),
        amount=D("5.00"),
        category="other",
        vendor=None,
        budget_line=None,
        description="A2-actual",
    )
    b = services.budget_create(client=canary_client_b, actor=owner_b, fiscal_year=FY)
    b_line = services.line_create(
        budget=b,
        actor=owner_b,
        name="CANARY-Bravo-Line",
        category="other",
        expense_type="opex",
        recurrence="monthly",
        amount=D("5.00"),
        first_month=1,
        months=None,
        vendor=None,
        notes="",
    )
    b_actual = actual_services.actual_create(
        client=canary_client_b,
        actor=owner_b,
        date=date(2027, 2, 1),
        amount=D("5.00"),
        category="other",
        vendor=None,
        budget_line=None,
        description="CANARY-Bravo-Actual",
    )
    return {
        "budget": budget,
        "line": line,
        "scenario": scenario,
        "actual": actual,
        "client": july,
        "a2": a2,
        "a2_line": a2_line,
        "a2_actual": a2_actual,
        "client_a2": client_a2,
        "b": b,
        "b_line": b_line,
        "b_actual": b_actual,
        "client_b": canary_client_b,
    }


BUDGET_PAGES = ["plan", "export_xlsx", "budget_edit", "variance", "forecast", "scenarios", "compare"]
BUDGET_POSTS = [
    "build",
    "propose",
    "approve",
    "reopen",
    "promote",
    "budget_delete",
    "scenario_create",
    "line_create",
]
LINE_PAGES = ["line_row", "line_edit"]
LINE_POSTS = ["line_drop", "line_restore", "line_reset", "line_delete", "line_edit"]


def test_every_page_loads_for_the_practices_own_budget(as_owner_a, world):
    c, b, s, line = world["client"].pk, world["budget"].pk, world["scenario"].pk, world["line"].pk
    for name in BUDGET_PAGES:
        for budget in (b, s):
            assert as_owner_a.get(url(name, c, budget)).status_code == 200, name
    for name in LINE_PAGES:
        assert as_owner_a.get(url(name, c, b, line)).status_code == 200, name
    for name in ("budget", "actuals", "actual_create", "actual_import", "actual_import_template"):
        assert as_owner_a.get(url(name, c)).status_code == 200, name
    assert as_owner_a.get(url("actual_edit", c, world["actual"].pk)).status_code == 200
    assert as_owner_a.get(url("settings")).status_code == 200


def test_another_practices_and_another_clients_objects_are_404s_everywhere(as_owner_a, world):
    c, b, actual = world["client"].pk, world["budget"].pk, world["actual"].pk
    foreign = [
        ("B's client", lambda n: url(n, world["client_b"].pk, world["b"].pk)),
        ("B's budget under A1", lambda n: url(n, c, world["b"].pk)),
        ("A2's budget under A1", lambda n: url(n, c, world["a2"].pk)),
        ("A1's budget under A2", lambda n: url(n, world["client_a2"].pk, b)),
    ]
    for name in BUDGET_PAGES + BUDGET_POSTS:
        for label, make in foreign:
            method = as_owner_a.post if name in BUDGET_POSTS else as_owner_a.get
            assert method(make(name)).status_code == 404, (name, label)
    for name in LINE_PAGES + LINE_POSTS:
        for other in (world["b_line"].pk, world["a2_line"].pk):
            assert as_owner_a.get(url(name, c, b, other)).status_code in (404, 405), name
            assert as_owner_a.post(url(name, c, b, other)).status_code in (404, 405), name
        assert as_owner_a.post(url(name, c, world["a2"].pk, world["a2_line"].pk)).status_code in (404, 405), (
            name
        )
    for name in ("actual_edit", "actual_delete"):
        for client, other in (
            (c, world["b_actual"].pk),
            (c, world["a2_actual"].pk),
            (world["client_a2"].pk, actual),
        ):
            assert as_owner_a.post(url(name, client, other)).status_code == 404, name
    for name in ("budget", "actuals", "actual_import", "budget_create"):
        assert as_owner_a.get(url(name, world["client_b"].pk)).status_code in (404, 405)
    assert (
        Budget.objects.filter(pk=world["b"].pk).exists()
        and BudgetLine.objects.filter(pk=world["b_line"].pk).exists()
    )


def test_no_page_shows_another_practices_or_clients_data(as_owner_a, world):
    c, b = world["client"].pk, world["budget"].pk
    for response in (
        as_owner_a.get(url("plan", c, b)),
        as_owner_a.get(url("actuals", c)),
        as_owner_a.get(url("actuals", c), {"format": "csv"}),
        as_owner_a.get(url("actual_create", c)),
        as_owner_a.get(url("variance", c, b)),
    ):
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"CANARY" not in body and b"A2-line" not in body and b"A2-actual" not in body


def test_a_viewer_reads_but_cannot_write(as_viewer_a, world):
    c, b, line = world["client"].pk, world["budget"].pk, world["line"].pk
    assert as_viewer_a.get(url("plan", c, b)).status_code == 200
    page = as_viewer_a.get(url("plan", c, b)).content.decode()
    assert "Add line" not in page and "Build from roadmap" not in page and "Approve" not in page
    before = (BudgetLine.objects.count(), Actual.objects.count(), Budget.objects.get(pk=b).status)
    for name in BUDGET_POSTS:
        assert as_viewer_a.post(url(name, c, b)).status_code == 403, name
    for name in LINE_POSTS:
        assert as_viewer_a.post(url(name, c, b, line), {"name": "x"}).status_code == 403, name
    assert as_viewer_a.get(url("line_edit", c, b, line)).status_code == 403
    assert (
        as_viewer_a.post(
            url("actual_create", c), {"date": "2026-08-01", "amount": "1", "category": "other"}
        ).status_code
        == 403
    )
    assert as_viewer_a.post(url("actual_delete", c, world["actual"].pk)).status_code == 403
    assert as_viewer_a.post(url("budget_create", c), {"fiscal_year": 2030}).status_code == 403
    assert as_viewer_a.get(url("settings")).status_code == 403
    assert (BudgetLine.objects.count(), Actual.objects.count(), Budget.objects.get(pk=b).status) == before


def line_data(**overrides):
    data = {
        "name": "Spare laptops",
        "category": "hardware",
        "expense_type": "capex",
        "recurrence": "one_time",
        "amount": "2400.00",
        "first_month": "3",
        "months": "",
        "vendor": "",
        "notes": "",
    }
    return {**data, **overrides}


def test_adding_and_editing_a_line_inline(as_consultant_a, world):
    c, b = world["client"].pk, world["budget"].pk
    form = as_consultant_a.get(url("line_create", c, b), **HTMX)
    assert form.status_code == 200 and b'id="line-new"' in form.content and b"<html" not in form.content
    assert b"1 \xc2\xb7 Jul" in form.content  # months in the client's fiscal order

    added = as_consultant_a.post(url("line_create", c, b), line_data(), **HTMX)
    assert added.status_code == 200 and added["HX-Retarget"] == "#budget-plan"
    line = BudgetLine.objects.get(name="Spare laptops")
    assert line.source == "manual" and line.first_month == 3 and b"Spare laptops" in added.content

    edit = as_consultant_a.get(url("line_edit", c, b, line.pk), **HTMX)
    assert f'id="line-{line.pk}"'.encode() in edit.content and b"line-editing" in edit.content
    saved = as_consultant_a.post(
        url("line_edit", c, b, line.pk), line_data(amount="2600.00", months="4"), **HTMX
    )
    assert saved.status_code == 200 and saved["HX-Retarget"] == "#budget-plan"
    line.refresh_from_db()
    assert line.amount == Decimal("2600.00") and line.months == 4
    row = as_consultant_a.get(url("line_row", c, b, line.pk), **HTMX)
    assert b"$2,600.00" in row.content and b"<tr" in row.content


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"amount": "lots"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"amount": "123456789012345.00"}, "amount"),
        ({"first_month": "13"}, "first_month"),
        ({"months": "0"}, "months"),
        ({"name": ""}, "name"),
        ({"name": "Two\nlines"}, "name"),
        ({"category": "yachts"}, "category"),
        ({"vendor": "00000000-0000-0000-0000-000000000000"}, "vendor"),
    ],
)
def test_bad_input_shows_field_errors_inline_and_saves_nothing(as_consultant_a, world, bad, field):
    c, b, line = world["client"].pk, world["budget"].pk, world["line"]
    before = BudgetLine.objects.count()
    response = as_consultant_a.post(url("line_edit", c, b, line.pk), line_data(**bad), **HTMX)
    assert response.status_code == 200 and "HX-Retarget" not in response
    assert f'id="id_{field}_errors"'.encode() in response.content and b"is-invalid" in response.content
    line.refresh_from_db()
    assert line.name == "Contingency" and line.amount == D("1000.00")
    plain = as_consultant_a.post(url("line_create", c, b), line_data(**bad))
    assert plain.status_code == 400 and BudgetLine.objects.count() == before


def test_a_vendor_of_another_practice_cannot_be_chosen(as_consultant_a, world, practice_b):
    from tests.factories import VendorFactory

    theirs = VendorFactory(practice=practice_b, name="CANARY-Bravo-Vendor")
    c, b = world["client"].pk, world["budget"].pk
    form = as_consultant_a.get(url("line_create", c, b))
    assert b"CANARY-Bravo-Vendor" not in form.content
    response = as_consultant_a.post(url("line_create", c, b), line_data(vendor=str(theirs.pk)))
    assert response.status_code == 400 and not BudgetLine.objects.filter(vendor=theirs).exists()


def test_an_approved_budget_cannot_be_edited_from_the_page(as_consultant_a, world, owner_a):
    c, b, line = world["client"].pk, world["budget"], world["line"]
    as_consultant_a.post(url("approve", c, b.pk))
    b.refresh_from_db()
    assert b.status == "approved"
    page = as_consultant_a.get(url("plan", c, b.pk)).content.decode()
    assert "Reopen" in page and "Add line" not in page and "Build from roadmap" not in page
    response = as_consultant_a.post(url("line_edit", c, b.pk, line.pk), line_data(), **HTMX)
    assert response.status_code == 200 and b"approved and frozen" in response.content
    line.refresh_from_db()
    assert line.name == "Contingency"
    as_consultant_a.post(url("reopen", c, b.pk))
    b.refresh_from_db()
    assert b.status == "draft"


def test_the_budget_tab_offers_to_build_a_missing_year(as_consultant_a, july, roadmap):
    page = as_consultant_a.get(url("budget", july.pk), {"year": FY})
    assert b"Build the FY2027 budget" in page.content
    response = as_consultant_a.post(url("budget_create", july.pk), {"fiscal_year": FY, "build": "on"})
    budget = Budget.objects.get(client=july, fiscal_year=FY)
    assert response.status_code == 302 and response["Location"] == url("plan", july.pk, budget.pk)
    assert budget.lines.count() == 6 and budget.built_at is not None
    assert as_consultant_a.post(url("budget_create", july.pk), {"fiscal_year": "x"}).status_code == 400


def test_build_button_reports_what_changed(as_consultant_a, world):
    c, b = world["client"].pk, world["budget"].pk
    response = as_consultant_a.post(url("build", c, b), follow=True)
    assert "Already up to date" in response.content.decode()


def grow(budget, owner, n):
    BudgetLine.objects.bulk_create(
        BudgetLine(
            practice_id=budget.practice_id,
            budget=budget,
            name=f"Line {k}",
            category=["hardware", "cloud", "staff"][k % 3],
            recurrence=["monthly", "quarterly", "one_time", "annual"][k % 4],
            amount=D(k + 1),
            first_month=k % 12 + 1,
        )
        for k in range(n)
    )
    planned.replan(budget)  # what the services do after writing lines (a bulk write bypasses them)


def test_the_budget_tab_runs_the_same_queries_for_20_and_500_lines(
    as_consultant_a, july, owner_a, django_assert_num_queries
):
    budget = services.budget_create(client=july, actor=owner_a, fiscal_year=FY)
    services.budget_create(client=july, actor=owner_a, fiscal_year=FY - 1)
    target = url("plan", july.pk, budget.pk)
    grow(budget, owner_a, 20)
    as_consultant_a.get(target)  # warm-up: the session's first write
    with django_assert_num_queries(30, exact=False) as small:
        assert as_consultant_a.get(target).status_code == 200
    grow(budget, owner_a, 480)
    with django_assert_num_queries(len(small.captured_queries)):
        response = as_consultant_a.get(target)
    # 10 lines of each of the three categories, each offering its others; the totals count all 500
    assert response.content.count(b'class="line-row') == 30
    assert response.content.count(b'class="more-row') == 3


@pytest.mark.parametrize("name", ["variance", "forecast", "scenarios", "compare"])
def test_other_budget_pages_run_constant_queries(
    name, as_consultant_a, world, owner_a, django_assert_num_queries
):
    c, b = world["client"].pk, world["budget"]
    grow(b, owner_a, 5)
    as_consultant_a.get(url(name, c, b.pk))  # warm-up: the session's first write
    with django_assert_num_queries(40, exact=False) as small:
        assert as_consultant_a.get(url(name, c, b.pk)).status_code == 200
    grow(b, owner_a, 60)
    for k in range(30):
        actual_services.actual_create(
            client=world["client"],
            actor=owner_a,
            date=date(2026, 7 + k % 6, 1 + k),
            amount=D(k),
            category="cloud",
            vendor=None,
            budget_line=None,
            description=f"A{k}",
        )
    with django_assert_num_queries(len(small.captured_queries)):
        assert as_consultant_a.get(url(name, c, b.pk)).status_code == 200


def test_actuals_list_runs_constant_queries(
    as_consultant_a, world, owner_a, vendor_a, django_assert_num_queries
):
    c = world["client"]
    as_consultant_a.get(url("actuals", c.pk))  # warm-up: the session's first write
    with django_assert_num_queries(30, exact=False) as small:
        assert as_consultant_a.get(url("actuals", c.pk)).status_code == 200
    for k in range(40):
        actual_services.actual_create(
            client=c,
            actor=owner_a,
            date=date(2026, 9, 1 + k % 28),
            amount=D(k),
            category="cloud",
            vendor=vendor_a,
            budget_line=world["line"],
            description=f"Bill {k}",
        )
    with django_assert_num_queries(len(small.captured_queries)):
        assert as_consultant_a.get(url("actuals", c.pk)).status_code == 200


def test_the_csv_export_has_a_bom_and_the_fiscal_months(as_consultant_a, world):
    response = as_consultant_a.get(url("plan", world["client"].pk, world["budget"].pk), {"format": "csv"})
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("\ufeffCategory,Description")
    header = body.splitlines()[0]
    assert (
        "Jul 2026" in header and "Jun 2027" in header and header.index("Jul 2026") < header.index("Jun 2027")
    )
    assert "Contingency" in body


def test_the_xlsx_export_opens_with_a_sheet_per_view_and_numbers_as_numbers(as_consultant_a, world):
    response = as_consultant_a.get(url("export_xlsx", world["client"].pk, world["budget"].pk))
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Summary", "Plan", "Budget vs actual", "Forecast", "Actuals"]
    plan = book["Plan"]
    header = [c.value for c in plan[1]]
    assert header[9] == "Jul 2026" and header[20] == "Jun 2027"
    contingency = next(row for row in plan.iter_rows(min_row=2) if row[1].value == "Contingency")
    jul = contingency[9]
    assert jul.data_type == "n" and jul.value == 1000 and "$" in jul.number_format
    total = contingency[21]
    assert total.value == 4000 and "$" in total.number_format
    summary = {row[0].value: row[1] for row in book["Summary"].iter_rows()}
    assert summary["Total"].data_type == "n" and "$" in summary["Total"].number_format
    actual = book["Actuals"]["B2"]
    assert actual.value == 990 and actual.data_type == "n"


def test_the_xlsx_export_never_turns_text_into_a_formula(as_consultant_a, world, owner_a):
    services.line_update(line=world["line"], actor=owner_a, name='=HYPERLINK("http://evil")')
    response = as_consultant_a.get(url("export_xlsx", world["client"].pk, world["budget"].pk))
    plan = load_workbook(io.BytesIO(response.content))["Plan"]
    cell = next(row[1] for row in plan.iter_rows(min_row=2) if str(row[1].value).startswith("=HYPER"))
    assert cell.data_type == "s"


def test_the_variance_page_states_the_number_that_matters(as_consultant_a, world, owner_a):
    c, b = world["client"], world["budget"]
    response = as_consultant_a.get(url("variance", c.pk, b.pk))
    text = response.content.decode()
    assert "<svg" in text and "planned and actual spend by month" in text
    assert "of the FY2027 budget" in text or "has not started" in text


def test_settings_change_the_inflation_rate(as_admin_a, practice_a):
    response = as_admin_a.post(url("settings"), {"inflation_rate": "4.5"})
    assert response.status_code == 302
    from budgets.selectors import budget_settings

    assert budget_settings(practice=practice_a).inflation_rate == D("4.50")
    bad = as_admin_a.post(url("settings"), {"inflation_rate": "80"})
    assert bad.status_code == 400 and budget_settings(practice=practice_a).inflation_rate == D("4.50")


def test_the_actuals_list_filters_and_sorts_past_its_kept_statement(july, client_a2, owner_a, as_owner_a):
    """The list as it opens runs a kept statement (vcio.kept); a filter, a search or another order
    must still be applied — and another client's actuals never shown."""
    for day, amount, category, text in [
        (date(2026, 8, 2), "990.00", "other", "Spare parts"),
        (date(2026, 9, 5), "120.00", "security", "Firewall support"),
        (date(2026, 10, 1), "450.00", "security", "Endpoint licences"),
    ]:
        actual_services.actual_create(
            client=july,
            actor=owner_a,
            date=day,
            amount=D(amount),
            category=category,
            vendor=None,
            budget_line=None,
            description=text,
        )
    actual_services.actual_create(
        client=client_a2,
        actor=owner_a,
        date=date(2026, 9, 9),
        amount=D("7.00"),
        category="other",
        vendor=None,
        budget_line=None,
        description="Someone else's",
    )

    def shown(**params):
        body = as_owner_a.get(url("actuals", july.pk), {"year": 2027, **params}).content.decode()
        names = ["Spare parts", "Firewall support", "Endpoint licences", "Someone else's"]
        return sorted((body.index(n), n) for n in names if n in body)

    assert [n for _, n in shown()] == ["Endpoint licences", "Firewall support", "Spare parts"]
    assert [n for _, n in shown(category="security")] == ["Endpoint licences", "Firewall support"]
    assert [n for _, n in shown(q="firewall")] == ["Firewall support"]
    assert [n for _, n in shown(sort="amount")] == ["Firewall support", "Endpoint licences", "Spare parts"]
