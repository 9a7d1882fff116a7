"""The Roadmap tab's pages: access, workflow through the page, forms, query counts."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from roadmaps.models import Goal, Initiative, InitiativeStatusChange
from tests.factories import ContactFactory, GoalFactory, InitiativeFactory
from tests.roadmaps.test_services import ALLOWED, FORBIDDEN
from vcio.fiscal import fiscal_quarter

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, client, *args, practice="alpha"):
    return reverse(f"roadmaps:{name}", args=[practice, client.pk, *args])


def quarter_keys(client, n=0):
    q = fiscal_quarter(timezone.localdate(), client.fiscal_year_start_month).add(n)
    return q


CLIENT_PAGES = ["timeline", "board", "list", "create", "goals", "goal_create"]
INITIATIVE_PAGES = ["detail", "edit", "transition"]


@pytest.fixture
def world(client_a1, client_a2, canary_client_b):
    """A1's initiative and goal, A2's initiative and goal, and B's canaries."""
    return {
        "a1_initiative": InitiativeFactory(client=client_a1, title="Alpha firewall"),
        "a1_goal": GoalFactory(client=client_a1, title="Alpha goal"),
        "a2_initiative": InitiativeFactory(client=client_a2, title="A2-only initiative"),
        "a2_goal": GoalFactory(client=client_a2, title="A2-only goal"),
        "b_initiative": InitiativeFactory(client=canary_client_b, title="CANARY-Bravo-Initiative"),
        "b_goal": GoalFactory(client=canary_client_b, title="CANARY-Bravo-Goal"),
    }


def test_every_page_renders_for_a_member(as_viewer_a, client_a1, world):
    i, g = world["a1_initiative"], world["a1_goal"]
    for name in ["timeline", "board", "list", "goals"]:
        response = as_viewer_a.get(url(name, client_a1))
        assert response.status_code == 200, name
        assert b"CANARY" not in response.content
        assert b"A2-only" not in response.content
    response = as_viewer_a.get(url("detail", client_a1, i.pk))
    assert response.status_code == 200 and b"Alpha firewall" in response.content
    assert g.title in as_viewer_a.get(url("goals", client_a1)).content.decode()


def test_other_practice_objects_are_404_under_our_urls(as_owner_a, client_a1, canary_client_b, world):
    b_i, b_g = world["b_initiative"], world["b_goal"]
    for name in INITIATIVE_PAGES:
        assert as_owner_a.get(url(name, client_a1, b_i.pk)).status_code == 404, name
    assert as_owner_a.get(url("goal_edit", client_a1, b_g.pk)).status_code == 404
    # B's client under A's practice slug: every page is a 404
    for name in CLIENT_PAGES:
        assert as_owner_a.get(url(name, canary_client_b)).status_code == 404, name
    # writes too, and nothing changes
    assert as_owner_a.post(url("transition", client_a1, b_i.pk), {"to": "approved"}).status_code == 404
    assert as_owner_a.post(url("delete", client_a1, b_i.pk)).status_code == 404
    assert as_owner_a.post(url("goal_delete", client_a1, b_g.pk)).status_code == 404
    assert as_owner_a.post(url("edit", client_a1, b_i.pk), {"title": "x"}).status_code == 404
    b_i.refresh_from_db()
    assert b_i.status == "proposed" and b_i.title == "CANARY-Bravo-Initiative"
    assert Goal.objects.filter(pk=b_g.pk).exists()


def test_practice_b_member_gets_404_on_practice_a_pages(as_owner_b, client_a1, world):
    i = world["a1_initiative"]
    for name in CLIENT_PAGES:
        assert as_owner_b.get(url(name, client_a1)).status_code == 404, name
    for name in INITIATIVE_PAGES:
        assert as_owner_b.get(url(name, client_a1, i.pk)).status_code == 404, name
    assert as_owner_b.post(url("transition", client_a1, i.pk), {"to": "approved"}).status_code == 404
    i.refresh_from_db()
    assert i.status == "proposed"


def test_another_clients_objects_are_404_under_this_clients_urls(as_owner_a, client_a1, world):
    a2_i, a2_g = world["a2_initiative"], world["a2_goal"]
    for name in INITIATIVE_PAGES:
        assert as_owner_a.get(url(name, client_a1, a2_i.pk)).status_code == 404, name
    assert as_owner_a.get(url("goal_edit", client_a1, a2_g.pk)).status_code == 404
    assert as_owner_a.post(url("transition", client_a1, a2_i.pk), {"to": "approved"}).status_code == 404
    assert as_owner_a.post(url("delete", client_a1, a2_i.pk)).status_code == 404
    assert as_owner_a.post(url("goal_delete", client_a1, a2_g.pk)).status_code == 404
    assert Initiative.objects.get(pk=a2_i.pk).status == "proposed"
    assert Goal.objects.filter(pk=a2_g.pk).exists()


