"""Advisories journey (issue 15): a consultant writes an advisory, targets it at an industry and
publishes it; it shows on a matching client's overview and not on another's; from the advisory, one
step makes an initiative on the matching client's roadmap. The pages fit a phone without script errors."""

import pytest
from playwright.sync_api import expect

from qbr.advisory_models import Advisory
from roadmaps.models import Initiative

from .conftest import log_in

pytestmark = pytest.mark.browser

TITLE = "Retire SMS codes: passkeys for every clinic login"


def test_consultant_publishes_an_advisory_to_an_industry_and_sees_it_on_a_matching_client(page, demo):
    world, logins = demo
    practice = world.practice
    dental = next(c for c in world.clients if c.industry == "healthcare")
    legal = next(c for c in world.clients if c.industry == "legal")
    log_in(page, *logins["CONSULTANT"])

    page.goto(f"/p/{practice.slug}/")
    page.get_by_role("link", name="Advisories").first.click()
    expect(page.get_by_role("heading", name="Advisories", exact=True)).to_be_visible()
    page.get_by_role("link", name="New advisory").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Category").select_option(label="Security")
    page.get_by_label("Severity").select_option(label="Critical")
    page.get_by_label("Show to").select_option(label="Clients in chosen industries")
    page.get_by_label("Industries").select_option(["healthcare"])
    page.get_by_label("Link").fill("https://www.hhs.gov/hipaa/")
    page.get_by_label("Body (Markdown)").fill(
        "Move **every** clinic login to passkeys.\n\n- Start with admins\n- <script>alert(1)</script>"
    )
    page.get_by_role("button", name="Create draft").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.locator(".advisory-body strong")).to_have_text("every")
    expect(page.locator(".advisory-body")).to_contain_text("<script>alert(1)</script>")  # shown, not run
    expect(page.locator(".advisory-status")).to_have_text("Draft")

    # a draft is on no overview yet
    page.goto(f"/p/{practice.slug}/clients/{dental.pk}/")
    expect(page.locator("#advisories-panel")).not_to_contain_text(TITLE)

    # publish it
    page.go_back()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".advisory-status")).to_contain_text("Published")
    advisory = Advisory.objects.get(title=TITLE)
    assert advisory.practice_id == practice.pk and advisory.industry_list == ["healthcare"]

    # on the matching client's overview, not on the other's
    page.goto(f"/p/{practice.slug}/clients/{dental.pk}/")
    panel = page.locator("#advisories-panel")
    expect(panel).to_contain_text(TITLE)
    page.goto(f"/p/{practice.slug}/clients/{legal.pk}/")
    expect(page.locator("#advisories-panel")).to_be_visible()
    expect(page.locator("#advisories-panel")).not_to_contain_text(TITLE)

    # from the dental overview's panel to the advisory, then one step to an initiative
    page.goto(f"/p/{practice.slug}/clients/{dental.pk}/")
    page.locator("#advisories-panel").get_by_role("link", name=TITLE).click()
    page.get_by_label("Client").select_option(label=dental.name)
    page.get_by_role("button", name="Make an initiative").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    initiative = Initiative.objects.get(title=TITLE)
    assert initiative.client_id == dental.pk and initiative.status == "proposed"
    assert str(advisory.pk) in initiative.description
    assert page.js_errors == []

    # the list and the advisory fit a phone
    page.set_viewport_size({"width": 390, "height": 844})
    for url in (f"/p/{practice.slug}/advisories/", f"/p/{practice.slug}/advisories/{advisory.pk}/"):
        page.goto(url)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, (url, overflow)
    assert page.js_errors == []
