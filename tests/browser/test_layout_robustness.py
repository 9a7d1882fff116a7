"""Long unbroken names, right-to-left text and long e-mail addresses never widen a page beyond the
viewport — on a desktop and on a phone."""

import pytest

from clients.models import Client

from .conftest import log_in

pytestmark = pytest.mark.browser

LONG = "Ω" + "x" * 199  # 200 characters, no space to break at
RTL = "مؤسسة الخليج للاستشارات التقنية"


@pytest.mark.parametrize("width", [1440, 390])
def test_a_200_character_name_does_not_widen_the_client_list_or_client_page(
    browser, live_server, demo, width
):
    world, logins = demo
    long_client = Client.objects.create(practice=world.practice, name=LONG, industry="legal")
    Client.objects.create(practice=world.practice, name=RTL, industry="finance")
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        log_in(page, *logins["OWNER"])
        slug = world.practice.slug
        for path in (f"/p/{slug}/clients/", f"/p/{slug}/clients/{long_client.pk}/"):
            page.goto(path)
            page.wait_for_load_state("networkidle")
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width, f"{path} is {scroll_width}px wide at a {width}px viewport"
        page.goto(f"/p/{slug}/clients/")
        assert page.locator("#client-table").get_by_text(RTL).get_attribute("dir") == "auto"
    finally:
        context.close()
