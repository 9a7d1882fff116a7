"""The initiative library's pages: the list (search, filter, sort, pages, CSV), create/edit/delete,
"Add from library" on a client's roadmap and "Save as template" — access, isolation and query counts."""

import csv
import io

import pytest
from django.urls import reverse

from roadmaps.models import Initiative, InitiativeTemplate
from tests.factories import GoalFactory, InitiativeFactory, InitiativeTemplateFactory
from tests.roadmaps.conftest import quarter_keys, url


def lib(name="library", *args, practice="alpha"):
    return reverse(f"roadmaps:{name}", args=[practice, *args])


def template_data(**overrides):
    data = {
        "title": "Replace end-of-life firewalls",
        "description": "Next-generation firewalls.",
        "category": "network",
        "priority": "high",
        "one_time_cost": "8500.00",
        "recurring_monthly_cost": "180.00",
        "effort_hours": "30",
        "tags": "Network, Lifecycle",
        "business_impact": "Supported hardware.",
        "risk_if_not_done": "Ransomware entry point.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def library(practice_a, practice_b):
    return {
        "mfa": InitiativeTemplateFactory(
            practice=practice_a, title="Roll out MFA", category="security", tags="identity, insurance"
        ),
        "wifi": InitiativeTemplateFactory(
            practice=practice_a,
            title="Wi-Fi 6 upgrade",
            category="network",
            tags="wifi",
            description="Access points",
        ),
        "backup": InitiativeTemplateFactory(
            practice=practice_a, title="Microsoft 365 backup", category="data_backup", tags="backup"
        ),
        "b": InitiativeTemplateFactory(practice=practice_b, title="CANARY-Bravo-Template"),
    }


# --- the library list -------------------------------------------------------------------------------


def test_the_library_is_in_the_sidebar_and_lists_only_this_practices_templates(as_viewer_a, library):
    response = as_viewer_a.get(lib())
    body = response.content.decode()
    assert response.status_code == 200
    assert 'href="/p/alpha/library/"' in body and "Initiative library" in body  # the sidebar entry
    for key in ("mfa", "wifi", "backup"):
        assert library[key].title in body
    assert "CANARY" not in body
    assert lib("library_create") not in body  # a viewer is not offered "New template"


def test_search_looks_in_title_description_and_tags_and_the_category_filters(as_consultant_a, library):
    def titles(query):
        page = as_consultant_a.get(lib() + query).context["page"]
        return sorted(t.title for t in page.object_list)

    assert titles("?q=mfa") == ["Roll out MFA"]
    assert titles("?q=access+points") == ["Wi-Fi 6 upgrade"]  # description
    assert titles("?q=insurance") == ["Roll out MFA"]  # tags
    assert titles("?category=data_backup") == ["Microsoft 365 backup"]
    assert titles("?category=nonsense") == sorted(t.title for k, t in library.items() if k != "b")
    assert "No templates match" in as_consultant_a.get(lib() + "?q=zzz").content.decode()


def test_headers_sort_and_pages_follow(as_consultant_a, practice_a):
    for n in range(30):
        InitiativeTemplateFactory(practice=practice_a, title=f"T{n:02d}", effort_hours=n)
    first = as_consultant_a.get(lib() + "?sort=-effort").context["page"]
    assert [t.title for t in first.object_list][:3] == ["T29", "T28", "T27"]
    assert first.paginator.num_pages == 2
    second = as_consultant_a.get(lib() + "?sort=title&page=2").context["page"]
    assert [t.title for t in second.object_list] == ["T25", "T26", "T27", "T28", "T29"]


def test_csv_export_is_readable_and_matches_the_import_columns(as_viewer_a, library):
    response = as_viewer_a.get(lib() + "?format=csv&q=mfa")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:6] == [
        "Title",
        "Category",
        "Priority",
        "Typical one-time cost",
        "Typical monthly cost",
        "Effort (hours)",
    ]
    assert len(rows) == 2
    mfa = library["mfa"]
    assert rows[1][:7] == [
        "Roll out MFA",
        "Security",
        "High",
        str(mfa.one_time_cost),
        str(mfa.recurring_monthly_cost),
        "16",
        "identity, insurance",
    ]
    assert "CANARY" not in text