def test_anonymous_is_sent_to_login(client, client_a1):
    response = client.get(url("timeline", client_a1))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize(("from_status", "to_status"), sorted(ALLOWED))
def test_every_allowed_transition_through_the_board(from_status, to_status, as_consultant_a, client_a1):
    start = quarter_keys(client_a1)
    i = InitiativeFactory(client=client_a1, status=from_status, target_start=start.key, target_end=start.key)
    data = {"to": to_status, "note": "moved"}
    if to_status == "deferred":
        data["target_start"] = start.add(2).key

    response = as_consultant_a.post(url("transition", client_a1, i.pk), data, **HTMX)

    assert response.status_code == 200
    assert b"Moved" in response.content
    i.refresh_from_db()
    assert i.status == to_status
    assert InitiativeStatusChange.objects.get(initiative=i).to_status == to_status


@pytest.mark.parametrize(("from_status", "to_status"), FORBIDDEN)
def test_every_forbidden_transition_through_the_board(from_status, to_status, as_consultant_a, client_a1):
    start = quarter_keys(client_a1)
    i = InitiativeFactory(client=client_a1, status=from_status, target_start=start.key, target_end=start.key)
    data = {"to": to_status}
    if to_status == "deferred":
        data["target_start"] = start.add(2).key

    response = as_consultant_a.post(url("transition", client_a1, i.pk), data, **HTMX)

    assert response.status_code == 400
    assert b"stays where it was" in response.content
    i.refresh_from_db()
    assert i.status == from_status
    assert not InitiativeStatusChange.objects.exists()
    # the card is still rendered in its original column
    content = response.content.decode()
    column = content.split(f'data-status="{from_status}"')[1].split("</ul>")[0]
    assert str(i.pk) in column


def test_forbidden_move_without_htmx_shows_the_reason_on_the_form(as_consultant_a, client_a1):
    i = InitiativeFactory(client=client_a1, status="proposed")
    response = as_consultant_a.post(url("transition", client_a1, i.pk), {"to": "done"})
    assert response.status_code == 400
    assert "Only approved or in-progress initiatives can be marked done." in response.content.decode()
    i.refresh_from_db()
    assert i.status == "proposed"


def test_allowed_move_without_htmx_redirects_with_a_message(as_consultant_a, client_a1):
    i = InitiativeFactory(client=client_a1, status="proposed")
    response = as_consultant_a.post(
        url("transition", client_a1, i.pk), {"to": "approved", "next": url("board", client_a1)}, follow=True
    )
    assert response.redirect_chain[-1][0] == url("board", client_a1)
    assert "is now approved" in response.content.decode()


def test_deferring_by_drag_without_a_quarter_asks_for_one(as_consultant_a, client_a1):
    i = InitiativeFactory(client=client_a1, status="approved")
    response = as_consultant_a.post(url("transition", client_a1, i.pk), {"to": "deferred"}, **HTMX)
    assert response.status_code == 400
    assert "needs a new target quarter" in response.content.decode()
    assert "Choose a new quarter" in response.content.decode()
    i.refresh_from_db()
    assert i.status == "approved"


def test_viewer_cannot_move_a_card_and_sees_no_edit_controls(as_viewer_a, client_a1):
    i = InitiativeFactory(client=client_a1, status="proposed")
    GoalFactory(client=client_a1)

    response = as_viewer_a.post(url("transition", client_a1, i.pk), {"to": "approved"}, **HTMX)
    assert response.status_code == 403
    i.refresh_from_db()
    assert i.status == "proposed"
    assert not InitiativeStatusChange.objects.exists()

    board = as_viewer_a.get(url("board", client_a1)).content.decode()
    assert "board-move" not in board and "roadmap-board.js" not in board
    assert "New initiative" not in board
    for name, args in [("list", []), ("detail", [i.pk]), ("goals", []), ("timeline", [])]:
        html = as_viewer_a.get(url(name, client_a1, *args)).content.decode()
        assert url("edit", client_a1, i.pk) not in html, name
        assert url("delete", client_a1, i.pk) not in html, name
        assert "New initiative" not in html and "New goal" not in html, name
    for name in ["create", "goal_create"]:
        assert as_viewer_a.post(url(name, client_a1), {"title": "x"}).status_code == 403
    assert as_viewer_a.post(url("delete", client_a1, i.pk)).status_code == 403
    assert Initiative.objects.filter(pk=i.pk).exists()


