"""Practice-wide and summary reads of the compliance app: per client, the adopted frameworks' current
scores, trends and gap counts (`client_compliance_summary`), the most important open gaps
(`top_gaps`) and the items due (`due_responses`); across the practice, the latest completed scores and
their change (`practice_score_changes`, the dashboard) and each client's score (`client_scores`, the
client list). Like `compliance.selectors` (whose per-framework and per-assessment reads these build
on), each takes the practice or client explicitly and runs a fixed number of queries.

Every number comes from `compliance.scores` (the one score rule).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    Case,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone

from clients.models import Client
from vcio.kept import kept_rows

from .catalog_selectors import nodes_by_framework
from .models import (
    GAP_STATUSES,
    OPEN_STATUSES,
    Adoption,
    Assessment,
    AssessmentStatus,
    Response,
    ResponseStatus,
    Weight,
)
from .scores import Score
from .selectors import DUE_SOON_DAYS, TrendPoint, adoptions_of, trend_of

# --- across the client ------------------------------------------------------------------------------


@dataclass
class AdoptionSummary:
    adoption: Adoption
    current: Assessment | None  # the in-progress assessment, else the latest completed one
    in_progress: Assessment | None
    last_completed: Assessment | None
    score: Score | None  # of `current` (None: no assessment yet, or nothing to score)
    trend: list[TrendPoint]
    gaps: int = 0
    overdue: int = 0
    due_soon: int = 0

    @property
    def framework(self):
        return self.adoption.the_framework

    @property
    def percent(self):
        return self.score.percent if self.score else None

    @property
    def change(self):
        """Change of the current score against the last completed one (percentage points)."""
        if (
            self.in_progress is None
            or not self.trend
            or self.percent is None
            or self.trend[-1].percent is None
        ):
            return None
        return self.percent - self.trend[-1].percent


def client_compliance_summary(*, client: Client, today: date | None = None) -> list[AdoptionSummary]:
    """Per adopted framework: the current score (live for an assessment in progress, the snapshot of
    the latest completed one otherwise), the trend across completed assessments, and how many open
    gaps, overdue and due-soon items the current assessment has. Five queries whatever the number of
    frameworks, assessments and answers."""
    today = today or timezone.localdate()
    soon = today + timedelta(days=DUE_SOON_DAYS)
    adoptions = list(adoptions_of(client=client))
    if not adoptions:
        return []
    assessments = list(
        Assessment.objects.for_client(client)
        .filter(adoption__in=adoptions)
        .order_by("started_on", "created_at")
    )
    by_adoption = defaultdict(list)
    for a in assessments:
        by_adoption[a.adoption_id].append(a)
    currents = {a.adoption_id: a for a in assessments if a.is_current}
    trees = nodes_by_framework(
        practice=client.practice_id,
        catalog_ids=[a.framework_id for a in adoptions if a.framework_id],
        standard_ids=[a.standard_framework_id for a in adoptions if a.standard_framework_id],
    )
    answers = defaultdict(dict)
    for row in (
        Response.objects.for_client(client)
        .filter(assessment__in=list(currents.values()))
        .order_by()  # not the model's (by assessment): no join to the assessments
        .values("assessment_id", "requirement_id", "standard_id", "status", "weight", "due_date")
    ):
        answers[row["assessment_id"]][row["requirement_id"] or row["standard_id"]] = row

    summaries = []
    for adoption in adoptions:
        history = by_adoption.get(adoption.pk, [])
        current = currents.get(adoption.pk)
        in_progress = current if current is not None and not current.is_completed else None
        completed = [a for a in history if a.is_completed]
        last_completed = max(completed, key=lambda a: a.completed_at) if completed else None
        summary = AdoptionSummary(adoption, current, in_progress, last_completed, None, trend_of(completed))
        if current is not None:
            fid = adoption.framework_id or adoption.standard_framework_id
            _, nodes = trees[fid]
            mine = answers.get(current.pk, {})
            if current.is_completed:
                summary.score = Score.stored(current.score_earned, current.score_possible)
            else:
                summary.score = Score.of(
                    (n.points, mine[n.id]["status"] if n.id in mine else ResponseStatus.NOT_ASSESSED)
                    for n in nodes
                    if n.assessable
                )
            for row in mine.values():
                if row["status"] in GAP_STATUSES and row["status"] != ResponseStatus.NOT_ASSESSED:
                    summary.gaps += 1
                if row["status"] in OPEN_STATUSES and row["due_date"]:
                    if row["due_date"] < today:
                        summary.overdue += 1
                    elif row["due_date"] <= soon:
                        summary.due_soon += 1
        summaries.append(summary)
    return summaries


def _weight_rank():
    """Score points of a response's item, in SQL (a standard's weight; a catalog item 1)."""
    return Case(
        When(standard__weight=Weight.HIGH, then=Value(5)),
        When(standard__weight=Weight.MEDIUM, then=Value(3)),
        When(standard__weight=Weight.LOW, then=Value(1)),
        When(requirement__weight=Weight.HIGH, then=Value(5)),
        When(requirement__weight=Weight.MEDIUM, then=Value(3)),
        When(requirement__weight=Weight.LOW, then=Value(1)),
        default=Value(1),
        output_field=IntegerField(),
    )


def _current_assessments(client: Client) -> dict:
    """{id: assessment} of the client's current assessments, each with its adoption and framework."""
    return {
        a.pk: a
        for a in Assessment.objects.for_client(client)
        .filter(is_current=True, adoption__practice_id=client.practice_id)
        .select_related("adoption__framework", "adoption__standard_framework")
    }


