"""The roadmaps API: CRUD, filters, the transition endpoint, isolation and query counts."""

import json
from decimal import Decimal

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from roadmaps.models import Goal, Initiative, InitiativeGoal, InitiativeStatusChange
from tests.factories import ContactFactory, GoalFactory, InitiativeFactory
from tests.roadmaps.test_services import ALLOWED, FORBIDDEN

GOALS = "/api/v1/goals/"
INITIATIVES = "/api/v1/initiatives/"


def detail(pk):
    return f"{INITIATIVES}{pk}/"


def transition(pk):
    return f"{INITIATIVES}{pk}/transition/"


def send(http, url, data, method="post"):
    return getattr(http, method)(
        url, json.dumps(data, cls=DjangoJSONEncoder), content_type="application/json"
    )


@pytest.fixture
def http_a(api, api_key_a):
    return api(api_key_a[1])


def _payload(for_client, **overrides):
    data = {
        "client": str(for_client.pk),
        "title": "Move e-mail to Exchange Online",
        "category": "cloud",
        "priority": "high",
        "target_start": "FY2027 Q2",
        "target_end": "FY2027 Q3",
        "one_time_cost": "4200.00",
        "recurring_monthly_cost": "120.50",
    }
    data.update(overrides)
    return data


def test_create_read_update_delete_an_initiative(http_a, client_a1, owner_a):
    goal = GoalFactory(client=client_a1)
    sponsor = ContactFactory(client=client_a1)

    response = send(
        http_a,
        INITIATIVES,
        _payload(client_a1, goals=[str(goal.pk)], sponsor=str(sponsor.pk), owner=owner_a.pk),
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "proposed"
    assert (body["target_start"], body["target_end"]) == ("FY2027 Q2", "FY2027 Q3")
    assert body["one_time_cost"] == "4200.00"
    assert body["goals"] == [str(goal.pk)]
    initiative = Initiative.objects.get(pk=body["id"])
    assert initiative.practice_id == client_a1.practice_id
    assert (initiative.target_start, initiative.target_end) == (20272, 20273)
    assert InitiativeGoal.objects.get().practice_id == client_a1.practice_id

    response = send(
        http_a, detail(initiative.pk), {"title": "Renamed", "goals": [], "status": "done"}, "patch"
    )
    assert response.status_code == 200
    assert response.json()["goals"] == []  # the answer shows the links as written, not as prefetched
    initiative.refresh_from_db()
    assert initiative.title == "Renamed" and initiative.status == "proposed"  # status is read-only
    assert not initiative.goals.exists()

    assert http_a.get(detail(initiative.pk)).json()["title"] == "Renamed"
    assert http_a.delete(detail(initiative.pk)).status_code == 204
    assert not Initiative.objects.exists()


def test_goal_crud(http_a, client_a1):
    response = send(http_a, GOALS, {"client": str(client_a1.pk), "title": "Grow safely", "fiscal_year": 2027})
    assert response.status_code == 201
    goal = Goal.objects.get()
    assert goal.practice_id == client_a1.practice_id
    assert send(http_a, f"{GOALS}{goal.pk}/", {"status": "achieved"}, "patch").json()["status"] == "achieved"
    assert http_a.delete(f"{GOALS}{goal.pk}/").status_code == 204


@pytest.mark.parametrize(("from_status", "to_status"), sorted(ALLOWED))
def test_every_allowed_transition_through_the_api(from_status, to_status, http_a, client_a1):
    i = InitiativeFactory(client=client_a1, status=from_status, target_start=20271, target_end=20271)
    data = {"to": to_status, "note": "via API"}
    if to_status == "deferred":
        data["target_start"] = "FY2027 Q3"

    response = send(http_a, transition(i.pk), data)

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == to_status
    i.refresh_from_db()
    assert i.status == to_status
    change = InitiativeStatusChange.objects.get()
    assert (change.from_status, change.to_status, change.note) == (from_status, to_status, "via API")


@pytest.mark.parametrize(("from_status", "to_status"), FORBIDDEN)
def test_every_forbidden_transition_through_the_api(from_status, to_status, http_a, client_a1):
    i = InitiativeFactory(client=client_a1, status=from_status, target_start=20271, target_end=20271)
    data = {"to": to_status}
    if to_status == "deferred":
        data["target_start"] = "FY2027 Q3"

    response = send(http_a, transition(i.pk), data)

    assert response.status_code == 400
    assert response.json()["status"][0]  # the reason
    i.refresh_from_db()
    assert (i.status, i.target_start) == (from_status, 20271)
    assert not InitiativeStatusChange.objects.exists()


def test_forbidden_transition_answers_with_the_reason(http_a, client_a1):
    i = InitiativeFactory(client=client_a1, status="in_progress")
    response = send(http_a, transition(i.pk), {"to": "approved"})
    assert response.status_code == 400
    assert response.json() == {"status": ["Only proposed or deferred initiatives can be approved."]}
    response = send(http_a, transition(i.pk), {"to": "deferred"})
    assert response.status_code == 400 and "target_start" in response.json()
    response = send(http_a, transition(i.pk), {"to": "sideways"})
    assert response.status_code == 400 and "to" in response.json()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"target_start": "FY2027 Q3", "target_end": "FY2027 Q1"}, "target_end"),
        ({"one_time_cost": "-1"}, "one_time_cost"),
        ({"title": "x" * 10_000}, "title"),
        ({"target_start": "next year"}, "target_start"),
    ],
)
def test_bad_input_is_400_with_a_field_error_and_saves_nothing(overrides, field, http_a, client_a1):
    response = send(http_a, INITIATIVES, _payload(client_a1, **overrides))
    assert response.status_code == 400
    assert field in response.json()
    assert not Initiative.objects.exists()


