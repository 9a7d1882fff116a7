"""The board script in a real browser (Debian's Chromium): a move that fails for a reason other than
a refusal (403, server error, no network) puts the card back in its column and says why.

Playwright runs on a thread of its own here, so it never meets the session-wide Playwright of
tests/browser/ in the same process (two sync Playwrights on one thread refuse to start). The
database is only touched from the test's own thread.
"""

import os
import threading
from pathlib import Path

import pytest

from roadmaps.models import Initiative, Status

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def in_browser(base_url: str, steps) -> None:
    """Run `steps(page)` in a fresh Chromium on a separate thread; re-raise what it raised."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("VCIO_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; install Debian's chromium package.")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    outcome: dict = {}

    def run():
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM,
                    args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
                )
                try:
                    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
                    page = context.new_page()
                    page.set_default_timeout(15_000)
                    steps(page)
                finally:
                    browser.close()
        except BaseException as exc:  # handed to the test's thread
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(180)
    assert not thread.is_alive(), "the browser steps did not finish"
    if "error" in outcome:
        raise outcome["error"]


@pytest.fixture
def board(live_server, transactional_db):
    """The demo practice's first client: (board url, consultant login)."""
    from clients.demo import seed_practice

    world, logins = seed_practice("Northwind vCIO Partners")
    consultant = next((email, password) for role, email, password in logins if role == "CONSULTANT")
    client = world.clients[0]
    return live_server.url, f"/p/{world.practice.slug}/clients/{client.pk}/roadmap/board/", consultant


def open_board(page, path, login) -> tuple[str, str]:
    """Log in, open the board, wait for the script; the top proposed card's (id, title)."""
    from playwright.sync_api import expect

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(login[0])
    page.get_by_label("Password").fill(login[1])
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)
    page.goto(path)
    expect(page.locator('.board-list[data-status="proposed"][data-sortable="1"]')).to_have_count(1)
    card = page.locator('.board-list[data-status="proposed"] .board-card').first  # top: in reach of a drag
    return card.get_attribute("data-id"), card.locator(".board-card-title").inner_text().strip()


def drop(page, source, target) -> None:
    """A real pointer drag (SortableJS listens to pointer events), in small steps."""
    source.scroll_into_view_if_needed()
    box, goal = source.bounding_box(), target.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 8)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 5, box["y"] + 12, steps=3)
    page.mouse.move(goal["x"] + goal["width"] / 2, goal["y"] + 20, steps=15)
    page.mouse.move(goal["x"] + goal["width"] / 2 + 4, goal["y"] + 24, steps=5)
    page.wait_for_timeout(250)
    page.mouse.up()


FAILURES = {
    "server error": (lambda route: route.fulfill(status=500, body="Server Error"), "could not save the move"),
    "forbidden": (lambda route: route.fulfill(status=403, body="Forbidden"), "may not move cards"),
    "no network": (lambda route: route.abort("internetdisconnected"), "check your connection"),
}


@pytest.mark.parametrize("failure", list(FAILURES))
def test_a_failed_drag_puts_the_card_back_and_says_why(failure, board):
    base_url, path, login = board
    answer, reason = FAILURES[failure]
    seen: dict = {}

    def steps(page):
        from playwright.sync_api import expect

        pk, title = open_board(page, path, login)
        seen["pk"] = pk
        page.route("**/transition/", answer)
        reads = []
        page.on(
            "request",
            lambda r: reads.append(r.url) if r.method == "GET" and r.url.endswith("/board/") else None,
        )

        drop(
            page,
            page.locator(f'.board-card[data-id="{pk}"] .board-card-meta').first,
            page.locator('.board-list[data-status="approved"]'),
        )

        message = page.locator("#board-error")
        expect(message).to_contain_text(f"“{title}” stays where it was.")
        expect(message).to_contain_text(reason)
        expect(page.locator(f'.board-list[data-status="proposed"] [data-id="{pk}"]')).to_be_visible()
        expect(page.locator(f'.board-list[data-status="approved"] [data-id="{pk}"]')).to_have_count(0)
        expect(page.locator(".board-card-pending")).to_have_count(0)
        page.wait_for_timeout(300)
        seen["reads"] = len(reads)
        expect(message).to_contain_text(reason)  # still shown after the re-read board was swapped in

    in_browser(base_url, steps)

    assert seen["reads"] >= 1, "the board was re-read from the server"
    assert Initiative.objects.get(pk=seen["pk"]).status == Status.PROPOSED


def test_a_failed_keyboard_move_says_why_and_a_later_move_works(board):
    base_url, path, login = board
    seen: dict = {}

    def steps(page):
        from playwright.sync_api import expect

        pk, title = open_board(page, path, login)
        seen["pk"] = pk
        page.route("**/transition/", FAILURES["server error"][0])
        card = page.locator(f'.board-card[data-id="{pk}"]')
        card.get_by_label(f"Move “{title}” to").select_option("approved")
        card.get_by_role("button", name="Move").click()

        expect(page.locator("#board-error")).to_contain_text("could not save the move")
        expect(page.locator(f'.board-list[data-status="proposed"] [data-id="{pk}"]')).to_be_visible()

        page.unroute("**/transition/")
        card = page.locator(f'.board-card[data-id="{pk}"]')
        card.get_by_label(f"Move “{title}” to").select_option("approved")
        card.get_by_role("button", name="Move").click()
        expect(page.locator(f'.board-list[data-status="approved"] [data-id="{pk}"]')).to_be_visible()
        expect(page.locator("#board-error")).to_have_count(0)

    in_browser(base_url, steps)

    assert Initiative.objects.get(pk=seen["pk"]).status == Status.APPROVED
