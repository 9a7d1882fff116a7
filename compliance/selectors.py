"""Reads of the compliance app: frameworks, adoptions, assessments, one assessment's tree, answers
and scores, and history. Each takes the practice or client explicitly and runs a fixed number of
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

from django.core.exceptions import ValidationError
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify

from clients.models import Client
from roadmaps.models import Initiative
from vcio.history import HistorySource, merged_history
from vcio.models import scoped_object_or_404

from .models import (
    GAP_STATUSES,
    OPEN_STATUSES,
    Adoption,
    Assessment,
    AssessmentStatus,
    EvidenceLink,
    Framework,
    InitiativeLink,
    Requirement,
    Response,
    ResponseStatus,
    Standard,
    StandardFramework,
    weight_points,
)
from .scores import EMPTY, FrameworkScore, Node, Score, build_tree, framework_score, walk

DUE_SOON_DAYS = 30
# How much of each item a read loads: the structure and weights (scores), plus the labels (trees,
# charts), plus the text (the framework page, exports).
LIGHT_FIELDS = ("id", "parent_id", "level", "order", "weight")
LABEL_FIELDS = (*LIGHT_FIELDS, "ref", "title", "kind", "required")
FULL_FIELDS = (*LABEL_FIELDS, "text")
FIELD_SETS = {"light": LIGHT_FIELDS, "labels": LABEL_FIELDS, "full": FULL_FIELDS}


# --- frameworks (catalogs and the practice's own) --------------------------------------------------


def catalog_frameworks() -> QuerySet[Framework]:
    """The shipped catalogs (global), with how many items each has."""
    return Framework.objects.annotate(
        item_count=Count("requirements"),
        assessable_count=Count("requirements", filter=Q(requirements__assessable=True)),
    ).order_by("name")


def standard_frameworks(*, practice) -> QuerySet[StandardFramework]:
    """The practice's own frameworks, with their item count and how many clients adopted each."""
    items = Standard.objects.for_practice(practice).filter(framework=OuterRef("pk"))
    adoptions = Adoption.objects.for_practice(practice).filter(standard_framework=OuterRef("pk"))
    return (
        StandardFramework.objects.for_practice(practice)
        .annotate(
            item_count=_count(items, "framework"), adoption_count=_count(adoptions, "standard_framework")
        )
        .order_by("name", "pk")
    )


