"""Roadmap selectors (reads) of the board and the timeline: a client's initiatives by status column,
a bounded page of cards each, and the fiscal quarters' grid of the timeline. Split from
`roadmaps.selectors`, whose helpers (ranking, the client's fiscal today) they use."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import RowNumber

from clients.models import Client
from vcio.fiscal import FiscalQuarter, quarter_window

from .models import Category, Initiative, Status
from .selectors import STATUS_ORDER, ZERO, _ranked, client_today, current_quarter

# --- board ----------------------------------------------------------------------------------------


BOARD_COLUMN_SIZE = 5  # cards per column (the highest priorities); "Show more" loads the next ones


@dataclass
class BoardColumn:
    status: str
    label: str
    initiatives: list = field(default_factory=list)  # the first cards (BOARD_COLUMN_SIZE at most)
    count: int = 0  # every initiative in the column
    one_time_total: Decimal = ZERO  # of every initiative in the column
    offset: int = 0  # cards shown before these ("Show more")

    @property
    def shown(self) -> int:
        return self.offset + len(self.initiatives)

    @property
    def more(self) -> int:
        return self.count - self.shown


CARD_FIELDS = (
    "practice_id",
    "client_id",
    "title",
    "status",
    "priority",
    "category",
    "target_start",
    "target_end",
    "one_time_cost",
    "owner__name",
    "owner__first_name",
    "owner__last_name",
    "owner__email",
)


def board_cards(*, client: Client, status: str | None = None, after: int = 0, size: int = BOARD_COLUMN_SIZE):
    """Cards by column (priority, then start quarter), `size` per column after the first `after`
    ones, each with its column's `column_count` and `column_total` (one-time costs): one query
    whatever the number of initiatives (window functions number and count each column)."""
    from .services import allowed_transitions

    column = {"partition_by": [F("status")]}
    qs = _ranked(Initiative.objects.for_client(client).select_related("owner").only(*CARD_FIELDS)).annotate(
        position=Window(
            RowNumber(),
            order_by=[F("priority_rank").asc(), F("target_start").asc(), F("title").asc(), F("pk").asc()],
            **column,
        ),
        column_count=Window(Count("pk"), **column),
        column_total=Window(Sum("one_time_cost"), **column),
    )
    if status is not None:
        qs = qs.filter(status=status)
    cards = list(qs.filter(position__gt=after, position__lte=after + size).order_by("status", "position"))
    moves = {s: [(to, Status(to).label) for to in allowed_transitions(s)] for s in STATUS_ORDER}
    for initiative in cards:
        initiative.moves = moves[initiative.status]  # the keyboard control's choices
    return cards


def board_column(*, client: Client, status: str, after: int) -> BoardColumn:
    """A column's next cards ("Show more"), with its count."""
    cards = board_cards(client=client, status=status, after=after)
    count = cards[0].column_count if cards else after
    return BoardColumn(status, Status(status).label, cards, count, offset=after)


def board_columns(*, client: Client) -> list[BoardColumn]:
    """One column per status, in workflow order, each with its count and one-time total and its
    first BOARD_COLUMN_SIZE cards. One query whatever the number of initiatives."""
    columns = {s: BoardColumn(s, Status(s).label) for s in STATUS_ORDER}
    for initiative in board_cards(client=client):
        col = columns[initiative.status]
        col.initiatives.append(initiative)
        col.count, col.one_time_total = initiative.column_count, initiative.column_total or ZERO
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
    not_shown: int = 0  # in the window but beyond TIMELINE_MAX_BARS (the lowest priorities)


TIMELINE_STATUSES = (Status.PROPOSED, Status.APPROVED, Status.IN_PROGRESS, Status.DONE, Status.DEFERRED)
TIMELINE_MAX_BARS = 30  # the most important initiatives of the window; the list has them all


def timeline_grid(*, client: Client, today: date | None = None, shift: int = 0) -> Timeline:
    """Rows by category, columns by fiscal quarter: by default the last 2 and the next 8 (the current
    quarter first among them) in the client's fiscal calendar; `shift` moves the window by quarters.
    Rejected initiatives are left out. Bars in a row are packed into lanes so none overlap.

    At most TIMELINE_MAX_BARS bars: the highest priorities (then the earliest starts) of the window;
    `not_shown` counts the others. Two queries whatever the number of initiatives."""
    base = quarter_window(client_today(client, today), client.fiscal_year_start_month)
    quarters = [q.add(shift) for q in base]
    first, last = quarters[0], quarters[-1]
    current = current_quarter(client, today)
    qs = _ranked(Initiative.objects.for_client(client)).filter(status__in=TIMELINE_STATUSES)
    in_window = Q(target_end__gte=first.key, target_start__lte=last.key)
    counts = qs.aggregate(
        before=Count("pk", filter=Q(target_end__lt=first.key)),
        after=Count("pk", filter=Q(target_start__gt=last.key)),
        visible=Count("pk", filter=in_window),
        total=Count("pk"),
    )
    chosen = qs.filter(in_window).order_by("priority_rank", "target_start", "title", "pk")[:TIMELINE_MAX_BARS]
    visible = sorted(chosen, key=lambda i: (i.target_start, i.priority_rank, i.title, str(i.pk)))
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
        not_shown=counts["visible"] - len(visible),
    )
