"""Reads of the compliance app: adoptions, assessments, one assessment's tree, answers and scores,
and history (the frameworks and their item trees are read in `compliance.catalog_selectors`). Each takes the practice or client explicitly and runs a fixed number of
queries whatever the size of the framework or the number of answers.

The public selectors later apps (QBR report, portal) use:

- `client_compliance_summary(client=)` (in `compliance.summary_selectors`): per adopted framework,
  the current score, the trend across completed assessments, and gap / overdue counts;
- `framework_scores(assessment=)`: an assessment's scores, overall and per group;
- `top_gaps(client=, limit=10)` (in `compliance.summary_selectors`): the most important open gaps of
  the client's current assessments.

The practice-wide and summary reads (a client's summary, top gaps, due items, the practice's score
changes and client scores) live in `compliance.summary_selectors`.

Every number comes from `compliance.scores` (the one score rule).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db.models import (
    Count,
    F,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from clients.models import Client
from roadmaps.models import Initiative
from vcio.history import HistorySource, merged_history
from vcio.models import scoped_object_or_404

from .catalog_selectors import framework_rows, framework_tree
from .models import (
    GAP_STATUSES,
    OPEN_STATUSES,
    Adoption,
    Assessment,
    AssessmentStatus,
    EvidenceLink,
    InitiativeLink,
    Requirement,
    Response,
    ResponseStatus,
    Standard,
)
from .scores import EMPTY, FrameworkScore, Node, Score, framework_score, walk

DUE_SOON_DAYS = 30


# --- adoptions and assessments ---------------------------------------------------------------------


def adoptions_of(*, client: Client) -> QuerySet[Adoption]:
    return (
        Adoption.objects.for_client(client)
        .select_related("framework", "standard_framework", "adopted_by")
        .order_by("created_at", "pk")
    )


def adoption_detail(*, client: Client, pk) -> Adoption:
    return scoped_object_or_404(
        adoptions_of(client=client), practice=client.practice_id, pk=pk, client=client
    )


def assessments_of(*, adoption: Adoption) -> QuerySet[Assessment]:
    return (
        Assessment.objects.for_practice(adoption.practice_id)
        .filter(adoption=adoption)
        .select_related("completed_by")
        .order_by("-started_on", "-created_at")
    )


def assessment_detail(*, client: Client, pk) -> Assessment:
    """An assessment of the client with its adoption and framework (404 for another client's). The
    client is the one given, not joined again: each join of this one-row read cost more to plan
    (about 0.4 ms) than its rows cost to read."""
    queryset = Assessment.objects.select_related(
        "adoption__framework", "adoption__standard_framework", "completed_by", "based_on"
    )
    assessment = scoped_object_or_404(queryset, practice=client.practice_id, pk=pk, client=client)
    assessment.client = client
    return assessment


@dataclass
class TrendPoint:
    assessment: Assessment
    day: date
    score: Score

    @property
    def percent(self):
        return self.score.percent


def trend_of(assessments) -> list[TrendPoint]:
    points = []
    for a in sorted(assessments, key=lambda a: (a.completed_at, a.created_at)):
        score = Score.stored(a.score_earned, a.score_possible)
        if a.is_completed and score is not None:
            points.append(TrendPoint(a, timezone.localdate(a.completed_at), score))
    return points


def adoption_trend(*, adoption: Adoption) -> list[TrendPoint]:
    """Scores of the completed assessments, oldest first (their frozen snapshots; one query)."""
    done = (
        Assessment.objects.for_practice(adoption.practice_id)
        .filter(adoption=adoption, status=AssessmentStatus.COMPLETED)
        .order_by("completed_at")
    )
    return trend_of(done)


# --- one assessment: its tree, answers and scores --------------------------------------------------


def _responses(assessment: Assessment) -> QuerySet[Response]:
    return (
        Response.objects.for_practice(assessment.practice_id)
        .filter(assessment=assessment)
        .select_related("owner", "reviewed_by")  # what the tree shows; not who answered
        .annotate(evidence_count=Count("evidence_links"))
    )


def answer_function(assessment: Assessment, responses_by_item: dict):
    """`answer_of(node)` for `scores.framework_score`: a completed assessment is its snapshot (its
    answers, their frozen weights); an in-progress one counts every item, unanswered ones as not
    assessed, at the items' current weights."""
    if assessment.is_completed:

        def answer_of(node):
            response = responses_by_item.get(node.id)
            if response is None:
                return None
            return (response.weight if response.weight is not None else node.points, response.status)

    else:

        def answer_of(node):
            response = responses_by_item.get(node.id)
            return (node.points, response.status if response else ResponseStatus.NOT_ASSESSED)

    return answer_of


def framework_scores(*, assessment: Assessment) -> FrameworkScore:
    """An assessment's scores: overall, per top-level and per second-level group (two queries)."""
    adoption = assessment.adoption
    roots, _ = framework_tree(
        practice=assessment.practice_id, framework=adoption.the_framework, detail="labels"
    )
    rows = (
        Response.objects.for_practice(assessment.practice_id)
        .filter(assessment=assessment)
        .order_by()  # not the model's (by assessment): no join to the assessments
        .values("requirement_id", "standard_id", "status", "weight")
    )
    by_item = {r["requirement_id"] or r["standard_id"]: _Answer(r["status"], r["weight"]) for r in rows}
    return framework_score(roots, answer_function(assessment, by_item))


@dataclass
class _Answer:
    status: str
    weight: int | None


@dataclass
class TreeFilters:
    status: str = ""  # a ResponseStatus value, or "gaps"
    owner: object = None  # a user, or "none"
    overdue: bool = False

    @property
    def active(self) -> bool:
        return bool(self.status or self.owner or self.overdue)

    def matches(self, response, today: date) -> bool:
        status = response.status if response else ResponseStatus.NOT_ASSESSED
        if self.status == "gaps":
            if status not in GAP_STATUSES:
                return False
        elif self.status and status != self.status:
            return False
        if self.owner == "none":
            if response is not None and response.owner_id:
                return False
        elif self.owner is not None and (response is None or response.owner_id != self.owner.pk):
            return False
        return not self.overdue or is_overdue(response, today)


def is_overdue(response, today: date) -> bool:
    return bool(
        response is not None
        and response.due_date
        and response.due_date < today
        and response.status in OPEN_STATUSES
    )


@dataclass
class AssessmentTree:
    assessment: Assessment
    rows: list[dict]
    scores: FrameworkScore
    shown: int  # answerable items shown (after filters)
    total: int  # answerable items in the assessment
    group_scores: dict = field(default_factory=dict)  # node id -> Score


def assessment_tree(
    *, assessment: Assessment, filters: TreeFilters | None = None, today=None
) -> AssessmentTree:
    """The assessment as a tree: headings with their scores, items with their answer, owner, due
    date, evidence count and linked initiatives. Five queries whatever the framework's size."""
    filters = filters or TreeFilters()
    today = today or timezone.localdate()
    adoption = assessment.adoption
    roots, nodes = framework_tree(
        practice=assessment.practice_id, framework=adoption.the_framework, detail="labels"
    )
    responses = {r.item_id: r for r in _responses(assessment)}
    links = defaultdict(list)
    for link in (
        InitiativeLink.objects.for_practice(assessment.practice_id)
        .filter(adoption=adoption)
        .select_related("initiative")
        .order_by("initiative__title", "pk")
    ):
        links[link.item_id].append(link.initiative)
    answer_of = answer_function(assessment, responses)
    scores = framework_score(roots, answer_of)
    group_scores = {
        node.id: Score.of(a for n, _ in walk([node]) if n.assessable and (a := answer_of(n)) is not None)
        for node in nodes
        if node.children
    }

    def included(node) -> bool:
        return node.assessable and (not assessment.is_completed or node.id in responses)

    keep: set = set()
    total = shown = 0
    by_id = {n.id: n for n in nodes}
    for node in nodes:
        if not included(node):
            continue
        total += 1
        if filters.matches(responses.get(node.id), today):
            shown += 1
            keep.add(node.id)
            parent = by_id.get(node.parent_id)
            while parent is not None and parent.id not in keep:
                keep.add(parent.id)
                parent = by_id.get(parent.parent_id)

    def pruned(node_list):
        out = []
        for node in node_list:
            if node.id not in keep:
                continue
            copy = Node(**{**node.__dict__, "children": pruned(node.children)})
            if not copy.children and not included(node):
                continue
            if not copy.children and node.children:  # a heading answered itself, its items filtered out
                copy.assessable = True
            out.append(copy)
        return out

    rows = framework_rows(pruned(roots))
    for row in rows:
        node = row["node"]
        if row["kind"] == "item":
            response = responses.get(node.id)
            row.update(
                response=response,
                status=response.status if response else ResponseStatus.NOT_ASSESSED,
                overdue=is_overdue(response, today),
                initiatives=links.get(node.id, []),
            )
        else:
            row["score"] = group_scores.get(node.id, EMPTY)
    return AssessmentTree(assessment, rows, scores, shown, total, group_scores)


def response_detail(*, assessment: Assessment, pk) -> Response:
    """One answer of the assessment, with its item, people, evidence and the item's linked initiatives."""
    queryset = (
        Response.objects.filter(assessment=assessment)
        .select_related("requirement", "standard", "owner", "answered_by", "reviewed_by")
        .prefetch_related(
            Prefetch(
                "evidence_links",
                queryset=EvidenceLink.objects.for_practice(assessment.practice_id).order_by("created_at"),
            )
        )
    )
    response = scoped_object_or_404(
        queryset, practice=assessment.practice_id, pk=pk, client=assessment.client
    )
    response.linked_initiatives = linked_initiatives(adoption=assessment.adoption, item_id=response.item_id)
    return response


def linked_initiatives(*, adoption: Adoption, item_id) -> list[Initiative]:
    links = InitiativeLink.objects.for_practice(adoption.practice_id).filter(adoption=adoption)
    links = links.filter(Q(requirement_id=item_id) | Q(standard_id=item_id)).select_related("initiative")
    return [link.initiative for link in links.order_by("initiative__title", "pk")]


MAX_SELECTED = 1_000


def selected_responses(*, assessment: Assessment, response_ids, lock: bool = False) -> list[Response]:
    """The answers named by id, every one of them of this assessment (and client) — else a
    ValidationError: one id of another assessment, client or practice, or one that does not exist,
    refuses the whole request (bulk edits and "initiative from gaps" are all or nothing)."""
    ids = list(dict.fromkeys(str(i) for i in response_ids))
    if not ids:
        raise ValidationError({"responses": "Select at least one item."})
    if len(ids) > MAX_SELECTED:
        raise ValidationError({"responses": f"Select at most {MAX_SELECTED:,} items at a time."})
    try:
        ids = [str(uuid.UUID(i)) for i in ids]
    except ValueError:
        raise ValidationError({"responses": "Some selected items are not part of this assessment."}) from None
    qs = Response.objects.for_practice(assessment.practice_id).filter(
        assessment=assessment, client_id=assessment.client_id, pk__in=ids
    )
    if lock:
        qs = qs.select_for_update(of=("self",))
    found = list(qs.select_related("requirement", "standard"))
    if len(found) != len(ids):
        raise ValidationError({"responses": "Some selected items are not part of this assessment."})
    order = {pk: n for n, pk in enumerate(ids)}
    return sorted(found, key=lambda r: order[str(r.pk)])


def client_initiatives(*, client: Client) -> QuerySet[Initiative]:
    return Initiative.objects.for_client(client).order_by("title", "pk")


# The answers list's column: its assessment's adoption (`responses_of_practice(listing=True)`).
ADOPTION = "assessment_adoption_id"


def responses_of_practice(*, practice, listing: bool) -> QuerySet[Response]:
    """Every answer of the practice's assessments, in assessment order, with its evidence links
    prefetched (`prefetched_evidence_links`). Each join names the practice, so the planner reads this
    practice's assessments and adoptions, not every tenant's.

    `listing`: a page of many answers. The order sorts every answer of the practice by its
    assessment, so the items are read for the sliced page's rows (one narrow query per kind: id, ref,
    title), not joined to each of the thousands of answers the sort reads (Big: 36 -> 8 ms); the
    adoption rides as the `ADOPTION` column on the join the order makes, not as the assessment's whole
    row. Otherwise (one answer): the item and the assessment with its adoption are joined."""
    pid = getattr(practice, "pk", practice)
    responses = Response.objects.for_practice(practice).filter(assessment__practice_id=pid)
    if listing:
        item = ("id", "ref", "title")
        responses = responses.annotate(**{ADOPTION: F("assessment__adoption_id")}).prefetch_related(
            Prefetch("requirement", queryset=Requirement.objects.only(*item)),
            Prefetch("standard", queryset=Standard.objects.for_practice(practice).only(*item)),
        )
    else:
        responses = responses.filter(assessment__adoption__practice_id=pid).select_related(
            "requirement", "standard", "assessment__adoption"
        )
    return responses.prefetch_related(
        Prefetch(
            "evidence_links",
            queryset=EvidenceLink.objects.for_practice(practice).order_by("created_at"),
            to_attr="prefetched_evidence_links",
        ),
    ).order_by("assessment_id", "created_at", "pk")


def adoption_of_response(response: Response):
    """An answer's adoption id: the listing's column (`ADOPTION`), or through its assessment."""
    return vars(response).get(ADOPTION) or response.assessment.adoption_id


def attach_linked_initiative_ids(*, practice, responses) -> None:
    """Set each answer's `initiatives` to the roadmap initiatives linked to its item (objects with
    only `pk`, in link order): one query for the whole page."""
    responses = list(responses)
    adoptions = {adoption_of_response(r) for r in responses}
    links: dict = {}
    for link in (
        InitiativeLink.objects.for_practice(practice).filter(adoption_id__in=adoptions).order_by("created_at")
    ):
        links.setdefault((link.adoption_id, link.item_id), []).append(SimpleNamespace(pk=link.initiative_id))
    for r in responses:
        r.initiatives = links.get((adoption_of_response(r), r.item_id), [])


def responses_for_export(*, assessment: Assessment) -> list[tuple]:
    """(node, response) in framework order, for the CSV export (the same items as the tree)."""
    adoption = assessment.adoption
    _, nodes = framework_tree(
        practice=assessment.practice_id, framework=adoption.the_framework, detail="labels"
    )
    responses = {
        r.item_id: r
        for r in Response.objects.for_practice(assessment.practice_id)
        .filter(assessment=assessment)
        .select_related("owner", "reviewed_by")
        .prefetch_related(
            Prefetch(
                "evidence_links",
                queryset=EvidenceLink.objects.for_practice(assessment.practice_id).order_by("created_at"),
            )
        )
    }
    out = []
    for node in sorted(nodes, key=lambda n: n.order):
        if node.assessable and (not assessment.is_completed or node.id in responses):
            out.append((node, responses.get(node.id)))
    return out


# --- history ----------------------------------------------------------------------------------------

ASSESSMENT_HISTORY = HistorySource("Assessment", rows=None)
RESPONSE_HISTORY = HistorySource(
    "Answer", rows=None, select_related=("requirement", "standard"), describe=lambda r: _response_label(r)
)


def _response_label(record) -> str:
    item = record.requirement if record.requirement_id else record.standard
    return f"{item.ref} {item.title}" if item else str(record.id)


def response_history(*, response: Response, limit: int = 50) -> list[dict]:
    """Changes to one answer, newest first (two queries)."""
    rows = Response.history.filter(id=response.pk, practice_id=response.practice_id)
    return merged_history([(RESPONSE_HISTORY, rows)], limit=limit)


def assessment_history(*, assessment: Assessment, limit: int = 50) -> list[dict]:
    """Changes to the assessment and its answers, newest first (four queries)."""
    practice_id = assessment.practice_id
    return merged_history(
        [
            (ASSESSMENT_HISTORY, Assessment.history.filter(id=assessment.pk, practice_id=practice_id)),
            (
                RESPONSE_HISTORY,
                Response.history.filter(assessment_id=assessment.pk, practice_id=practice_id),
            ),
        ],
        limit=limit,
    )
