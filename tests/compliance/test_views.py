"""The client's Compliance tab: pages render for members, writes are for
editors (403 for a viewer, nothing changes), another practice's or client's objects are 404s, bad
input gives field errors, and pages run a constant number of queries."""

import datetime

import pytest
from django.urls import reverse

from compliance import services
from compliance.models import (
    Adoption,
    Assessment,
    InitiativeLink,
    Response,
    Standard,
    StandardFramework,
)
from compliance.models import ResponseStatus as S
from roadmaps.models import Initiative
from tests.compliance.conftest import answer, answers, big_framework, catalog, lib_url, standards, start, url
from tests.factories import StandardFrameworkFactory, compliance_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client_a1, client_a2, canary_client_b, practice_a, practice_b, baseline_a):
    """A1 adopted the practice's baseline (an assessment in progress); A2 and B have their own."""
    adoption, assessment, by_ref = start(client_a1, baseline_a)
    a2 = compliance_assessment(client_a2, title="A2-only standards")
    b = compliance_assessment(canary_client_b, title="CANARY-Bravo-Standards")
    return {
        "adoption": adoption,
        "assessment": assessment,
        "response": by_ref["H1"],
        "by_ref": by_ref,
        "a2": a2,
        "b": b,
        "b_framework": b[0].standard_framework,
        "b_standard": Standard.objects.for_practice(practice_b).first(),
    }


def client_pages(w):
    """(name, args) of every client page, for A1's own objects."""
    return [
        ("overview", ()),
        ("adopt", ()),
        ("adoption", (w["adoption"].pk,)),
        ("adoption_edit", (w["adoption"].pk,)),
        ("assessment", (w["assessment"].pk,)),
        ("gap_initiative", (w["assessment"].pk,)),
        ("response", (w["assessment"].pk, w["response"].pk)),
    ]


POSTS = ["adoption_delete", "assessment_start", "bulk", "complete", "assessment_delete"]


def test_every_page_renders_for_a_viewer_without_other_tenants_data(
    as_viewer_a, client_a1, world, baseline_a
):
    for name, args in client_pages(world):
        if name in ("adopt", "adoption_edit", "gap_initiative"):
            continue  # forms: editors only
        response = as_viewer_a.get(url(name, client_a1, *args))
        assert response.status_code == 200, name
        assert b"CANARY" not in response.content and b"A2-only" not in response.content, name
    for path in (
        lib_url("standards"),
        lib_url("framework", baseline_a.pk),
        lib_url("framework", catalog("nist-csf-2-0").pk),
    ):
        response = as_viewer_a.get(path)
        assert response.status_code == 200 and b"CANARY" not in response.content, path


def test_the_tab_shows_the_adopted_framework_with_its_score(as_owner_a, client_a1, world):
    answer(world["assessment"], {"H1": S.IMPLEMENTED})
    page = as_owner_a.get(url("overview", client_a1)).content.decode()
    assert "Baseline" in page and "41.7%" in page  # 5 of 12 points
    assert '<svg class="chart' in page  # score bar and trend, drawn on the server
    overview = as_owner_a.get(reverse("clients:overview", args=["alpha", client_a1.pk])).content.decode()
    assert 'id="compliance-panel"' in overview and "41.7%" in overview


