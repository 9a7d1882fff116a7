"""The compliance API: frameworks and requirements (read; catalogs and the practice's own), the
standards library (CRUD, import, export), adoptions, assessments (complete, scores), responses
(update, all-or-nothing bulk); isolation, read-only keys and constant query counts."""

import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from compliance.models import Adoption, Assessment, InitiativeLink, Response, Standard, StandardFramework
from compliance.models import ResponseStatus as S
from tests.compliance.conftest import answer, answers, catalog, standards, start
from tests.factories import InitiativeFactory, StandardFactory, compliance_assessment

pytestmark = pytest.mark.django_db
API = "/api/v1/"


def send(http, path, data, method="post"):
    return getattr(http, method)(
        API + path, json.dumps(data, cls=DjangoJSONEncoder), content_type="application/json"
    )


@pytest.fixture
def http_a(api, api_key_a):
    return api(api_key_a[1])


@pytest.fixture
def http_ro(api, read_only_key_a):
    return api(read_only_key_a[1])


@pytest.fixture
def world(client_a1, client_a2, canary_client_b, baseline_a):
    adoption, assessment, by_ref = start(client_a1, baseline_a)
    return {
        "adoption": adoption,
        "assessment": assessment,
        "by_ref": by_ref,
        "a2": compliance_assessment(client_a2, title="A2-only"),
        "b": compliance_assessment(canary_client_b, title="CANARY-Bravo-Standards"),
    }


def test_frameworks_list_the_catalogs_and_only_our_own(http_a, world, baseline_a):
    body = http_a.get(API + "frameworks/").json()
    kinds = {f["name"]: f["kind"] for f in body["results"]}
    assert body["count"] == 6  # 4 catalogs + A's baseline + A2's framework
    assert kinds["Baseline"] == "practice" and kinds["NIST Cybersecurity Framework (CSF) 2.0"] == "catalog"
    assert "CANARY" not in json.dumps(body)
    assert {f["kind"] for f in http_a.get(API + "frameworks/?kind=catalog").json()["results"]} == {"catalog"}
    csf = catalog("nist-csf-2-0")
    assert http_a.get(f"{API}frameworks/{csf.pk}/").json()["short_name"] == "NIST CSF 2.0"
    assert http_a.get(f"{API}frameworks/{baseline_a.pk}/").status_code == 200
    b_framework = world["b"][0].standard_framework
    assert http_a.get(f"{API}frameworks/{b_framework.pk}/").status_code == 404


def test_requirements_of_any_framework(http_a, world, baseline_a):
    csf = catalog("nist-csf-2-0")
    body = http_a.get(f"{API}requirements/?framework={csf.pk}&page_size=200").json()
    assert body["count"] == 134
    assert sum(r["assessable"] for r in body["results"]) == 106
    ours = http_a.get(f"{API}requirements/?framework={baseline_a.pk}").json()["results"]
    assert [(r["ref"], r["weight"], r["framework_kind"]) for r in ours] == [
        ("H1", "high", "practice"),
        ("M1", "medium", "practice"),
        ("L1", "low", "practice"),
        ("N1", "medium", "practice"),
    ]
    everything = http_a.get(f"{API}requirements/?search=Standard").json()
    assert "CANARY" not in json.dumps(everything) and everything["count"] >= 4
    b_framework = world["b"][0].standard_framework
    assert http_a.get(f"{API}requirements/?framework={b_framework.pk}").status_code == 400
    b_item = Standard.objects.filter(framework=b_framework).first()
    assert http_a.get(f"{API}requirements/{b_item.pk}/").status_code == 404
    gv = http_a.get(f"{API}requirements/?framework={csf.pk}&assessable=false&search=GV").json()
    assert {r["ref"] for r in gv["results"]} >= {"GV", "GV.OC"}


