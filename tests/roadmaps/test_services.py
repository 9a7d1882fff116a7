"""The roadmap workflow, validation and rollups, through the services and selectors."""

from datetime import date
from decimal import Decimal
from itertools import product

import pytest
from django.core.exceptions import ValidationError

from roadmaps import board_selectors, selectors, services
from roadmaps.models import Goal, Initiative, InitiativeGoal, InitiativeStatusChange, Status
from tests.factories import ContactFactory, GoalFactory, InitiativeFactory
from vcio.fiscal import FiscalQuarter

ALL = list(Status.values)
# The transition table, spelled out independently of the code under test.
ALLOWED = {
    ("proposed", "approved"),
    ("proposed", "deferred"),
    ("proposed", "rejected"),
    ("approved", "in_progress"),
    ("approved", "done"),
    ("approved", "deferred"),
    ("approved", "rejected"),
    ("in_progress", "done"),
    ("in_progress", "deferred"),
    ("deferred", "approved"),
    ("deferred", "proposed"),
    ("deferred", "rejected"),
    ("rejected", "proposed"),
}
FORBIDDEN = sorted(set(product(ALL, ALL)) - ALLOWED)
Q1, Q2, Q3 = FiscalQuarter(2027, 1), FiscalQuarter(2027, 2), FiscalQuarter(2027, 3)


def test_the_table_in_code_is_the_table_in_the_spec():
    assert {(f, t) for f, targets in services.TRANSITIONS.items() for t in targets} == ALLOWED
    # only proposed or deferred can be approved; done needs approved or in progress
    assert {f for f, t in ALLOWED if t == "approved"} == {"proposed", "deferred"}
    assert {f for f, t in ALLOWED if t == "done"} == {"approved", "in_progress"}


@pytest.mark.parametrize(("from_status", "to_status"), sorted(ALLOWED))
def test_every_allowed_transition(from_status, to_status, client_a1, consultant_a):
    initiative = InitiativeFactory(
        client=client_a1, status=from_status, target_start=Q1.key, target_end=Q2.key
    )
    extra = {"target_start": Q3} if to_status == "deferred" else {}

    services.initiative_transition(
        initiative=initiative, actor=consultant_a, to=to_status, note="why", **extra
    )

    initiative.refresh_from_db()
    assert initiative.status == to_status
    change = InitiativeStatusChange.objects.get(initiative=initiative)
    assert (change.from_status, change.to_status, change.changed_by, change.note) == (
        from_status,
        to_status,
        consultant_a,
        "why",
    )
    assert change.practice_id == client_a1.practice_id
    assert initiative.history.first().history_change_reason.startswith("Status:")
    if to_status == "approved":
        assert initiative.approved_by == consultant_a and initiative.approved_at is not None
    if to_status == "done":
        assert initiative.completed_at is not None
    if to_status == "deferred":  # moved to the new quarter, keeping its two-quarter length
        assert (initiative.target_start, initiative.target_end) == (Q3.key, FiscalQuarter(2027, 4).key)


@pytest.mark.parametrize(("from_status", "to_status"), FORBIDDEN)
def test_every_forbidden_transition(from_status, to_status, client_a1, consultant_a):
    initiative = InitiativeFactory(
        client=client_a1, status=from_status, target_start=Q1.key, target_end=Q1.key
    )
    extra = {"target_start": Q3} if to_status == "deferred" else {}

    with pytest.raises(ValidationError) as exc:
        services.initiative_transition(initiative=initiative, actor=consultant_a, to=to_status, **extra)

    assert "status" in exc.value.message_dict
    initiative.refresh_from_db()
    assert initiative.status == from_status
    assert initiative.target_start == Q1.key
    assert not InitiativeStatusChange.objects.exists()


def test_forbidden_reasons_are_specific(client_a1, consultant_a):
    done = InitiativeFactory(client=client_a1, status="in_progress")
    with pytest.raises(ValidationError, match="Only proposed or deferred initiatives can be approved"):
        services.initiative_transition(initiative=done, actor=consultant_a, to="approved")
    proposed = InitiativeFactory(client=client_a1, status="proposed")
    with pytest.raises(ValidationError, match="Only approved or in-progress initiatives can be marked done"):
        services.initiative_transition(initiative=proposed, actor=consultant_a, to="done")