def test_a_viewer_may_not_write_and_nothing_changes(as_viewer_a, client_a1, world, baseline_a):
    w = world
    for name, args in client_pages(w):
        if name in ("adopt", "adoption_edit", "gap_initiative"):
            assert as_viewer_a.get(url(name, client_a1, *args)).status_code == 403, name
    before = sorted(Response.objects.values_list("id", "status", "updated_at"))
    posts = {
        "adopt": ((), {"framework": str(catalog("nist-csf-2-0").pk)}),
        "adoption_edit": ((w["adoption"].pk,), {"scope_note": "x"}),
        "adoption_delete": ((w["adoption"].pk,), {}),
        "assessment_start": ((w["adoption"].pk,), {}),
        "bulk": ((w["assessment"].pk,), {"ids": [w["response"].pk], "status": S.IMPLEMENTED}),
        "complete": ((w["assessment"].pk,), {}),
        "assessment_delete": ((w["assessment"].pk,), {}),
        "gap_initiative": (
            (w["assessment"].pk,),
            {"ids": [w["response"].pk], "title": "x", "priority": "high"},
        ),
        "response": ((w["assessment"].pk, w["response"].pk), {"status": S.IMPLEMENTED}),
    }
    for name, (args, data) in posts.items():
        assert as_viewer_a.post(url(name, client_a1, *args), data).status_code == 403, name
    for path in (
        lib_url("framework_create"),
        lib_url("import"),
        lib_url("framework_edit", baseline_a.pk),
        lib_url("framework_delete", baseline_a.pk),
        lib_url("standard_create", baseline_a.pk),
    ):
        assert as_viewer_a.post(path, {"name": "x", "ref": "x", "title": "x"}).status_code == 403, path
        assert as_viewer_a.get(path).status_code in (403, 405), path
    assert sorted(Response.objects.values_list("id", "status", "updated_at")) == before
    assert (
        Adoption.objects.count() == 3
        and Assessment.objects.count() == 3
        and StandardFramework.objects.count() == 3
    )
    assert not Initiative.objects.exists()


def test_another_practices_objects_are_404_under_our_urls(as_owner_a, client_a1, canary_client_b, world):
    b_adoption, b_assessment, b_responses = world["b"]
    b_args = {
        "adoption": (b_adoption.pk,),
        "adoption_edit": (b_adoption.pk,),
        "assessment": (b_assessment.pk,),
        "gap_initiative": (b_assessment.pk,),
        "response": (b_assessment.pk, b_responses[0].pk),
    }
    for name, args in b_args.items():
        assert as_owner_a.get(url(name, client_a1, *args)).status_code == 404, name
        assert as_owner_a.get(url(name, canary_client_b, *args)).status_code == 404, name
    for name in ("overview", "adopt"):
        assert as_owner_a.get(url(name, canary_client_b)).status_code == 404, name
    # A's answer under B's assessment, B's answer under A's assessment
    assert (
        as_owner_a.get(url("response", client_a1, world["assessment"].pk, b_responses[0].pk)).status_code
        == 404
    )
    for name in POSTS:
        arg = b_adoption.pk if name in ("adoption_delete", "assessment_start") else b_assessment.pk
        assert (
            as_owner_a.post(
                url(name, client_a1, arg), {"status": S.IMPLEMENTED, "ids": [b_responses[0].pk]}
            ).status_code
            == 404
        )
    response = as_owner_a.post(
        url("response", client_a1, b_assessment.pk, b_responses[0].pk), {"status": S.IMPLEMENTED}
    )
    assert response.status_code == 404
    b_responses[0].refresh_from_db()
    b_assessment.refresh_from_db()
    assert b_responses[0].status == S.NOT_ASSESSED and not b_assessment.is_completed
    assert Adoption.objects.filter(pk=b_adoption.pk).exists()
    # the standards library
    for path in (
        lib_url("framework", world["b_framework"].pk),
        lib_url("framework_edit", world["b_framework"].pk),
        lib_url("standard_create", world["b_framework"].pk),
        lib_url("standard_edit", world["b_framework"].pk, world["b_standard"].pk),
    ):
        assert as_owner_a.get(path).status_code == 404, path
    assert as_owner_a.post(lib_url("framework_delete", world["b_framework"].pk)).status_code == 404
    assert (
        as_owner_a.post(
            lib_url("standard_delete", world["b_framework"].pk, world["b_standard"].pk)
        ).status_code
        == 404
    )
    assert StandardFramework.objects.filter(pk=world["b_framework"].pk).exists()