def test_library_list_queries_do_not_grow(as_consultant_a, practice_a, django_assert_num_queries):
    InitiativeTemplateFactory.create_batch(3, practice=practice_a)
    as_consultant_a.get(lib())  # warm the session: the first page after login writes it once
    with django_assert_num_queries(20, exact=False) as small:
        assert as_consultant_a.get(lib()).status_code == 200
    InitiativeTemplateFactory.create_batch(40, practice=practice_a)
    with django_assert_num_queries(len(small.captured_queries)):
        assert as_consultant_a.get(lib()).status_code == 200


# --- create, edit, delete ---------------------------------------------------------------------------


def test_create_edit_and_delete_a_template(as_consultant_a, consultant_a, practice_a):
    response = as_consultant_a.post(lib("library_create"), template_data())
    template = InitiativeTemplate.objects.get()
    assert response.status_code == 302 and response["Location"] == lib("library_detail", template.pk)
    assert template.practice_id == practice_a.pk
    assert template.tags == "network, lifecycle"
    assert template.history.get().history_user == consultant_a

    page = as_consultant_a.get(lib("library_detail", template.pk)).content.decode()
    assert "Replace end-of-life firewalls" in page and "$8,500.00" in page and "Created" in page

    response = as_consultant_a.post(lib("library_edit", template.pk), template_data(priority="critical"))
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.priority == "critical"

    response = as_consultant_a.post(lib("library_delete", template.pk))
    assert response.status_code == 302 and response["Location"] == lib()
    assert not InitiativeTemplate.objects.exists()


def test_bad_input_shows_field_errors_and_saves_nothing(as_consultant_a, library):
    response = as_consultant_a.post(
        lib("library_create"), template_data(one_time_cost="-5", effort_hours="lots", category="x", title="")
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "one_time_cost", "effort_hours", "category"}
    # the library's rule (a unique title, case-insensitively) comes from the service, on its field
    response = as_consultant_a.post(lib("library_create"), template_data(title="roll out mfa"))
    assert response.status_code == 200
    assert "already has a template" in response.context["form"].errors["title"][0]
    assert 'id="form-error-summary"' in response.content.decode()
    assert InitiativeTemplate.objects.count() == 4


def test_another_practices_template_is_a_404_everywhere(as_owner_a, library):
    theirs = library["b"]
    for name in ("library_detail", "library_edit"):
        assert as_owner_a.get(lib(name, theirs.pk)).status_code == 404, name
    assert as_owner_a.post(lib("library_edit", theirs.pk), template_data()).status_code == 404
    assert as_owner_a.post(lib("library_delete", theirs.pk)).status_code == 404
    # under its own practice's slug too (A's owner is no member there)
    assert as_owner_a.get(lib("library_detail", theirs.pk, practice="bravo")).status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "CANARY-Bravo-Template"


def test_a_viewer_may_read_but_not_change_the_library(as_viewer_a, library):
    mfa = library["mfa"]
    assert as_viewer_a.get(lib("library_detail", mfa.pk)).status_code == 200
    for name, args in [("library_create", ()), ("library_edit", (mfa.pk,)), ("library_import", ())]:
        assert as_viewer_a.get(lib(name, *args)).status_code == 403, name
    assert as_viewer_a.post(lib("library_create"), template_data()).status_code == 403
    assert as_viewer_a.post(lib("library_edit", mfa.pk), template_data()).status_code == 403
    assert as_viewer_a.post(lib("library_delete", mfa.pk)).status_code == 403
    assert InitiativeTemplate.objects.count() == 4
    mfa.refresh_from_db()
    assert mfa.title == "Roll out MFA"


# --- "Add from library" on a client's roadmap ------------------------------------------------------


