"""Reads of the roadmaps app. Each takes the client (or practice) explicitly, does its joins here and
returns querysets or plain data a template can loop over without touching the database again.

`initiative_cost_rollups` is the public selector later apps (budgets, QBR) call for planned costs;
`initiative_year_costs` gives the same rule's figures per initiative (a budget's lines).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from clients.models import Client
from vcio.expressions import ValueMap
from vcio.fiscal import FiscalQuarter, fiscal_quarter, fiscal_year_quarters, quarter_range
from vcio.history import HISTORY_PAGE_SIZE, HistorySource, merged_history
from vcio.kept import kept_rows
from vcio.listing import apply_sort
from vcio.models import attach_prefetched

from .models import (
    PRIORITY_RANK,
    Goal,
    Initiative,
    InitiativeGoal,
    InitiativeStatusChange,
    Status,
)

ZERO = Decimal("0.00")

INITIATIVE_SORTS = {
    "title": "title",
    "category": "category",
    "priority": "priority_rank",
    "status": "status_rank",
    "start": "target_start",
    "end": "target_end",
    "owner": "owner__first_name",
    "one_time": "one_time_cost",
    "recurring": "recurring_monthly_cost",
    "updated": "updated_at",
}
DEFAULT_SORT = "target_start,priority_rank,title,pk"
STATUS_ORDER = [
    Status.PROPOSED,
    Status.APPROVED,
    Status.IN_PROGRESS,
    Status.DONE,
    Status.DEFERRED,
    Status.REJECTED,
]


def client_today(client: Client, today: date | None = None) -> date:
    return today or timezone.localdate()


def current_quarter(client: Client, today: date | None = None) -> FiscalQuarter:
    return fiscal_quarter(client_today(client, today), client.fiscal_year_start_month)


STATUS_RANK = {s: i for i, s in enumerate(STATUS_ORDER)}
UNRANKED = 9  # a priority or status in neither map sorts last


def priority_rank() -> ValueMap:
    """An initiative's (or a template's) priority as its sort rank (critical 1 … low 4)."""
    return ValueMap("priority", PRIORITY_RANK, UNRANKED)


def _ranked(qs: QuerySet) -> QuerySet:
    return qs.annotate(priority_rank=priority_rank(), status_rank=ValueMap("status", STATUS_RANK, UNRANKED))


def goals_prefetch(practice_id, *, only_ids: bool = False) -> Prefetch:
    """Initiatives' goals, read through the practice-led indexes: the link table and the goals both
    filtered by the practice (one join, reused by the prefetch's own filter)."""
    goals = Goal.objects.for_practice(practice_id).filter(initiative_links__practice_id=practice_id)
    if only_ids:
        goals = goals.only("pk")
    return Prefetch("goals", queryset=goals.order_by("order", "title"), to_attr="prefetched_goals")


def initiatives_of(*, client: Client) -> QuerySet[Initiative]:
    """Every initiative of one client, with what a card or row shows joined in."""
    return _ranked(
        Initiative.objects.for_client(client)
        .select_related("owner", "sponsor")
        .prefetch_related(goals_prefetch(client.practice_id))
    )


def with_goal_titles(initiatives, *, practice) -> list[Initiative]:
    """Initiatives read without their goals (a kept page's rows), with what a row shows of them:
    each initiative's goals (`linked_goals`) as `GoalTitle`s in the goals' order, from one statement
    of the link table's ids and the goals' titles — kept (`vcio.kept`) and bound to the page's
    initiative ids — instead of a prefetch that builds a Goal for every link."""
    initiatives = list(initiatives)
    links = kept_rows(("roadmaps.goal-titles",), practice, _goal_titles, [i.pk for i in initiatives])
    return attach_prefetched(initiatives, "goals", ((i, GoalTitle(g, title)) for i, g, title in links))


def _goal_titles(practice, *initiative_ids):
    return (
        InitiativeGoal.objects.for_practice(practice)
        .filter(initiative_id__in=initiative_ids, goal__practice_id=getattr(practice, "pk", practice))
        .order_by("goal__order", "goal__title", "goal_id")
        .values_list("initiative_id", "goal_id", "goal__title")
    )


def initiatives_of_practice(*, practice, goals: bool = True) -> QuerySet[Initiative]:
    """Every initiative of one practice (the API). The API shows related objects by id, so nothing
    is joined: the plan reads this practice's initiatives through the practice-led index and, with
    `goals`, their goal ids (a list leaves them out and reads its page's with `with_goal_ids`)."""
    practice_id = getattr(practice, "pk", practice)
    qs = Initiative.objects.for_practice(practice_id)
    return _ranked(qs.prefetch_related(goals_prefetch(practice_id, only_ids=True)) if goals else qs)


@dataclass(frozen=True, slots=True)
class GoalRef:
    """A goal known by its id alone: what a list of initiatives shows of their goals."""

    pk: object


@dataclass(frozen=True, slots=True)
class GoalTitle:
    """A goal as a row of the initiatives page shows it: its id and title."""

    pk: object
    title: str


def with_goal_ids(initiatives: list[Initiative], *, practice_id) -> list[Initiative]:
    """Sets each initiative's goals (`prefetched("goals")`) to `GoalRef`s, in the goals' order, from
    one query of the link table's (initiative, goal) ids, instead of a prefetch that builds a Goal
    for every link (about a millisecond of the API's 50-row list)."""
    links = (
        InitiativeGoal.objects.for_practice(practice_id)
        .filter(initiative_id__in=[i.pk for i in initiatives], goal__practice_id=practice_id)
        .order_by("goal__order", "goal__title", "goal_id")
        .values_list("initiative_id", "goal_id")
    )
    return attach_prefetched(initiatives, "goals", ((i, GoalRef(g)) for i, g in links))


def initiative_list(
    *,
    client: Client,
    status: str = "",
    priority: str = "",
    category: str = "",
    goal=None,
    quarter: FiscalQuarter | None = None,
    owner=None,
    q: str = "",
    sort: str = "",
) -> tuple[QuerySet[Initiative], str]:
    """The filtered, sorted initiatives of a client (`quarter`: initiatives running in it)."""
    qs = initiatives_of(client=client)
    if status:
        qs = qs.filter(status=status)
    if priority:
        qs = qs.filter(priority=priority)
    if category:
        qs = qs.filter(category=category)
    if goal is not None:
        qs = qs.filter(goal_links__goal=goal, goal_links__practice_id=client.practice_id)
    if quarter is not None:
        qs = qs.filter(target_start__lte=quarter.key, target_end__gte=quarter.key)
    if owner is not None:
        qs = qs.filter(owner=owner)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return apply_sort(qs, sort, INITIATIVE_SORTS, default=DEFAULT_SORT)


def initiative_detail(*, client: Client, pk) -> Initiative:
    """One initiative of the client (raises Initiative.DoesNotExist for another client's)."""
    return (
        initiatives_of(client=client)
        .select_related("approved_by")
        .prefetch_related(
            Prefetch(
                "status_changes",
                queryset=InitiativeStatusChange.objects.for_practice(client.practice_id)
                .select_related("changed_by")
                .order_by("-created_at"),
            )
        )
        .get(pk=pk)
    )


_INITIATIVE_HISTORY = HistorySource("Initiative", rows=None)
_GOAL_HISTORY = HistorySource("Goal", rows=None)


def initiative_history(*, initiative: Initiative, before=None, limit: int = HISTORY_PAGE_SIZE) -> list[dict]:
    """The initiative's audit history (who changed what, when), newest first; two queries."""
    rows = Initiative.history.filter(id=initiative.pk, practice_id=initiative.practice_id)
    return merged_history([(_INITIATIVE_HISTORY, rows)], before=before, limit=limit)


def goal_history(*, goal: Goal, before=None, limit: int = HISTORY_PAGE_SIZE) -> list[dict]:
    """The goal's audit history (who changed what, when), newest first; two queries."""
    rows = Goal.history.filter(id=goal.pk, practice_id=goal.practice_id)
    return merged_history([(_GOAL_HISTORY, rows)], before=before, limit=limit)


# --- cost rollups ---------------------------------------------------------------------------------


def first_cost_month(start: FiscalQuarter, year: int) -> int | None:
    """The fiscal month (1-12) of fiscal year `year` from which an initiative starting in `start`
    costs money: the first month of its start quarter when it starts in `year`, 1 when it started
    earlier (its recurring cost is already running), None when it starts later. Part of the one cost
    rule below (`initiative_cost_rollups`, `initiative_year_costs`)."""
    if start.year < year:
        return 1
    if start.year == year:
        return (start.quarter - 1) * 3 + 1
    return None


def recurring_months_in_year(start: FiscalQuarter, year: int) -> int:
    """Months of fiscal year `year` in which the recurring monthly cost of an initiative starting in
    `start` runs: 12 for an earlier start, from its start quarter's first month to the year end for a
    start in `year` (3 for a start in Q4), 0 for a later start."""
    first = first_cost_month(start, year)
    return 0 if first is None else 13 - first


ROLLUP_EXCLUDED = (Status.REJECTED,)
DEFAULT_ROLLUP_STATUSES = (Status.PROPOSED, Status.APPROVED, Status.IN_PROGRESS, Status.DONE, Status.DEFERRED)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class CostRollup:
    """Planned costs of one fiscal quarter (`quarter` set) or one fiscal year (`year` set).

    - `one_time`, `count`: one-time costs and number of the initiatives that **start** in the period.
    - `run_rate`: the recurring **monthly** cost running at the end of the period — the sum of the
      monthly costs of every initiative that started in or before it.
    - `recurring`: the recurring cost falling **within** the period (a quarter: 3 × `run_rate`; a
      year: each initiative's monthly cost × the months of that year from its start month on).
    """

    label: str
    one_time: Decimal
    count: int
    run_rate: Decimal
    recurring: Decimal
    quarter: FiscalQuarter | None = None
    year: int | None = None

    @property
    def total(self) -> Decimal:
        return self.one_time + self.recurring


@dataclass(frozen=True)
class CostRollups:
    quarters: list[CostRollup]
    years: list[CostRollup]


def initiative_cost_rollups(
    *,
    client: Client,
    first: FiscalQuarter,
    last: FiscalQuarter,
    statuses: tuple[str, ...] | None = DEFAULT_ROLLUP_STATUSES,
) -> CostRollups:
    """Planned cost per fiscal quarter from `first` to `last`, and per fiscal year for every fiscal
    year those quarters touch (whole years, all four quarters). Decimal throughout; one query.

    The rule (the same for the timeline, budgets and QBR):
    - a **one-time** cost counts once, in the initiative's target **start** quarter;
    - a **recurring monthly** cost runs from the first month of the start quarter onward,
      indefinitely: it is the ongoing cost of what the initiative delivers. The start quarter (not
      the end quarter) is used on purpose: the plan does not know when delivery happens within the
      initiative's span, and budgeting from the start never under-budgets;
    - per quarter: `run_rate` = the sum of the monthly costs of initiatives whose start quarter is
      that quarter or earlier, and `recurring` = 3 × `run_rate` (every month of the quarter);
    - per fiscal year: `one_time` of the initiatives starting in it, and `recurring` = the sum over
      initiatives of monthly cost × the months of that fiscal year on or after their start month
      (12 for an earlier start, 3 for a start in Q4); `run_rate` is the one of its Q4;
    - which initiatives count: `statuses` (default: every status but rejected — proposed, approved,
      in progress, done and deferred, a deferred one at its new start quarter). Rejected initiatives
      are never counted, whatever `statuses` says. Initiatives starting before `first` count in the
      recurring figures (their costs are still running).
    """
    years = sorted({q.year for q in quarter_range(first, last)})
    if not years:
        return CostRollups(quarters=[], years=[])
    hi = FiscalQuarter(years[-1], 4)
    qs = (
        Initiative.objects.for_practice(client.practice_id)
        .filter(client=client, target_start__lte=hi.key)
        .exclude(status__in=ROLLUP_EXCLUDED)
    )
    if statuses is not None:
        qs = qs.filter(status__in=statuses)
    # One row per start quarter (few: a client plans tens of quarters at most).
    by_start = {
        FiscalQuarter.from_key(row["target_start"]): row
        for row in qs.order_by()
        .values("target_start")
        .annotate(one_time=Sum("one_time_cost"), monthly=Sum("recurring_monthly_cost"), n=Count("pk"))
    }

    def money(value) -> Decimal:
        return (value if isinstance(value, Decimal) else Decimal(str(value or 0))).quantize(CENT)

    def starting(quarters) -> tuple[Decimal, int]:
        rows = [by_start[q] for q in quarters if q in by_start]
        return sum((money(r["one_time"]) for r in rows), ZERO), sum(r["n"] for r in rows)

    def run_rate(q: FiscalQuarter) -> Decimal:
        return sum((money(r["monthly"]) for s, r in by_start.items() if s <= q), ZERO)

    def quarter_rollup(q: FiscalQuarter) -> CostRollup:
        one_time, count = starting([q])
        rate = run_rate(q)
        return CostRollup(q.label, one_time, count, rate, rate * 3, quarter=q)

    def year_rollup(year: int) -> CostRollup:
        one_time, count = starting(fiscal_year_quarters(year))
        recurring = ZERO
        for start, row in by_start.items():
            recurring += money(row["monthly"]) * recurring_months_in_year(start, year)
        return CostRollup(
            f"FY{year}", one_time, count, run_rate(FiscalQuarter(year, 4)), recurring, year=year
        )

    return CostRollups(
        quarters=[quarter_rollup(q) for q in quarter_range(first, last)],
        years=[year_rollup(y) for y in years],
    )


# --- goals ----------------------------------------------------------------------------------------


def goal_list(*, client: Client) -> QuerySet[Goal]:
    """The client's goals with their progress: `initiative_total` and `initiative_done` (rejected
    initiatives are not counted). Each count is a subquery over the practice's links and initiatives."""
    practice_id = client.practice_id

    def linked(**status_filter):
        links = (
            InitiativeGoal.objects.for_practice(practice_id)
            .filter(goal=OuterRef("pk"), initiative__practice_id=practice_id)
            .filter(**status_filter)
        )
        if "initiative__status" not in status_filter:
            links = links.exclude(initiative__status=Status.REJECTED)
        counts = links.order_by().values("goal").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))

    return (
        Goal.objects.for_client(client)
        .annotate(initiative_total=linked(), initiative_done=linked(initiative__status=Status.DONE))
        .order_by("order", "title", "pk")
    )