def test_another_clients_objects_are_404_under_this_clients_urls(as_owner_a, client_a1, client_a2, world):
    a2_adoption, a2_assessment, a2_responses = world["a2"]
    for name, args in (
        ("adoption", (a2_adoption.pk,)),
        ("adoption_edit", (a2_adoption.pk,)),
        ("assessment", (a2_assessment.pk,)),
        ("gap_initiative", (a2_assessment.pk,)),
        ("response", (a2_assessment.pk, a2_responses[0].pk)),
        ("response", (world["assessment"].pk, a2_responses[0].pk)),
    ):
        assert as_owner_a.get(url(name, client_a1, *args)).status_code == 404, name
    assert as_owner_a.post(url("complete", client_a1, a2_assessment.pk)).status_code == 404
    assert as_owner_a.post(url("adoption_delete", client_a1, a2_adoption.pk)).status_code == 404
    a2_assessment.refresh_from_db()
    assert not a2_assessment.is_completed and Adoption.objects.filter(pk=a2_adoption.pk).exists()


def test_practice_b_gets_404_on_practice_a_pages(as_owner_b, client_a1, world, baseline_a):
    for name, args in client_pages(world):
        assert as_owner_b.get(url(name, client_a1, *args)).status_code == 404, name
    assert as_owner_b.get(lib_url("standards")).status_code == 404
    assert as_owner_b.get(lib_url("framework", baseline_a.pk, practice="bravo")).status_code == 404


# --- adopting and answering through the pages ----------------------------------------------------------


def test_adopt_a_framework(as_consultant_a, client_a1):
    csf = catalog("nist-csf-2-0")
    response = as_consultant_a.post(
        url("adopt", client_a1),
        {
            "framework": str(csf.pk),
            "scope_note": "Head office",
            "target_date": "2027-06-30",
            "start_assessment": "on",
        },
    )
    adoption = Adoption.objects.get(client=client_a1)
    assert response.status_code == 302 and response["Location"] == url("adoption", client_a1, adoption.pk)
    assert adoption.framework == csf and str(adoption.target_date) == "2027-06-30"
    assert Assessment.objects.get(adoption=adoption).responses.count() == 106


def test_adopt_with_bad_input_shows_field_errors_and_saves_nothing(as_consultant_a, client_a1, practice_b):
    theirs = StandardFrameworkFactory(practice=practice_b)
    for data in (
        {},
        {"framework": str(theirs.pk)},
        {"framework": "nope"},
        {"framework": str(catalog("nist-csf-2-0").pk), "target_date": "someday"},
    ):
        response = as_consultant_a.post(url("adopt", client_a1), data)
        assert response.status_code == 200, data
        assert response.context["form"].errors, data
        assert b"invalid-feedback" in response.content
    assert not Adoption.objects.exists()


def test_bulk_edit_through_the_page(as_consultant_a, consultant_a, client_a1, world):
    by_ref, assessment = world["by_ref"], world["assessment"]
    target = url("assessment", client_a1, assessment.pk) + "?status=gaps"
    response = as_consultant_a.post(
        url("bulk", client_a1, assessment.pk),
        {
            "ids": [by_ref["H1"].pk, by_ref["M1"].pk],
            "status": S.PARTIAL,
            "owner": str(consultant_a.pk),
            "due_date": "2027-02-01",
            "next": target,
        },
    )
    assert response.status_code == 302 and response["Location"] == target
    after = answers(assessment)
    assert (after["H1"].status, after["M1"].owner, str(after["M1"].due_date)) == (
        S.PARTIAL,
        consultant_a,
        "2027-02-01",
    )
    page = as_consultant_a.get(target, follow=True).content.decode()
    assert "Updated 2 of 2 selected items" in page