def test_related_fields_of_another_client_or_practice_are_400_and_save_nothing(
    http_a, client_a1, client_a2, canary_client_b, owner_b
):
    b_goal = GoalFactory(client=canary_client_b)
    cases = [
        ({"client": str(canary_client_b.pk)}, "client"),
        ({"sponsor": str(canary_client_b.contacts.get().pk)}, "sponsor"),
        ({"goals": [str(b_goal.pk)]}, "goals"),
        ({"owner": str(owner_b.pk)}, "owner"),
        ({"sponsor": str(ContactFactory(client=client_a2).pk)}, "sponsor"),  # same practice, other client
        ({"goals": [str(GoalFactory(client=client_a2).pk)]}, "goals"),
    ]
    for overrides, field in cases:
        response = send(http_a, INITIATIVES, _payload(client_a1, **overrides))
        assert response.status_code == 400, overrides
        assert field in response.json(), response.json()
    assert (
        send(
            http_a, GOALS, {"client": str(canary_client_b.pk), "title": "x", "fiscal_year": 2027}
        ).status_code
        == 400
    )
    assert not Initiative.objects.exists()
    assert not Goal.objects.filter(title="x").exists()


def test_another_practices_objects_are_404_and_unchanged(http_a, canary_client_b):
    i = InitiativeFactory(client=canary_client_b, title="CANARY-Bravo-Initiative")
    g = GoalFactory(client=canary_client_b, title="CANARY-Bravo-Goal")
    assert http_a.get(detail(i.pk)).status_code == 404
    assert send(http_a, detail(i.pk), {"title": "mine"}, "patch").status_code == 404
    assert send(http_a, transition(i.pk), {"to": "approved"}).status_code == 404
    assert http_a.delete(detail(i.pk)).status_code == 404
    assert http_a.get(f"{GOALS}{g.pk}/").status_code == 404
    assert send(http_a, f"{GOALS}{g.pk}/", {"title": "mine"}, "patch").status_code == 404
    assert http_a.delete(f"{GOALS}{g.pk}/").status_code == 404
    i.refresh_from_db()
    assert (i.title, i.status) == ("CANARY-Bravo-Initiative", "proposed")
    assert Goal.objects.get(pk=g.pk).title == "CANARY-Bravo-Goal"
    for listing in (INITIATIVES, GOALS):
        assert b"CANARY" not in http_a.get(listing).content
    assert http_a.get(INITIATIVES, {"client": str(canary_client_b.pk)}).status_code == 400
    assert http_a.get(INITIATIVES, {"goal": str(g.pk)}).status_code == 400


