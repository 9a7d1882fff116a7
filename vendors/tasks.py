"""Celery tasks of the vendors app: thin and idempotent.

- `vendors_refresh_contract_dates_all_practices()`: hourly (see `qbr.schedules`); rolls stored renewal
  dates forward in each practice that has any whose key date has passed (`services.refresh_contract_dates`).
  Readers never depend on it: a stale row is computed from its terms (`selectors.stale_dates`); the
  task only keeps such rows few, so the calendar and the dashboard can ask the database for a page.
"""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services


@shared_task(
    acks_late=True,
    soft_time_limit=240,
    time_limit=300,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=6,
)
def vendors_refresh_contract_dates_all_practices():
    return services.refresh_contract_dates_all_practices()
