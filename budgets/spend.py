"""Each client's actual spend by calendar month (`MonthlySpend`): the sum of its actuals dated in the
month, kept whenever actuals change, so readers of many clients (the dashboard's year-to-date spend)
read a row a client and month instead of every actual.

- `resum(practice_id, keys)`: sum again the (client, month) pairs an actual write touched — from
  `Actual.save`/`Actual.delete` (the services, the admin, a shell) and after bulk writes (the CSV
  import, the demo, the admin's bulk delete). The clients' rows are locked first, so two writes of the
  same client's actuals at once sum one after the other.
- `rebuild_practice`, `rebuild_all_practices` (`manage.py resum_spend`): sum every client's months
  again from scratch — after changing actuals with raw SQL, past the models.
"""

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.db.models import DateField, Sum
from django.db.models.functions import TruncMonth

from clients.models import Client
from vcio.tenancy import all_practices, practice_context

from .models import Actual, MonthlySpend


def month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(month: date) -> date:
    return date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value  # TruncMonth gives a datetime on SQLite


def _sums(actuals) -> dict:
    """{(client id, month): sum} of the actuals, summed by the database."""
    rows = (
        actuals.annotate(month=TruncMonth("date", output_field=DateField()))
        .values("client_id", "month")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {(row["client_id"], _as_date(row["month"])): row["total"] for row in rows}


def resum(practice_id, keys: Iterable[tuple]) -> None:
    """Store again the actual spend of these (client id, day in the month) pairs: one lock, one sum,
    one delete and one insert whatever their number. Pairs with no client are skipped."""
    months_by_client: dict = {}
    for client_id, day in keys:
        if client_id is not None and day is not None:
            months_by_client.setdefault(client_id, set()).add(month_start(day))
    if not months_by_client:
        return
    with transaction.atomic():
        _store(practice_id, months_by_client)


def _store(practice_id, months_by_client: dict) -> None:
    client_ids = sorted(months_by_client)
    # One writer of a client's months at a time (a no-op on SQLite, which writes one at a time anyway).
    list(Client.objects.for_practice(practice_id).filter(pk__in=client_ids).select_for_update().values("pk"))
    months = set().union(*months_by_client.values())
    first, last = min(months), _next_month(max(months))
    sums = _sums(
        Actual.objects.for_practice(practice_id).filter(
            client_id__in=client_ids, date__gte=first, date__lt=last
        )
    )
    # Every (client, month) of these clients and months is summed, deleted and stored again.
    MonthlySpend.objects.for_practice(practice_id).filter(
        client_id__in=client_ids, month__in=sorted(months)
    ).delete()
    MonthlySpend.objects.bulk_create(
        [
            MonthlySpend(practice_id=practice_id, client_id=c, month=m, amount=total)
            for (c, m), total in sorted(sums.items())
            if m in months
        ]
    )


def rebuild_practice(practice_id) -> int:
    """Every client's months of the practice summed again from its actuals; returns how many."""
    sums = _sums(Actual.objects.for_practice(practice_id))
    MonthlySpend.objects.for_practice(practice_id).delete()
    MonthlySpend.objects.bulk_create(
        [
            MonthlySpend(practice_id=practice_id, client_id=c, month=m, amount=total)
            for (c, m), total in sorted(sums.items())
        ],
        batch_size=1000,
    )
    return len(sums)


def rebuild_all_practices() -> int:
    """`rebuild_practice` in every practice that has actuals or monthly spend (`manage.py resum_spend`)."""
    with all_practices("budgets: find the practices whose monthly spend to sum again"):
        practice_ids = set(
            Actual.objects.all_practices().order_by().values_list("practice_id", flat=True).distinct()
        )
        practice_ids |= set(
            MonthlySpend.objects.all_practices().order_by().values_list("practice_id", flat=True).distinct()
        )
    total = 0
    for practice_id in sorted(practice_ids):
        with practice_context(practice_id), transaction.atomic():
            total += rebuild_practice(practice_id)
    return total
