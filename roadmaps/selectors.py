"""Reads of the roadmaps app. Each takes the client (or practice) explicitly, does its joins here and
returns querysets or plain data a template can loop over without touching the database again.

`initiative_cost_rollups` is the public selector later apps (budgets, QBR) call for planned costs.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from clients.models import Client
from vcio.fiscal import FiscalQuarter, fiscal_quarter, fiscal_year_quarters, quarter_range, quarter_window
from vcio.listing import apply_sort

from .models import (
    PRIORITY_RANK,
    Category,
    Goal,
    Initiative,
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


def _ranked(qs: QuerySet) -> QuerySet:
    return qs.annotate(
        priority_rank=Case(
            *[When(priority=p, then=Value(r)) for p, r in PRIORITY_RANK.items()],
            default=Value(9),
            output_field=IntegerField(),
        ),
        status_rank=Case(
            *[When(status=s, then=Value(i)) for i, s in enumerate(STATUS_ORDER)],
            default=Value(9),
            output_field=IntegerField(),
        ),
    )


def initiatives_of(*, client: Client) -> QuerySet[Initiative]:
    """Every initiative of one client, with what a card or row shows joined in."""
    return _ranked(
        Initiative.objects.for_practice(client.practice_id)
        .filter(client=client)
        .select_related("owner", "sponsor")
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.order_by("order", "title")))
    )


def initiatives_of_practice(*, practice) -> QuerySet[Initiative]:
    """Every initiative of one practice (the API's list), joined like `initiatives_of`."""
    return _ranked(
        Initiative.objects.for_practice(practice)
        .select_related("owner", "sponsor", "client")
        .prefetch_related("goals")
    )


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
        qs = qs.filter(goal_links__goal=goal)
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
                queryset=InitiativeStatusChange.objects.select_related("changed_by").order_by("-created_at"),
            )
        )
        .get(pk=pk)
    )


def initiative_audit(*, initiative: Initiative, limit: int = 50) -> list:
    """The initiative's audit history (django-simple-history rows), newest first."""
    return list(
        Initiative.history.filter(id=initiative.pk, practice_id=initiative.practice_id)
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    )


# --- board ----------------------------------------------------------------------------------------


@dataclass
class BoardColumn:
    status: str
    label: str
    initiatives: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.initiatives)

    @property
    def one_time_total(self) -> Decimal:
        return sum((i.one_time_cost for i in self.initiatives), ZERO)


def board_columns(*, client: Client) -> list[BoardColumn]:
    """One column per status, in workflow order; cards by priority then start quarter."""
    from .services import allowed_transitions

    moves = {s: [(to, Status(to).label) for to in allowed_transitions(s)] for s in STATUS_ORDER}
    columns = {s: BoardColumn(s, Status(s).label) for s in STATUS_ORDER}
    for initiative in initiatives_of(client=client).order_by("priority_rank", "target_start", "title", "pk"):
        initiative.moves = moves[initiative.status]  # the keyboard control's choices
        columns[initiative.status].initiatives.append(initiative)
    return list(columns.values())


# --- timeline -------------------------------------------------------------------------------------


@dataclass
class TimelineBar:
    initiative: Initiative
    column: int  # 1-based grid column within the window
    span: int
    starts_before: bool
    ends_after: bool


@dataclass
class TimelineRow:
    category: str
    label: str
    lanes: list[list[TimelineBar]]

    @property
    def count(self) -> int:
        return sum(len(lane) for lane in self.lanes)


@dataclass
class Timeline:
    quarters: list[FiscalQuarter]
    current: FiscalQuarter
    rows: list[TimelineRow]
    outside_before: int
    outside_after: int
    total: int


TIMELINE_STATUSES = (Status.PROPOSED, Status.APPROVED, Status.IN_PROGRESS, Status.DONE, Status.DEFERRED)