def test_the_roadmap_pages_offer_add_from_library_to_editors_only(as_consultant_a, as_viewer_a, client_a1):
    target = url("add_from_library", client_a1)
    for page in ("timeline", "list", "board"):
        assert target in as_consultant_a.get(url(page, client_a1)).content.decode(), page
        assert target not in as_viewer_a.get(url(page, client_a1)).content.decode(), page


def test_add_three_templates_at_a_chosen_quarter_recorded_in_history(
    as_consultant_a, consultant_a, client_a1, library
):
    goal = GoalFactory(client=client_a1, title="Pass the audit")
    page = as_consultant_a.get(url("add_from_library", client_a1))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Roll out MFA" in body and "CANARY" not in body
    assert 'aria-label="Roadmap views"' in body  # the roadmap's sub-navigation stays
    quarter = quarter_keys(client_a1, 3)
    chosen = [library["mfa"], library["wifi"], library["backup"]]

    response = as_consultant_a.post(
        url("add_from_library", client_a1),
        {"templates": [t.pk for t in chosen], "target_start": quarter.key, "goals": [goal.pk]},
    )

    assert response.status_code == 302
    assert response["Location"] == url("timeline", client_a1)
    created = Initiative.objects.for_client(client_a1).order_by("title")
    assert [i.title for i in created] == ["Microsoft 365 backup", "Roll out MFA", "Wi-Fi 6 upgrade"]
    assert {(i.target_start, i.target_end, i.status) for i in created} == {
        (quarter.key, quarter.key, "proposed")
    }
    assert all(list(i.goals.all()) == [goal] for i in created)
    for initiative in created:
        record = initiative.history.get()
        assert record.history_user == consultant_a
        assert record.history_change_reason == f"Added from the initiative library (“{initiative.title}”)"
    timeline = as_consultant_a.get(response["Location"]).content.decode()
    assert all(t.title in timeline for t in chosen)
    assert "Added 3 initiatives to the roadmap in " + quarter.label in timeline
    # and the client's History tab shows them
    history = as_consultant_a.get(reverse("clients:history", args=["alpha", client_a1.pk])).content.decode()
    assert all(t.title in history for t in chosen)


@pytest.mark.parametrize(
    ("ahead", "shift"), [(3, ""), (7, ""), (8, "?shift=8"), (13, "?shift=12"), (-4, "?shift=-4")]
)
def test_the_timeline_opens_where_the_new_initiatives_are(as_consultant_a, client_a1, library, ahead, shift):
    quarter = quarter_keys(client_a1, ahead)
    response = as_consultant_a.post(
        url("add_from_library", client_a1), {"templates": [library["mfa"].pk], "target_start": quarter.key}
    )
    assert response["Location"] == url("timeline", client_a1) + shift
    bars = as_consultant_a.get(response["Location"]).context["grid"]
    assert quarter in bars.quarters


def test_adding_nothing_or_another_practices_template_is_refused(as_consultant_a, client_a1, library):
    target = url("add_from_library", client_a1)
    quarter = quarter_keys(client_a1, 1).key

    response = as_consultant_a.post(target, {"target_start": quarter})
    assert response.status_code == 400
    assert "Choose at least one template." in response.content.decode()

    response = as_consultant_a.post(
        target, {"templates": [library["b"].pk, library["mfa"].pk], "target_start": quarter}
    )
    assert response.status_code == 400
    assert "templates" in response.context["form"].errors
    assert "CANARY" not in response.content.decode()

    response = as_consultant_a.post(target, {"templates": [library["mfa"].pk], "target_start": "99999"})
    assert response.status_code == 400 and "target_start" in response.context["form"].errors
    assert not Initiative.objects.exists()


def test_add_from_library_is_for_editors_of_this_practice(
    as_viewer_a, as_owner_b, as_owner_a, client_a1, canary_client_b, library
):
    data = {"templates": [library["mfa"].pk], "target_start": quarter_keys(client_a1, 1).key}
    assert as_viewer_a.get(url("add_from_library", client_a1)).status_code == 403
    assert as_viewer_a.post(url("add_from_library", client_a1), data).status_code == 403
    assert as_owner_b.get(url("add_from_library", client_a1)).status_code == 404
    assert as_owner_b.post(url("add_from_library", client_a1), data).status_code == 404
    assert as_owner_a.post(url("add_from_library", canary_client_b), data).status_code == 404
    assert not Initiative.objects.exists()