def _current_responses(client: Client, assessments: dict) -> QuerySet[Response]:
    """The responses of those assessments, with their item and owner. Their assessment, adoption and
    framework are attached from `assessments` (`_attach`) rather than joined: a response joined to
    all seven took PostgreSQL 6–12 ms to plan (under a millisecond to run)."""
    return (
        Response.objects.for_client(client)
        .filter(assessment_id__in=list(assessments))
        .select_related("requirement", "standard", "owner")
    )


def _attach(rows: list[Response], assessments: dict) -> list[Response]:
    for row in rows:
        row.assessment = assessments[row.assessment_id]
    return rows


def top_gaps(*, client: Client, limit: int = 10, today: date | None = None) -> list[Response]:
    """The client's most important open gaps (not implemented, then partially implemented) in its
    current assessments: heaviest first, then overdue, then by due date. Two queries (none without
    a current assessment)."""
    today = today or timezone.localdate()
    status_rank = Case(
        When(status=ResponseStatus.NOT_IMPLEMENTED, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    overdue_rank = Case(
        When(due_date__lt=today, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    assessments = _current_assessments(client)
    if not assessments:
        return []
    qs = (
        _current_responses(client, assessments)
        .filter(status__in=(ResponseStatus.NOT_IMPLEMENTED, ResponseStatus.PARTIAL))
        .annotate(points=_weight_rank(), status_rank=status_rank, overdue_rank=overdue_rank)
        .order_by(
            "-points",
            "status_rank",
            "overdue_rank",
            "due_date",
            "requirement__order",
            "standard__order",
            "pk",
        )
    )
    return _attach(list(qs[:limit]), assessments)


def due_responses(
    *, client: Client, today: date | None = None, within_days: int = DUE_SOON_DAYS, limit: int | None = 50
) -> list[Response]:
    """Open items of the client's current assessments that are overdue or due within `within_days`,
    soonest first (each with `.overdue`). Two queries (none without a
    current assessment)."""
    today = today or timezone.localdate()
    assessments = _current_assessments(client)
    if not assessments:
        return []
    qs = (
        _current_responses(client, assessments)
        .filter(
            status__in=OPEN_STATUSES,
            due_date__isnull=False,
            due_date__lte=today + timedelta(days=within_days),
        )
        .order_by("due_date", "pk")
    )
    rows = _attach(list(qs[:limit] if limit else qs), assessments)
    for row in rows:
        row.overdue = row.due_date < today
    return rows


# --- across the practice (the dashboard, the client list) -----------------------------------------


@dataclass
class ScoreChange:
    """An adopted framework's latest completed score and the one before it (their frozen snapshots)."""

    adoption: Adoption
    latest: TrendPoint
    previous: TrendPoint | None

    @property
    def client_id(self):
        return self.adoption.client_id

    @property
    def change(self):
        """Percentage points since the previous completed assessment (None for the first one)."""
        if self.previous is None or self.latest.percent is None or self.previous.percent is None:
            return None
        return self.latest.percent - self.previous.percent


def practice_score_changes(
    *, practice, client_ids=None, limit: int | None = None
) -> tuple[list[ScoreChange], int]:
    """Per adopted framework of the practice's clients (or of `client_ids`) that has a completed
    assessment: its latest score and the change against the previous one — the same trend as a
    client's tab (`trend_of`) — the most recently assessed first, at most `limit` (None: all), and how
    many there are in all. The database ranks each framework's completed assessments and returns only
    the latest two of the ones shown: four queries at most, whatever the number of clients and of
    assessments."""
    practice_id = getattr(practice, "pk", practice)
    done = Assessment.objects.for_practice(practice_id).filter(
        status=AssessmentStatus.COMPLETED, score_earned__isnull=False, score_possible__isnull=False
    )
    if client_ids is not None:
        done = done.filter(client_id__in=list(client_ids))
    ranked = done.annotate(
        recency=Window(
            RowNumber(),
            partition_by=[F("adoption_id")],
            order_by=[F("completed_at").desc(), F("created_at").desc(), F("id").desc()],
        )
    )
    latest = ranked.filter(recency=1).order_by("-completed_at", "-created_at", "-id")
    if limit is not None:
        latest = latest[:limit]
    shown = [row[0] for row in latest.values_list("adoption_id", "completed_at", "created_at", "id")]
    if not shown:
        return [], 0
    total = (
        len(shown) if limit is None or len(shown) < limit else done.values("adoption_id").distinct().count()
    )
    adoptions = {
        a.pk: a
        for a in Adoption.objects.for_practice(practice_id)
        .select_related("framework", "standard_framework", "client")
        .filter(pk__in=shown, client__practice_id=practice_id)
        .filter(Q(standard_framework__isnull=True) | Q(standard_framework__practice_id=practice_id))
    }
    by_adoption = defaultdict(list)
    for assessment in ranked.filter(recency__lte=2, adoption_id__in=shown).only(
        "id",
        "adoption_id",
        "client_id",
        "status",
        "completed_at",
        "created_at",
        "score_earned",
        "score_possible",
    ):
        by_adoption[assessment.adoption_id].append(assessment)
    changes = []
    for adoption_id in shown:
        adoption, points = adoptions.get(adoption_id), trend_of(by_adoption[adoption_id])
        if adoption is not None and points:
            changes.append(ScoreChange(adoption, points[-1], points[-2] if len(points) > 1 else None))
    return changes, total


def _completed_scores(practice, *client_ids, every: bool = False):
    """The completed assessments' frozen scores of `client_ids` (`every`: of every client)."""
    done = Assessment.objects.for_practice(practice).filter(
        status=AssessmentStatus.COMPLETED, score_earned__isnull=False, score_possible__isnull=False
    )
    if not every:
        done = done.filter(client_id__in=client_ids)
    return done.values_list(
        "adoption_id", "client_id", "completed_at", "created_at", "score_earned", "score_possible"
    )


def client_scores(*, practice, client_ids=None) -> dict:
    """Each client's compliance score: the mean of its frameworks' latest completed scores
    ({client id: Decimal percent}); clients without a completed assessment are left out. The same
    figures as `practice_score_changes`' latest points, from one query of the completed assessments'
    frozen scores alone (the client list's column)."""
    if client_ids is None:
        found = _completed_scores(getattr(practice, "pk", practice), every=True)
    else:  # a page of clients (the client list): its statement is kept
        found = kept_rows(("compliance.client-scores",), practice, _completed_scores, client_ids)
    latest: dict = {}
    for adoption_id, client_id, completed_at, created_at, earned, possible in found:
        key = (completed_at, created_at)
        if adoption_id not in latest or key > latest[adoption_id][0]:
            latest[adoption_id] = (key, client_id, earned, possible)
    percents = defaultdict(list)
    for _, client_id, earned, possible in latest.values():
        percent = Score.stored(earned, possible).percent
        if percent is not None:
            percents[client_id].append(percent)
    return {pk: sum(values) / len(values) for pk, values in percents.items()}
