"""The current practice of a request or task, for the parts that cannot take it as an argument:
the practice's time zone for showing dates, and (on PostgreSQL) the row-level-security setting.

`activate_practice(practice)` is called once the practice is resolved (pages, API, tasks);
`vcio.middleware.PracticeTimezoneMiddleware` resets it after every request.
"""

import zoneinfo

from django.utils import timezone


def activate_practice(practice) -> None:
    """Show times in the practice's time zone for the rest of this request or task."""
    try:
        timezone.activate(zoneinfo.ZoneInfo(practice.time_zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        timezone.deactivate()


def deactivate_practice() -> None:
    timezone.deactivate()
