"""The initiative library's API: templates CRUD, `apply/`, isolation, read-only keys and query counts."""

import json

import pytest

from roadmaps.models import Initiative, InitiativeTemplate
from tests.factories import GoalFactory, InitiativeTemplateFactory

TEMPLATES = "/api/v1/initiative-templates/"
APPLY = TEMPLATES + "apply/"


def send(http, url, data, method="post"):
    return getattr(http, method)(url, json.dumps(data), content_type="application/json")


@pytest.fixture
def http_a(api, api_key_a):
    return api(api_key_a[1])


def test_create_read_update_delete_a_template(http_a, practice_a):
    response = send(
        http_a,
        TEMPLATES,
        {
            "title": "Roll out MFA",
            "category": "security",
            "priority": "critical",
            "one_time_cost": "2500.00",
            "tags": "Identity,  Insurance",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["tags"], body["one_time_cost"], body["recurring_monthly_cost"]) == (
        "identity, insurance",
        "2500.00",
        "0.00",
    )
    template = InitiativeTemplate.objects.get(pk=body["id"])
    assert template.practice_id == practice_a.pk
    # an API key is not a person: the history names the key
    assert template.history.get().history_change_reason == "API key “Alpha PSA sync”"

    response = send(http_a, f"{TEMPLATES}{template.pk}/", {"priority": "high"}, "patch")
    assert response.status_code == 200 and response.json()["priority"] == "high"
    assert http_a.get(f"{TEMPLATES}{template.pk}/").json()["title"] == "Roll out MFA"

    duplicate = send(http_a, TEMPLATES, {"title": "roll out MFA"})
    assert duplicate.status_code == 400
    assert "already has a template" in duplicate.json()["title"][0]

    assert http_a.delete(f"{TEMPLATES}{template.pk}/").status_code == 204
    assert not InitiativeTemplate.objects.exists()


def test_list_search_and_filters_only_show_this_practices_templates(http_a, practice_a, practice_b):
    InitiativeTemplateFactory(practice=practice_a, title="Roll out MFA", category="security", tags="identity")
    InitiativeTemplateFactory(practice=practice_a, title="Wi-Fi 6", category="network", tags="wifi")
    InitiativeTemplateFactory(practice=practice_b, title="CANARY-Bravo-Template")

    def titles(query=""):
        response = http_a.get(TEMPLATES + query)
        assert response.status_code == 200
        assert "CANARY" not in response.content.decode()
        return [t["title"] for t in response.json()["results"]]

    assert titles() == ["Roll out MFA", "Wi-Fi 6"]
    assert titles("?category=network") == ["Wi-Fi 6"]
    assert titles("?tag=ident") == ["Roll out MFA"]
    assert titles("?search=wifi") == ["Wi-Fi 6"]
    assert titles("?ordering=-title") == ["Wi-Fi 6", "Roll out MFA"]


def test_apply_creates_the_initiatives_and_answers_with_them(http_a, practice_a, client_a1):
    templates = [InitiativeTemplateFactory(practice=practice_a, title=t) for t in ("EDR", "MFA", "Backups")]
    goal = GoalFactory(client=client_a1)

    response = send(
        http_a,
        APPLY,
        {
            "client": str(client_a1.pk),
            "templates": [str(t.pk) for t in templates],
            "target_start": "FY2027 Q2",
            "goals": [str(goal.pk)],
        },
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert sorted(i["title"] for i in body) == ["Backups", "EDR", "MFA"]
    assert {(i["target_start"], i["target_end"], i["status"]) for i in body} == {
        ("FY2027 Q2", "FY2027 Q2", "proposed")
    }
    assert all(i["goals"] == [str(goal.pk)] for i in body)
    initiatives = Initiative.objects.for_client(client_a1)
    assert initiatives.count() == 3
    assert all(
        i.history.get().history_change_reason.startswith("Added from the initiative library")
        for i in initiatives
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"templates": []}, "templates"),
        ({"target_start": "FY2027 Q9"}, "target_start"),
        ({"client": "not-a-uuid"}, "client"),
    ],
)
def test_apply_with_bad_input_is_a_400_with_reasons(http_a, practice_a, client_a1, change, field):
    template = InitiativeTemplateFactory(practice=practice_a)
    data = {
        "client": str(client_a1.pk),
        "templates": [str(template.pk)],
        "target_start": "FY2027 Q2",
        **change,
    }
    response = send(http_a, APPLY, data)
    assert response.status_code == 400
    assert field in response.json()
    assert not Initiative.objects.exists()


