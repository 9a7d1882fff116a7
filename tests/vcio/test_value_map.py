"""`vcio.expressions.ValueMap` computes what the `Case` it replaces computes — in a select, an order,
a filter and a subquery, for text and UUID columns, with NULLs and unmapped values — on the
database the suite runs on (SQLite, then PostgreSQL in CI)."""

import pytest
from django.db.models import Case, IntegerField, Value, When

from roadmaps.models import PRIORITY_RANK, Initiative, Priority, Status
from roadmaps.selectors import STATUS_RANK
from tests.factories import InitiativeFactory, UserFactory
from vcio.expressions import ValueMap

pytestmark = pytest.mark.django_db


def _case(field, mapping, default):
    return Case(
        *[When(**{field: value}, then=Value(result)) for value, result in mapping.items()],
        default=Value(default),
        output_field=IntegerField(),
    )


@pytest.fixture
def initiatives(client_a1):
    owner, other = UserFactory(), UserFactory()
    made = []
    for n, (priority, status, who) in enumerate(
        [
            (Priority.LOW, Status.DONE, owner),
            (Priority.CRITICAL, Status.PROPOSED, None),
            (Priority.HIGH, Status.REJECTED, other),
            (Priority.MEDIUM, Status.IN_PROGRESS, owner),
            (Priority.CRITICAL, Status.DEFERRED, None),
        ]
    ):
        made.append(
            InitiativeFactory(client=client_a1, priority=priority, status=status, owner=who, title=f"I{n}")
        )
    Initiative.objects.filter(pk=made[2].pk).update(priority="unknown")  # a value in no branch
    return made, owner


def test_it_equals_the_case_it_replaces(initiatives):
    made, owner = initiatives
    maps = {
        "priority": (PRIORITY_RANK, 9),
        "status": (STATUS_RANK, 9),
        "owner": ({owner.pk: 1}, 0),  # a UUID column, NULL for two rows
    }
    for field, (mapping, default) in maps.items():
        ours = Initiative.objects.annotate(rank=ValueMap(field, mapping, default))
        theirs = Initiative.objects.annotate(rank=_case(field, mapping, default))
        for order in (["rank", "title"], ["-rank", "title"]):
            assert list(ours.order_by(*order).values_list("title", "rank")) == list(
                theirs.order_by(*order).values_list("title", "rank")
            ), (field, order)
        assert sorted(ours.filter(rank__lte=1).values_list("title", flat=True)) == sorted(
            theirs.filter(rank__lte=1).values_list("title", flat=True)
        )
        first_two = ours.order_by("rank", "title").values("pk")[:2]
        assert Initiative.objects.filter(pk__in=first_two).count() == 2
    ranks = dict(
        Initiative.objects.annotate(rank=ValueMap("priority", PRIORITY_RANK, 9)).values_list("title", "rank")
    )
    assert ranks == {"I0": 4, "I1": 1, "I2": 9, "I3": 3, "I4": 1}
    owned = dict(
        Initiative.objects.annotate(rank=ValueMap("owner", {owner.pk: 1}, 0)).values_list("title", "rank")
    )
    assert owned == {"I0": 1, "I1": 0, "I2": 0, "I3": 1, "I4": 0}
