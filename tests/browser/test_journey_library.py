"""Journey: the initiative library. A consultant opens the library, searches it, adds two templates to
a client's roadmap at a chosen quarter and sees them on the timeline; the library pages fit a phone.

Set VCIO_SCREENSHOT_DIR to keep screenshots of each page at desktop and phone width."""

import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from roadmaps.models import Initiative, InitiativeTemplate
from vcio.fiscal import fiscal_quarter

from .conftest import log_in

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("VCIO_SCREENSHOT_DIR")


def shoot(page, name: str) -> None:
    """At 1280 and 390 px: the page is no wider than the viewport (and a screenshot when asked)."""
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (
            f"{name} overflows at {width}px"
        )
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_consultant_adds_two_templates_to_a_roadmap_and_sees_them_on_the_timeline(page, demo):
    world, logins = demo
    slug = world.practice.slug
    client = world.clients[0]
    log_in(page, *logins["CONSULTANT"])

    # The library, from the sidebar: searchable.
    page.goto(f"/p/{slug}/clients/")
    page.get_by_role("navigation", name="Practice navigation").get_by_role(
        "link", name="Initiative library"
    ).click()
    expect(page.get_by_role("heading", name="Initiative library")).to_be_visible()
    shoot(page, "library-list")
    page.get_by_role("searchbox", name="Search").fill("backup")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#template-table")).to_contain_text("Microsoft 365 backup")
    expect(page.locator("#template-table")).not_to_contain_text("Wi-Fi 6 upgrade")
    page.get_by_role("link", name="Microsoft 365 backup").click()
    expect(page.get_by_role("heading", name="Microsoft 365 backup")).to_be_visible()
    shoot(page, "library-detail")

    # Add two templates to the client's roadmap, two quarters from now.
    page.goto(f"/p/{slug}/clients/{client.pk}/roadmap/")
    page.get_by_role("link", name="Add from library").click()
    expect(page.get_by_role("heading", name="Add from the initiative library")).to_be_visible()
    page.get_by_label("Microsoft 365 backup").check()
    page.get_by_label("Wi-Fi 6 upgrade").check()
    expect(page.locator("#chosen-count")).to_have_text("2 templates chosen.")
    quarter = fiscal_quarter(timezone.localdate(), client.fiscal_year_start_month).add(2)
    page.get_by_label("Start quarter").select_option(label=quarter.label)
    shoot(page, "library-add")
    page.get_by_role("button", name="Add 2 to roadmap").click()

    expect(page.locator(".toast")).to_contain_text(f"Added 2 initiatives to the roadmap in {quarter.label}")
    timeline = page.locator(".timeline")
    expect(timeline.locator(".tl-bar", has_text="Microsoft 365 backup")).to_be_visible()
    expect(timeline.locator(".tl-bar", has_text="Wi-Fi 6 upgrade")).to_be_visible()
    added = Initiative.objects.for_client(client).filter(
        title__in=["Microsoft 365 backup", "Wi-Fi 6 upgrade"]
    )
    assert {(i.target_start, i.status) for i in added} == {(quarter.key, "proposed")}
    assert not page.js_errors, page.js_errors

    # Save one of the client's initiatives back to the library.
    initiative = added.get(title="Wi-Fi 6 upgrade")
    page.goto(f"/p/{slug}/clients/{client.pk}/roadmap/initiatives/{initiative.pk}/")
    page.get_by_role("link", name="Save as template").click()
    page.get_by_label("Title").fill("Wi-Fi 6 upgrade for clinics")
    shoot(page, "library-save")
    page.get_by_role("button", name="Save to the library").click()
    expect(page.locator(".toast")).to_contain_text("saved to the initiative library")
    assert (
        InitiativeTemplate.objects.for_practice(world.practice)
        .filter(title="Wi-Fi 6 upgrade for clinics")
        .exists()
    )


def test_the_import_preview_names_the_bad_rows(page, demo, tmp_path):
    world, logins = demo
    log_in(page, *logins["CONSULTANT"])
    bad = tmp_path / "library.csv"
    bad.write_text(
        "Title,Category,Typical one-time cost\nZero trust,Security,lots\nTeams Phone,Software,6800\n"
    )
    page.goto(f"/p/{world.practice.slug}/library/import/")
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#import-errors")).to_contain_text("Row 2, Typical one-time cost")
    shoot(page, "library-import")