def _count(queryset, group_by: str):
    """A correlated COUNT subquery (0 when there is none)."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def unique_standard_slug(*, practice, name: str, exclude=None) -> str:
    """A slug for a practice framework named `name`, unused in the practice ("backups", "backups-2")."""
    base = slugify(name)[:50].strip("-") or "standards"
    existing = set(
        StandardFramework.objects.for_practice(practice)
        .exclude(pk=exclude)
        .filter(slug__startswith=base)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in existing:
        slug, n = f"{base}-{n}", n + 1
    return slug


def framework_for_practice(*, practice, pk):
    """A framework the practice may see: a shipped catalog, or one of its own (else 404)."""
    try:
        pk = uuid.UUID(str(pk))
    except ValueError:
        raise Http404("No such framework.") from None
    framework = Framework.objects.filter(pk=pk).first()
    if framework is not None:
        return framework
    return scoped_object_or_404(StandardFramework, practice=practice, pk=pk)


def framework_meta(*, practice, framework) -> dict:
    """The catalog header of a framework for export (a shipped catalog keeps every field of its file)."""
    if framework.is_catalog:
        return {
            "slug": framework.slug,
            "name": framework.name,
            **({"short_name": framework.short_name} if framework.short_name else {}),
            "version": framework.version,
            "publisher": framework.publisher,
            "source": framework.source,
            "license": framework.license,
            **framework.extra,
        }
    meta = {
        "slug": framework.slug,
        "name": framework.name,
        "version": framework.version or "1",
        "publisher": practice.name,
        "source": f"vcio standards library of {practice.name}",
        "license": f"Standards of {practice.name}",
    }
    if framework.description:
        meta["description"] = framework.description
    return meta


def adoptable_frameworks(*, practice, client: Client | None = None) -> tuple[list, list]:
    """(catalogs, the practice's frameworks) a client may adopt — those it has not adopted yet."""
    catalogs = list(Framework.objects.order_by("name"))
    own = list(StandardFramework.objects.for_practice(practice).order_by("name", "pk"))
    if client is not None:
        adopted = Adoption.objects.for_client(client).values_list("framework_id", "standard_framework_id")
        taken = {fid for pair in adopted for fid in pair if fid}
        catalogs = [f for f in catalogs if f.pk not in taken]
        own = [f for f in own if f.pk not in taken]
    return catalogs, own


def _node(row: dict, catalog: bool) -> Node:
    return Node(
        id=row["id"],
        ref=row.get("ref", ""),
        title=row.get("title", ""),
        text=row.get("text", ""),
        level=row["level"],
        order=row["order"],
        parent_id=row["parent_id"],
        kind=row.get("kind", ""),
        required=row.get("required"),
        weight=row["weight"] or "",
        points=weight_points(row["weight"]),
        assessable=row["assessable"] if catalog else True,
    )


def _finish(nodes: list[Node], catalog: bool) -> list[Node]:
    """Link the tree; a practice standard with standards under it is a heading, not answered."""
    roots = build_tree(nodes)
    if not catalog:
        for node in nodes:
            node.assessable = not node.children
    return roots


def nodes_by_framework(*, practice, catalog_ids=(), standard_ids=(), detail: str = "light") -> dict:
    """framework id -> (roots, nodes) for several frameworks at once: one query per kind."""
    fields = FIELD_SETS[detail]
    found: dict = defaultdict(list)
    if catalog_ids:
        for row in Requirement.objects.filter(framework_id__in=catalog_ids).values(
            *fields, "assessable", "framework_id"
        ):
            found[("c", row["framework_id"])].append(_node(row, True))
    if standard_ids:
        for row in (
            Standard.objects.for_practice(practice)
            .filter(framework_id__in=standard_ids)
            .order_by("order")  # not the model's (framework name, …): no join to the frameworks
            .values(*fields, "framework_id")
        ):
            found[("s", row["framework_id"])].append(_node(row, False))
    result = {}
    for fid in catalog_ids:
        nodes = found.get(("c", fid), [])
        result[fid] = (_finish(nodes, True), nodes)
    for fid in standard_ids:
        nodes = found.get(("s", fid), [])
        result[fid] = (_finish(nodes, False), nodes)
    return result


def framework_tree(*, practice, framework, detail: str = "full") -> tuple[list[Node], list[Node]]:
    """(roots, nodes) of one framework (one query); `detail`: "light", "labels" or "full"."""
    if framework.is_catalog:
        return nodes_by_framework(practice=practice, catalog_ids=[framework.pk], detail=detail)[framework.pk]
    return nodes_by_framework(practice=practice, standard_ids=[framework.pk], detail=detail)[framework.pk]


def framework_rows(roots: list[Node]) -> list[dict]:
    """The tree as rows for a template: an "open" row per heading (then, when the heading is answered
    itself, an "item" row for it), an "item" row per item; `closes` after a row is how many headings
    end there (rendered as nested <details>)."""
    rows: list[dict] = []

    def visit(node: Node, depth: int) -> None:
        if node.children:
            rows.append({"kind": "open", "node": node, "depth": depth, "closes": 0})
            if node.assessable:
                rows.append({"kind": "item", "node": node, "depth": depth + 1, "closes": 0, "self": True})
            for child in node.children:
                visit(child, depth + 1)
            rows[-1]["closes"] += 1
        else:
            rows.append({"kind": "item", "node": node, "depth": depth, "closes": 0})

    for root in roots:
        visit(root, 0)
    for row in rows:
        row["closes"] = range(row["closes"])
    return rows


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
    """An assessment of the client with its adoption and framework (404 for another client's)."""
    queryset = Assessment.objects.select_related(
        "adoption__framework", "adoption__standard_framework", "completed_by", "based_on", "client"
    )
    return scoped_object_or_404(queryset, practice=client.practice_id, pk=pk, client=client)


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
        .select_related("owner", "reviewed_by", "answered_by")
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