def test_deferring_needs_a_new_later_quarter(client_a1, consultant_a):
    initiative = InitiativeFactory(
        client=client_a1, status="approved", target_start=Q2.key, target_end=Q2.key
    )
    for bad in (None, Q2, Q1):
        with pytest.raises(ValidationError) as exc:
            services.initiative_transition(
                initiative=initiative, actor=consultant_a, to="deferred", target_start=bad
            )
        assert "target_start" in exc.value.message_dict
    initiative.refresh_from_db()
    assert (initiative.status, initiative.target_start) == ("approved", Q2.key)

    services.initiative_transition(
        initiative=initiative, actor=consultant_a, to="deferred", target_start=Q3, note="Budget freeze"
    )
    initiative.refresh_from_db()
    assert (initiative.status, initiative.target_start, initiative.target_end) == ("deferred", Q3.key, Q3.key)
    change = initiative.status_changes.get()
    assert (change.previous_target_start, change.new_target_start) == (Q2.key, Q3.key)


def _valid(client, **overrides):
    data = {
        "client": client,
        "actor": None,
        "title": "Replace firewalls",
        "category": "network",
        "priority": "high",
        "target_start": Q1,
        "target_end": Q2,
        "one_time_cost": Decimal("1200.50"),
        "recurring_monthly_cost": Decimal("99.99"),
    }
    data.update(overrides)
    return data


def test_create_sets_practice_from_the_client_and_links_goals(client_a1, consultant_a):
    goal = GoalFactory(client=client_a1)
    sponsor = ContactFactory(client=client_a1)

    initiative = services.initiative_create(
        **_valid(client_a1, owner=consultant_a, sponsor=sponsor, goals=[goal], actor=consultant_a)
    )

    assert initiative.practice_id == client_a1.practice_id
    assert initiative.status == "proposed"
    assert (initiative.target_start, initiative.target_end) == (20271, 20272)
    link = InitiativeGoal.objects.get()
    assert (link.practice_id, link.goal, link.initiative) == (client_a1.practice_id, goal, initiative)
    assert initiative.history.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"target_start": Q2, "target_end": Q1}, "target_end"),
        ({"target_start": None}, "target_start"),
        ({"one_time_cost": Decimal("-1")}, "one_time_cost"),
        ({"recurring_monthly_cost": Decimal("-0.01")}, "recurring_monthly_cost"),
        ({"title": "x" * 10_000}, "title"),
        ({"title": ""}, "title"),
        ({"title": "Two\nlines"}, "title"),
        ({"title": "Tab\there"}, "title"),
        ({"title": "Nul\x00byte"}, "title"),
        ({"one_time_cost": Decimal("1234567890123.00")}, "one_time_cost"),
        ({"category": "nope"}, "category"),
    ],
)
def test_bad_input_is_refused_with_a_field_error(overrides, field, client_a1):
    with pytest.raises(ValidationError) as exc:
        services.initiative_create(**_valid(client_a1, **overrides))
    assert field in exc.value.message_dict
    assert not Initiative.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "Open a\r\nfourth clinic"}, "title", "Use a single line without control characters."),
        ({"title": "Bell\x07"}, "title", "Use a single line without control characters."),
        ({"order": 32768}, "order", "Ensure this value is less than or equal to 32767."),
        ({"order": -1}, "order", None),
    ],
)
def test_bad_goal_input_is_refused_with_a_field_error(overrides, field, message, client_a1):
    data = {"title": "Pass the audit", "fiscal_year": 2027, "order": 0, **overrides}
    with pytest.raises(ValidationError) as exc:
        services.goal_create(client=client_a1, actor=None, **data)
    assert field in exc.value.message_dict
    if message:
        assert exc.value.message_dict[field] == [message]
    assert not Goal.objects.exists()


def test_the_largest_goal_order_is_accepted(client_a1):
    goal = services.goal_create(client=client_a1, actor=None, title="Last", fiscal_year=2027, order=32767)
    goal.refresh_from_db()
    assert goal.order == 32767


