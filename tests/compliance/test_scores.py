"""Score math (compliance.scores, through the selectors): weights, partials, not applicable left
out, an empty framework, completed vs in progress, the trend, and group scores."""

from decimal import Decimal
from fractions import Fraction

import pytest

from compliance import selectors, services, standard_services, summary_selectors
from compliance.models import ResponseStatus as S
from compliance.scores import Node, Score, build_tree, framework_score
from tests.compliance.conftest import answer, answers, catalog, standards, start

pytestmark = pytest.mark.django_db


# --- the rule on plain data ------------------------------------------------------------------------


def test_implemented_counts_one_partial_half_and_the_rest_nothing():
    score = Score.of([(1, S.IMPLEMENTED), (1, S.PARTIAL), (1, S.NOT_IMPLEMENTED), (1, S.NOT_ASSESSED)])
    assert (score.earned, score.possible) == (Fraction(3, 2), 4)
    assert score.percent == Decimal("37.5")


def test_weights_high_5_medium_3_low_1():
    score = Score.of([(5, S.IMPLEMENTED), (3, S.PARTIAL), (1, S.NOT_IMPLEMENTED)])
    assert (score.earned, score.possible) == (Fraction(13, 2), 9)
    assert score.percent == Decimal("72.2")  # 6.5 / 9 = 72.22…


def test_not_applicable_is_left_out_not_counted_as_zero():
    with_na = Score.of([(5, S.IMPLEMENTED), (3, S.NOT_APPLICABLE)])
    assert (with_na.possible, with_na.percent) == (5, Decimal("100.0"))
    assert with_na.counts == {S.IMPLEMENTED: 1, S.NOT_APPLICABLE: 1}


def test_nothing_to_score_is_no_score_rather_than_zero():
    assert Score.of([]).percent is None
    assert Score.of([(3, S.NOT_APPLICABLE)]).percent is None
    assert Score.of([(1, S.NOT_ASSESSED)]).percent == Decimal("0.0")


def test_percent_is_rounded_half_up_from_the_exact_fraction():
    assert Score(earned=Fraction(1, 3), possible=1).percent == Decimal("33.3")
    assert Score(earned=Fraction(2, 3), possible=1).percent == Decimal("66.7")
    assert Score(earned=Fraction(1, 1600), possible=1).percent == Decimal("0.1")  # 0.0625 -> 0.1


def test_group_scores_count_every_item_under_them_the_heading_included():
    def node(pk, parent=None, assessable=True, order=0):
        return Node(
            id=pk, ref=pk, title=pk, text="", level=0, order=order, parent_id=parent, assessable=assessable
        )

    nodes = [
        node("A", assessable=False, order=1),
        node("A.1", "A", assessable=True, order=2),  # a heading that is answered itself (a HIPAA standard)
        node("A.1.a", "A.1", order=3),
        node("A.2", "A", order=4),
        node("B", assessable=False, order=5),
        node("B.1", "B", order=6),
    ]
    roots = build_tree(nodes)
    statuses = {"A.1": S.IMPLEMENTED, "A.1.a": S.NOT_IMPLEMENTED, "A.2": S.PARTIAL, "B.1": S.IMPLEMENTED}
    result = framework_score(roots, lambda n: (1, statuses[n.id]))
    assert result.overall.percent == Decimal("62.5")  # 2.5 / 4
    a, b = result.groups
    assert (a.node.id, a.score.percent) == ("A", Decimal("50.0"))  # 1.5 / 3
    assert [(c.node.id, c.score.percent) for c in a.children] == [("A.1", Decimal("50.0"))]  # itself + A.1.a
    assert (b.node.id, b.score.percent, b.children) == ("B", Decimal("100.0"), [])


# --- through the database -------------------------------------------------------------------------


def test_an_assessment_of_weighted_standards(client_a1, baseline_a):
    _, assessment, _ = start(client_a1, baseline_a)
    answer(
        assessment, {"H1": S.IMPLEMENTED, "M1": S.PARTIAL, "L1": S.NOT_IMPLEMENTED, "N1": S.NOT_APPLICABLE}
    )
    scores = selectors.framework_scores(assessment=assessment)
    assert (scores.overall.earned, scores.overall.possible) == (Fraction(13, 2), 9)
    assert scores.overall.percent == Decimal("72.2")
    assert scores.groups == []  # a flat framework has no groups


def test_an_empty_framework_has_no_score(client_a1, practice_a):
    _, assessment, responses = start(client_a1, standards(practice_a, []))
    assert responses == {}
    assert selectors.framework_scores(assessment=assessment).overall.percent is None
    services.assessment_complete(assessment=assessment, actor=None)
    assert (assessment.score_possible, Score.stored(assessment.score_earned, 0).percent) == (0, None)


def test_a_new_assessment_starts_not_assessed_at_zero(client_a1, baseline_a):
    _, assessment, _ = start(client_a1, baseline_a)
    assert selectors.framework_scores(assessment=assessment).overall.percent == Decimal("0.0")


