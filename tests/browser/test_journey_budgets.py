"""Journey 5 (PRODUCT.md): build a budget from the roadmap, edit a line inline, import actual spend,
see the variance and a chart, create a what-if scenario and compare it. Also: every budget page fits a
phone (tables and charts scroll inside their card) without script errors. With
VCIO_SCREENSHOTS=<folder>, full-page screenshots are saved there to look at."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from budgets import planned, selectors
from budgets.models import Actual, Budget, BudgetLine

from .conftest import log_in

pytestmark = pytest.mark.browser


def _shoot(page, name):
    folder = os.environ.get("VCIO_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}-{page.viewport_size['width']}.png", full_page=True)


def test_consultant_builds_edits_imports_compares(page, demo, tmp_path):
    world, logins = demo
    practice, client = world.practice, world.clients[2]
    year = selectors.current_fiscal_year(client, selectors.practice_today(practice))
    Budget.objects.filter(client=client, fiscal_year=year).delete()  # start without this year's budget
    Actual.objects.filter(client=client).delete()
    log_in(page, *logins["CONSULTANT"])

    # build this year's budget from the roadmap and the contracts
    page.goto(f"/p/{practice.slug}/clients/{client.pk}/")
    page.locator(".client-tabs").get_by_role("link", name="Budget").click()
    expect(page.locator("#no-budget")).to_contain_text(f"No FY{year} budget")
    page.get_by_role("button", name=f"Build the FY{year} budget").click()
    expect(page.locator(".toast")).to_contain_text("built from the roadmap and contracts")
    budget = Budget.objects.get(client=client, fiscal_year=year, scenario_of__isnull=True)
    generated = BudgetLine.objects.filter(budget=budget).exclude(source="manual")
    assert generated.filter(source="initiative").exists() and generated.filter(source="contract").exists()
    contract_line = generated.filter(source="contract", recurrence="monthly").order_by("name").first()
    row = page.locator(f"#line-{contract_line.pk}")
    expect(row).to_contain_text(contract_line.name)
    expect(page.locator("figure figcaption").first).to_contain_text("is the largest category")

    # edit a line inline: a bad amount is a field error in the row, a good one saves
    row.get_by_role("link", name=f"Edit {contract_line.name}").click()
    editor = page.locator(f"#line-{contract_line.pk}.line-editing")
    editor.get_by_label("Amount").fill("-5")
    editor.get_by_role("button", name="Save line").click()
    expect(page.locator(f"#line-{contract_line.pk} .invalid-feedback")).to_be_visible()
    page.locator(f"#line-{contract_line.pk}").get_by_label("Amount").fill("1234.50")
    page.locator(f"#line-{contract_line.pk}").get_by_role("button", name="Save line").click()
    row = page.locator(f"#line-{contract_line.pk}")
    expect(row).to_contain_text("$1,234.50")
    expect(row).to_contain_text("Changed by hand")
    expect(page.locator(".toast").last).to_contain_text(f"Line “{contract_line.name}” saved.")
    contract_line.refresh_from_db()
    assert str(contract_line.amount) == "1234.50" and contract_line.adjusted
    _shoot(page, "budget-plan")

    # import actual spend (an accounting export with its own column names)
    first_month = selectors.phasing.month_starts(year, client.fiscal_year_start_month)[0]
    csv_file = tmp_path / "spend.csv"
    csv_file.write_text(
        "Posted,Memo,Total,Budget category\n"
        f"{first_month:%Y-%m}-05,{contract_line.name},1300.00,{contract_line.category}\n"
        f"{first_month:%Y-%m}-20,Emergency switch,2100.00,hardware\n"
    )
    page.get_by_role("link", name="Actual spend").click()
    page.get_by_role("link", name="Import CSV").click()
    page.get_by_label("CSV file").set_input_files(str(csv_file))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name=re.compile("2 payments ready to import"))).to_be_visible()
    expect(page.get_by_label("Amount")).to_have_value("2")  # guessed from "Total"
    _shoot(page, "budget-import")
    page.get_by_role("button", name="Import 2 payments").click()
    expect(page.locator(".toast")).to_contain_text("Imported 2 payments")
    expect(page.locator("#actual-table")).to_contain_text("Emergency switch")
    assert Actual.objects.filter(client=client).count() == 2

    # the variance and a chart
    page.get_by_role("link", name="Budget vs actual").click()
    expect(page.locator("#monthly-chart svg")).to_be_visible()
    expect(page.locator("#monthly-chart figcaption")).to_contain_text(
        re.compile(rf"Spent .*% of the FY{year} budget")
    )
    expect(page.locator("#variance-by-category")).to_contain_text("Hardware")
    expect(page.locator("#variance-by-month tbody tr").first).to_contain_text("$3,400.00")
    _shoot(page, "budget-variance")

    # a what-if scenario: move the biggest one-time line to the last month, then compare
    page.get_by_role("link", name="Scenarios").click()
    page.get_by_label("Scenario name").fill("Push the project to year end")
    page.get_by_role("button", name="Create scenario").click()
    expect(page.get_by_role("heading", name=re.compile("Push the project to year end"))).to_be_visible()
    scenario = Budget.objects.get(scenario_of=budget)
    biggest = BudgetLine.objects.filter(budget=scenario, recurrence="one_time").order_by("-amount").first()
    if biggest.first_month == 12:
        biggest.first_month = 1
        biggest.save()
        page.reload()
    page.locator(f"#line-{biggest.pk}").get_by_role("link", name=f"Edit {biggest.name}").click()
    page.locator(f"#line-{biggest.pk}").get_by_label("First month").select_option("12")
    page.locator(f"#line-{biggest.pk}").get_by_role("button", name="Save line").click()
    expect(page.locator(f"#line-{biggest.pk}")).to_contain_text("Changed by hand")
    page.get_by_role("link", name="Compare", exact=True).click()
    months = page.locator("#compare-months")
    expect(months.locator("td.changed")).to_have_count(2)
    expect(months.locator(".diff-up")).to_contain_text(f"+{_money(biggest.amount)}")
    expect(months.locator(".diff-down")).to_contain_text(f"-{_money(biggest.amount)}")
    expect(page.locator("#compare-categories tfoot")).to_contain_text("no change")
    _shoot(page, "budget-compare")
    assert page.js_errors == []


def _money(value) -> str:
    return f"${value:,.2f}"


def _pages(world):
    practice, client = world.practice, world.clients[0]
    budget = Budget.objects.filter(client=client, scenario_of__isnull=True).order_by("fiscal_year").first()
    scenario = Budget.objects.filter(scenario_of__client=client).first() or budget
    line = BudgetLine.objects.filter(budget=budget).first()
    base = f"/p/{practice.slug}/clients/{client.pk}/budget/"
    return {
        "budget-plan": f"{base}{budget.pk}/",
        "budget-scenario": f"{base}{scenario.pk}/",
        "budget-variance": f"{base}{budget.pk}/variance/",
        "budget-forecast": f"{base}{budget.pk}/forecast/",
        "budget-scenarios": f"{base}{budget.pk}/scenarios/",
        "budget-compare": f"{base}{budget.pk}/compare/",
        "budget-line-form": f"{base}{budget.pk}/lines/{line.pk}/edit/",
        "budget-empty": f"{base}?year=2040",
        "budget-actuals": f"{base}actuals/",
        "budget-actual-form": f"{base}actuals/new/",
        "budget-import": f"{base}actuals/import/",
        "budget-settings": f"/p/{practice.slug}/settings/budgets/",
        "client-overview": f"/p/{practice.slug}/clients/{client.pk}/",
    }


LONG = "Ω" + "x" * 199  # 200 characters, no space to break at


@pytest.mark.parametrize("width", [1280, 390])
def test_budget_pages_fit_the_screen(page, demo, width):
    """No page scrolls sideways (tables and charts scroll inside their card), even with a 200-character
    line name."""
    world, logins = demo
    if width == 390:
        budget = (
            Budget.objects.filter(client=world.clients[0], scenario_of__isnull=True)
            .order_by("fiscal_year")
            .first()
        )
        BudgetLine.objects.filter(pk=BudgetLine.objects.filter(budget=budget).first().pk).update(name=LONG)
    log_in(page, *logins["OWNER"])
    page.set_viewport_size({"width": width, "height": 900})
    for name, path in _pages(world).items():
        page.goto(path)
        expect(page.locator("main")).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
        _shoot(page, name)
    assert page.js_errors == []


def test_a_long_category_shows_its_first_lines_then_all(page, demo):
    """A category of 13 lines shows 10 and "Show all 13 Hardware lines"; the link swaps the plan in
    place (htmx) with every line, and nothing scrolls sideways."""
    world, logins = demo
    budget = (
        Budget.objects.filter(client=world.clients[0], scenario_of__isnull=True)
        .exclude(status="approved")
        .order_by("fiscal_year")
        .first()
    )
    BudgetLine.objects.filter(budget=budget, category="hardware").delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(
            practice_id=budget.practice_id,
            budget=budget,
            name=f"Laptop refresh {k:02}",
            category="hardware",
            expense_type="capex",
            recurrence="one_time",
            amount=1000 + k,
            first_month=k % 12 + 1,
        )
        for k in range(13)
    )
    planned.replan(budget)  # what the services do after writing lines
    log_in(page, *logins["OWNER"])
    page.goto(f"/p/{world.practice.slug}/clients/{world.clients[0].pk}/budget/{budget.pk}/")
    hardware = page.locator("#budget-lines tr.line-row", has_text="Laptop refresh")
    expect(hardware).to_have_count(10)
    _shoot(page, "budget-plan-bounded")
    page.get_by_role("link", name="Show all 13 Hardware lines").click()
    expect(hardware).to_have_count(13)
    expect(page.locator("#more-hardware")).to_have_count(0)
    # a line of another category edited in place: the plan comes back with hardware still open
    other = (
        BudgetLine.objects.filter(budget=budget)
        .exclude(category="hardware")
        .order_by("category", "name")
        .first()
    )
    page.locator(f"#line-{other.pk}").get_by_role("link", name=f"Edit {other.name}").click()
    page.locator(f"#line-{other.pk}").get_by_label("Amount").fill("321.00")
    page.locator(f"#line-{other.pk}").get_by_role("button", name="Save line").click()
    expect(page.locator(".toast")).to_contain_text("saved")
    expect(page.locator(f"#line-{other.pk}")).to_contain_text("$321.00")
    expect(hardware).to_have_count(13)
    _shoot(page, "budget-plan-opened")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert page.js_errors == []
