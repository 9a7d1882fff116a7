"""The plan shows each category's first lines (`budgets.views.LINES_SHOWN`) and offers the others
("Show all N … lines", `?open=`), so a large budget's page does not grow with it; the subtotals and
the totals still count every line, and a line added or saved in place stays in sight."""

import re
from decimal import Decimal

from budgets import plan_selectors, planned, selectors, services
from budgets.models import Budget, BudgetLine
from budgets.views import LINES_SHOWN
from tests.factories import VendorFactory
from vcio.templatetags.vcio_tags import format_money

from .conftest import FY, HTMX, url
from .test_views import line_data


def _budget(july, owner, counts: dict[str, int], vendor=None):
    budget = services.budget_create(client=july, actor=owner, fiscal_year=FY)
    BudgetLine.objects.bulk_create(
        BudgetLine(
            practice_id=budget.practice_id,
            budget=budget,
            name=f"{category} {k:03}",
            category=category,
            recurrence="monthly",
            amount=Decimal(k + 1),
            first_month=1,
            vendor=vendor,
        )
        for category, n in counts.items()
        for k in range(n)
    )
    planned.replan(budget)  # what the services do after writing lines (a bulk write bypasses them)
    return budget


def _lines(content: bytes) -> list[str]:
    return re.findall(r'<span class="line-name" dir="auto">([^<]+)</span>', content.decode())


def test_a_category_shows_its_first_lines_and_offers_the_others(as_consultant_a, july, owner_a):
    budget = _budget(july, owner_a, {"hardware": LINES_SHOWN + 3, "cloud": LINES_SHOWN})
    page = as_consultant_a.get(url("plan", july.pk, budget.pk))
    names = _lines(page.content)
    hardware = [n for n in names if n.startswith("hardware")]
    assert hardware == [f"hardware {k:03}" for k in range(LINES_SHOWN)]  # the first, in the plan's order
    assert len([n for n in names if n.startswith("cloud")]) == LINES_SHOWN  # all ten: nothing to offer
    assert page.content.count(b'class="more-row') == 1
    link = f"{url('plan', july.pk, budget.pk)}?open=hardware#cat-hardware"
    assert f'href="{link}"'.encode() in page.content and b"Show all 13 Hardware lines" in page.content
    # the subtotal and the total count every line, the hidden ones included
    plan = selectors.plan(budget=budget)
    assert plan.line_count == 23
    total = format_money(plan.total, "USD").encode()
    assert b'id="budget-total">' + total in page.content
    assert b"Hardware <span" in page.content and b"\xc2\xb7 13</span>" in page.content

    opened = as_consultant_a.get(link)
    assert len([n for n in _lines(opened.content) if n.startswith("hardware")]) == 13
    assert b'class="more-row' not in opened.content
    swapped = as_consultant_a.get(link, **HTMX)  # the link's htmx request: the plan alone
    # the plan alone, carrying its open categories to the requests made from it (hx-vals is inherited)
    assert b"<html" not in swapped.content
    assert swapped.content.startswith(b'<div id="budget-plan" hx-vals=\'{"open": "hardware"}\'>')
    assert len(_lines(swapped.content)) == 23


def test_opening_a_second_category_keeps_the_first_open(as_consultant_a, july, owner_a):
    budget = _budget(july, owner_a, {"hardware": 12, "cloud": 12, "staff": 2})
    base = url("plan", july.pk, budget.pk)
    page = as_consultant_a.get(base, {"open": "hardware"})
    assert f'href="{base}?open=cloud,hardware#cat-cloud"'.encode() in page.content
    unknown = as_consultant_a.get(base, {"open": "yachts"})  # an unknown key is ignored
    assert f'href="{base}?open=cloud#cat-cloud"'.encode() in unknown.content
    both = as_consultant_a.get(base, {"open": "cloud,hardware,yachts"})
    assert len(_lines(both.content)) == 26 and b'class="more-row' not in both.content


