"""The current practice of a request or task, for the parts that cannot take it as an argument:
the practice's time zone for showing dates, and (on PostgreSQL) the row-level-security setting.

`activate_practice(practice)` is called once the practice is resolved (pages, API, tasks);
`vcio.middleware.PracticeTimezoneMiddleware` resets it after every request.
"""

import logging
import zoneinfo
from contextlib import contextmanager

from django.utils import timezone


def activate_practice(practice) -> None:
    """Show times in the practice's time zone for the rest of this request or task."""
    try:
        timezone.activate(zoneinfo.ZoneInfo(practice.time_zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        timezone.deactivate()


def deactivate_practice() -> None:
    timezone.deactivate()


# --- crossing practices and running as one practice (placeholders) -------------------------------
# PLACEHOLDER: the PostgreSQL row-level-security work replaces these two with the real thing (setting
# `app.practice_id` for the transaction, and the one audited bypass). Code that crosses practices or
# runs a task for one practice already calls them, so that merge changes nothing at the call sites.

_log = logging.getLogger("vcio.tenancy")


@contextmanager
def all_practices(reason: str):
    """The one named, audited way to read across practices (the daily fan-out, seeding…).
    Placeholder: records the reason in the log."""
    if not reason:
        raise ValueError("all_practices() needs a reason.")
    _log.info("crossing practices: %s", reason)
    yield


@contextmanager
def practice_context(practice_id):
    """Run the block as one practice (a Celery task given a practice id). Placeholder: checks the id."""
    if not practice_id:
        raise ValueError("practice_context() needs a practice id.")
    yield
