"""Journey 3 (PRODUCT.md): adopt a framework for a client, answer its items in bulk, complete the
assessment, see the score and its trend, then turn two gaps into one roadmap initiative."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from compliance import standard_services
from compliance.models import Assessment, InitiativeLink
from roadmaps.models import Initiative
from tests.factories import PASSWORD, ClientFactory, MembershipFactory, PracticeFactory, UserFactory

from .conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def setup(transactional_db):
    practice = PracticeFactory(name="Juniper vCIO", slug="juniper", brand_colour="#0f766e")
    owner = UserFactory(email="ada@juniper.example.com", first_name="Ada", last_name="Park")
    MembershipFactory(practice=practice, user=owner, role=Role.OWNER)
    client = ClientFactory(practice=practice, name="Bluebird Dental")
    framework = standard_services.standard_framework_create(
        practice=practice, actor=owner, name="Juniper baseline"
    )
    for code, title, items in (
        (
            "BK",
            "Backups",
            [("Backups tested quarterly", "high"), ("Off-site copy", "high"), ("Backup alerts", "low")],
        ),
        ("ID", "Identity", [("MFA on remote access", "high"), ("Leavers removed in 24 h", "medium")]),
    ):
        heading = standard_services.standard_create(framework=framework, actor=owner, ref=code, title=title)
        for n, (item, weight) in enumerate(items, start=1):
            standard_services.standard_create(
                framework=framework,
                actor=owner,
                parent=heading,
                ref=f"{code}-0{n}",
                title=item,
                weight=weight,
            )
    return practice, owner, client


def select(page, *refs):
    for ref in refs:
        page.get_by_label(f"Select {ref}").check()


def test_adopt_answer_in_bulk_complete_and_plan_the_gaps(page, setup):
    practice, owner, client = setup
    log_in(page, owner.email, PASSWORD)
    page.goto(f"/p/{practice.slug}/clients/{client.pk}/")
    page.get_by_role("link", name="Compliance").click()
    expect(page.locator(".empty-state")).to_contain_text("No frameworks adopted yet")
    page.get_by_role("link", name="Adopt a framework").first.click()

    page.get_by_label("Framework").select_option(label="Juniper baseline")
    page.get_by_label("Scope").fill("Both clinics and the cloud practice-management system.")
    page.get_by_label("Target date").fill("2027-06-30")
    expect(page.get_by_label("Start the first assessment now")).to_be_checked()
    page.get_by_role("button", name="Adopt").click()
    expect(page.locator(".toast")).to_contain_text("Bluebird Dental adopted Juniper baseline")
    page.locator("#assessments").get_by_role("link").first.click()

    # Answer in bulk: three implemented, two gaps with an owner and a due date.
    tree = page.locator("#assessment-tree")
    expect(tree).to_contain_text("Backups tested quarterly")
    expect(page.locator("[data-selected-count]")).to_have_text("0 selected")
    select(page, "BK-01", "BK-02", "ID-01")
    expect(page.locator("[data-selected-count]")).to_have_text("3 selected")
    page.get_by_label("Set status").select_option(label="Implemented")
    page.get_by_role("button", name="Apply to selected").click()
    expect(page.locator(".toast")).to_contain_text("Updated 3 of 3 selected items")
    select(page, "BK-03", "ID-02")
    page.get_by_label("Set status").select_option(label="Not implemented")
    page.locator("#bulk-bar").get_by_label("Owner").select_option(label="Ada Park")
    page.locator("#bulk-bar").get_by_label("Due date", exact=True).fill("2027-01-31")
    page.get_by_role("button", name="Apply to selected").click()
    expect(page.locator(".toast")).to_contain_text("Updated 2 of 2")
    # 5 + 5 + 5 of 5 + 5 + 1 + 5 + 3 = 15 / 19
    expect(page.locator("#assessment-score")).to_have_text("78.9%")
    expect(tree.locator('[data-ref="ID-02"]')).to_contain_text("Not implemented")
    expect(tree.locator('[data-ref="ID-02"]')).to_contain_text("Ada Park")

    # The groups open and close from the keyboard.
    summary = tree.locator("summary").first
    summary.focus()
    page.keyboard.press("Enter")
    expect(tree.locator("details").first).not_to_have_attribute("open", "")
    page.keyboard.press("Enter")
    expect(tree.locator("details").first).to_have_attribute("open", "")

    # Complete: confirm in the dialog; the score joins the trend.
    page.get_by_role("button", name="Complete assessment").click()
    page.get_by_role("button", name="Complete and lock").click()
    expect(page.locator(".toast")).to_contain_text("completed and locked: 78.9%")
    expect(page.locator("#overall-score")).to_have_text("78.9%")
    expect(page.locator("#trend svg")).to_be_visible()
    expect(page.locator("#trend")).to_contain_text("78.9% at the only completed assessment")

    # The next assessment starts from these answers; two gaps become one initiative.
    page.get_by_role("button", name="Start the next assessment").click()
    expect(page.locator(".toast")).to_contain_text("started")
    expect(page.locator("#assessment-score")).to_have_text("78.9%")
    select(page, "BK-03", "ID-02")
    page.get_by_role("button", name="Create initiative from gaps").click()
    expect(page.get_by_role("heading", name="Create an initiative from 2 gaps")).to_be_visible()
    expect(page.locator("#selected-gaps")).to_contain_text("Backup alerts")
    page.get_by_label("Initiative title").fill("Close the baseline gaps")
    page.get_by_label("Start quarter").select_option(index=5)
    page.get_by_role("button", name="Create initiative").click()
    expect(page.locator(".toast")).to_contain_text("linked to 2 gaps")
    expect(page.locator('[data-ref="ID-02"] .initiative-chip')).to_contain_text("Close the baseline gaps")
    expect(page.locator('[data-ref="BK-01"] .initiative-chip')).to_have_count(0)

    initiative = Initiative.objects.get()
    assert initiative.client == client and initiative.category == "compliance"
    assert sorted(link.standard.ref for link in InitiativeLink.objects.filter(initiative=initiative)) == [
        "BK-03",
        "ID-02",
    ]
    assert Assessment.objects.filter(status="completed").count() == 1

    # Back on the tab: the framework with its score bar and trend.
    page.get_by_role("link", name="Compliance", exact=True).first.click()
    card = page.locator("#adopted-frameworks")
    expect(card).to_contain_text("Juniper baseline")
    expect(card).to_contain_text("1 completed")
    expect(page).to_have_url(re.compile(r"/compliance/$"))
    assert page.js_errors == []
