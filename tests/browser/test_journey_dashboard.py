"""The consultant's week in a browser: sign in on the demo, land on the dashboard (the practice's
home) with its due items, open one, come back, and work through the notifications — the bell's
count (loaded by htmx), mark one read inline, then mark all read."""

import re

import pytest
from playwright.sync_api import expect

from qbr.models import Notification
from vcio.demo import DEMO_PASSWORD

from .conftest import log_in

pytestmark = pytest.mark.browser


def test_consultant_sees_due_items_opens_one_and_marks_notifications_read(page, demo):
    world, _ = demo
    consultant = world.consultants[0]
    log_in(page, consultant.email, DEMO_PASSWORD)

    page.goto(f"/p/{world.practice.slug}/")
    expect(page).to_have_url(re.compile(rf"/p/{world.practice.slug}/dashboard/$"))
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    page.get_by_role("link", name="All clients").click()
    expect(page).to_have_url(re.compile(r"\?clients=all$"))
    notices = page.locator("#block-notice .due-item")
    expect(notices.first).to_be_visible()
    assert notices.count() >= 1
    expect(page.locator("#block-meeting .due-item").first).to_be_visible()

    # open a due item: a contract in its notice window
    link = notices.first.get_by_role("link")
    href = link.get_attribute("href")
    link.click()
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    expect(page.get_by_text(re.compile("Give notice by|notice", re.I)).first).to_be_visible()
    page.go_back()

    # the bell: unread count, loaded after the page
    unread = Notification.objects.filter(recipient=consultant, read_at__isnull=True).count()
    assert unread >= 1
    expect(page.locator("#bell-count")).to_have_text(re.compile(rf"^{unread}"))
    page.locator("#bell").click()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    first = page.locator(".notification-unread").first
    first.get_by_role("button", name=re.compile("Mark .* read")).click()
    expect(page.locator("#bell-count")).to_have_text(re.compile(rf"^{unread - 1}"))
    assert Notification.objects.filter(recipient=consultant, read_at__isnull=True).count() == unread - 1

    page.get_by_role("button", name="Mark all read").click()
    expect(page.get_by_text(re.compile(r"notifications? marked read"))).to_be_visible()
    expect(page.locator(".notification-unread")).to_have_count(0)
    assert not Notification.objects.filter(recipient=consultant, read_at__isnull=True).exists()
    assert not page.js_errors, page.js_errors