def test_bulk_edit_with_a_foreign_id_changes_nothing_and_says_so(as_consultant_a, client_a1, world):
    by_ref, assessment = world["by_ref"], world["assessment"]
    before = sorted(Response.objects.values_list("id", "status", "updated_at"))
    response = as_consultant_a.post(
        url("bulk", client_a1, assessment.pk),
        {"ids": [by_ref["H1"].pk, world["a2"][2][0].pk], "status": S.IMPLEMENTED},
        follow=True,
    )
    assert "Nothing was changed" in response.content.decode()
    assert sorted(Response.objects.values_list("id", "status", "updated_at")) == before


def test_complete_then_the_answers_are_locked(as_consultant_a, client_a1, world):
    assessment, response = world["assessment"], world["response"]
    answer(assessment, {"H1": S.IMPLEMENTED})
    page = as_consultant_a.post(url("complete", client_a1, assessment.pk), follow=True).content.decode()
    assert "completed and locked: 41.7%" in page
    assessment.refresh_from_db()
    assert assessment.is_completed and assessment.score_possible == 12
    # the answer page is read-only now, and a POST is refused with the reason
    get = as_consultant_a.get(url("response", client_a1, assessment.pk, response.pk)).content.decode()
    assert "answers are locked" in get and 'name="status"' not in get
    post = as_consultant_a.post(
        url("response", client_a1, assessment.pk, response.pk), {"status": S.NOT_IMPLEMENTED}
    )
    assert post.status_code == 200
    response.refresh_from_db()
    assert response.status == S.IMPLEMENTED
    tree = as_consultant_a.get(url("assessment", client_a1, assessment.pk)).content.decode()
    assert "Complete assessment" not in tree and "Apply to selected" not in tree


def test_answer_one_item_with_evidence(as_consultant_a, consultant_a, client_a1, world):
    from tests.factories import InitiativeFactory

    initiative = InitiativeFactory(client=client_a1, title="Backup overhaul")
    assessment, response = world["assessment"], world["response"]
    post = as_consultant_a.post(
        url("response", client_a1, assessment.pk, response.pk),
        {
            "status": S.PARTIAL,
            "owner": str(consultant_a.pk),
            "due_date": "2027-01-31",
            "notes": "Restores tested at HQ only",
            "evidence_links": "https://docs.example.com/restore-test Restore test Q3\nhttps://docs.example.com/policy",
            "initiatives": [str(initiative.pk)],
            "action": "review",
        },
    )
    assert post.status_code == 302
    response.refresh_from_db()
    assert (response.status, response.owner, response.reviewed_by) == (S.PARTIAL, consultant_a, consultant_a)
    assert [(link.url, link.label) for link in response.evidence_links.order_by("created_at")] == [
        ("https://docs.example.com/restore-test", "Restore test Q3"),
        ("https://docs.example.com/policy", ""),
    ]
    assert InitiativeLink.objects.get().initiative == initiative
    page = as_consultant_a.get(url("assessment", client_a1, assessment.pk)).content.decode()
    assert "Backup overhaul" in page and "2 links" in page


def test_a_bad_answer_shows_field_errors_and_saves_nothing(as_consultant_a, client_a1, world, viewer_a):
    assessment, response = world["assessment"], world["response"]
    for data in (
        {"status": "done"},
        {"status": S.PARTIAL, "evidence_links": "javascript:alert(1) click"},
        {"status": S.PARTIAL, "owner": str(viewer_a.pk)},
        {"status": S.PARTIAL, "due_date": "31/31/2027"},
    ):
        page = as_consultant_a.post(url("response", client_a1, assessment.pk, response.pk), data)
        assert page.status_code == 200, data
        assert page.context["form"].errors, data
    response.refresh_from_db()
    assert response.status == S.NOT_ASSESSED and not response.evidence_links.exists()