def test_board_shows_the_move_control_with_only_allowed_targets(as_consultant_a, client_a1):
    i = InitiativeFactory(client=client_a1, status="in_progress")
    html = as_consultant_a.get(url("board", client_a1)).content.decode()
    assert "roadmap-board.js" in html and "Sortable.min.js" in html
    select = html.split(f'id="move-{i.pk}"')[1].split("</select>")[0]
    assert 'value="done"' in select and 'value="deferred"' in select
    assert 'value="approved"' not in select and 'value="proposed"' not in select


def _form_data(client, **overrides):
    start = quarter_keys(client, 1)
    data = {
        "title": "Replace the firewall",
        "description": "",
        "category": "network",
        "priority": "high",
        "target_start": start.key,
        "target_end": start.add(1).key,
        "one_time_cost": "1500.00",
        "recurring_monthly_cost": "50.00",
        "effort_hours": "20",
        "business_impact": "",
        "risk_if_not_done": "",
    }
    data.update(overrides)
    return data


def test_create_edit_and_delete_an_initiative(as_consultant_a, consultant_a, client_a1):
    goal = GoalFactory(client=client_a1)
    sponsor = ContactFactory(client=client_a1)
    data = _form_data(client_a1, owner=consultant_a.pk, sponsor=sponsor.pk, goals=[goal.pk])

    response = as_consultant_a.post(url("create", client_a1), data)

    initiative = Initiative.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", client_a1, initiative.pk)
    assert initiative.practice_id == client_a1.practice_id and initiative.client == client_a1
    assert initiative.one_time_cost == Decimal("1500.00")
    assert list(initiative.goals.all()) == [goal]
    assert initiative.owner == consultant_a and initiative.sponsor == sponsor

    response = as_consultant_a.post(
        url("edit", client_a1, initiative.pk), {**data, "title": "New firewall", "goals": []}
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.title == "New firewall" and not initiative.goals.exists()

    detail = as_consultant_a.get(url("detail", client_a1, initiative.pk)).content.decode()
    assert 'data-confirm="' in detail
    history = detail.split('id="history"')[1]
    assert "Created" in history and consultant_a.display_name in history
    assert "Replace the firewall</span> → New firewall" in history  # what changed, old → new

    response = as_consultant_a.post(url("delete", client_a1, initiative.pk))
    assert response.status_code == 302 and not Initiative.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"target_end": "FIRST"}, "target_end", "cannot be before the start"),
        ({"one_time_cost": "-1"}, "one_time_cost", "greater than or equal to 0"),
        ({"title": "x" * 10_000}, "title", "at most 200 characters"),
        ({"sponsor": "OTHER_CLIENT"}, "sponsor", "Select a valid choice"),
        ({"goals": ["OTHER_GOAL"]}, "goals", "Select a valid choice"),
        ({"sponsor": "OTHER_PRACTICE"}, "sponsor", "Select a valid choice"),
        ({"title": "Replace the\nfirewall"}, "title", "Use a single line without control characters."),
        ({"title": "Replace the\x1ffirewall"}, "title", "Use a single line without control characters."),
    ],
)
def test_bad_input_gives_field_errors_and_saves_nothing(
    overrides, field, message, as_consultant_a, client_a1, client_a2, canary_client_b
):
    start = quarter_keys(client_a1, 1)
    replace = {
        "FIRST": start.add(-1).key,
        "OTHER_CLIENT": ContactFactory(client=client_a2).pk,
        "OTHER_GOAL": GoalFactory(client=client_a2).pk,
        "OTHER_PRACTICE": canary_client_b.contacts.get().pk,
    }
    overrides = {
        k: ([replace.get(x, x) for x in v] if isinstance(v, list) else replace.get(v, v))
        for k, v in overrides.items()
    }

    response = as_consultant_a.post(url("create", client_a1), _form_data(client_a1, **overrides))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    assert "Please correct the errors below." in response.content.decode()
    assert not Initiative.objects.exists()


