"""An owner deletes the practice from the settings page's danger zone: type the name, confirm in the
modal, and everything of it is gone."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Practice
from clients.models import Client

from .conftest import log_in

pytestmark = pytest.mark.browser


def test_owner_deletes_the_practice_after_typing_its_name_and_confirming(page, demo):
    world, logins = demo
    practice = world.practice
    log_in(page, *logins["OWNER"])
    page.goto(f"/p/{practice.slug}/settings/")

    zone = page.locator("#danger-zone")
    expect(zone).to_contain_text("Danger zone")
    zone.get_by_label("Type the practice's name to confirm").fill("Not the name")
    zone.get_by_role("button", name="Delete this practice").click()
    page.get_by_role("button", name="Delete the practice").click()  # the modal
    expect(page.locator("#danger-zone")).to_contain_text("That is not the name of this practice.")
    assert Practice.objects.filter(pk=practice.pk).exists()

    zone = page.locator("#danger-zone")
    zone.get_by_label("Type the practice's name to confirm").fill(practice.name)
    zone.get_by_role("button", name="Delete this practice").click()
    modal = page.locator("#confirm-modal")
    expect(modal).to_be_visible()
    expect(modal).to_contain_text("cannot be undone")
    modal.get_by_role("button", name="Delete the practice").click()

    expect(page).to_have_url(re.compile(r"/onboarding/$"))
    expect(page.locator(".toast").first).to_contain_text("and all its data were deleted")
    assert not Practice.objects.filter(pk=practice.pk).exists()
    assert not Client.objects.filter(practice_id=practice.pk).exists()
    assert page.js_errors == []