def test_the_standards_library_crud_import_and_export(http_a, practice_a, world):
    created = send(http_a, "standard-frameworks/", {"name": "Cloud baseline", "version": "1"})
    assert created.status_code == 201, created.json()
    fid = created.json()["id"]
    heading = send(http_a, "standards/", {"framework": fid, "ref": "CL", "title": "Cloud"}).json()
    item = send(
        http_a,
        "standards/",
        {"framework": fid, "parent": heading["id"], "ref": "CL-01", "title": "MFA", "weight": "high"},
    )
    assert item.status_code == 201 and item.json()["level"] == 1
    assert (
        send(http_a, f"standards/{item.json()['id']}/", {"title": "MFA everywhere"}, "patch").json()["title"]
        == "MFA everywhere"
    )
    exported = http_a.get(f"{API}standard-frameworks/{fid}/export/").json()
    assert [(i["ref"], i["parent"], i.get("weight")) for i in exported["requirements"]] == [
        ("CL", None, "medium"),
        ("CL-01", "CL", "high"),
    ]
    exported["slug"] = "cloud-copy"
    imported = send(http_a, "standard-frameworks/import/", exported)
    assert (
        imported.status_code == 201
        and StandardFramework.objects.get(slug="cloud-copy").standards.count() == 2
    )
    exported["slug"] = "broken"
    exported["requirements"][1]["parent"] = "NOPE"
    refused = send(http_a, "standard-frameworks/import/", exported)
    assert refused.status_code == 400 and any("NOPE" in p for p in refused.json()["file"])
    assert not StandardFramework.objects.filter(slug="broken").exists()
    assert http_a.delete(f"{API}standards/{item.json()['id']}/").status_code == 204
    # an adopted framework cannot be deleted
    adopted = world["adoption"].standard_framework
    assert http_a.delete(f"{API}standard-frameworks/{adopted.pk}/").status_code == 400
    # another practice's: 404, and not a valid parent or framework
    b_framework = world["b"][0].standard_framework
    b_item = Standard.objects.filter(framework=b_framework).first()
    assert http_a.get(f"{API}standard-frameworks/{b_framework.pk}/").status_code == 404
    assert http_a.get(f"{API}standards/{b_item.pk}/").status_code == 404
    assert (
        send(http_a, "standards/", {"framework": str(b_framework.pk), "ref": "X", "title": "X"}).status_code
        == 400
    )
    assert (
        send(
            http_a, "standards/", {"framework": fid, "parent": str(b_item.pk), "ref": "X", "title": "X"}
        ).status_code
        == 400
    )
    assert http_a.delete(f"{API}standard-frameworks/{b_framework.pk}/").status_code == 404
    assert StandardFramework.objects.filter(pk=b_framework.pk).exists()


def test_adopt_assess_complete_and_score(http_a, client_a1, world):
    csf = catalog("nist-csf-2-0")
    adoption = send(
        http_a,
        "adoptions/",
        {"client": str(client_a1.pk), "framework": str(csf.pk), "start_assessment": True},
    )
    assert adoption.status_code == 201, adoption.json()
    aid = adoption.json()["id"]
    assert adoption.json()["framework_name"] == "NIST Cybersecurity Framework (CSF) 2.0"
    assessment = Assessment.objects.get(adoption_id=aid)
    assert send(http_a, "assessments/", {"adoption": aid}).status_code == 400  # one in progress at a time
    responses = http_a.get(f"{API}responses/?assessment={assessment.pk}&page_size=200").json()
    assert responses["count"] == 106
    govern = [r["id"] for r in responses["results"] if r["item"]["ref"].startswith("GV.")]
    bulk = send(
        http_a, "responses/bulk/", {"assessment": str(assessment.pk), "ids": govern, "status": "implemented"}
    )
    assert bulk.json() == {"updated": len(govern)}
    scores = http_a.get(f"{API}assessments/{assessment.pk}/scores/").json()
    assert scores["overall"]["possible"] == 106 and scores["overall"]["earned"] == str(len(govern))
    assert scores["groups"][0]["ref"] == "GV" and scores["groups"][0]["score"]["percent"] == "100.0"
    assert len(scores["groups"][0]["groups"]) == 6
    done = send(http_a, f"assessments/{assessment.pk}/complete/", {})
    assert done.status_code == 200 and done.json()["status"] == "completed"
    assert done.json()["score"]["percent"] == "29.2"  # 31 / 106
    assert send(http_a, f"assessments/{assessment.pk}/complete/", {}).status_code == 400
    assert send(http_a, f"responses/{govern[0]}/", {"status": "partial"}, "patch").status_code == 400
    trend = http_a.get(f"{API}adoptions/{aid}/scores/").json()
    assert [p["score"]["percent"] for p in trend["trend"]] == ["29.2"]
    second = send(http_a, "assessments/", {"adoption": aid, "title": "Spring review"})
    assert second.status_code == 201 and second.json()["based_on"] == str(assessment.pk)


def test_update_an_answer(http_a, client_a1, world, consultant_a):
    r = world["by_ref"]["H1"]
    initiative = InitiativeFactory(client=client_a1)
    patched = send(
        http_a,
        f"responses/{r.pk}/",
        {
            "status": "partial",
            "owner": str(consultant_a.pk),
            "due_date": "2027-03-01",
            "notes": "Half done",
            "evidence_links": [{"url": "https://docs.example.com/x", "label": "Report"}],
            "initiatives": [str(initiative.pk)],
            "reviewed": True,
        },
        "patch",
    )
    assert patched.status_code == 200, patched.json()
    body = patched.json()
    assert (body["status"], body["owner"], body["due_date"]) == (
        "partial",
        str(consultant_a.pk),
        "2027-03-01",
    )
    assert body["evidence_links"] == [{"url": "https://docs.example.com/x", "label": "Report"}]
    assert body["initiatives"] == [str(initiative.pk)] and body["reviewed_at"]
    assert InitiativeLink.objects.get().initiative == initiative
    assert http_a.get(f"{API}responses/{r.pk}/").json()["initiatives"] == [str(initiative.pk)]


