"""Reads of the audit history shown on an object's own page: a contact's, the practice's, and its
API keys'. Each is two queries (see `clients.history.merged_history`), whatever the number of rows."""

from .history import HistorySource, merged_history
from .models import ApiKey, Client, Contact, Membership, Practice

PAGE_HISTORY_LIMIT = 50

CONTACT_HISTORY = HistorySource("Contact", lambda _: None)
PRACTICE_HISTORY = HistorySource("Practice", lambda _: None)
API_KEY_HISTORY = HistorySource("API key", lambda _: None, (), lambda r: f"{r.name} (vcio_{r.prefix}_…)")


def contact_history(*, contact: Contact, limit: int = PAGE_HISTORY_LIMIT) -> list[dict]:
    return merged_history(
        [(CONTACT_HISTORY, Contact.history.filter(practice_id=contact.practice_id, id=contact.pk))],
        limit=limit,
    )


def practice_history(*, practice: Practice, limit: int = PAGE_HISTORY_LIMIT) -> list[dict]:
    """Changes to the practice's own settings (name, branding, currency, two-factor rule…)."""
    return merged_history([(PRACTICE_HISTORY, Practice.history.filter(id=practice.pk))], limit=limit)


def api_key_history(*, practice: Practice, limit: int = PAGE_HISTORY_LIMIT) -> list[dict]:
    """Keys created and revoked (last use is not history: it is shown in the list)."""
    return merged_history([(API_KEY_HISTORY, ApiKey.history.filter(practice_id=practice.pk))], limit=limit)


def practice_delete_summary(*, practice: Practice) -> dict:
    """What deleting the practice takes with it, for the confirmation (two queries)."""
    return {
        "clients": Client.objects.for_practice(practice).count(),
        "members": Membership.objects.for_practice(practice).count(),
    }
