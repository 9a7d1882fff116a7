"""The client overview's “Next QBR” card (registered in `QbrConfig.ready`)."""

from .models import ActionItem, ActionItemStatus
from .selectors import next_planned_qbr


def next_qbr_panel(request, client) -> dict:
    return {
        "client": client,
        "next_qbr": next_planned_qbr(client=client),
        "open_items": ActionItem.objects.for_client(client).filter(status=ActionItemStatus.OPEN).count(),
    }
