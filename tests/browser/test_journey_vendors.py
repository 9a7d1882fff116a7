"""Journey 6 (PRODUCT.md): add a vendor, add a client's contract with a notice period, see it
highlighted on the renewals calendar before its notice deadline, and get the calendar's subscribe link.
Also: every vendors page fits a phone (no sideways scrolling) without script errors."""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from vendors import renewals
from vendors.models import Contract, Vendor
from vendors.selectors import practice_today

from .conftest import log_in

pytestmark = pytest.mark.browser


def test_consultant_adds_a_vendor_and_a_contract_and_sees_it_on_the_renewals_calendar(page, demo):
    world, logins = demo
    practice, client = world.practice, world.clients[0]
    log_in(page, *logins["CONSULTANT"])

    # a vendor in the directory
    page.get_by_role("link", name="Vendors").first.click()
    expect(page.get_by_role("heading", name="Vendors", exact=True)).to_be_visible()
    page.get_by_role("link", name="New vendor").click()
    page.get_by_label("Name").fill("Skyline Fiber")
    page.get_by_label("Category").select_option(label="ISP")
    page.get_by_label("Website").fill("skylinefiber.example.com")
    page.get_by_label("Account manager", exact=True).fill("Rita Moreno")
    page.get_by_role("button", name="Create vendor").click()
    expect(page.get_by_role("heading", name="Skyline Fiber")).to_be_visible()
    vendor = Vendor.objects.get(name="Skyline Fiber")
    assert vendor.practice_id == practice.pk and vendor.website == "https://skylinefiber.example.com"

    # a log entry, inline (htmx)
    page.get_by_label("Summary").fill("Intro call: quote for a second circuit.")
    page.get_by_role("button", name="Add to log").click()
    expect(page.locator("#log")).to_contain_text("Added to the log")
    expect(page.locator("#log")).to_contain_text("Intro call: quote for a second circuit.")

    # a contract of the client: renews in 40 days with 30 days' notice -> notice due in 10 days
    today = practice_today(practice)
    renews = today + timedelta(days=40)
    start = renewals.add_months(renews, -12)
    page.goto(f"/p/{practice.slug}/clients/{client.pk}/")
    page.locator(".client-tabs").get_by_role("link", name="Vendors").click()
    page.get_by_role("link", name="New contract").click()
    page.get_by_label("Vendor").select_option(label="Skyline Fiber")
    page.get_by_label("Product or contract").fill("Business fiber 1 Gbps")
    page.get_by_label("Type").select_option(label="Service")
    page.get_by_label("Start date").fill(start.isoformat())
    page.get_by_label("Term (months)", exact=True).fill("12")
    page.get_by_label("Notice period (days)").fill("30")
    page.get_by_label("Billing frequency").select_option(label="Monthly")
    page.get_by_label("Cost per billing period").fill("499.00")
    page.get_by_role("button", name="Create contract").click()

    deadline = renews - timedelta(days=30)
    badge = f"Give notice by {deadline.day} {deadline:%b %Y}"
    expect(page.get_by_role("heading", name="Business fiber 1 Gbps")).to_be_visible()
    expect(page.get_by_text(badge).first).to_be_visible()
    contract = Contract.objects.get(name="Business fiber 1 Gbps")
    assert contract.client_id == client.pk and contract.renewal(today).next_renewal == renews

    # the client's tab highlights it
    page.locator(".breadcrumb").get_by_role("link", name="Vendors").click()
    expect(page.locator(f'tr[data-contract="{contract.pk}"]')).to_have_class(re.compile("in-notice-window"))

    # the renewals calendar highlights its notice deadline
    page.get_by_role("link", name="Renewals").first.click()
    entry = page.locator(f'.cal-entry[data-contract="{contract.pk}"][data-kind="notice"]')
    expect(entry).to_have_class(re.compile("in-notice-window"))
    expect(entry).to_contain_text(badge)
    expect(page.locator(f'.cal-entry[data-contract="{contract.pk}"][data-kind="renewal"]')).to_be_visible()

    # subscribe: the secret link is shown with a copy button, and serves the calendar
    page.get_by_role("button", name="Get my calendar link").click()
    link = page.locator("#feed-url")
    expect(link).to_have_value(re.compile(r"^http://.+/feeds/renewals/[0-9a-f]{64}\.ics$"))
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    feed = page.request.get(link.input_value())
    assert feed.status == 200 and feed.headers["content-type"].startswith("text/calendar")
    assert "Business fiber 1 Gbps" in feed.text().replace("\r\n ", "")
    assert page.js_errors == []


