"""The client overview's “Next QBR” card (registered in `QbrConfig.ready`)."""

from .models import ActionItem, ActionItemStatus
from .selectors import next_planned_qbr


def next_qbr_panel(request, client) -> dict:
    return {
        "client": client,
        "next_qbr": next_planned_qbr(client=client),
        "open_items": ActionItem.objects.for_client(client).filter(status=ActionItemStatus.OPEN).count(),
    }


def advisories_panel(request, client) -> dict:
    """The client overview's “Advisories” card: the published advisories targeted at the client (all
    clients, its industry, or chosen) — one query."""
    from .advisory_selectors import advisories_for_client

    return {"advisories": advisories_for_client(client=client, limit=5)}
