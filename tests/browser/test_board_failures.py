"""The board script when a move fails for a reason other than a refusal (403, server error, no
network): the card goes back to its column, the board is re-read, and the reason is shown."""

import pytest
from playwright.sync_api import expect

from roadmaps.models import Initiative, Status

from .conftest import drag, log_in

pytestmark = pytest.mark.browser

FAILURES = {
    "server error": (lambda route: route.fulfill(status=500, body="Server Error"), "could not save the move"),
    "forbidden": (lambda route: route.fulfill(status=403, body="Forbidden"), "may not move cards"),
    "no network": (lambda route: route.abort("internetdisconnected"), "check your connection"),
}


def open_board(page, demo) -> tuple[str, str]:
    """Log in as a consultant, open the first client's board; the top proposed card's (id, title)."""
    world, logins = demo
    log_in(page, *logins["CONSULTANT"])
    page.goto(f"/p/{world.practice.slug}/clients/{world.clients[0].pk}/roadmap/board/")
    expect(page.locator('.board-list[data-status="proposed"][data-sortable="1"]')).to_have_count(1)
    card = page.locator('.board-list[data-status="proposed"] .board-card').first
    return card.get_attribute("data-id"), card.locator(".board-card-title").inner_text().strip()


@pytest.mark.parametrize("failure", list(FAILURES))
def test_a_failed_drag_puts_the_card_back_and_says_why(page, demo, failure):
    answer, reason = FAILURES[failure]
    pk, title = open_board(page, demo)
    page.route("**/transition/", answer)
    reads = []
    page.on(
        "request", lambda r: reads.append(r.url) if r.method == "GET" and r.url.endswith("/board/") else None
    )

    drag(
        page,
        page.locator(f'.board-card[data-id="{pk}"] .board-card-meta').first,
        page.locator('.board-list[data-status="approved"]'),
        wait_for_answer=False,
    )

    message = page.locator("#board-error")
    expect(message).to_contain_text(f"“{title}” stays where it was.")
    expect(message).to_contain_text(reason)
    expect(page.locator(f'.board-list[data-status="proposed"] [data-id="{pk}"]')).to_be_visible()
    expect(page.locator(f'.board-list[data-status="approved"] [data-id="{pk}"]')).to_have_count(0)
    expect(page.locator(".board-card-pending")).to_have_count(0)
    for _ in range(30):  # the board is re-read from the server after the failure
        if reads:
            break
        page.wait_for_timeout(100)
    assert reads, "the board was re-read from the server"
    expect(message).to_contain_text(reason)  # still shown after the re-read board was swapped in
    assert Initiative.objects.get(pk=pk).status == Status.PROPOSED


def test_a_failed_keyboard_move_says_why_and_a_later_move_works(page, demo):
    pk, title = open_board(page, demo)
    page.route("**/transition/", FAILURES["server error"][0])
    card = page.locator(f'.board-card[data-id="{pk}"]')
    card.get_by_label(f"Move “{title}” to").select_option("approved")
    # the failure makes the board re-read itself: a move made while that read is in flight could be
    # overwritten by its (older) answer, so the later move waits for it, as a person would
    with page.expect_response(lambda r: r.request.method == "GET" and r.url.endswith("/board/")):
        card.get_by_role("button", name="Move").click()
    expect(page.locator("#board-error")).to_contain_text("could not save the move")
    expect(page.locator(f'.board-list[data-status="proposed"] [data-id="{pk}"]')).to_be_visible()

    page.unroute("**/transition/")
    card = page.locator(f'.board-card[data-id="{pk}"]')
    card.get_by_label(f"Move “{title}” to").select_option("approved")
    card.get_by_role("button", name="Move").click()
    expect(page.locator(f'.board-list[data-status="approved"] [data-id="{pk}"]')).to_be_visible()
    expect(page.locator("#board-error")).to_have_count(0)
    assert Initiative.objects.get(pk=pk).status == Status.APPROVED
