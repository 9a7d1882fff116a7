"""The API's actuals list reads its page through an index in its own order: the Big practice has
hundreds of thousands of actuals, and without it every one of them was joined and sorted for each
page (about 850 ms)."""

import pytest
from django.db import connection

from budgets.api import ActualViewSet
from budgets.models import Actual

pytestmark = pytest.mark.django_db


def _list_order(practice):
    view = ActualViewSet()
    view.action = "list"
    return [("id" if f in ("pk", "-pk") else f) for f in view.get_scoped_queryset(practice).query.order_by]


def test_the_list_order_is_an_index_of_the_practices_actuals(practice_a):
    order = _list_order(practice_a)
    indexed = [index.fields for index in Actual._meta.indexes]
    assert ["practice", *order] in indexed, (order, indexed)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_postgresql_reads_a_page_in_order_through_it(practice_a, client_a1, owner_a):
    from datetime import date, timedelta
    from decimal import Decimal

    Actual.objects.bulk_create(
        Actual(
            practice=practice_a,
            client=client_a1,
            date=date(2026, 1, 1) + timedelta(days=n % 300),
            amount=Decimal("1.00"),
            category="other",
        )
        for n in range(2000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE budgets_actual")
    view = ActualViewSet()
    view.action = "list"
    plan = view.get_scoped_queryset(practice_a)[:50].explain()
    assert "actual_practice_newest" in plan and "Sort" not in plan, plan