def test_bad_answers_are_field_errors(http_a, client_a2, world, viewer_a):
    r = world["by_ref"]["H1"]
    for data, field in (
        ({"status": "done"}, "status"),
        ({"owner": str(viewer_a.pk)}, "owner"),
        ({"evidence_links": [{"url": "javascript:alert(1)"}]}, "evidence_links"),
        ({"evidence_links": [{}]}, "evidence_links"),  # found by the API fuzzer: a 500
        ({"evidence_links": [{"label": "Report"}]}, "evidence_links"),
        ({"initiatives": [str(InitiativeFactory(client=client_a2).pk)]}, "initiatives"),
        ({"due_date": "soon"}, "due_date"),
    ):
        response = send(http_a, f"responses/{r.pk}/", data, "patch")
        assert response.status_code == 400 and field in response.json(), data
    r.refresh_from_db()
    assert (r.status, r.owner_id, r.due_date) == (S.NOT_ASSESSED, None, None)
    assert not InitiativeLink.objects.exists()
    assert send(http_a, f"responses/{r.pk}/", {"status": "partial"}, "put").status_code == 405
    assert http_a.delete(f"{API}responses/{r.pk}/").status_code == 405
    assert send(http_a, "responses/", {"status": "partial"}).status_code == 405


@pytest.mark.parametrize("intruder", ["b", "a2"])
def test_a_bulk_update_with_one_foreign_id_is_refused_whole(http_a, world, intruder):
    assessment, by_ref = world["assessment"], world["by_ref"]
    foreign = world[intruder][2][0]
    before = sorted(Response.objects.all().values_list("id", "status", "updated_at"))
    response = send(
        http_a,
        "responses/bulk/",
        {
            "assessment": str(assessment.pk),
            "ids": [str(by_ref["H1"].pk), str(foreign.pk)],
            "status": "implemented",
        },
    )
    assert response.status_code == 400 and "responses" in response.json()
    assert sorted(Response.objects.all().values_list("id", "status", "updated_at")) == before
    # naming another practice's assessment is not even a valid choice
    b_assessment = world["b"][1]
    response = send(
        http_a,
        "responses/bulk/",
        {"assessment": str(b_assessment.pk), "ids": [str(foreign.pk)], "status": "implemented"},
    )
    assert response.status_code == 400 and "assessment" in response.json()


def test_another_practices_objects_are_404(http_a, world):
    b_adoption, b_assessment, b_responses = world["b"]
    for path in (
        f"adoptions/{b_adoption.pk}/",
        f"adoptions/{b_adoption.pk}/scores/",
        f"assessments/{b_assessment.pk}/",
        f"assessments/{b_assessment.pk}/scores/",
        f"responses/{b_responses[0].pk}/",
    ):
        assert http_a.get(API + path).status_code == 404, path
    assert send(http_a, f"assessments/{b_assessment.pk}/complete/", {}).status_code == 404
    assert (
        send(http_a, f"responses/{b_responses[0].pk}/", {"status": "implemented"}, "patch").status_code == 404
    )
    assert http_a.delete(f"{API}adoptions/{b_adoption.pk}/").status_code == 404
    for path in ("adoptions/", "assessments/", "responses/"):
        assert "CANARY" not in http_a.get(API + path).content.decode(), path
    b_assessment.refresh_from_db()
    assert not b_assessment.is_completed and Adoption.objects.filter(pk=b_adoption.pk).exists()
    # another practice's client or framework: invalid in a new adoption
    b_framework = b_adoption.standard_framework
    refused = send(
        http_a,
        "adoptions/",
        {"client": str(b_adoption.client_id), "framework": str(catalog("nist-csf-2-0").pk)},
    )
    assert refused.status_code == 400 and "client" in refused.json()
    refused = send(
        http_a, "adoptions/", {"client": str(world["adoption"].client_id), "framework": str(b_framework.pk)}
    )
    assert refused.status_code == 400 and "framework" in refused.json()