def test_goal_create_edit_delete_and_progress_on_the_overview(as_consultant_a, client_a1):
    current_year = quarter_keys(client_a1).year
    response = as_consultant_a.post(
        url("goal_create", client_a1),
        {
            "title": "Pass the audit",
            "description": "",
            "fiscal_year": current_year,
            "status": "active",
            "order": 1,
        },
    )
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert goal.practice_id == client_a1.practice_id
    for status in ("done", "proposed"):
        i = InitiativeFactory(client=client_a1, status=status)
        i.goal_links.create(practice=client_a1.practice, goal=goal)

    overview = as_consultant_a.get(reverse("clients:overview", args=["alpha", client_a1.pk])).content.decode()
    assert "goal-progress-panel" in overview and "Pass the audit" in overview and "1 / 2" in overview

    response = as_consultant_a.post(
        url("goal_edit", client_a1, goal.pk), {"title": "", "fiscal_year": current_year}
    )
    assert response.status_code == 200 and "title" in response.context["form"].errors
    response = as_consultant_a.post(url("goal_delete", client_a1, goal.pk))
    assert response.status_code == 302 and not Goal.objects.exists()


def test_empty_states_offer_the_next_step(as_consultant_a, client_a1):
    for name, text in [
        ("timeline", "Add the first initiative"),
        ("board", "No proposed initiatives"),
        ("list", "Add the first initiative"),
        ("goals", "Add the first goal"),
    ]:
        assert text in as_consultant_a.get(url(name, client_a1)).content.decode(), name


def test_list_filters_sorting_and_csv(as_consultant_a, consultant_a, client_a1):
    goal = GoalFactory(client=client_a1)
    now = quarter_keys(client_a1)
    a = InitiativeFactory(
        client=client_a1, title="Alpha", status="approved", priority="low", owner=consultant_a
    )
    a.goal_links.create(practice=client_a1.practice, goal=goal)
    InitiativeFactory(
        client=client_a1, title="Bravo", status="proposed", priority="critical", category="cloud"
    )
    InitiativeFactory(
        client=client_a1,
        title="Charlie",
        status="proposed",
        target_start=now.add(3).key,
        target_end=now.add(4).key,
    )

    def titles(**params):
        page = as_consultant_a.get(url("list", client_a1), params).context["page"]
        return [i.title for i in page.object_list]

    assert titles(status="proposed", sort="title") == ["Bravo", "Charlie"]
    assert titles(category="cloud") == ["Bravo"]
    assert titles(goal=goal.pk) == ["Alpha"]
    assert titles(owner=consultant_a.pk) == ["Alpha"]
    assert titles(priority="low") == ["Alpha"]
    assert titles(quarter=now.add(4).key) == ["Charlie"]
    assert titles(sort="priority") == ["Bravo", "Charlie", "Alpha"]
    assert titles(sort="-title") == ["Charlie", "Bravo", "Alpha"]
    assert sorted(titles(status="bogus", category="cloud")) == ["Bravo"]  # an invalid value is ignored

    response = as_consultant_a.get(
        url("list", client_a1), {"format": "csv", "status": "proposed", "sort": "title"}
    )
    body = b"".join(response.streaming_content).decode()
    lines = body.strip().splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert lines[0].startswith("Title,Category,Priority,Status")
    assert [line.split(",")[0] for line in lines[1:]] == ["Bravo", "Charlie"]


def test_timeline_shows_quarters_bars_and_rollups(as_consultant_a, client_a1):
    now = quarter_keys(client_a1)
    InitiativeFactory(
        client=client_a1,
        title="Rolled up",
        target_start=now.key,
        target_end=now.key,
        one_time_cost=Decimal("1234.50"),
        recurring_monthly_cost=Decimal("10.00"),
    )
    html = as_consultant_a.get(url("timeline", client_a1)).content.decode()
    assert now.label in html and now.add(-2).label in html and now.add(7).label in html
    assert now.add(8).label not in html.split('id="rollup-quarters"')[0]
    assert "Rolled up" in html and "$1,234.50" in html


@pytest.mark.parametrize("page", ["timeline", "board", "list"])
def test_query_count_does_not_grow_with_initiatives(
    page, as_consultant_a, consultant_a, client_a1, django_assert_num_queries, django_assert_max_num_queries
):
    goals = GoalFactory.create_batch(3, client=client_a1)
    sponsor = ContactFactory(client=client_a1)
    now = quarter_keys(client_a1)
    statuses = ["proposed", "approved", "in_progress", "done", "deferred"]

    def make(n):
        for k in range(n):
            i = InitiativeFactory(
                client=client_a1,
                status=statuses[k % 5],
                category=["security", "cloud", "network"][k % 3],
                owner=consultant_a,
                sponsor=sponsor,
                target_start=now.add(k % 8).key,
                target_end=now.add(k % 8 + k % 2).key,
            )
            i.goal_links.create(practice=client_a1.practice, goal=goals[k % 3])

    make(10)
    target = url(page, client_a1)
    with django_assert_max_num_queries(25) as small:
        assert as_consultant_a.get(target).status_code == 200
    make(290)
    with django_assert_num_queries(len(small.captured_queries)):
        assert as_consultant_a.get(target).status_code == 200