def timeline_grid(*, client: Client, today: date | None = None, shift: int = 0) -> Timeline:
    """Rows by category, columns by fiscal quarter: by default the last 2 and the next 8 (the current
    quarter first among them) in the client's fiscal calendar; `shift` moves the window by quarters.
    Rejected initiatives are left out. Bars in a row are packed into lanes so none overlap."""
    base = quarter_window(client_today(client, today), client.fiscal_year_start_month)
    quarters = [q.add(shift) for q in base]
    first, last = quarters[0], quarters[-1]
    current = current_quarter(client, today)
    qs = initiatives_of(client=client).filter(status__in=TIMELINE_STATUSES)
    counts = qs.aggregate(
        before=Count("pk", filter=Q(target_end__lt=first.key)),
        after=Count("pk", filter=Q(target_start__gt=last.key)),
        total=Count("pk"),
    )
    visible = qs.filter(target_end__gte=first.key, target_start__lte=last.key).order_by(
        "target_start", "priority_rank", "title", "pk"
    )
    by_category: dict[str, list[list[TimelineBar]]] = {}
    lane_ends: dict[str, list[int]] = {}
    for initiative in visible:
        start = max(FiscalQuarter.from_key(initiative.target_start), first)
        end = min(FiscalQuarter.from_key(initiative.target_end), last)
        col = start - first + 1
        bar = TimelineBar(
            initiative=initiative,
            column=col,
            span=end - start + 1,
            starts_before=initiative.target_start < first.key,
            ends_after=initiative.target_end > last.key,
        )
        lanes = by_category.setdefault(initiative.category, [])
        ends = lane_ends.setdefault(initiative.category, [])
        for i, lane_end in enumerate(ends):
            if lane_end < col:
                lanes[i].append(bar)
                ends[i] = col + bar.span - 1
                break
        else:
            lanes.append([bar])
            ends.append(col + bar.span - 1)
    rows = [TimelineRow(c, label, by_category[c]) for c, label in Category.choices if c in by_category]
    return Timeline(
        quarters=quarters,
        current=current,
        rows=rows,
        outside_before=counts["before"],
        outside_after=counts["after"],
        total=counts["total"],
    )


# --- cost rollups ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CostRollup:
    """Planned costs of one period. One-time costs and recurring monthly costs are kept apart; both
    count the initiatives that **start** in the period (a one-time cost falls in its start quarter, a
    recurring monthly cost begins there)."""

    label: str
    one_time: Decimal
    recurring_monthly: Decimal
    count: int
    quarter: FiscalQuarter | None = None
    year: int | None = None

    @property
    def recurring_annual(self) -> Decimal:
        return self.recurring_monthly * 12


@dataclass(frozen=True)
class CostRollups:
    quarters: list[CostRollup]
    years: list[CostRollup]


DEFAULT_ROLLUP_STATUSES = (Status.PROPOSED, Status.APPROVED, Status.IN_PROGRESS, Status.DONE, Status.DEFERRED)


def initiative_cost_rollups(
    *,
    client: Client,
    first: FiscalQuarter,
    last: FiscalQuarter,
    statuses: tuple[str, ...] | None = DEFAULT_ROLLUP_STATUSES,
) -> CostRollups:
    """Planned cost per fiscal quarter from `first` to `last`, and per fiscal year for every fiscal
    year those quarters touch (whole years, all four quarters). Decimal throughout. `statuses`: the
    initiatives counted (default: all but rejected; None: all). One query."""
    years = sorted({q.year for q in quarter_range(first, last)})
    lo, hi = FiscalQuarter(years[0], 1) if years else first, FiscalQuarter(years[-1], 4) if years else last
    qs = Initiative.objects.for_practice(client.practice_id).filter(
        client=client, target_start__gte=lo.key, target_start__lte=hi.key
    )
    if statuses is not None:
        qs = qs.filter(status__in=statuses)
    sums = {
        row["target_start"]: row
        for row in qs.order_by()
        .values("target_start")
        .annotate(one_time=Sum("one_time_cost"), recurring=Sum("recurring_monthly_cost"), n=Count("pk"))
    }

    def rollup(label, keys, **kw) -> CostRollup:
        rows = [sums[k] for k in keys if k in sums]
        return CostRollup(
            label=label,
            one_time=sum((r["one_time"] or ZERO for r in rows), ZERO),
            recurring_monthly=sum((r["recurring"] or ZERO for r in rows), ZERO),
            count=sum(r["n"] for r in rows),
            **kw,
        )

    return CostRollups(
        quarters=[rollup(q.label, [q.key], quarter=q) for q in quarter_range(first, last)],
        years=[rollup(f"FY{y}", [q.key for q in fiscal_year_quarters(y)], year=y) for y in years],
    )


# --- goals ----------------------------------------------------------------------------------------


def goal_list(*, client: Client) -> QuerySet[Goal]:
    """The client's goals with their progress: `initiative_total` and `initiative_done` (rejected
    initiatives are not counted)."""
    counted = ~Q(initiative_links__initiative__status=Status.REJECTED)
    return (
        Goal.objects.for_practice(client.practice_id)
        .filter(client=client)
        .annotate(
            initiative_total=Count("initiative_links", filter=counted, distinct=True),
            initiative_done=Count(
                "initiative_links",
                filter=Q(initiative_links__initiative__status=Status.DONE),
                distinct=True,
            ),
        )
        .order_by("order", "title", "pk")
    )


def goal_choices(*, client: Client) -> QuerySet[Goal]:
    return Goal.objects.for_practice(client.practice_id).filter(client=client).order_by("order", "title")
