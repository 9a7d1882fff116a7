"""`kept_rows` and `kept_instances` answer as the ORM does for any practice, their statement compiled
once (`vcio.kept`) and bound to the practice's id and the values — ids (UUIDs), years, now — given;
and the client list's three columns, which run through them, answer as the ORM for clients of two
practices in two fiscal years."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from budgets import services as budget_services
from budgets.selectors import current_fiscal_year
from clients.models import Contact
from compliance import services as compliance_services
from qbr import dashboard
from tests.factories import ClientFactory, ContactFactory, MeetingFactory, compliance_assessment
from vcio import kept

pytestmark = pytest.mark.django_db


def contact_rows(practice, *client_ids):
    return (
        Contact.objects.for_practice(practice)
        .filter(client_id__in=client_ids)
        .order_by("name", "pk")
        .values_list("pk", "name", "client_id", "created_at")
    )


@pytest.fixture
def world(practice_a, practice_b):
    """Two clients of practice A (3 and 2 contacts), one of practice B (4)."""
    made = [
        ClientFactory(practice=practice_a, name="Acme Dental", fiscal_year_start_month=1),
        ClientFactory(practice=practice_a, name="Apex Legal", fiscal_year_start_month=7),
        ClientFactory(practice=practice_b, name="Bravo Build", fiscal_year_start_month=1),
    ]
    for client, count in zip(made, (3, 2, 4), strict=True):
        for i in range(count):
            ContactFactory(client=client, name=f"{client.name} contact {i}")
    kept.KEPT.clear()
    yield made
    kept.KEPT.clear()


def statements(prefix):
    return {key: value for key, value in kept.KEPT.items() if key[0] == prefix}


def test_rows_are_the_orms_for_each_practice_and_each_list_of_ids(world, practice_a, practice_b):
    a1, a2, b1 = world
    for practice, ids in [
        (practice_a, [a1.pk, a2.pk]),
        (practice_b, [b1.pk]),
        (practice_a, [a2.pk]),  # the statement practice B's call kept, bound to A and a2
        (practice_a, [a2.pk, a1.pk]),
        (practice_b, [a1.pk]),  # another practice's client: nothing
    ]:
        ours = kept.kept_rows(("contacts",), practice, contact_rows, ids)
        assert ours == list(contact_rows(practice, *ids))
        assert {row[2] for row in ours} <= set(ids)
    assert len(ours) == 0
    # one statement per number of ids, every one kept
    assert [v is not None for v in statements("contacts").values()] == [True, True]


def test_a_kept_rows_call_is_one_statement_and_no_compilation(world, practice_a, practice_b, monkeypatch):
    a1, a2, b1 = world
    kept.kept_rows(("contacts",), practice_b, contact_rows, [b1.pk])

    def no_compiling(*args, **kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(SQLCompiler, "as_sql", no_compiling)
    with CaptureQueriesContext(connection) as ctx:
        rows = kept.kept_rows(("contacts",), practice_a, contact_rows, [a2.pk])
    assert [name for _, name, _, _ in rows] == ["Apex Legal contact 0", "Apex Legal contact 1"]
    assert len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]) == 1


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(  # the ORM puts the columns in the order asked, not the statement's
            lambda p, *ids: (
                Contact.objects.for_practice(p)
                .filter(client_id__in=ids)
                .values("client_id")
                .annotate(n=Count("pk"))
                .values_list("n", "client_id")
                .order_by("client_id")
            ),
            id="columns-reordered",
        ),
        pytest.param(
            lambda p, *ids: (
                Contact.objects.for_practice(p).filter(client_id__in=ids).values_list("name", flat=True)
            ),
            id="flat",
        ),
        pytest.param(
            lambda p, *ids: Contact.objects.for_practice(p).filter(client_id__in=ids).values("name"),
            id="dicts",
        ),
    ],
)
def test_rows_the_orm_makes_otherwise_go_through_the_orm(world, practice_a, build):
    a1, a2, _ = world
    assert sorted(kept.kept_rows(("other",), practice_a, build, [a1.pk, a2.pk]), key=str) == sorted(
        build(practice_a, a1.pk, a2.pk), key=str
    )
    assert list(statements("other").values()) == [None]


def test_instances_and_rows_are_not_taken_for_each_other(world, practice_a):
    a1, _, _ = world
    model_rows = lambda p, *ids: Contact.objects.for_practice(p).filter(client_id__in=ids).order_by("name")  # noqa: E731
    assert kept.kept_rows(("mixed",), practice_a, model_rows, [a1.pk]) == list(model_rows(practice_a, a1.pk))
    found = kept.kept_instances(("mixed",), practice_a, model_rows, [a1.pk])
    assert [c.name for c in found] == [
        "Acme Dental contact 0",
        "Acme Dental contact 1",
        "Acme Dental contact 2",
    ]
    rows = kept.kept_instances(("mixed-rows",), practice_a, contact_rows, [a1.pk])
    assert rows == list(contact_rows(practice_a, a1.pk))


def _columns(practice, clients):
    return {column.key: column.values(practice, clients) for column in dashboard.CLIENT_COLUMNS}


def test_the_client_list_columns_kept_are_the_orms(
    world, practice_a, practice_b, owner_a, owner_b, monkeypatch
):
    """Each column for practice A's clients in two fiscal years (the budgets' statement has a shape:
    how many clients each year has — (1, 2) and (2, 1) bind as many values), for practice B's one,
    and for A's alone, kept statements and all, equal the ORM's answer; and none answers for another
    practice's client."""
    a1, a2, b1 = world
    a3 = ClientFactory(practice=practice_a, name="Alder Vets", fiscal_year_start_month=7)
    a4 = ClientFactory(practice=practice_a, name="Ash Foods", fiscal_year_start_month=1)
    now = timezone.now()
    for n, client in enumerate([a1, a2, b1, a3, a4]):
        actor = owner_b if client == b1 else owner_a
        MeetingFactory(client=client, scheduled_at=now + timedelta(days=10 + n))
        MeetingFactory(client=client, scheduled_at=now + timedelta(days=40 + n))
        MeetingFactory(client=client, scheduled_at=now - timedelta(days=5))  # past: not the next
        budget = budget_services.budget_create(
            client=client, actor=actor, fiscal_year=current_fiscal_year(client)
        )
        budget_services.line_create(
            budget=budget,
            actor=actor,
            name="Licences",
            category="software",
            expense_type="opex",
            recurrence="monthly",
            amount=Decimal(100 * (n + 1)),
            first_month=1,
            months=None,
        )
        _, assessment, responses = compliance_assessment(client, items=n + 2, title=f"Framework {n}")
        compliance_services.response_update(response=responses[0], actor=actor, status="implemented")
        compliance_services.assessment_complete(assessment=assessment, actor=actor)
    assert current_fiscal_year(a1) < current_fiscal_year(a2)

    cases = [
        (practice_a, [a1, a2]),
        (practice_b, [b1]),
        (practice_a, [a2]),
        (practice_a, [a1]),
        (practice_a, [a1, a2, a3]),  # (1, 2)
        (practice_a, [a4, a2, a1]),  # (2, 1)
        (practice_b, [a1]),
    ]
    with monkeypatch.context() as orm_only:  # what the ORM answers, nothing kept
        orm_only.setattr(kept, "kept", lambda *args, **kwargs: None)
        expected = [_columns(practice, clients) for practice, clients in cases]
    assert not kept.KEPT
    assert expected[0]["planned_fy"] == {a1.pk: Decimal("1200.00"), a2.pk: Decimal("2400.00")}
    assert expected[1]["compliance"] == {b1.pk: Decimal(100) / 4}
    assert expected[5]["planned_fy"] == {
        a4.pk: Decimal("6000.00"),
        a2.pk: Decimal("2400.00"),
        a1.pk: Decimal("1200.00"),
    }
    assert expected[-1] == {"next_qbr": {}, "planned_fy": {}, "compliance": {}}

    for (practice, clients), theirs in zip(cases, expected, strict=True):
        assert _columns(practice, clients) == theirs
    assert [key for key, value in kept.KEPT.items() if value is None] == []
    assert {key[0] for key in kept.KEPT} == {"qbr.next-qbr", "budgets.current", "compliance.client-scores"}
    # the budgets' statement: one per shape
    assert sorted(key[1] for key in statements("budgets.current")) == [(1,), (1, 1), (1, 2), (2, 1)]


def test_more_values_than_a_page_go_through_the_orm(world, practice_a):
    """A CSV's every row: no statement is kept for that one count of ids."""
    import uuid

    a1, a2, _ = world
    ids = [a1.pk, a2.pk, *(uuid.uuid4() for _ in range(kept.KEPT_VALUES - 1))]
    assert kept.kept_rows(("many",), practice_a, contact_rows, ids) == list(contact_rows(practice_a, *ids))
    assert not statements("many")
    kept.kept_rows(("many",), practice_a, contact_rows, ids[: kept.KEPT_VALUES])
    assert list(statements("many")) == [("many", "default", connection.vendor, kept.KEPT_VALUES)]