def test_initiative_and_goal_changes_appear_in_the_clients_history_tab(as_consultant_a, client_a1, client_a2):
    as_consultant_a.post(url("create", client_a1), _form_data(client_a1, title="Audited initiative"))
    as_consultant_a.post(
        url("goal_create", client_a1),
        {
            "title": "Audited goal",
            "fiscal_year": quarter_keys(client_a1).year,
            "status": "active",
            "order": 0,
        },
    )
    InitiativeFactory(client=client_a2, title="A2-only initiative")
    i = Initiative.objects.get(title="Audited initiative")
    as_consultant_a.post(url("transition", client_a1, i.pk), {"to": "approved", "note": "QBR"})

    html = as_consultant_a.get(reverse("clients:history", args=["alpha", client_a1.pk])).content.decode()

    assert "Audited initiative" in html and "Audited goal" in html
    assert "Status: Proposed → Approved — QBR" in html
    assert "A2-only" not in html


# --- write forms are for editors ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "obj", "query"),
    [
        ("create", None, ""),
        ("edit", "initiative", ""),
        ("goal_create", None, ""),
        ("goal_edit", "goal", ""),
        ("transition", "initiative", ""),
        ("transition", "initiative", "?to=deferred"),
    ],
)
def test_a_viewer_cannot_open_a_write_form(name, obj, query, as_viewer_a, as_consultant_a, client_a1):
    objects = {"initiative": InitiativeFactory(client=client_a1), "goal": GoalFactory(client=client_a1)}
    target = url(name, client_a1, *([objects[obj].pk] if obj else [])) + query

    refused = as_viewer_a.get(target)
    allowed = as_consultant_a.get(target)

    assert refused.status_code == 403
    assert 'method="post"' not in refused.content.decode()
    assert allowed.status_code == 200 and 'method="post"' in allowed.content.decode()


# --- goal page with its history -------------------------------------------------------------------


def test_goal_page_shows_progress_initiatives_and_history(
    as_consultant_a, consultant_a, as_viewer_a, client_a1
):
    year = quarter_keys(client_a1).year
    data = {"title": "Pass the audit", "description": "", "fiscal_year": year, "status": "active", "order": 1}
    response = as_consultant_a.post(url("goal_create", client_a1), data)
    goal = Goal.objects.get()
    assert response["Location"] == url("goal_detail", client_a1, goal.pk)
    as_consultant_a.post(
        url("goal_edit", client_a1, goal.pk), {**data, "title": "Pass the NCUA exam", "status": "achieved"}
    )
    for title, status in [("Done thing", "done"), ("Open thing", "proposed"), ("Dropped thing", "rejected")]:
        InitiativeFactory(client=client_a1, title=title, status=status).goal_links.create(
            practice=client_a1.practice, goal=goal
        )
    InitiativeFactory(client=client_a1, title="Unrelated initiative")

    response = as_viewer_a.get(url("goal_detail", client_a1, goal.pk))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Pass the NCUA exam" in html and "1 / 2" in html  # rejected ones are not counted
    listed = html.split('id="goal-initiatives"')[1].split("</ul>")[0]
    assert "Done thing" in listed and "Open thing" in listed and "Dropped thing" in listed
    assert "Unrelated initiative" not in html
    history = html.split('id="history"')[1]
    assert "Created" in history and "Changed" in history and consultant_a.display_name in history
    assert "Pass the audit</span> → Pass the NCUA exam" in history
    assert "Active</span> → Achieved" in history
    assert url("goal_edit", client_a1, goal.pk) not in html  # a viewer gets no edit control
    assert (
        url("goal_edit", client_a1, goal.pk)
        in as_consultant_a.get(url("goal_detail", client_a1, goal.pk)).content.decode()
    )
    # the goal list links to it, for viewers too
    assert url("goal_detail", client_a1, goal.pk) in as_viewer_a.get(url("goals", client_a1)).content.decode()