def test_create_an_initiative_from_two_gaps(as_consultant_a, client_a1, world):
    assessment, by_ref = world["assessment"], world["by_ref"]
    answer(assessment, {"H1": S.NOT_IMPLEMENTED, "M1": S.PARTIAL, "L1": S.NOT_IMPLEMENTED})
    chosen = [by_ref["H1"].pk, by_ref["L1"].pk]
    step = as_consultant_a.post(
        url("gap_initiative", client_a1, assessment.pk), {"ids": chosen, "step": "choose"}
    )
    assert step.status_code == 200
    assert [r.pk for r in step.context["selected"]] == chosen and not Initiative.objects.exists()
    quarter = step.context["form"].fields["target_start"].choices[4][0]
    done = as_consultant_a.post(
        url("gap_initiative", client_a1, assessment.pk),
        {"ids": chosen, "title": "Close backup gaps", "priority": "high", "target_start": quarter},
    )
    assert done.status_code == 302
    initiative = Initiative.objects.get()
    assert initiative.title == "Close backup gaps" and initiative.category == "compliance"
    assert sorted(link.standard.ref for link in InitiativeLink.objects.filter(initiative=initiative)) == [
        "H1",
        "L1",
    ]


def test_an_initiative_from_gaps_with_bad_input(as_consultant_a, client_a1, world):
    assessment, by_ref = world["assessment"], world["by_ref"]
    answer(assessment, {"H1": S.IMPLEMENTED})
    quarter = (
        as_consultant_a.get(url("gap_initiative", client_a1, assessment.pk))
        .context["form"]
        .fields["target_start"]
        .choices[0][0]
    )
    for data in (
        {"ids": [by_ref["M1"].pk], "title": "", "priority": "high", "target_start": quarter},
        {"ids": [by_ref["M1"].pk], "title": "X", "priority": "urgent", "target_start": quarter},
        {"ids": [by_ref["H1"].pk], "title": "X", "priority": "high", "target_start": quarter},  # not a gap
        {"ids": [world["a2"][2][0].pk], "title": "X", "priority": "high", "target_start": quarter},
    ):
        page = as_consultant_a.post(url("gap_initiative", client_a1, assessment.pk), data)
        assert page.status_code == 200 and page.context["form"].errors, data
    assert not Initiative.objects.exists()


