"""The API's actuals, budget-lines, action-items and contracts lists read their page through an index
in their default order (DRF's `ordering`, then the primary key): the Big practice has about 100,000
lines, 34,000 action items, 15,000 contracts and hundreds of thousands of actuals, and without one
every row of the practice was read and sorted for each page (actuals about 850 ms, lines about
150 ms, action items about 40 ms, contracts about 13 ms of SQL)."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from budgets.api import ActualViewSet, BudgetLineViewSet
from budgets.models import Actual, BudgetLine
from qbr.api import ActionItemViewSet
from qbr.models import ActionItem
from vcio.api_filters import StableOrderingFilter
from vendors.api import ContractViewSet
from vendors.models import Contract

pytestmark = pytest.mark.django_db

LISTS = [
    (ActualViewSet, Actual),
    (BudgetLineViewSet, BudgetLine),
    (ActionItemViewSet, ActionItem),
    (ContractViewSet, Contract),
]


def _list(viewset, practice):
    """The list's page query as the API orders it by default (the primary key appended)."""
    request = Request(APIRequestFactory().get("/"))
    view = viewset()
    view.action, view.request = "list", request
    return StableOrderingFilter().filter_queryset(request, view.get_scoped_queryset(practice), view)


@pytest.mark.parametrize(("viewset", "model"), LISTS)
def test_the_default_order_is_an_index_of_the_practices_rows(viewset, model, practice_a):
    order = ["id" if field == "pk" else field for field in _list(viewset, practice_a).query.order_by]
    assert ["practice", *order] in [index.fields for index in model._meta.indexes], order


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
@pytest.mark.parametrize(("viewset", "model"), LISTS)
def test_postgresql_reads_a_page_in_order_through_it(viewset, model, practice_a, client_a1):
    from budgets import services

    if model is Actual:
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
    elif model is ActionItem:
        from tests.factories import MeetingFactory

        meeting = MeetingFactory(client=client_a1)
        ActionItem.objects.bulk_create(
            ActionItem(
                practice=practice_a,
                client=client_a1,
                meeting=meeting,
                description=f"Item {n}",
                due_date=date(2026, 1, 1) + timedelta(days=n % 300) if n % 7 else None,
            )
            for n in range(2000)
        )
    elif model is Contract:
        from tests.factories import ContractFactory, VendorFactory

        vendor = VendorFactory(practice=practice_a)
        template = ContractFactory(client=client_a1, vendor=vendor)
        values = {f.attname: getattr(template, f.attname) for f in Contract._meta.concrete_fields}
        rows = [Contract(**{**values, "id": uuid.uuid4(), "name": f"Contract {n:04d}"}) for n in range(2000)]
        Contract.objects.bulk_create(rows)
    else:
        budget = services.budget_create(client=client_a1, actor=None, fiscal_year=2026, build=False)
        BudgetLine.objects.bulk_create(
            BudgetLine(
                practice=practice_a,
                budget=budget,
                name=f"Line {n}",
                category="other",
                expense_type="opex",
                recurrence="monthly",
                amount=Decimal("1.00"),
                first_month=1,
            )
            for n in range(2000)
        )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {model._meta.db_table}")
    plan = _list(viewset, practice_a)[:50].explain()
    name = next(i.name for i in model._meta.indexes if i.name.endswith(("_newest", "_order")))
    assert name in plan and "Sort" not in plan, plan