def goal_detail(*, client: Client, pk) -> Goal:
    """One goal of the client with its progress (raises Goal.DoesNotExist for another client's)."""
    return goal_list(client=client).get(pk=pk)


def goal_initiatives(*, goal: Goal) -> QuerySet[Initiative]:
    """The initiatives serving a goal (every status), in plan order, with their owner."""
    serving = InitiativeGoal.objects.for_practice(goal.practice_id).filter(
        goal=goal, initiative=OuterRef("pk")
    )
    return (
        Initiative.objects.for_practice(goal.practice_id)
        .filter(Exists(serving), client_id=goal.client_id)
        .select_related("owner")
        .order_by("target_start", "title", "pk")
    )


def goal_choices(*, client: Client) -> QuerySet[Goal]:
    return Goal.objects.for_practice(client.practice_id).filter(client=client).order_by("order", "title")


@dataclass(frozen=True)
class InitiativeYearCost:
    """What one initiative costs in one fiscal year, by the rule of `initiative_cost_rollups` (whose
    year figures are these, summed):

    - `one_time` falls in fiscal month `one_time_month` (the first month of the start quarter) when
      the initiative starts in the year, else it is 0 and `one_time_month` is None;
    - the recurring `monthly` cost runs from fiscal month `recurring_from` (1 when it started in an
      earlier year) to the end of the year: `recurring` = monthly × those months.
    """

    initiative: Initiative
    one_time: Decimal
    one_time_month: int | None
    monthly: Decimal
    recurring_from: int

    @property
    def recurring_months(self) -> int:
        return 13 - self.recurring_from

    @property
    def recurring(self) -> Decimal:
        return (self.monthly * self.recurring_months).quantize(CENT)

    @property
    def total(self) -> Decimal:
        return self.one_time + self.recurring