def test_add_from_library_queries_do_not_grow(
    as_consultant_a, practice_a, client_a1, django_assert_num_queries
):
    target = url("add_from_library", client_a1)
    InitiativeTemplateFactory.create_batch(3, practice=practice_a)
    GoalFactory.create_batch(2, client=client_a1)
    as_consultant_a.get(target)  # warm the session: the first page after login writes it once
    with django_assert_num_queries(25, exact=False) as small:
        assert as_consultant_a.get(target).status_code == 200
    InitiativeTemplateFactory.create_batch(40, practice=practice_a)
    GoalFactory.create_batch(10, client=client_a1)
    with django_assert_num_queries(len(small.captured_queries)):
        assert as_consultant_a.get(target).status_code == 200


def test_an_empty_library_says_how_to_fill_it(as_consultant_a, client_a1):
    body = as_consultant_a.get(url("add_from_library", client_a1)).content.decode()
    assert "no templates yet" in body and lib("library_create") in body


# --- "Save as template" -----------------------------------------------------------------------------


def test_save_as_template_from_an_initiative(as_consultant_a, client_a1, practice_a):
    initiative = InitiativeFactory(
        client=client_a1, title="Dual internet", category="network", effort_hours=12, business_impact="Uptime"
    )
    detail = as_consultant_a.get(url("detail", client_a1, initiative.pk)).content.decode()
    assert url("save_as_template", client_a1, initiative.pk) in detail

    page = as_consultant_a.get(url("save_as_template", client_a1, initiative.pk))
    assert page.status_code == 200
    assert page.context["form"].initial["title"] == "Dual internet"
    assert 'aria-label="Roadmap views"' in page.content.decode()

    data = template_data(title="Dual internet with failover", category="network", tags="resilience")
    response = as_consultant_a.post(url("save_as_template", client_a1, initiative.pk), data)
    assert response.status_code == 302 and response["Location"] == url("detail", client_a1, initiative.pk)
    template = InitiativeTemplate.objects.get()
    assert (template.practice_id, template.title, template.tags) == (
        practice_a.pk,
        "Dual internet with failover",
        "resilience",
    )


def test_save_as_template_is_for_editors_and_this_clients_initiatives(
    as_viewer_a, as_owner_a, client_a1, client_a2, canary_client_b
):
    mine = InitiativeFactory(client=client_a1)
    other_client = InitiativeFactory(client=client_a2)
    theirs = InitiativeFactory(client=canary_client_b, title="CANARY-initiative")
    assert as_viewer_a.get(url("save_as_template", client_a1, mine.pk)).status_code == 403
    assert as_viewer_a.post(url("save_as_template", client_a1, mine.pk), template_data()).status_code == 403
    assert as_owner_a.get(url("save_as_template", client_a1, other_client.pk)).status_code == 404
    assert as_owner_a.post(url("save_as_template", client_a1, theirs.pk), template_data()).status_code == 404
    assert "Save as template" not in as_viewer_a.get(url("detail", client_a1, mine.pk)).content.decode()
    assert not InitiativeTemplate.objects.exists()


def test_staff_manage_templates_in_the_admin_choosing_the_practice_once(login, practice_a, library):
    from tests.factories import UserFactory

    staff = login(UserFactory(is_staff=True, is_superuser=True))
    assert staff.get("/admin/roadmaps/initiativetemplate/").status_code == 200
    assert staff.get("/admin/roadmaps/initiativetemplate/add/").status_code == 200
    response = staff.post(
        "/admin/roadmaps/initiativetemplate/add/",
        {**template_data(title="From the admin"), "practice_choice": practice_a.pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert InitiativeTemplate.objects.get(title="From the admin").practice_id == practice_a.pk
    assert staff.get(f"/admin/roadmaps/initiativetemplate/{library['mfa'].pk}/change/").status_code == 200