def test_a_read_only_key_reads_but_changes_nothing(http_ro, client_a1, world):
    assessment, r = world["assessment"], world["by_ref"]["H1"]
    assert http_ro.get(f"{API}responses/?assessment={assessment.pk}").status_code == 200
    assert http_ro.get(f"{API}assessments/{assessment.pk}/scores/").status_code == 200
    attempts = [
        send(http_ro, f"responses/{r.pk}/", {"status": "implemented"}, "patch"),
        send(
            http_ro,
            "responses/bulk/",
            {"assessment": str(assessment.pk), "ids": [str(r.pk)], "status": "implemented"},
        ),
        send(http_ro, f"assessments/{assessment.pk}/complete/", {}),
        send(
            http_ro, "adoptions/", {"client": str(client_a1.pk), "framework": str(catalog("nist-csf-2-0").pk)}
        ),
        send(http_ro, "standard-frameworks/", {"name": "X"}),
    ]
    assert [a.status_code for a in attempts] == [403] * 5
    r.refresh_from_db()
    assessment.refresh_from_db()
    assert r.status == S.NOT_ASSESSED and not assessment.is_completed
    assert Adoption.objects.filter(client=client_a1).count() == 1


@pytest.mark.parametrize(
    "path", ["adoptions/", "assessments/", "responses/", "requirements/", "standards/", "frameworks/"]
)
def test_list_endpoints_run_constant_queries(
    path, http_a, client_a1, client_a2, practice_a, consultant_a, django_assert_num_queries
):
    _, assessment, _ = start(client_a1, standards(practice_a, [("S1", "high"), ("S2", "low")]))
    answer(assessment, {"S1": S.PARTIAL})
    http_a.get(API + path)  # the key's first use of the minute records last_used_at
    with django_assert_num_queries(20, exact=False) as few:
        assert http_a.get(API + path).status_code == 200
    _, big, by_ref = start(client_a2, catalog("nist-csf-2-0"))
    for r in list(by_ref.values())[:5]:
        r_links = [("https://e.example.com/a", "a"), ("https://e.example.com/b", "b")]
        from compliance import services

        services.response_update(
            response=r, actor=None, evidence_links=r_links, initiatives=[InitiativeFactory(client=client_a2)]
        )
    for n in range(10):
        StandardFactory(framework__practice=practice_a, ref=f"X{n}")
    with django_assert_num_queries(len(few.captured_queries)):
        assert http_a.get(API + path).status_code == 200
    assert answers(big)  # (the large data exists)


def test_the_shipped_catalogs_are_read_only_through_the_api(http_a):
    csf = catalog("nist-csf-2-0")
    requirement = csf.requirements.first()
    for path in (f"frameworks/{csf.pk}/", f"requirements/{requirement.pk}/"):
        assert send(http_a, path, {"name": "Mine now"}, "patch").status_code == 405, path
        assert send(http_a, path, {"name": "Mine now"}, "put").status_code == 405, path
        assert http_a.delete(API + path).status_code == 405, path
    assert send(http_a, "frameworks/", {"name": "X"}).status_code == 405
    assert send(http_a, "requirements/", {"ref": "X"}).status_code == 405
    # and a catalog is not one of the practice's own frameworks
    assert http_a.get(f"{API}standard-frameworks/{csf.pk}/").status_code == 404
    assert http_a.get(f"{API}standards/{requirement.pk}/").status_code == 404
    assert send(http_a, "standards/", {"framework": str(csf.pk), "ref": "X", "title": "X"}).status_code == 400
    csf.refresh_from_db()
    assert csf.name == "NIST Cybersecurity Framework (CSF) 2.0"


def test_the_answers_list_reads_its_items_after_the_page_not_with_every_answer(
    http_a, client_a1, client_a2, practice_a, django_assert_max_num_queries
):
    """The list sorts every answer of the practice by its assessment's start; the items (a catalog
    requirement or one of the practice's standards) are read for the page's rows after it, not joined
    to each answer the sort reads. Each answer still shows its item as its detail does."""
    start(client_a1, standards(practice_a, [("S1", "high"), ("S2", "low")]))
    start(client_a2, catalog("nist-csf-2-0"))
    http_a.get(API + "responses/")  # the key's first use of the minute records last_used_at
    with django_assert_max_num_queries(12) as queries:
        rows = http_a.get(API + "responses/?page_size=200").json()["results"]
    page = next(q["sql"] for q in queries.captured_queries if 'FROM "compliance_response"' in q["sql"])
    assert "compliance_requirement" not in page and "compliance_standard" not in page
    # of the assessment the sort joins, the page reads its adoption only (not a model per answer)
    assert '"compliance_assessment"."adoption_id"' in page and '"compliance_assessment"."title"' not in page
    refs = {row["item"]["ref"] for row in rows}
    assert {"S1", "S2"} <= refs and any(ref.startswith(("GV", "ID", "PR")) for ref in refs)
    for row in rows[:3] + rows[-3:]:
        detail = http_a.get(f"{API}responses/{row['id']}/").json()
        assert detail["item"] == row["item"] and detail["initiatives"] == row["initiatives"]