def test_owner_must_be_a_member_sponsor_and_goals_of_the_same_client(
    client_a1, client_a2, canary_client_b, owner_b
):
    other_client_contact = ContactFactory(client=client_a2)
    other_practice_contact = canary_client_b.contacts.get()
    other_goal = GoalFactory(client=client_a2)
    for overrides, field in [
        ({"owner": owner_b}, "owner"),
        ({"sponsor": other_client_contact}, "sponsor"),
        ({"sponsor": other_practice_contact}, "sponsor"),
        ({"goals": [other_goal]}, "goals"),
    ]:
        with pytest.raises(ValidationError) as exc:
            services.initiative_create(**_valid(client_a1, **overrides))
        assert field in exc.value.message_dict
    assert not Initiative.objects.exists()


def test_update_changes_plan_and_goals_but_never_status(client_a1, consultant_a):
    g1, g2 = GoalFactory(client=client_a1), GoalFactory(client=client_a1)
    initiative = services.initiative_create(**_valid(client_a1, goals=[g1]))

    services.initiative_update(
        initiative=initiative,
        actor=consultant_a,
        title="New title",
        target_start=Q2,
        target_end=Q3,
        goals=[g2],
    )
    initiative.refresh_from_db()
    assert initiative.title == "New title"
    assert (initiative.target_start, initiative.target_end) == (Q2.key, Q3.key)
    assert list(initiative.goals.all()) == [g2]
    with pytest.raises(ValueError):
        services.initiative_update(initiative=initiative, actor=consultant_a, status="done")
    with pytest.raises(ValidationError):
        services.initiative_update(initiative=initiative, actor=consultant_a, target_start=Q3, target_end=Q1)
    initiative.refresh_from_db()
    assert initiative.target_start == Q2.key


def test_goal_crud_and_progress(client_a1):
    goal = services.goal_create(client=client_a1, actor=None, title="Grow", fiscal_year=2027)
    assert goal.practice_id == client_a1.practice_id
    for status in ("done", "done", "proposed", "rejected"):
        i = InitiativeFactory(client=client_a1, status=status)
        InitiativeGoal.objects.create(practice=client_a1.practice, initiative=i, goal=goal)
    row = selectors.goal_list(client=client_a1).get()
    assert (row.initiative_done, row.initiative_total) == (2, 3)  # rejected ones do not count
    with pytest.raises(ValidationError):
        services.goal_update(goal=goal, actor=None, fiscal_year=1900)
    services.goal_delete(goal=goal, actor=None)
    assert not Goal.objects.exists()
    assert Initiative.objects.count() == 4


def test_timeline_packs_bars_and_counts_what_lies_outside(client_a1):
    client_a1.fiscal_year_start_month = 1
    today = date(2027, 5, 10)  # FY2027 Q2: window FY2026 Q4 .. FY2029 Q1
    InitiativeFactory(client=client_a1, category="security", target_start=20264, target_end=20272)
    InitiativeFactory(client=client_a1, category="security", target_start=20273, target_end=20273)
    InitiativeFactory(client=client_a1, category="security", target_start=20272, target_end=20274)
    InitiativeFactory(client=client_a1, category="network", target_start=20254, target_end=20261)
    InitiativeFactory(client=client_a1, category="network", target_start=20284, target_end=20302)
    InitiativeFactory(
        client=client_a1, category="cloud", status="rejected", target_start=20272, target_end=20272
    )

    grid = board_selectors.timeline_grid(client=client_a1, today=today)

    assert [q.label for q in grid.quarters][:3] == ["FY2026 Q4", "FY2027 Q1", "FY2027 Q2"]
    assert len(grid.quarters) == 10 and grid.current == FiscalQuarter(2027, 2)
    assert [r.category for r in grid.rows] == ["security", "network"]
    security = grid.rows[0]
    assert [[(b.column, b.span) for b in lane] for lane in security.lanes] == [[(1, 3), (4, 1)], [(3, 3)]]
    network = grid.rows[1]
    assert [(b.column, b.span, b.ends_after) for b in network.lanes[0]] == [(9, 2, True)]
    assert (grid.outside_before, grid.outside_after) == (1, 0)


def test_changes_name_the_actor_in_the_audit_history(client_a1, consultant_a):
    initiative = services.initiative_create(**_valid(client_a1, actor=consultant_a))
    services.initiative_transition(initiative=initiative, actor=consultant_a, to="approved", note="n" * 300)
    rows = list(initiative.history.order_by("history_date"))
    assert [r.history_user for r in rows] == [consultant_a, consultant_a]
    assert rows[-1].history_change_reason == "Status: Proposed → Approved — " + "n" * 300  # kept whole