def test_a_client_cannot_be_changed_on_an_initiative(http_a, client_a1, client_a2):
    i = InitiativeFactory(client=client_a1)
    response = send(http_a, detail(i.pk), {"client": str(client_a2.pk)}, "patch")
    assert response.status_code == 400
    i.refresh_from_db()
    assert i.client == client_a1


def test_read_only_key_and_viewer_cannot_write_or_transition(api, read_only_key_a, as_viewer_a, client_a1):
    i = InitiativeFactory(client=client_a1)
    ro = api(read_only_key_a[1])
    assert ro.get(INITIATIVES).status_code == 200
    assert send(ro, transition(i.pk), {"to": "approved"}).status_code == 403
    assert send(ro, INITIATIVES, _payload(client_a1)).status_code == 403
    viewer = send(as_viewer_a, transition(i.pk) + "?practice=alpha", {"to": "approved"})
    assert viewer.status_code == 403
    i.refresh_from_db()
    assert i.status == "proposed"
    assert Initiative.objects.count() == 1


def test_filters_and_ordering(http_a, client_a1, client_a2, consultant_a):
    goal = GoalFactory(client=client_a1)
    a = InitiativeFactory(
        client=client_a1, title="A", status="approved", priority="low", target_start=20272, target_end=20273
    )
    a.goal_links.create(practice=client_a1.practice, goal=goal)
    InitiativeFactory(
        client=client_a1,
        title="B",
        priority="critical",
        owner=consultant_a,
        target_start=20274,
        target_end=20274,
    )
    InitiativeFactory(client=client_a2, title="C", category="cloud", target_start=20281, target_end=20281)

    def titles(**params):
        response = http_a.get(INITIATIVES, params)
        assert response.status_code == 200, response.json()
        return [r["title"] for r in response.json()["results"]]

    assert titles(client=str(client_a1.pk), ordering="title") == ["A", "B"]
    assert titles(status="approved") == ["A"]
    assert titles(category="cloud") == ["C"]
    assert titles(goal=str(goal.pk)) == ["A"]
    assert titles(owner=consultant_a.pk) == ["B"]
    assert titles(quarter="FY2027 Q3") == ["A"]
    assert titles(ordering="priority_rank,title") == ["B", "C", "A"]
    assert titles(ordering="-target_start") == ["C", "B", "A"]
    assert titles(priority="critical") == ["B"]
    # a malformed quarter is a 400 that quotes it — a "%" in it included (the API fuzzer found a 500)
    for bad in ("%", "FY20%s Q1", "100% Q2"):
        response = http_a.get(INITIATIVES, {"quarter": bad})
        assert response.status_code == 400, bad
        assert f"“{bad}” is not a fiscal quarter" in response.json()["quarter"][0]


def test_list_query_count_is_constant(
    http_a, client_a1, consultant_a, django_assert_num_queries, django_assert_max_num_queries
):
    goal = GoalFactory(client=client_a1)
    sponsor = ContactFactory(client=client_a1)

    def make(n):
        for _ in range(n):
            i = InitiativeFactory(client=client_a1, owner=consultant_a, sponsor=sponsor)
            i.goal_links.create(practice=client_a1.practice, goal=goal)

    make(5)
    http_a.get(INITIATIVES)  # the key's first use of the minute records last_used_at
    with django_assert_max_num_queries(20) as small:
        assert http_a.get(INITIATIVES).status_code == 200
    make(45)
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(http_a.get(INITIATIVES).json()["results"]) == 50