def test_a_completed_assessment_keeps_its_score_when_the_standards_change(
    client_a1, practice_a, baseline_a, owner_a
):
    adoption, first, by_ref = start(client_a1, baseline_a)
    answer(first, {"H1": S.IMPLEMENTED, "M1": S.NOT_IMPLEMENTED, "L1": S.IMPLEMENTED, "N1": S.IMPLEMENTED})
    services.assessment_complete(assessment=first, actor=owner_a)
    assert (first.score_earned, first.score_possible) == (Decimal("9"), 12)  # 5 + 1 + 3 of 12
    second = services.assessment_start(adoption=adoption, actor=owner_a)

    # the practice makes M1 heavier and adds a standard
    m1 = by_ref["M1"].standard
    standard_services.standard_update(standard=m1, actor=owner_a, weight="high")
    standard_services.standard_create(
        framework=baseline_a, actor=owner_a, ref="X1", title="New", weight="low"
    )

    first.refresh_from_db()
    completed = selectors.framework_scores(assessment=first)
    assert (completed.overall.earned, completed.overall.possible) == (Fraction(9), 12)  # the snapshot
    live = selectors.framework_scores(assessment=second)
    assert (live.overall.earned, live.overall.possible) == (Fraction(9), 15)  # M1 now 5, X1 (1) not assessed
    assert answers(second)["X1"].status == S.NOT_ASSESSED  # the new standard joined the open assessment


def test_the_trend_is_the_completed_assessments_oldest_first(client_a1, baseline_a, owner_a):
    adoption, first, _ = start(client_a1, baseline_a)
    answer(first, {"H1": S.PARTIAL})
    services.assessment_complete(assessment=first, actor=owner_a)
    second = services.assessment_start(adoption=adoption, actor=owner_a)
    answer(second, {"H1": S.IMPLEMENTED, "M1": S.IMPLEMENTED})
    services.assessment_complete(assessment=second, actor=owner_a)
    third = services.assessment_start(adoption=adoption, actor=owner_a)
    answer(third, {"L1": S.IMPLEMENTED})  # in progress: not in the trend

    trend = selectors.adoption_trend(adoption=adoption)
    assert [p.assessment.pk for p in trend] == [first.pk, second.pk]
    assert [p.percent for p in trend] == [Decimal("20.8"), Decimal("66.7")]  # 2.5/12, 8/12
    (summary,) = summary_selectors.client_compliance_summary(client=client_a1)
    assert [p.percent for p in summary.trend] == [Decimal("20.8"), Decimal("66.7")]
    assert summary.in_progress == third and summary.percent == Decimal("75.0")  # 9/12 live
    assert summary.change == Decimal("8.3")


def test_the_summary_uses_the_snapshot_when_nothing_is_in_progress(client_a1, baseline_a, owner_a):
    _, first, _ = start(client_a1, baseline_a)
    answer(first, {"H1": S.IMPLEMENTED})
    services.assessment_complete(assessment=first, actor=owner_a)
    (summary,) = summary_selectors.client_compliance_summary(client=client_a1)
    assert summary.in_progress is None and summary.current == first
    assert summary.percent == Decimal("41.7")  # 5 / 12
    assert summary.change is None


def test_csf_scores_per_function_and_category(client_a1):
    _, assessment, by_ref = start(client_a1, catalog("nist-csf-2-0"))
    govern = [ref for ref in by_ref if ref.startswith("GV.")]
    services.responses_bulk_update(
        assessment=assessment, actor=None, response_ids=[by_ref[r].pk for r in govern], status=S.IMPLEMENTED
    )
    answer(assessment, {"GV.OC-01": S.PARTIAL, "GV.OC-02": S.NOT_APPLICABLE})
    scores = selectors.framework_scores(assessment=assessment)
    assert [g.node.ref for g in scores.groups] == ["GV", "ID", "PR", "DE", "RS", "RC"]
    assert sum(len(g.children) for g in scores.groups) == 22
    gv = scores.groups[0]
    assert gv.score.possible == len(govern) - 1
    assert gv.score.earned == Fraction(2 * (len(govern) - 2) + 1, 2)
    oc = next(c for c in gv.children if c.node.ref == "GV.OC")
    assert (oc.score.earned, oc.score.possible) == (Fraction(7, 2), 4)  # GV.OC-01..05: ½ + N/A + 3
    assert scores.groups[1].score.percent == Decimal("0.0")
    assert scores.overall.possible == 105


def test_hipaa_standards_are_answered_with_their_specifications(client_a1):
    _, assessment, by_ref = start(client_a1, catalog("hipaa-security-rule"))
    assert len(by_ref) == 65 and "164.308(a)(1)" in by_ref and "164.308" not in by_ref
    answer(assessment, {"164.308(a)(1)": S.IMPLEMENTED, "164.308(a)(1)(ii)(A)": S.IMPLEMENTED})
    scores = selectors.framework_scores(assessment=assessment)
    standard = next(c for c in scores.groups[0].children if c.node.ref == "164.308(a)(1)")
    assert (standard.score.earned, standard.score.possible) == (Fraction(2), 5)  # itself + 4 specifications
