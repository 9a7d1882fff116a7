"""Audit history (django-simple-history) of a client and everything under it.

Each app registers where its history rows of a client live, in `AppConfig.ready()`; the client's
History tab merges them. Every source is one query, so the page's query count does not grow.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone


@dataclass(frozen=True)
class HistorySource:
    label: str
    rows: Callable  # (client) -> queryset of historical records of that client


_SOURCES: list[HistorySource] = []


def register_history_source(source: HistorySource) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


def client_history(
    *, client, user_id=None, date_from: date | None = None, date_to: date | None = None, limit: int = 200
) -> list[dict]:
    """The newest `limit` changes, across every registered source, newest first."""
    tz = timezone.get_current_timezone()
    entries = []
    for source in _SOURCES:
        qs = source.rows(client).select_related("history_user")
        if user_id:
            qs = qs.filter(history_user_id=user_id)
        if date_from:
            qs = qs.filter(history_date__gte=timezone.make_aware(datetime.combine(date_from, time.min), tz))
        if date_to:
            qs = qs.filter(history_date__lte=timezone.make_aware(datetime.combine(date_to, time.max), tz))
        for record in qs.order_by("-history_date")[:limit]:
            entries.append(
                {
                    "kind": source.label,
                    "object": _label(record),
                    "action": ACTIONS.get(record.history_type, record.history_type),
                    "user": record.history_user,
                    "date": record.history_date,
                    "reason": record.history_change_reason or "",
                }
            )
    entries.sort(key=lambda e: e["date"], reverse=True)
    return entries[:limit]


def _label(record) -> str:
    for attr in ("name", "title", "email"):
        if getattr(record, attr, None):
            return getattr(record, attr)
    return str(record.id)