def test_the_list_shows_each_initiatives_goals_as_its_detail_does(http_a, client_a1, client_a2):
    """The list reads its page's goal ids from the link table (`with_goal_ids`), the detail through
    the relation: the same ids, in the goals' order, none of another initiative's or client's."""
    goals = [GoalFactory(client=client_a1, title=t, order=o) for t, o in (("B", 2), ("A", 2), ("C", 1))]
    other = GoalFactory(client=client_a2)
    several, one, none = (InitiativeFactory(client=client_a1) for _ in range(3))
    for goal in goals:
        several.goal_links.create(practice=client_a1.practice, goal=goal)
    one.goal_links.create(practice=client_a1.practice, goal=goals[0])
    InitiativeFactory(client=client_a2).goal_links.create(practice=client_a2.practice, goal=other)
    listed = {row["id"]: row["goals"] for row in http_a.get(INITIATIVES).json()["results"]}
    assert listed[str(several.pk)] == [str(goals[2].pk), str(goals[1].pk), str(goals[0].pk)]  # C, A, B
    assert listed[str(one.pk)] == [str(goals[0].pk)] and listed[str(none.pk)] == []
    for pk, ids in listed.items():
        assert http_a.get(detail(pk)).json()["goals"] == ids


def test_money_stays_decimal(http_a, client_a1):
    response = send(
        http_a, INITIATIVES, _payload(client_a1, one_time_cost="0.10", recurring_monthly_cost="0.20")
    )
    assert response.status_code == 201
    i = Initiative.objects.get()
    assert i.one_time_cost + i.recurring_monthly_cost == Decimal("0.30")


@pytest.mark.parametrize(
    ("endpoint", "payload", "field", "message"),
    [
        (GOALS, {"order": 40000}, "order", "less than or equal to 32767"),
        (GOALS, {"title": "Open a\nfourth clinic"}, "title", "Use a single line without control characters."),
        (INITIATIVES, {"title": "Move\re-mail"}, "title", "Use a single line without control characters."),
        (INITIATIVES, {"title": "Move\x00e-mail"}, "title", None),
    ],
)
def test_too_large_order_and_multi_line_titles_are_400_with_a_field_error(
    endpoint, payload, field, message, http_a, client_a1
):
    base = (
        {"client": str(client_a1.pk), "title": "Pass the audit", "fiscal_year": 2027}
        if endpoint == GOALS
        else _payload(client_a1)
    )
    response = send(http_a, endpoint, {**base, **payload})
    assert response.status_code == 400
    assert field in response.json()
    if message:
        assert message in response.json()[field][0]
    assert not Goal.objects.exists() and not Initiative.objects.exists()


def test_an_update_to_a_multi_line_title_is_refused_and_changes_nothing(http_a, client_a1):
    goal = GoalFactory(client=client_a1, title="One line")
    response = send(http_a, f"{GOALS}{goal.pk}/", {"title": "Two\nlines"}, method="patch")
    assert response.status_code == 400 and "title" in response.json()
    goal.refresh_from_db()
    assert goal.title == "One line"


@pytest.mark.parametrize("value", ["FY9999 Q9", "next quarter", "FY2027 Q5"])
def test_an_invalid_quarter_filter_is_a_400_with_the_reason(value, api, api_key_a):
    response = api(api_key_a[1]).get("/api/v1/initiatives/", {"quarter": value})
    assert response.status_code == 400
    assert "fiscal quarter" in response.json()["quarter"][0]


def test_every_operation_has_a_summary_with_the_right_article():
    from io import StringIO

    import yaml
    from django.core.management import call_command

    out = StringIO()
    call_command("spectacular", stdout=out)
    schema = yaml.safe_load(out.getvalue())
    summaries = {
        f"{method.upper()} {path}": op.get("summary")
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
    }
    assert all(summaries.values()), [k for k, v in summaries.items() if not v]
    assert summaries["POST /api/v1/initiatives/"] == "Create an initiative"
    assert summaries["POST /api/v1/goals/"] == "Create a goal"
    assert summaries["POST /api/v1/initiatives/{id}/transition/"] == "Change an initiative's status"
