"""Journey 4 (PRODUCT.md): plan an initiative and move it across the roadmap board — by the keyboard
control and by drag and drop; a forbidden move shows the reason and the card stays."""

import pytest
from playwright.sync_api import expect

from roadmaps.models import Initiative, Status

from .conftest import drag, log_in

pytestmark = pytest.mark.browser


def test_consultant_plans_an_initiative_and_moves_it_on_the_board(page, demo):
    world, logins = demo
    client = world.clients[0]
    log_in(page, *logins["CONSULTANT"])
    page.goto(f"/p/{world.practice.slug}/clients/{client.pk}/")
    page.get_by_role("link", name="Roadmap").click()
    page.get_by_role("link", name="New initiative").click()

    page.get_by_label("Title").fill("Replace the clinic firewalls")
    page.get_by_label("Category").select_option(label="Network")
    page.get_by_label("Priority").select_option(label="High")
    page.get_by_label("Start quarter").select_option(index=2)
    page.get_by_label("One-time cost estimate").fill("12500.00")
    page.get_by_role("button", name="Create initiative").click()
    expect(page.get_by_role("heading", name="Replace the clinic firewalls")).to_be_visible()
    initiative = Initiative.objects.get(title="Replace the clinic firewalls")
    assert initiative.status == Status.PROPOSED and str(initiative.one_time_cost) == "12500.00"

    # Keyboard-accessible control: Proposed -> Approved.
    page.goto(f"/p/{world.practice.slug}/clients/{client.pk}/roadmap/board/")
    card = page.locator(f'.board-card[data-id="{initiative.pk}"]')
    card.get_by_label("Move “Replace the clinic firewalls” to").select_option("approved")
    card.get_by_role("button", name="Move").click()
    expect(page.locator('[data-status="approved"]').locator(f'[data-id="{initiative.pk}"]')).to_be_visible()
    initiative.refresh_from_db()
    assert initiative.status == Status.APPROVED

    # Drag and drop: Approved -> In progress.
    card = page.locator(f'.board-card[data-id="{initiative.pk}"]')
    drag(page, card.locator(".board-card-meta").first, page.locator('.board-list[data-status="in_progress"]'))
    expect(
        page.locator('[data-status="in_progress"]').locator(f'[data-id="{initiative.pk}"]')
    ).to_be_visible()
    initiative.refresh_from_db()
    assert initiative.status == Status.IN_PROGRESS

    # Forbidden drag: In progress -> Proposed is refused with the reason; the card stays.
    card = page.locator(f'.board-card[data-id="{initiative.pk}"]')
    drag(page, card.locator(".board-card-meta").first, page.locator('.board-list[data-status="proposed"]'))
    expect(page.locator("#board-refusal")).to_contain_text("stays where it was")
    expect(
        page.locator('[data-status="in_progress"]').locator(f'[data-id="{initiative.pk}"]')
    ).to_be_visible()
    initiative.refresh_from_db()
    assert initiative.status == Status.IN_PROGRESS
    assert all("400 (Bad Request)" in e for e in page.js_errors)  # only the refused move's answer


def test_viewer_sees_the_board_without_move_controls(page, demo):
    world, logins = demo
    log_in(page, *logins["VIEWER"])
    page.goto(f"/p/{world.practice.slug}/clients/{world.clients[0].pk}/roadmap/board/")
    expect(page.locator(".board-card").first).to_be_visible()
    expect(page.locator("form.board-move")).to_have_count(0)
