"""Journey 1 (PRODUCT.md): sign up, create the practice, turn on two-factor, require it, invite a
colleague by e-mail; the colleague signs up from the link, joins, and must set up two-factor first."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Membership, Practice, Role

pytestmark = pytest.mark.browser

PASSWORD = "long-enough-passphrase-42"
# The set-up page, possibly behind allauth's "confirm your password" step.
TWO_FACTOR_SETUP = re.compile(
    r"/accounts/(2fa/totp/activate/|reauthenticate/\?next=%2Faccounts%2F2fa%2Ftotp%2Factivate)"
)


def sign_up(page, email: str) -> None:
    page.get_by_label("Your name").fill(email.split("@")[0].replace(".", " ").title())
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign Up", re.I)).click()


def test_founder_starts_a_practice_and_invites_a_colleague(page, browser, live_server, transactional_db):
    # Sign up, then create the practice: the founder becomes its owner.
    page.goto("/accounts/signup/")
    sign_up(page, "founder@lighthouse.example.com")
    expect(page).to_have_url(re.compile(r"/onboarding/$"))
    page.get_by_label("Practice name").fill("Lighthouse vCIO")
    page.get_by_label("Currency").select_option("EUR")
    page.get_by_label("Time zone").select_option("Europe/Dublin")
    page.get_by_role("button", name="Create practice").click()
    expect(page.get_by_text("No clients yet")).to_be_visible()
    practice = Practice.objects.get(name="Lighthouse vCIO")
    assert practice.currency == "EUR"
    assert Membership.objects.get(practice=practice).role == Role.OWNER

    # Verify the e-mail address (allauth activates two-factor only for verified addresses).
    confirm = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto("/" + confirm.split("/", 3)[3])
    page.get_by_role("button", name="Confirm").click()

    # Two-factor: scan (read) the secret, type the current code.
    page.goto("/accounts/2fa/totp/activate/")
    if "/reauthenticate/" in page.url:  # allauth asks for the password again before security changes
        page.locator("input[name=password]").fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()
    secret = page.locator("#authenticator_secret").input_value()
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    page.locator("input[name=code]").fill(code)
    page.get_by_role("button", name=re.compile("Activate", re.I)).click()
    expect(page.get_by_text(re.compile("recovery codes", re.I)).first).to_be_visible()

    # Require two-factor for every member.
    page.goto(f"/p/{practice.slug}/settings/")
    page.get_by_label("Require two-factor authentication for all members").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".toast")).to_contain_text("saved")

    # Invite a colleague as a consultant.
    page.goto(f"/p/{practice.slug}/members/invite/")
    page.get_by_label("E-mail address").fill("colleague@lighthouse.example.com")
    page.get_by_label("Role").select_option("consultant")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("cell", name="colleague@lighthouse.example.com", exact=True)).to_be_visible()
    link = re.search(r"https?://\S+/invitations/\S+/", mail.outbox[-1].body).group(0)
    path = "/" + link.split("/", 3)[3]

    # The colleague opens the link in their own browser, signs up and accepts.
    other = browser.new_context(base_url=live_server.url).new_page()
    other.goto(path)
    expect(other.get_by_text("Lighthouse vCIO").first).to_be_visible()
    other.get_by_role("link", name="Create an account").click()
    sign_up(other, "colleague@lighthouse.example.com")
    other.get_by_role("button", name="Accept invitation").click()
    # The practice requires two-factor: nothing else until it is set up.
    expect(other).to_have_url(TWO_FACTOR_SETUP)
    membership = Membership.objects.get(practice=practice, user__email="colleague@lighthouse.example.com")
    assert membership.role == Role.CONSULTANT
    other.goto(f"/p/{practice.slug}/")
    expect(other).to_have_url(TWO_FACTOR_SETUP)
    other.context.close()