def _pages(world, vendor=None, contract=None):
    practice, client = world.practice, world.clients[0]
    vendor = vendor or Vendor.objects.for_practice(practice).order_by("name").first()
    contract = contract or Contract.objects.for_client(client).order_by("name").first()
    base = f"/p/{practice.slug}"
    return {
        "directory": f"{base}/vendors/",
        "vendor": f"{base}/vendors/{vendor.pk}/",
        "vendor-form": f"{base}/vendors/new/",
        "renewals": f"{base}/renewals/",
        "import": f"{base}/renewals/import/",
        "client-vendors": f"{base}/clients/{client.pk}/vendors/",
        "contract": f"{base}/clients/{client.pk}/vendors/contracts/{contract.pk}/",
        "contract-form": f"{base}/clients/{client.pk}/vendors/contracts/{contract.pk}/edit/",
        "client-overview": f"{base}/clients/{client.pk}/",
    }


LONG = "Ω" + "x" * 199  # 200 characters, no space to break at
RTL = "مؤسسة الخليج للاستشارات التقنية"


@pytest.mark.parametrize("width", [1280, 390])
def test_vendor_pages_fit_the_screen(page, demo, width):
    """No page scrolls sideways (tables scroll inside their card), even with a 200-character vendor and
    contract name and right-to-left text. With VCIO_SCREENSHOTS=<folder>, full-page screenshots are
    saved there to look at."""
    world, logins = demo
    vendor = contract = None
    if width == 390:  # the desktop shots show the demo as it is; the phone ones the worst names too
        vendor = Vendor.objects.create(practice=world.practice, name=LONG, notes=LONG)
        contract = Contract.objects.create(
            practice=world.practice,
            client=world.clients[0],
            vendor=vendor,
            name=LONG,
            start_date=renewals.add_months(practice_today(world.practice), -6),
            term_months=12,
            notice_days=30,
            notes=RTL,
        )
        Vendor.objects.create(practice=world.practice, name=RTL)
    log_in(page, *logins["CONSULTANT"])
    page.set_viewport_size({"width": width, "height": 900})
    folder = os.environ.get("VCIO_SCREENSHOTS")
    for name, path in _pages(world, vendor, contract).items():
        page.goto(path)
        expect(page.locator("main")).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
    assert page.js_errors == []


def test_consultant_imports_contracts_from_csv_after_fixing_a_bad_row(page, demo, tmp_path):
    world, logins = demo
    practice, client = world.practice, world.clients[1]
    log_in(page, *logins["CONSULTANT"])
    header = "vendor,name,start_date,term_months,notice_days,billing_frequency,cost,quantity\n"
    good = "Metro Fiber Networks,Second site circuit,2026-01-15,24,60,monthly,289.00,1\n"
    bad = tmp_path / "contracts.csv"
    bad.write_text(header + good + "Nobody Telecom,Phones,15/01/2026,12,30,monthly,12.50,20\n")
    fixed = tmp_path / "contracts-fixed.csv"
    fixed.write_text(header + good + "ClearLine Voice,Phones,2026-01-15,12,30,monthly,12.50,20\n")
    before = Contract.objects.for_client(client).count()

    page.goto(f"/p/{practice.slug}/clients/{client.pk}/vendors/")
    page.get_by_role("link", name="Import CSV").click()
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Nothing was imported")).to_be_visible()
    errors = page.locator("#import-errors tbody tr")
    expect(errors).to_have_count(2)
    expect(errors.nth(0)).to_contain_text("3")
    expect(errors.nth(0)).to_contain_text("vendor")
    expect(errors.nth(1)).to_contain_text("start_date")
    _shoot(page, "import-errors")
    assert Contract.objects.for_client(client).count() == before

    page.get_by_label("CSV file").set_input_files(str(fixed))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="2 contracts ready to import")).to_be_visible()
    _shoot(page, "import-preview")
    page.get_by_role("button", name="Import 2 contracts").click()
    expect(page.locator(".toast")).to_contain_text("Imported 2 contracts")
    expect(page.locator("#contract-table")).to_contain_text("Second site circuit")
    assert Contract.objects.for_client(client).count() == before + 2
    assert page.js_errors == []


def _shoot(page, name):
    folder = os.environ.get("VCIO_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