def test_goal_page_of_another_client_or_practice_is_404(as_owner_a, as_owner_b, client_a1, world):
    assert as_owner_a.get(url("goal_detail", client_a1, world["a2_goal"].pk)).status_code == 404
    assert as_owner_a.get(url("goal_detail", client_a1, world["b_goal"].pk)).status_code == 404
    assert as_owner_b.get(url("goal_detail", client_a1, world["a1_goal"].pk)).status_code == 404


def test_goal_page_query_count_does_not_grow(
    as_consultant_a, consultant_a, client_a1, django_assert_num_queries, django_assert_max_num_queries
):
    from roadmaps import services

    goal = services.goal_create(client=client_a1, actor=consultant_a, title="Grow", fiscal_year=2027)

    def grow(n):
        for k in range(n):
            i = InitiativeFactory(client=client_a1, owner=consultant_a, status=["done", "proposed"][k % 2])
            i.goal_links.create(practice=client_a1.practice, goal=goal)
            services.goal_update(goal=goal, actor=consultant_a, order=goal.order + 1)

    grow(3)
    target = url("goal_detail", client_a1, goal.pk)
    with django_assert_max_num_queries(25) as small:
        assert as_consultant_a.get(target).status_code == 200
    grow(30)
    with django_assert_num_queries(len(small.captured_queries)):
        response = as_consultant_a.get(target)
    assert response.content.decode().count("history-change") >= 33


# --- board re-read after a failed move ------------------------------------------------------------


def test_board_names_its_url_and_answers_the_scripts_re_read_with_the_board_alone(as_viewer_a, client_a1):
    InitiativeFactory(client=client_a1, title="Card to re-read")
    board_url = url("board", client_a1)

    page = as_viewer_a.get(board_url).content.decode()
    partial = as_viewer_a.get(board_url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="board")

    assert "<html" in page and f'data-board-url="{board_url}"' in page
    html = partial.content.decode()
    assert partial.status_code == 200 and html.lstrip().startswith('<div id="board"')
    assert "<html" not in html and "Card to re-read" in html and f'data-board-url="{board_url}"' in html
    assert "HX-Target" in partial["Vary"]


# --- goal input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"order": "40000"}, "order", "less than or equal to 32767"),
        ({"title": "Open a\r\nfourth clinic"}, "title", "Use a single line without control characters."),
    ],
)
def test_bad_goal_input_gives_a_field_error_and_saves_nothing(
    overrides, field, message, as_consultant_a, client_a1
):
    data = {"title": "Pass the audit", "fiscal_year": quarter_keys(client_a1).year, "status": "active"}
    response = as_consultant_a.post(url("goal_create", client_a1), {**data, "order": "0", **overrides})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    assert not Goal.objects.exists()


# --- CSV file name ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "filename"),
    [
        ('Acme "Dental"; Co\r\nX-Injected: 1', "acme-dental-co-x-injected-1-initiatives.csv"),
        ("東京歯科", "client-initiatives.csv"),
    ],
)
def test_csv_export_file_name_is_a_plain_slug_of_the_client(name, filename, as_consultant_a, client_a1):
    from clients.models import Client

    InitiativeFactory(client=client_a1, title="Exported")
    Client.objects.filter(pk=client_a1.pk).update(name=name)  # a name saved before names were checked

    response = as_consultant_a.get(url("list", client_a1), {"format": "csv"})

    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert f'filename="{filename}"' in disposition
    assert "\r" not in disposition and "\n" not in disposition and "Injected:" not in disposition
    assert "Exported" in b"".join(response.streaming_content).decode()


# --- rollups under the timeline -----------------------------------------------------------------


def test_timeline_states_the_cost_rule_and_recurring_costs_keep_running(as_consultant_a, client_a1):
    now = quarter_keys(client_a1)
    start = now.add(-1)
    InitiativeFactory(
        client=client_a1,
        target_start=start.key,
        target_end=now.key,
        one_time_cost=Decimal("0"),
        recurring_monthly_cost=Decimal("100.00"),
    )

    html = as_consultant_a.get(url("timeline", client_a1)).content.decode()

    assert "recurring monthly costs run from the first month of its start quarter onward" in html
    assert "Recurring / year" not in html
    quarters = html.split('id="rollup-quarters"')[1].split("</table>")[0]
    assert quarters.count("$300.00") == 9  # every quarter from the start on, not only the start one
    assert quarters.count("$100.00") == 9
    years = html.split('id="rollup-years"')[1].split("</table>")[0]
    first_year_months = (4 - start.quarter + 1) * 3
    assert f"${first_year_months * 100:,}.00" in years
    assert "$1,200.00" in years  # the years after the start year pay all twelve months