def initiative_year_costs(
    *,
    client: Client,
    fiscal_year: int,
    statuses: tuple[str, ...] | None = DEFAULT_ROLLUP_STATUSES,
    started_after: int | None = None,
) -> list[InitiativeYearCost]:
    """Per initiative, the planned cost falling in fiscal year `fiscal_year` — `initiative_cost_rollups`
    per initiative rather than per period (the same rule, the same statuses; rejected never counts).
    Initiatives starting in or before the year, with a cost in it; `started_after` keeps only those
    starting in a later fiscal year than that one (a forecast's new work). One query."""
    qs = (
        Initiative.objects.for_practice(client.practice_id)
        .filter(client=client, target_start__lte=FiscalQuarter(fiscal_year, 4).key)
        .exclude(status__in=ROLLUP_EXCLUDED)
        .order_by("target_start", "title", "pk")
    )
    if statuses is not None:
        qs = qs.filter(status__in=statuses)
    if started_after is not None:
        qs = qs.filter(target_start__gt=FiscalQuarter(started_after, 4).key)
    found = []
    for initiative in qs:
        start = FiscalQuarter.from_key(initiative.target_start)
        first = first_cost_month(start, fiscal_year)
        starts_here = start.year == fiscal_year
        one_time = (initiative.one_time_cost or ZERO).quantize(CENT) if starts_here else ZERO
        monthly = (initiative.recurring_monthly_cost or ZERO).quantize(CENT)
        if not one_time and not monthly:
            continue
        found.append(
            InitiativeYearCost(
                initiative=initiative,
                one_time=one_time,
                one_time_month=first if starts_here else None,
                monthly=monthly,
                recurring_from=first,
            )
        )
    return found
