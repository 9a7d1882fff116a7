"""The Roadmap tab's pages: access, forms, list, timeline, query counts, history."""

from decimal import Decimal

import pytest
from django.urls import reverse

from roadmaps.models import Goal, Initiative
from tests.factories import ContactFactory, GoalFactory, InitiativeFactory
from tests.roadmaps.conftest import CLIENT_PAGES, INITIATIVE_PAGES, quarter_keys, url


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


def test_empty_states_offer_the_next_step(as_consultant_a, client_a1):
    for name, text in [
        ("timeline", "Add the first initiative"),
        ("board", "No proposed initiatives"),
        ("list", "Add the first initiative"),
        ("goals", "Add the first goal"),
    ]:
        assert text in as_consultant_a.get(url(name, client_a1)).content.decode(), name


def test_the_list_as_it_opens_shows_each_initiatives_goals_in_order(
    as_consultant_a, as_owner_b, client_a1, client_a2, canary_client_b
):
    """The list as it opens reads its page's goals after its kept page statement: each row names its
    own goals, in the goals' order (not the links'), for clients of either practice."""
    first, second = (
        GoalFactory(client=client_a1, title="Grow online sales", order=1),
        GoalFactory(client=client_a1, title="Cut downtime", order=2),
    )
    both = InitiativeFactory(client=client_a1, title="Alpha rollout")
    both.goal_links.create(practice=client_a1.practice, goal=second)
    both.goal_links.create(practice=client_a1.practice, goal=first)
    one = InitiativeFactory(client=client_a1, title="Bravo upgrade")
    one.goal_links.create(practice=client_a1.practice, goal=second)
    InitiativeFactory(client=client_a1, title="Charlie review")
    theirs = GoalFactory(client=canary_client_b, title="CANARY-Bravo-Goal")
    InitiativeFactory(client=canary_client_b, title="Their plan").goal_links.create(
        practice=canary_client_b.practice, goal=theirs
    )
    other = GoalFactory(client=client_a2, title="Other client's goal")
    InitiativeFactory(client=client_a2, title="Other plan").goal_links.create(
        practice=client_a2.practice, goal=other
    )

    def goals_shown(http, client):
        page = http.get(url("list", client, practice=client.practice.slug)).context["page"]
        return {i.title: [g.title for g in i.linked_goals] for i in page.object_list}

    for _ in range(2):  # the second time through the kept statements
        assert goals_shown(as_consultant_a, client_a1) == {
            "Alpha rollout": ["Grow online sales", "Cut downtime"],
            "Bravo upgrade": ["Cut downtime"],
            "Charlie review": [],
        }
        assert goals_shown(as_owner_b, canary_client_b) == {"Their plan": ["CANARY-Bravo-Goal"]}
        assert goals_shown(as_consultant_a, client_a2) == {"Other plan": ["Other client's goal"]}
    html = as_consultant_a.get(url("list", client_a1)).content.decode()
    assert "Grow online sales" in html and "CANARY" not in html


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
    body = b"".join(response.streaming_content).decode("utf-8-sig")
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
    as_consultant_a.get(target)  # warm: the first request after signing in records the practice
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

    form_tag = f'<form method="post" action="{target.split("?")[0]}"'
    assert refused.status_code == 403
    assert "Your role (Viewer) may not" in refused.content.decode()
    assert 'name="csrfmiddlewaretoken"' not in refused.content.decode().split('action="/accounts/logout/"')[0]
    assert allowed.status_code == 200 and 'method="post"' in allowed.content.decode()
    assert form_tag not in refused.content.decode()


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
    assert "Exported" in b"".join(response.streaming_content).decode("utf-8-sig")


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
