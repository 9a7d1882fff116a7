"""Journey 2 (PRODUCT.md): the demo owner logs in, creates a client, finds it in the list and opens it."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = pytest.mark.browser


def test_owner_creates_a_client_finds_it_and_opens_it(page, demo):
    world, logins = demo
    email, password = logins["OWNER"]

    log_in(page, email, password)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()  # the practice's home
    page.get_by_label("Practice navigation").get_by_role("link", name="Clients").click()
    expect(page.get_by_role("heading", name="Clients")).to_be_visible()
    expect(page.locator("#client-table")).to_contain_text("Harbor Family Dental")

    page.get_by_role("link", name="New client").click()
    page.get_by_label("Name").fill("Orchard Street Pharmacy")
    page.get_by_label("Industry").select_option(label="Healthcare")
    page.get_by_label("Headcount").fill("27")
    page.get_by_label("Fiscal year start month").select_option(label="April")
    page.get_by_role("button", name="Create client").click()

    expect(page.get_by_role("heading", name="Orchard Street Pharmacy")).to_be_visible()
    expect(page.locator(".toast")).to_contain_text("created")

    page.get_by_role("link", name="Clients").first.click()
    page.get_by_label("Search").fill("Orchard")
    page.get_by_role("button", name="Apply").click()
    rows = page.locator("#client-table tbody tr")
    expect(rows).to_have_count(1)
    rows.get_by_role("link", name="Orchard Street Pharmacy").click()

    expect(page).to_have_url(re.compile(r"/p/northwind-vcio-partners/clients/[0-9a-f-]{36}/$"))
    expect(page.get_by_text("Fiscal year starts April")).to_be_visible()
    assert page.js_errors == []


def test_invalid_client_shows_field_errors_in_the_browser(page, demo):
    world, logins = demo
    log_in(page, *logins["CONSULTANT"])
    page.goto(f"/p/{world.practice.slug}/clients/new/")
    page.get_by_label("Headcount").fill("-5")
    page.get_by_role("button", name="Create client").click()
    expect(page.locator("#form-error-summary")).to_be_visible()
    expect(page.locator("#id_name_errors")).to_have_text("This field is required.")
    expect(page.locator("#id_headcount")).to_have_attribute("aria-invalid", "true")


def test_viewer_sees_no_new_client_button(page, demo):
    world, logins = demo
    log_in(page, *logins["VIEWER"])
    page.goto(f"/p/{world.practice.slug}/clients/")
    expect(page.locator("#client-table")).to_contain_text("Harbor Family Dental")
    expect(page.get_by_role("link", name="New client")).to_have_count(0)
