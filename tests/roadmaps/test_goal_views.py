"""Goals: create, edit, delete, progress, the goal page with its history, bad input."""

import pytest
from django.urls import reverse

from roadmaps.models import Goal
from tests.factories import InitiativeFactory
from tests.roadmaps.conftest import quarter_keys, url


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
    as_consultant_a.get(target)  # warm: the first request after signing in records the practice
    with django_assert_max_num_queries(25) as small:
        assert as_consultant_a.get(target).status_code == 200
    grow(30)
    with django_assert_num_queries(len(small.captured_queries)):
        response = as_consultant_a.get(target)
    from vcio.history import HISTORY_PAGE_SIZE

    assert response.content.decode().count("history-change") >= HISTORY_PAGE_SIZE  # a full page of changes


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


def test_the_goal_list_is_paginated(as_consultant_a, client_a1):
    from tests.factories import GoalFactory

    for n in range(13):
        GoalFactory(client=client_a1, title=f"Goal {n:02d}", order=n)
    first = as_consultant_a.get(url("goals", client_a1)).content.decode()
    assert "Goal 09" in first and "Goal 10" not in first
    assert "1–10 of 13" in first
    second = as_consultant_a.get(url("goals", client_a1) + "?page=2").content.decode()
    assert "Goal 10" in second and "Goal 12" in second and "Goal 09" not in second


def test_a_goal_lists_its_first_initiatives_and_links_to_all(as_consultant_a, client_a1):
    from roadmaps.views import GoalDetailView
    from tests.factories import GoalFactory

    goal = GoalFactory(client=client_a1)
    for _ in range(GoalDetailView.shown + 1):
        InitiativeFactory(client=client_a1).goal_links.create(practice=client_a1.practice, goal=goal)
    response = as_consultant_a.get(url("goal_detail", client_a1, goal.pk))
    assert len(response.context["initiatives"]) == GoalDetailView.shown
    assert f"{url('list', client_a1)}?goal={goal.pk}" in response.content.decode()