def test_the_assessment_exports_as_csv(as_viewer_a, client_a1, world):
    answer(world["assessment"], {"H1": S.IMPLEMENTED})
    response = as_viewer_a.get(url("assessment", client_a1, world["assessment"].pk) + "?format=csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert body.splitlines()[0].startswith("Ref,Requirement,Status")
    assert "H1,Standard H1,Implemented" in body


def test_filters_narrow_the_tree(as_viewer_a, client_a1, world, consultant_a):
    assessment, by_ref = world["assessment"], world["by_ref"]
    services.response_update(
        response=by_ref["M1"],
        actor=None,
        status=S.PARTIAL,
        owner=consultant_a,
        due_date=datetime.date(2020, 1, 1),
    )
    answer(assessment, {"H1": S.IMPLEMENTED})

    def refs(query):
        tree = as_viewer_a.get(url("assessment", client_a1, assessment.pk) + query).context["tree"]
        return [row["node"].ref for row in tree.rows if row["kind"] == "item"]

    assert refs("") == ["H1", "M1", "L1", "N1"]
    assert refs("?status=gaps") == ["M1", "L1", "N1"]
    assert refs("?status=implemented") == ["H1"]
    assert refs(f"?owner={consultant_a.pk}") == ["M1"]
    assert refs("?owner=none") == ["H1", "L1", "N1"]
    assert refs("?overdue=on") == ["M1"]
    assert refs("?status=bogus&owner=nobody") == ["H1", "M1", "L1", "N1"]  # invalid filters are dropped


# --- query counts ------------------------------------------------------------------------------------------


def test_the_tree_of_300_items_runs_the_same_queries_as_one_of_20(
    as_consultant_a, client_a1, client_a2, practice_a, consultant_a, django_assert_num_queries
):
    small = start(client_a1, big_framework(practice_a, 4, 5))[1]
    large_adoption, large, by_ref = start(client_a2, big_framework(practice_a, 20, 15))
    assert len(by_ref) == 300
    for n, r in enumerate(list(by_ref.values())[:60]):
        services.response_update(
            response=r,
            actor=None,
            status=S.PARTIAL,
            owner=consultant_a,
            due_date=datetime.date(2026, 1, 1),
            evidence_links=[("https://e.example.com/x", f"e{n}")],
        )
    from tests.factories import InitiativeFactory

    services.response_update(
        response=by_ref["G0-0"], actor=None, initiatives=[InitiativeFactory(client=client_a2)]
    )
    as_consultant_a.get(
        url("assessment", client_a1, small.pk)
    )  # warm the session: the first page after login writes it once
    with django_assert_num_queries(30, exact=False) as few:
        assert as_consultant_a.get(url("assessment", client_a1, small.pk)).status_code == 200
    with django_assert_num_queries(len(few.captured_queries)):
        page = as_consultant_a.get(url("assessment", client_a2, large.pk))
    assert page.status_code == 200 and len(page.context["tree"].rows) == 320


def open_gaps(client, framework, owner, count, due_date):
    """Adopt `framework`, start its assessment and mark its first `count` items not implemented,
    owned by `owner` and due on `due_date`."""
    _, assessment, by_ref = start(client, framework)
    services.responses_bulk_update(
        assessment=assessment,
        actor=None,
        response_ids=[r.pk for r in list(by_ref.values())[:count]],
        status=S.NOT_IMPLEMENTED,
        owner=owner,
        due_date=due_date,
    )


@pytest.mark.parametrize("name", ["overview", "adoption"])
def test_client_pages_run_constant_queries(
    name, as_consultant_a, client_a1, practice_a, consultant_a, django_assert_num_queries
):
    # one framework of each kind (a catalog and the practice's own), nothing answered yet
    adoption, assessment, _ = start(client_a1, standards(practice_a, [("S1", "high")], name="First"))
    start(client_a1, catalog("nist-csf-2-0"))
    args = (adoption.pk,) if name == "adoption" else ()
    as_consultant_a.get(
        url(name, client_a1, *args)
    )  # warm the session: the first page after login writes it once
    with django_assert_num_queries(40, exact=False) as few:
        assert as_consultant_a.get(url(name, client_a1, *args)).status_code == 200
    # more frameworks, completed assessments, answers, due dates
    services.assessment_complete(assessment=assessment, actor=None)
    services.assessment_start(adoption=adoption, actor=None)
    for fw in (catalog("nist-sp-800-171-r3"), catalog("hipaa-security-rule")):
        open_gaps(client_a1, fw, consultant_a, 30, datetime.date(2026, 1, 1))
    with django_assert_num_queries(len(few.captured_queries)):
        assert as_consultant_a.get(url(name, client_a1, *args)).status_code == 200


def test_the_tabs_gaps_and_due_items_name_their_framework_without_joining_it(
    as_consultant_a, client_a1, practice_a, consultant_a, django_assert_max_num_queries
):
    """The gaps and the items due read their responses joined only to the item and its owner; the
    assessment, adoption and framework come from one small query (a response joined to all seven
    took PostgreSQL 6–12 ms to plan)."""
    open_gaps(client_a1, catalog("hipaa-security-rule"), consultant_a, 3, datetime.date.today())
    as_consultant_a.get(url("overview", client_a1))
    with django_assert_max_num_queries(40) as queries:
        response = as_consultant_a.get(url("overview", client_a1))
    gaps, due = response.context["gaps"], response.context["due"]
    assert len(gaps) == 3 and len(due) == 3
    page = response.content.decode()
    for part in ('id="top-gaps"', 'id="due-list"'):
        section = page.split(part, 1)[1].split("</table>" if part == 'id="due-list"' else "</ul>", 1)[0]
        assert section.count("HIPAA Security Rule") >= 3, part
    reads = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "compliance_response"."id"')
    ]
    assert len(reads) == 2
    for sql in reads:
        assert "compliance_assessment" not in sql and "compliance_adoption" not in sql