def test_a_line_saved_in_place_is_shown_with_its_category_and_the_page_open_ones(
    as_consultant_a, july, owner_a
):
    budget = _budget(july, owner_a, {"hardware": 12, "cloud": 12})
    base = url("plan", july.pk, budget.pk)
    # "Zebra" sorts after the first ten hardware lines: the category is opened to show it
    added = as_consultant_a.post(
        url("line_create", july.pk, budget.pk),
        line_data(name="Zebra printers"),
        HTTP_HX_CURRENT_URL=f"http://testserver{base}?open=cloud",
        **HTMX,
    )
    assert added.status_code == 200 and "Zebra printers" in _lines(added.content)
    assert len(_lines(added.content)) == 25 and b'class="more-row' not in added.content
    # a line of another category saved in place, from the plan with hardware open (its hx-vals)
    cloud = BudgetLine.objects.filter(budget=budget, category="cloud").first()
    saved = as_consultant_a.post(
        url("line_edit", july.pk, budget.pk, cloud.pk),
        {**line_data(name="Azure credits", category="cloud"), "open": "hardware"},
        HTTP_HX_CURRENT_URL=f"http://testserver{base}",
        **HTMX,
    )
    assert saved.status_code == 200 and "Azure credits" in _lines(saved.content)
    assert len(_lines(saved.content)) == 25  # hardware's 13 and the cloud line's category, 12
    # without JavaScript: back to the plan with the line's category open
    line = BudgetLine.objects.get(name="Zebra printers")
    saved = as_consultant_a.post(
        url("line_edit", july.pk, budget.pk, line.pk), line_data(name="Zebra labels")
    )
    assert saved.status_code == 302 and saved["Location"] == f"{base}?open=hardware#cat-hardware"


def test_only_the_shown_lines_name_their_vendor(as_consultant_a, july, owner_a, practice_a):
    vendor = VendorFactory(practice=practice_a, name="Ingram <Micro>")
    budget = _budget(july, owner_a, {"hardware": 12}, vendor=vendor)
    page = as_consultant_a.get(url("plan", july.pk, budget.pk))
    assert page.content.count(b'<span dir="auto">Ingram &lt;Micro&gt;</span>') == LINES_SHOWN


def test_the_plan_reads_the_same_lines_as_the_orm(july, owner_a, practice_a):
    vendor = VendorFactory(practice=practice_a)
    budget = _budget(july, owner_a, {"hardware": 3, "cloud": 2}, vendor=vendor)
    light = plan_selectors.plan_lines(budget=budget)
    orm = list(selectors.budget_lines(budget=budget))
    assert [line.pk for line in light] == [line.pk for line in orm]
    columns = plan_selectors.PLAN_LINE_COLUMNS
    assert [[getattr(line, c) for c in columns] for line in light] == [
        [getattr(line, c) for c in columns] for line in orm
    ]
    assert [
        v.name for v in (line.vendor for line in plan_selectors.with_vendor_names(light, budget=budget))
    ] == [vendor.name] * 5


def _plan_html(content: bytes) -> str:
    """The plan as the page shows it: the summary, the chart and the lines table."""
    text = content.decode()
    return text[text.index('<div id="budget-plan"') : text.index("</table>")]


def test_the_page_from_its_kept_figures_is_the_page_from_every_line(
    as_consultant_a, july, owner_a, practice_a
):
    """The plan's figures kept with the budget (`Budget.plan_figures`) and only the shown lines read
    make the same page as every line read (the figures unknown: a line written outside the
    services), opened or not — categories, counts, months, summary, chart and rows."""
    vendor = VendorFactory(practice=practice_a, name="Dell")
    budget = _budget(july, owner_a, {"hardware": 13, "cloud": 4, "other": 11}, vendor=vendor)
    services.line_drop(line=BudgetLine.objects.filter(budget=budget, category="other").last(), actor=owner_a)
    base = url("plan", july.pk, budget.pk)
    assert Budget.objects.get(pk=budget.pk).plan_figures is not None
    from_figures = [as_consultant_a.get(base, query).content for query in ({}, {"open": "other"})]
    Budget.objects.filter(pk=budget.pk).update(plan_figures=None)
    from_lines = [as_consultant_a.get(base, query).content for query in ({}, {"open": "other"})]
    for kept, read in zip(from_figures, from_lines, strict=True):
        assert _plan_html(kept) == _plan_html(read)
    assert b"Show all 13 Hardware lines" in from_figures[1] and b"Show all 11" not in from_figures[1]
