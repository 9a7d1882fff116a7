"""The upcoming-notice-deadlines panel on the client overview (registered in `VendorsConfig.ready`)."""

from . import selectors


def notice_deadlines_panel(request, client) -> dict:
    today = selectors.practice_today(client.practice)
    return {
        "contracts": selectors.upcoming_deadlines(client=client, within_days=90, limit=5, today=today),
        "client": client,
        "today": today,
    }
