"""Playwright (Python) on Debian's Chromium against the suite's live server.

Missing Chromium skips these tests on a developer machine; CI sets VCIO_REQUIRE_BROWSER=1 and
installs Chromium, so there a missing browser fails the run. Never `playwright install`.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from ..rls_support import wait_for_requests_to_finish

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("VCIO_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; install Debian's chromium package.")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.js_errors = errors
    yield page
    context.close()
    wait_for_requests_to_finish()  # before the database is flushed for the next test


@pytest.fixture
def demo(transactional_db):
    """The demo practice, as `seed_demo` builds it: returns (world, {role: (email, password)})."""
    from accounts.demo import seed_practice

    world, logins = seed_practice("Northwind vCIO Partners")
    by_role = {}
    for role, email, password in logins:
        by_role.setdefault(role, (email, password))
    return world, by_role


def log_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)


def htmx_settled(page) -> None:
    """Wait until htmx has no request in flight and no swap or settle under way (a board re-rendered
    after a move replaces the cards a next step would grab)."""
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")


def drag(page, source, target, wait_for_answer: bool = True) -> None:
    """A real pointer drag (SortableJS listens to pointer and drag events), in small steps; waits for
    the server's answer to the move, and for htmx to swap it in, unless told not to (when the request
    is made to fail)."""
    htmx_settled(page)
    for attempt in range(3):  # the card may be swapped out between finding and scrolling to it
        try:
            source.scroll_into_view_if_needed()
            break
        except PlaywrightError:
            if attempt == 2:
                raise
            page.wait_for_timeout(200)
    box, goal = source.bounding_box(), target.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 8)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 5, box["y"] + 12, steps=3)
    page.mouse.move(goal["x"] + goal["width"] / 2, goal["y"] + 20, steps=15)
    page.mouse.move(goal["x"] + goal["width"] / 2 + 4, goal["y"] + 24, steps=5)
    page.wait_for_timeout(250)  # let SortableJS see the card over the target list before the drop
    if not wait_for_answer:
        page.mouse.up()
        return
    with page.expect_response(lambda r: "/transition/" in r.url):
        page.mouse.up()
    page.wait_for_timeout(50)  # htmx handles the answer after the browser has it
    htmx_settled(page)
