"""The API's actuals, budget-lines, action-items and contracts lists read their page through an index
in their default order (DRF's `ordering`, then the primary key): the Big practice has about 100,000
lines, 34,000 action items, 15,000 contracts and hundreds of thousands of actuals, and without one
every row of the practice was read and sorted for each page (actuals about 850 ms, lines about
150 ms, action items about 40 ms, contracts about 13 ms of SQL). Two earlier indexes are held the
same way, on PostgreSQL: the Meetings page's upcoming list reads qbr 0005's (practice, scheduled_at),
and the answers list walks the assessments through compliance 0003's (practice, -started_on,
-created_at)."""

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


def _one_row(model, practice, client):
    """A row of `model` of the client, saved: the pattern `_copies` repeats."""
    from budgets import services
    from tests.factories import ActionItemFactory, ContractFactory, MeetingFactory, VendorFactory

    if model is Actual:
        return Actual.objects.create(
            practice=practice, client=client, date=date(2026, 1, 1), amount=Decimal("1.00"), category="other"
        )
    if model is ActionItem:
        return ActionItemFactory(meeting=MeetingFactory(client=client))
    if model is Contract:
        return ContractFactory(client=client, vendor=VendorFactory(practice=practice))
    budget = services.budget_create(client=client, actor=None, fiscal_year=2026, build=False)
    return BudgetLine.objects.create(
        practice=practice,
        budget=budget,
        name="Line",
        category="other",
        expense_type="opex",
        recurrence="monthly",
        amount=Decimal("1.00"),
        first_month=1,
    )


# what varies from copy to copy: the columns each list sorts by
VARY = {
    Actual: lambda n: {"date": date(2026, 1, 1) + timedelta(days=n % 300)},
    ActionItem: lambda n: {
        "description": f"Item {n}",
        "due_date": date(2026, 1, 1) + timedelta(days=n % 300) if n % 7 else None,
    },
    Contract: lambda n: {"name": f"Contract {n:04d}"},
    BudgetLine: lambda n: {"name": f"Line {n}"},
}


def _copies(row, count: int) -> None:
    """`count` copies of `row` (new ids, the columns of VARY varied), inserted in bulk."""
    model = type(row)
    values = {f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields}
    model.objects.bulk_create(model(**{**values, "id": uuid.uuid4(), **VARY[model](n)}) for n in range(count))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
@pytest.mark.parametrize(("viewset", "model"), LISTS)
def test_postgresql_reads_a_page_in_order_through_it(viewset, model, practice_a, client_a1):
    _copies(_one_row(model, practice_a, client_a1), 2000)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {model._meta.db_table}")
    plan = _list(viewset, practice_a)[:50].explain()
    name = next(i.name for i in model._meta.indexes if i.name.endswith(("_newest", "_order")))
    assert name in plan and "Sort" not in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_the_meetings_page_reads_the_upcoming_meetings_through_their_index(practice_a, client_a1):
    """qbr 0005's index (practice, scheduled_at): the Meetings page's upcoming list reads its page
    from it, soonest first, whatever the number of the practice's meetings."""
    from django.utils import timezone

    from qbr.models import Meeting
    from qbr.selectors import practice_meetings
    from tests.factories import MeetingFactory

    row = MeetingFactory(client=client_a1)
    values = {f.attname: getattr(row, f.attname) for f in Meeting._meta.concrete_fields}
    start = timezone.now() - timedelta(days=1000)
    Meeting.objects.bulk_create(
        Meeting(**{**values, "id": uuid.uuid4(), "scheduled_at": start + timedelta(hours=n)})
        for n in range(30000)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Meeting._meta.db_table}")
    meetings, _ = practice_meetings(practice=practice_a)
    plan = meetings[:25].explain()
    assert "meeting_practice_at" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_the_answers_list_walks_the_assessments_in_their_order(practice_a, client_a1):
    """compliance 0003's index (practice, -started_on, -created_at): the answers list's default order is
    its assessment's (newest first), so a practice with thousands of assessments reads the newest
    through the index instead of sorting every answer."""
    from compliance.models import Assessment, Response
    from compliance.response_api import ResponseViewSet
    from tests.compliance.conftest import standards, start

    _, assessment, by_ref = start(
        client_a1, standards(practice_a, [("S1", "high"), ("S2", "low"), ("S3", "low")])
    )
    assessments = [
        Assessment(
            **{
                **_values(assessment),
                "id": uuid.uuid4(),
                "status": "completed",
                "is_current": False,
                "started_on": date(2000, 1, 1) + timedelta(days=n),
            }
        )
        for n in range(3000)
    ]
    Assessment.objects.bulk_create(assessments)
    Response.objects.bulk_create(
        Response(**{**_values(answer), "id": uuid.uuid4(), "assessment_id": a.pk})
        for a in assessments
        for answer in by_ref.values()
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE compliance_assessment")
        cursor.execute("ANALYZE compliance_response")
    plan = _list(ResponseViewSet, practice_a)[:50].explain()
    assert "assessment_practice_started" in plan, plan


def _values(row) -> dict:
    return {f.attname: getattr(row, f.attname) for f in type(row)._meta.concrete_fields}