def test_another_practices_template_or_client_is_refused_like_an_unknown_id(
    http_a, practice_a, client_a1, canary_client_b, practice_b
):
    ours = InitiativeTemplateFactory(practice=practice_a)
    theirs = InitiativeTemplateFactory(practice=practice_b, title="CANARY-Bravo-Template")

    response = send(
        http_a,
        APPLY,
        {
            "client": str(client_a1.pk),
            "templates": [str(ours.pk), str(theirs.pk)],
            "target_start": "FY2027 Q2",
        },
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()["templates"][0]

    response = send(
        http_a,
        APPLY,
        {"client": str(canary_client_b.pk), "templates": [str(ours.pk)], "target_start": "FY2027 Q2"},
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()["client"][0]

    assert http_a.get(f"{TEMPLATES}{theirs.pk}/").status_code == 404
    assert send(http_a, f"{TEMPLATES}{theirs.pk}/", {"title": "x"}, "patch").status_code == 404
    assert http_a.delete(f"{TEMPLATES}{theirs.pk}/").status_code == 404
    assert "CANARY" not in response.content.decode()
    assert not Initiative.objects.exists()
    theirs.refresh_from_db()
    assert theirs.title == "CANARY-Bravo-Template"


def test_a_read_only_key_reads_but_changes_nothing(api, read_only_key_a, practice_a, client_a1):
    http = api(read_only_key_a[1])
    template = InitiativeTemplateFactory(practice=practice_a, title="Roll out MFA")
    assert http.get(TEMPLATES).status_code == 200
    assert send(http, TEMPLATES, {"title": "New"}).status_code == 403
    assert send(http, f"{TEMPLATES}{template.pk}/", {"title": "Renamed"}, "patch").status_code == 403
    assert http.delete(f"{TEMPLATES}{template.pk}/").status_code == 403
    data = {"client": str(client_a1.pk), "templates": [str(template.pk)], "target_start": "FY2027 Q2"}
    assert send(http, APPLY, data).status_code == 403
    assert list(InitiativeTemplate.objects.values_list("title", flat=True)) == ["Roll out MFA"]
    assert not Initiative.objects.exists()


def test_a_viewer_session_may_not_apply(login, viewer_a, practice_a, client_a1):
    http = login(viewer_a)
    template = InitiativeTemplateFactory(practice=practice_a)
    data = {"client": str(client_a1.pk), "templates": [str(template.pk)], "target_start": "FY2027 Q2"}
    response = http.post(APPLY, json.dumps(data), content_type="application/json", HTTP_X_PRACTICE="alpha")
    assert response.status_code == 403
    assert not Initiative.objects.exists()


def test_the_list_queries_do_not_grow(http_a, practice_a, django_assert_num_queries):
    InitiativeTemplateFactory.create_batch(3, practice=practice_a)
    http_a.get(TEMPLATES)  # the key's first use of the minute records last_used_at
    with django_assert_num_queries(10, exact=False) as small:
        assert http_a.get(TEMPLATES).status_code == 200
    InitiativeTemplateFactory.create_batch(40, practice=practice_a)
    with django_assert_num_queries(len(small.captured_queries)):
        assert http_a.get(TEMPLATES).status_code == 200


@pytest.mark.django_db
def test_apply_is_documented(client):
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/initiative-templates/apply/"]["post"]
    assert operation["summary"] == "Add templates to a client's roadmap"
    assert "201" in operation["responses"]
