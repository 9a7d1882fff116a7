"""The compliance services: adoptions, assessments (one in progress, completion locks, the next one
starts from the answers), all-or-nothing bulk updates, initiatives from gaps, and the standards
library (ordering, deletion rules, import all or nothing)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts.member_services import membership_remove
from accounts.models import Membership
from compliance import catalog_selectors, selectors, services, standard_services
from compliance.models import (
    Adoption,
    Assessment,
    EvidenceLink,
    InitiativeLink,
    Response,
    Standard,
)
from compliance.models import ResponseStatus as S
from roadmaps.models import Initiative
from tests.compliance.conftest import answer, answers, catalog, standards, start
from tests.factories import UserFactory, compliance_assessment
from vcio.fiscal import FiscalQuarter

pytestmark = pytest.mark.django_db


def state(assessment):
    rows = Response.objects.for_practice(assessment.practice_id).filter(assessment=assessment)
    return sorted(rows.values_list("id", "status", "owner_id", "due_date", "reviewed_at", "updated_at"))


# --- adoptions --------------------------------------------------------------------------------------


def test_a_client_adopts_a_catalog_once(client_a1, owner_a):
    csf = catalog("nist-csf-2-0")
    adoption = services.adoption_create(client=client_a1, actor=owner_a, framework=csf, scope_note="HQ only")
    assert adoption.practice_id == client_a1.practice_id and adoption.adopted_by == owner_a
    with pytest.raises(ValidationError, match="already adopted"):
        services.adoption_create(client=client_a1, actor=owner_a, framework=csf)
    assert Adoption.objects.count() == 1


def test_another_practices_standards_cannot_be_adopted(client_a1, practice_b):
    theirs = standards(practice_b, [("S1", "high")])
    with pytest.raises(ValidationError) as excinfo:
        services.adoption_create(client=client_a1, actor=None, framework=theirs)
    assert "framework" in excinfo.value.message_dict
    assert not Adoption.objects.exists()


def test_the_framework_of_an_adoption_never_changes(client_a1, baseline_a):
    adoption, _, _ = start(client_a1, baseline_a)
    with pytest.raises(ValidationError):
        services.adoption_update(adoption=adoption, actor=None, framework=catalog("nist-csf-2-0"))


# --- assessments --------------------------------------------------------------------------------------


def test_an_assessment_gets_an_answer_for_every_answerable_item(client_a1):
    _, assessment, by_ref = start(client_a1, catalog("nist-sp-800-53-r5-low"))
    assert len(by_ref) == 149
    assert {r.status for r in by_ref.values()} == {S.NOT_ASSESSED}
    assert {r.client_id for r in by_ref.values()} == {client_a1.pk}


def test_only_one_assessment_is_in_progress(client_a1, baseline_a):
    adoption, _, _ = start(client_a1, baseline_a)
    with pytest.raises(ValidationError, match="still in progress"):
        services.assessment_start(adoption=adoption, actor=None)
    assert Assessment.objects.filter(adoption=adoption).count() == 1


def test_a_completed_assessment_refuses_every_change(client_a1, baseline_a, owner_a):
    _, assessment, by_ref = start(client_a1, baseline_a)
    answer(assessment, {"H1": S.IMPLEMENTED})
    services.assessment_complete(assessment=assessment, actor=owner_a)
    before = state(assessment)
    attempts = [
        lambda: services.response_update(response=by_ref["M1"], actor=owner_a, status=S.IMPLEMENTED),
        lambda: services.response_update(response=by_ref["M1"], actor=owner_a, notes="late evidence"),
        lambda: services.responses_bulk_update(
            assessment=assessment, actor=owner_a, response_ids=[by_ref["L1"].pk], status=S.PARTIAL
        ),
        lambda: services.assessment_complete(assessment=assessment, actor=owner_a),
        lambda: services.assessment_update(assessment=assessment, actor=owner_a, title="Renamed"),
        lambda: services.assessment_delete(assessment=assessment, actor=owner_a),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="completed"):
            attempt()
    assert state(assessment) == before
    assessment.refresh_from_db()
    assert assessment.is_completed and assessment.title != "Renamed"


def test_the_next_assessment_starts_from_the_answers_of_the_last(
    client_a1, baseline_a, owner_a, consultant_a
):
    adoption, first, by_ref = start(client_a1, baseline_a)
    due = datetime.date(2027, 3, 31)
    services.response_update(
        response=by_ref["H1"],
        actor=consultant_a,
        status=S.PARTIAL,
        owner=consultant_a,
        due_date=due,
        notes="Half the sites",
        evidence_links=[("https://docs.example.com/backup", "Backup policy")],
        reviewed=True,
    )
    answer(first, {"M1": S.IMPLEMENTED, "N1": S.NOT_APPLICABLE})
    services.assessment_complete(assessment=first, actor=owner_a)

    second = services.assessment_start(adoption=adoption, actor=owner_a)
    first.refresh_from_db()
    assert second.based_on == first and second.is_current and not first.is_current
    copied = answers(second)
    h1 = copied["H1"]
    assert (h1.status, h1.owner, h1.due_date, h1.notes) == (S.PARTIAL, consultant_a, due, "Half the sites")
    assert h1.answered_by == consultant_a  # who answered it originally
    assert h1.reviewed_by is None and h1.reviewed_at is None  # a new review is needed
    assert [(link.url, link.label) for link in h1.evidence_links.all()] == [
        ("https://docs.example.com/backup", "Backup policy")
    ]
    assert {ref: r.status for ref, r in copied.items()} == {
        "H1": S.PARTIAL,
        "M1": S.IMPLEMENTED,
        "L1": S.NOT_ASSESSED,
        "N1": S.NOT_APPLICABLE,
    }
    assert h1.pk != by_ref["H1"].pk  # the completed answers stay as they were
    services.response_update(response=h1, actor=owner_a, status=S.IMPLEMENTED)
    assert Response.objects.get(pk=by_ref["H1"].pk).status == S.PARTIAL


def test_discarding_an_assessment_in_progress_makes_the_last_one_current_again(client_a1, baseline_a):
    adoption, first, _ = start(client_a1, baseline_a)
    services.assessment_complete(assessment=first, actor=None)
    second = services.assessment_start(adoption=adoption, actor=None)
    services.assessment_delete(assessment=second, actor=None)
    first.refresh_from_db()
    assert first.is_current and not Response.objects.filter(assessment_id=second.pk).exists()


def test_a_changed_status_records_who_answered_and_needs_a_new_review(
    client_a1, baseline_a, consultant_a, owner_a
):
    _, assessment, by_ref = start(client_a1, baseline_a)
    r = services.response_update(response=by_ref["H1"], actor=consultant_a, status=S.IMPLEMENTED)
    assert r.answered_by == consultant_a and r.answered_at is not None
    r = services.response_update(response=r, actor=owner_a, reviewed=True)
    assert r.reviewed_by == owner_a and r.answered_by == consultant_a
    r = services.response_update(response=r, actor=consultant_a, status=S.PARTIAL)
    assert r.reviewed_by is None and r.reviewed_at is None


def test_the_owner_must_be_a_member_who_may_do_client_work(client_a1, baseline_a, viewer_a, owner_b):
    _, assessment, by_ref = start(client_a1, baseline_a)
    for person in (viewer_a, owner_b, UserFactory()):
        with pytest.raises(ValidationError) as excinfo:
            services.response_update(response=by_ref["H1"], actor=None, owner=person)
        assert "owner" in excinfo.value.message_dict
        with pytest.raises(ValidationError):
            services.responses_bulk_update(
                assessment=assessment, actor=None, response_ids=[by_ref["H1"].pk], owner=person
            )
    assert Response.objects.get(pk=by_ref["H1"].pk).owner_id is None


def test_evidence_links_must_be_web_addresses(client_a1, baseline_a):
    _, _, by_ref = start(client_a1, baseline_a)
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "not a url"):
        with pytest.raises(ValidationError) as excinfo:
            services.response_update(response=by_ref["H1"], actor=None, evidence_links=[(bad, "x")])
        assert "evidence_links" in excinfo.value.message_dict
    assert not EvidenceLink.objects.exists()


# --- bulk updates: all or nothing -----------------------------------------------------------------------


def test_a_bulk_update_changes_every_selected_answer(client_a1, baseline_a, consultant_a):
    _, assessment, by_ref = start(client_a1, baseline_a)
    changed = services.responses_bulk_update(
        assessment=assessment,
        actor=consultant_a,
        response_ids=[by_ref["H1"].pk, by_ref["M1"].pk],
        status=S.PARTIAL,
        owner=consultant_a,
        due_date=datetime.date(2027, 1, 15),
    )
    assert changed == 2
    after = answers(assessment)
    assert [(after[r].status, after[r].owner, str(after[r].due_date)) for r in ("H1", "M1")] == [
        (S.PARTIAL, consultant_a, "2027-01-15")
    ] * 2
    assert after["L1"].status == S.NOT_ASSESSED
    # recorded in each answer's history, by the actor
    assert Response.history.filter(id=after["H1"].pk, history_user=consultant_a).exists()


@pytest.mark.parametrize(
    "intruder", ["other_practice", "other_client", "other_assessment", "unknown", "malformed"]
)
def test_one_foreign_id_refuses_the_whole_bulk_update(
    client_a1, client_a2, canary_client_b, baseline_a, intruder
):
    _, assessment, by_ref = start(client_a1, baseline_a)
    foreign = {
        "other_practice": lambda: compliance_assessment(canary_client_b)[2][0].pk,
        "other_client": lambda: compliance_assessment(client_a2)[2][0].pk,
        "other_assessment": lambda: compliance_assessment(client_a1, title="Second")[2][0].pk,
        "unknown": lambda: "00000000-0000-4000-8000-000000000000",
        "malformed": lambda: "not-a-uuid",
    }[intruder]()
    before = state(assessment)

    def everything():
        return sorted(Response.objects.all().values_list("id", "status", "updated_at"))

    snapshot = everything()
    with pytest.raises(ValidationError) as excinfo:
        services.responses_bulk_update(
            assessment=assessment,
            actor=None,
            response_ids=[by_ref["H1"].pk, foreign, by_ref["M1"].pk],
            status=S.IMPLEMENTED,
        )
    assert "nothing was changed" in str(excinfo.value) or "not part of this assessment" in str(excinfo.value)
    assert state(assessment) == before
    assert everything() == snapshot


# --- initiatives from gaps ----------------------------------------------------------------------------


def test_an_initiative_from_gaps_links_exactly_the_selected_items(client_a1, baseline_a, consultant_a):
    adoption, assessment, by_ref = start(client_a1, baseline_a)
    answer(assessment, {"H1": S.NOT_IMPLEMENTED, "M1": S.PARTIAL, "L1": S.NOT_IMPLEMENTED})
    quarter = FiscalQuarter(2027, 3)
    initiative = services.initiative_from_gaps(
        assessment=assessment,
        actor=consultant_a,
        response_ids=[by_ref["H1"].pk, by_ref["M1"].pk],
        target_start=quarter,
        title="Close the backup gaps",
        owner=consultant_a,
    )
    assert Initiative.objects.count() == 1
    assert (initiative.client, initiative.category, initiative.status, initiative.target_start) == (
        client_a1,
        "compliance",
        "proposed",
        quarter.key,
    )
    assert "H1 Standard H1" in initiative.description and "L1" not in initiative.description
    links = InitiativeLink.objects.for_practice(client_a1.practice).filter(initiative=initiative)
    assert {link.standard.ref for link in links} == {"H1", "M1"}
    assert {link.adoption_id for link in links} == {adoption.pk}
    # the tree shows the initiative on exactly those items
    tree = selectors.assessment_tree(assessment=assessment)
    shown = {
        row["node"].ref: [i.pk for i in row["initiatives"]] for row in tree.rows if row["kind"] == "item"
    }
    assert shown == {"H1": [initiative.pk], "M1": [initiative.pk], "L1": [], "N1": []}


def test_an_initiative_from_gaps_refuses_implemented_items_and_foreign_ids(client_a1, client_a2, baseline_a):
    _, assessment, by_ref = start(client_a1, baseline_a)
    answer(assessment, {"H1": S.IMPLEMENTED, "M1": S.NOT_IMPLEMENTED})
    other = compliance_assessment(client_a2)[2][0]
    for ids in ([by_ref["H1"].pk, by_ref["M1"].pk], [by_ref["M1"].pk, other.pk], []):
        with pytest.raises(ValidationError):
            services.initiative_from_gaps(
                assessment=assessment,
                actor=None,
                response_ids=ids,
                target_start=FiscalQuarter(2027, 1),
                title="X",
            )
    assert not Initiative.objects.exists() and not InitiativeLink.objects.exists()


def test_initiatives_linked_by_hand_must_be_the_clients(client_a1, client_a2, baseline_a):
    from tests.factories import InitiativeFactory

    _, _, by_ref = start(client_a1, baseline_a)
    mine, theirs = InitiativeFactory(client=client_a1), InitiativeFactory(client=client_a2)
    with pytest.raises(ValidationError):
        services.response_update(response=by_ref["H1"], actor=None, initiatives=[mine, theirs])
    assert not InitiativeLink.objects.exists()
    services.response_update(response=by_ref["H1"], actor=None, initiatives=[mine])
    assert InitiativeLink.objects.get().initiative == mine
    services.response_update(response=by_ref["H1"], actor=None, initiatives=[])
    assert not InitiativeLink.objects.exists()


def test_a_member_who_leaves_no_longer_owns_open_answers(client_a1, baseline_a, owner_a, consultant_a):
    _, assessment, by_ref = start(client_a1, baseline_a)
    services.response_update(response=by_ref["H1"], actor=owner_a, owner=consultant_a)
    membership = Membership.objects.get(practice=client_a1.practice, user=consultant_a)
    membership_remove(membership=membership, actor=owner_a)
    assert answers(assessment)["H1"].owner_id is None


# --- the standards library -------------------------------------------------------------------------------


def test_standards_keep_a_depth_first_order(practice_a):
    framework = standards(
        practice_a, [("BK", [("BK-01", "high"), ("BK-02", "low")]), ("ID", [("ID-01", "high")])]
    )
    rows = list(
        Standard.objects.filter(framework=framework).order_by("order").values_list("ref", "level", "order")
    )
    assert rows == [("BK", 0, 1), ("BK-01", 1, 2), ("BK-02", 1, 3), ("ID", 0, 4), ("ID-01", 1, 5)]
    id01 = Standard.objects.get(ref="ID-01")
    bk = Standard.objects.get(ref="BK")
    standard_services.standard_update(standard=id01, actor=None, parent=bk, order=1)
    rows = list(Standard.objects.filter(framework=framework).order_by("order").values_list("ref", "level"))
    assert rows == [("BK", 0), ("ID-01", 1), ("BK-01", 1), ("BK-02", 1), ("ID", 0)]


def test_a_standard_cannot_sit_under_itself_or_another_framework(practice_a):
    framework = standards(practice_a, [("BK", [("BK-01", "high")])])
    other = standards(practice_a, [("X", "low")], name="Other")
    bk, bk01 = Standard.objects.get(ref="BK"), Standard.objects.get(ref="BK-01")
    with pytest.raises(ValidationError):
        standard_services.standard_update(standard=bk, actor=None, parent=bk01)
    with pytest.raises(ValidationError):
        standard_services.standard_create(
            framework=framework, actor=None, parent=Standard.objects.get(ref="X"), ref="Y", title="Y"
        )
    with pytest.raises(ValidationError, match="already used"):
        standard_services.standard_create(framework=framework, actor=None, ref="BK-01", title="Dup")
    assert other.standards.count() == 1


def test_a_standard_answered_in_a_completed_assessment_stays(client_a1, baseline_a):
    _, assessment, by_ref = start(client_a1, baseline_a)
    services.assessment_complete(assessment=assessment, actor=None)
    with pytest.raises(ValidationError, match="snapshot"):
        standard_services.standard_delete(standard=by_ref["H1"].standard, actor=None)
    assert Standard.objects.filter(ref="H1").exists()


def test_deleting_a_standard_removes_its_answers_in_progress(client_a1, baseline_a):
    _, assessment, by_ref = start(client_a1, baseline_a)
    standard_services.standard_delete(standard=by_ref["L1"].standard, actor=None)
    assert set(answers(assessment)) == {"H1", "M1", "N1"}


def test_an_adopted_framework_cannot_be_deleted(client_a1, baseline_a):
    start(client_a1, baseline_a)
    with pytest.raises(ValidationError, match="adopted"):
        standard_services.standard_framework_delete(framework=baseline_a, actor=None)


def _catalog(**overrides):
    data = {
        "slug": "backup-standards",
        "name": "Backup standards",
        "version": "1",
        "publisher": "Alpha",
        "source": "ours",
        "license": "ours",
        "requirements": [
            {"ref": "BK", "title": "Backups", "text": "", "parent": None, "level": 0, "order": 1},
            {
                "ref": "BK-01",
                "title": "Tested quarterly",
                "text": "…",
                "parent": "BK",
                "level": 1,
                "order": 2,
                "weight": "high",
            },
            {"ref": "BK-02", "title": "Off-site copy", "text": "", "parent": "BK", "level": 1, "order": 3},
        ],
    }
    data.update(overrides)
    return data


def test_import_creates_the_framework_and_export_gives_it_back(practice_a, owner_a):
    framework = standard_services.standards_import(practice=practice_a, actor=owner_a, data=_catalog())
    rows = list(framework.standards.order_by("order").values_list("ref", "parent__ref", "weight", "level"))
    assert rows == [("BK", None, "medium", 0), ("BK-01", "BK", "high", 1), ("BK-02", "BK", "medium", 1)]
    from compliance.catalog_io import catalog_of

    _, nodes = catalog_selectors.framework_tree(practice=practice_a, framework=framework)
    exported = catalog_of(
        meta=catalog_selectors.framework_meta(practice=practice_a, framework=framework), nodes=nodes
    )
    assert [(i["ref"], i["parent"], i.get("weight")) for i in exported["requirements"]] == [
        ("BK", None, "medium"),
        ("BK-01", "BK", "high"),
        ("BK-02", "BK", "medium"),
    ]
    # importing the export into another practice gives the same framework
    from tests.factories import PracticeFactory

    again = standard_services.standards_import(practice=PracticeFactory(), actor=None, data=exported)
    assert list(again.standards.order_by("order").values_list("ref", "weight")) == [
        ("BK", "medium"),
        ("BK-01", "high"),
        ("BK-02", "medium"),
    ]


def test_a_bad_import_creates_nothing_and_lists_every_problem(practice_a):
    bad = _catalog()
    bad["requirements"][1]["parent"] = "NOPE"
    bad["requirements"][2]["weight"] = "critical"
    with pytest.raises(ValidationError) as excinfo:
        standard_services.standards_import(practice=practice_a, actor=None, data=bad)
    problems = excinfo.value.message_dict["file"]
    assert any('parent "NOPE"' in p for p in problems) and any('"weight"' in p for p in problems)
    assert not Standard.objects.exists()
    standard_services.standards_import(practice=practice_a, actor=None, data=_catalog())
    with pytest.raises(ValidationError, match="already have a framework"):
        standard_services.standards_import(practice=practice_a, actor=None, data=_catalog())
    assert Standard.objects.count() == 3


def test_deleting_the_practice_takes_its_compliance_data_and_leaves_the_catalogs(
    client_a1, owner_a, baseline_a, canary_client_b
):
    from accounts.services import practice_delete
    from compliance.models import Framework, Requirement
    from tests.factories import InitiativeFactory

    _, assessment, by_ref = start(client_a1, baseline_a)
    services.response_update(
        response=by_ref["H1"],
        actor=owner_a,
        status=S.PARTIAL,
        evidence_links=[("https://e.example.com/a", "a")],
        initiatives=[InitiativeFactory(client=client_a1)],
    )
    services.assessment_complete(assessment=assessment, actor=owner_a)
    start(client_a1, catalog("hipaa-security-rule"))
    theirs = compliance_assessment(canary_client_b)
    practice_delete(practice=client_a1.practice, actor=owner_a)
    assert not Standard.objects.exists() or set(Standard.objects.values_list("practice_id", flat=True)) == {
        canary_client_b.practice_id
    }
    assert set(Response.objects.all().values_list("practice_id", flat=True)) == {canary_client_b.practice_id}
    assert not InitiativeLink.objects.exists() and not EvidenceLink.objects.exists()
    assert Framework.objects.count() == 4 and Requirement.objects.count() == 485
    assert Assessment.objects.get().pk == theirs[1].pk
