"""The consultant's week — the ONE rule of what is due, for the dashboard page, the dashboard API and
the reminder digest (`qbr.reminders`): `due_items(practice=, user=, today=)`.

`user` narrows to "my clients" (clients whose primary consultant is that user); None is every active
client of the practice. Each kind reads its app's own rule, never a copy of it:

- contract notice deadlines: the contracts *in their notice window* (`vendors.renewals`: the notice
  deadline today or within 30 days), through `vendors.selectors.running` / `with_renewal`;
- compliance answers of current assessments still open and due within 14 days, or overdue
  (`compliance.models.OPEN_STATUSES`);
- initiatives not done (nor rejected) whose target end quarter, in the client's fiscal calendar
  (`vcio.fiscal`), ends within 30 days — or has ended (overdue);
- open action items (overdue when their due date has passed);
- planned meetings this week and next (Monday to Sunday of next week, the practice's time zone);
- clients whose last held QBR (or, never held, their creation) is longer ago than their cadence.

Every kind is a fixed number of queries whatever the number of clients, each naming the practice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Min, OuterRef, Q, Subquery, Window
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from budgets.selectors import book_panel_figures, planned_totals
from clients.models import Client, ClientStatus
from compliance.models import OPEN_STATUSES, Assessment, Response
from compliance.summary_selectors import client_scores, practice_score_changes
from roadmaps.models import Initiative
from roadmaps.models import Status as InitiativeStatus
from vcio.fiscal import fiscal_quarter
from vcio.kept import kept_rows
from vcio.registry import ClientColumn
from vcio.row_urls import row_reverse
from vendors import renewals
from vendors.models import Contract
from vendors.selectors import fresh_dates, running, stale_dates

from .models import ActionItem, ActionItemStatus, Meeting, MeetingKind, MeetingStatus, ReminderKind
from .services import practice_zone

NOTICE_DAYS = renewals.NOTICE_LEAD_DAYS  # 30: the vendors' notice window
COMPLIANCE_DAYS = 14
INITIATIVE_DAYS = 30
BLOCK_LIMIT = 10  # rows per block on the dashboard page (the API gives 50; the digest takes all)
API_BLOCK_LIMIT = 50
KIND_ORDER = [
    ReminderKind.MEETING,
    ReminderKind.NOTICE,
    ReminderKind.COMPLIANCE,
    ReminderKind.INITIATIVE,
    ReminderKind.ACTION_ITEM,
    ReminderKind.QBR_OVERDUE,
]
KIND_ICONS = {
    ReminderKind.MEETING: "bi-calendar-event",
    ReminderKind.NOTICE: "bi-file-earmark-text",
    ReminderKind.COMPLIANCE: "bi-shield-check",
    ReminderKind.INITIATIVE: "bi-signpost-2",
    ReminderKind.ACTION_ITEM: "bi-check2-square",
    ReminderKind.QBR_OVERDUE: "bi-easel",
}


@dataclass(frozen=True)
class DueItem:
    kind: str
    object_id: uuid.UUID
    due_date: date  # the date the reminder is keyed by
    title: str
    detail: str
    client_id: uuid.UUID
    client_name: str
    url: str
    overdue: bool
    when: datetime | None = None  # meetings: the local start

    @property
    def kind_label(self) -> str:
        return ReminderKind(self.kind).label

    @property
    def icon(self) -> str:
        return KIND_ICONS.get(self.kind, "bi-bell")


def practice_today(practice) -> date:
    return timezone.localtime(timezone.now(), practice_zone(practice)).date()


def dashboard_clients(*, practice, user=None):
    """The active clients the dashboard covers: all, or the user's (primary consultant)."""
    qs = Client.objects.for_practice(practice).filter(status=ClientStatus.ACTIVE)
    if user is not None:
        qs = qs.filter(primary_consultant=user)
    return qs


def _client_filter(user, prefix: str = "client__") -> Q:
    q = Q(**{f"{prefix}status": ClientStatus.ACTIVE})
    if user is not None:
        q &= Q(**{f"{prefix}primary_consultant": user})
    return q


def _bounded(rows, limit: int | None) -> tuple[list, int]:
    """(the rows, their count) — with a `limit`, only the first `limit` rows are returned and the
    database counts them all in the same query (`COUNT(*) OVER ()`, before the limit): the dashboard
    shows a few per kind and a total, one query a kind. `rows`: models or value tuples."""
    if limit is None:
        rows = list(rows)
        return rows, len(rows)
    counted = list(rows.annotate(bounded_total=Window(Count("pk")))[:limit])
    if not counted:
        return [], 0
    if isinstance(counted[0], tuple):  # a values_list: the count is the last value
        return [row[:-1] for row in counted], counted[0][-1]
    return counted, counted[0].bounded_total


def _url(name: str, *args) -> str:
    return row_reverse(name, *args)


# --- the kinds ------------------------------------------------------------------------------------


def _notices(practice, user, today: date, limit: int | None) -> tuple[list[DueItem], int]:
    """Running contracts whose notice deadline is today or within the lead time. Where a contract's
    stored renewal dates are exact on `today` (`vendors.selectors.fresh_dates`) the database chooses,
    sorts and counts them (with a limit: reads only the first rows); the few stale ones are computed
    from their terms (`vendors.renewals`, the one rule) — names and dates only, no model objects."""
    pid = practice.pk
    contracts = Contract.objects.for_practice(pid).filter(
        running(today), _client_filter(user), client__practice_id=pid, vendor__practice_id=pid
    )
    names = ["pk", "name", "client_id", "client__name", "vendor__name"]
    fresh = (
        contracts.filter(fresh_dates(today), rolling=False, notice_date__gte=today)
        .filter(notice_date__lte=today + timedelta(days=NOTICE_DAYS))
        .order_by("notice_date", "client__name", "vendor__name", "name", "pk")
        .values_list(*names, "key_date", "notice_date")
    )
    rows, total = _bounded(fresh, limit)
    for *row, terms in _stale_terms(contracts.filter(stale_dates(today)), names):
        info = renewals.renewal(terms, today)
        if info.in_notice_window:
            rows.append((*row, info.next_renewal, info.notice_deadline))
            total += 1
    items = [
        DueItem(
            ReminderKind.NOTICE,
            pk,
            deadline,
            f"Give notice on {vendor_name} — {name}",
            f"Renews {renews:%-d %b %Y} unless notice is given",
            client_id,
            client_name,
            _url("vendors:contract_detail", practice.slug, client_id, pk),
            False,
        )
        for pk, name, client_id, client_name, vendor_name, renews, deadline in rows
    ]
    return items, total


def _stale_terms(contracts, names: list[str]):
    """(*the `names` values, renewals.Terms) of each contract — read as tuples, not models."""
    fields = [f.name for f in dataclass_fields(renewals.Terms)]
    for row in contracts.values_list(*names, *fields):
        yield (*row[: len(names)], renewals.Terms(**dict(zip(fields, row[len(names) :], strict=True))))


def _compliance(practice, user, today: date, limit: int | None) -> tuple[list[DueItem], int]:
    pid = practice.pk
    rows = (
        Response.objects.for_practice(pid)
        .filter(
            _client_filter(user),
            client__practice_id=pid,
            assessment__practice_id=pid,
            assessment__is_current=True,
            # the current assessments first (a few per client), then their due answers: the
            # planner otherwise reads every past assessment's due answers of each client
            assessment_id__in=list(
                Assessment.objects.for_practice(pid).filter(is_current=True).values_list("pk", flat=True)
            ),
            status__in=OPEN_STATUSES,
            due_date__isnull=False,
            due_date__lte=today + timedelta(days=COMPLIANCE_DAYS),
        )
        .filter(Q(standard__isnull=True) | Q(standard__practice_id=pid))
        .select_related("client", "assessment", "requirement", "standard")
        .order_by("due_date", "client__name", "pk")
    )
    rows, total = _bounded(rows, limit)
    items = []
    for r in rows:
        item = r.requirement if r.requirement_id else r.standard
        items.append(
            DueItem(
                ReminderKind.COMPLIANCE,
                r.pk,
                r.due_date,
                f"{item.ref} {item.title}",
                f"{r.assessment.title} · {r.get_status_display()}",
                r.client_id,
                r.client.name,
                _url("compliance:response", practice.slug, r.client_id, r.assessment_id, r.pk),
                r.due_date < today,
            )
        )
    return items, total


def _initiatives(practice, user, clients: dict, today: date, limit: int | None) -> tuple[list[DueItem], int]:
    """Not done nor rejected; the target end quarter ends within INITIATIVE_DAYS (or has ended) —
    decided in the database: per fiscal calendar of the clients, the quarters before the horizon's,
    and the horizon's own when it ends by the horizon."""
    pid = practice.pk
    horizon = today + timedelta(days=INITIATIVE_DAYS)
    wanted, latest = Q(pk__in=[]), 0
    for month in {c.fiscal_year_start_month for c in clients.values()}:
        quarter = fiscal_quarter(horizon, month)
        last = quarter.key if quarter.end_date(month) <= horizon else quarter.key - 1
        wanted |= Q(client__fiscal_year_start_month=month, target_end__lte=last)
        latest = max(latest, last)
    rows = (
        Initiative.objects.for_practice(pid)
        # `latest` repeats the calendars' bound as one range the planner can read off the open
        # initiatives' (practice, target end) index, instead of every initiative of each client
        .filter(wanted, _client_filter(user), client__practice_id=pid, target_end__lte=latest)
        .exclude(status__in=(InitiativeStatus.DONE, InitiativeStatus.REJECTED))
        .select_related("client")
        .order_by("target_end", "client__name", "title", "pk")
    )
    rows, total = _bounded(rows, limit)
    items = []
    for i in rows:
        month = i.client.fiscal_year_start_month
        ends = i.end_quarter.end_date(month)
        if ends > horizon:
            continue
        items.append(
            DueItem(
                ReminderKind.INITIATIVE,
                i.pk,
                ends,
                i.title,
                f"Target {i.end_quarter.label} ends {ends:%-d %b %Y} · {i.get_status_display()}",
                i.client_id,
                i.client.name,
                _url("roadmaps:detail", practice.slug, i.client_id, i.pk),
                ends < today,
            )
        )
    return items, total


def _action_items(practice, user, today: date, limit: int | None) -> tuple[list[DueItem], int]:
    pid = practice.pk
    zone = practice_zone(practice)
    rows = (
        ActionItem.objects.for_practice(pid)
        .filter(_client_filter(user), client__practice_id=pid, status=ActionItemStatus.OPEN)
        .select_related("client", "owner_member", "owner_contact")
        # the order of the digest: due (or raised) on, then client, then what
        .order_by(
            Coalesce("due_date", TruncDate("created_at", tzinfo=zone)), "client__name", "description", "pk"
        )
    )
    rows, total = _bounded(rows, limit)
    items = []
    for a in rows:
        owner = a.owner_name
        due = a.due_date or timezone.localtime(a.created_at, zone).date()
        items.append(
            DueItem(
                ReminderKind.ACTION_ITEM,
                a.pk,
                due,
                a.description,
                " · ".join(
                    x
                    for x in (
                        f"Owner: {owner}" if owner else "",
                        f"Due {a.due_date:%-d %b %Y}" if a.due_date else "No due date",
                    )
                    if x
                ),
                a.client_id,
                a.client.name,
                _url("qbr:meeting", practice.slug, a.client_id, a.meeting_id),
                bool(a.due_date and a.due_date < today),
            )
        )
    return items, total


def week_window(today: date) -> tuple[date, date]:
    """Monday of this week to Sunday of next week (inclusive)."""
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=13)


def _meetings(practice, user, today: date, limit: int | None) -> tuple[list[DueItem], int]:
    pid = practice.pk
    zone = practice_zone(practice)
    _, last = week_window(today)
    start = datetime.combine(today, time.min, tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
    rows = (
        Meeting.objects.for_practice(pid)
        .filter(
            _client_filter(user),
            client__practice_id=pid,
            status=MeetingStatus.PLANNED,
            scheduled_at__gte=start,
            scheduled_at__lt=end,
        )
        .select_related("client")
        .order_by("scheduled_at", "pk")
    )
    rows, total = _bounded(rows, limit)
    items = []
    for m in rows:
        local = timezone.localtime(m.scheduled_at, zone)
        items.append(
            DueItem(
                ReminderKind.MEETING,
                m.pk,
                local.date(),
                m.title or m.get_kind_display(),
                f"{local:%a %-d %b, %H:%M}" + (f" · {m.location}" if m.location else ""),
                m.client_id,
                m.client.name,
                _url("qbr:meeting", practice.slug, m.client_id, m.pk),
                False,
                local,
            )
        )
    return items, total


def _qbr_overdue(practice, clients: dict, today: date) -> list[DueItem]:
    """Clients whose last held QBR is longer ago than their cadence (never held: since they were added)."""
    pid = practice.pk
    zone = practice_zone(practice)
    # Each client's latest held QBR: one backward step down its meetings by date (the practice-led
    # index), not every held meeting of every client grouped.
    latest = (
        Meeting.objects.for_practice(pid)
        .filter(client_id=OuterRef("pk"), kind=MeetingKind.QBR, status=MeetingStatus.HELD)
        .order_by("-scheduled_at")
        .values("scheduled_at")[:1]
    )
    last_held = dict(
        Client.objects.for_practice(pid)
        .filter(pk__in=list(clients))
        .annotate(last=Subquery(latest))
        .order_by()
        .values_list("pk", "last")
    )
    items = []
    for client in clients.values():
        last = last_held.get(client.pk)
        since = timezone.localtime(last or client.created_at, zone).date()
        due = renewals.add_months(since, client.qbr_cadence_months)
        if due >= today:
            continue
        detail = f"Last QBR {since:%-d %b %Y}" if last else "No QBR held yet"
        items.append(
            DueItem(
                ReminderKind.QBR_OVERDUE,
                client.pk,
                due,
                f"QBR overdue — every {client.qbr_cadence_months} months",
                detail,
                client.pk,
                client.name,
                _url("qbr:client", practice.slug, client.pk),
                True,
            )
        )
    return sorted(items, key=lambda i: (i.due_date, i.client_name))


# --- the one rule ---------------------------------------------------------------------------------


def due_items(*, practice, user=None, today: date | None = None) -> list[DueItem]:
    """Everything due for the practice (or the user's clients) on `today` (the practice's local
    date), grouped by kind in KIND_ORDER and soonest first within a kind. A fixed number of queries."""
    today = today or practice_today(practice)
    out = []
    for items, _ in due_by_kind(practice=practice, user=user, today=today).values():
        out.extend(items)
    return out


def due_by_kind(
    *, practice, user=None, today: date, limit: int | None = None
) -> dict[str, tuple[list[DueItem], int]]:
    """{kind: (its first `limit` items by `due_items`' order, how many there are)}, in KIND_ORDER —
    with a limit the database reads only those rows and counts the rest, so a large practice's
    dashboard reads a page of each kind, not every open item of the book."""
    clients = {c.pk: c for c in dashboard_clients(practice=practice, user=user)}
    if not clients:
        return {kind: ([], 0) for kind in KIND_ORDER}
    overdue = _qbr_overdue(practice, clients, today)
    by_kind = {
        ReminderKind.MEETING: _meetings(practice, user, today, limit),
        ReminderKind.NOTICE: _notices(practice, user, today, limit),
        ReminderKind.COMPLIANCE: _compliance(practice, user, today, limit),
        ReminderKind.INITIATIVE: _initiatives(practice, user, clients, today, limit),
        ReminderKind.ACTION_ITEM: _action_items(practice, user, today, limit),
        ReminderKind.QBR_OVERDUE: (overdue, len(overdue)),
    }
    out = {}
    for kind in KIND_ORDER:
        items, total = by_kind[kind]
        items = sorted(items, key=lambda i: (i.due_date, i.client_name, i.title, str(i.object_id)))
        out[kind] = (items[:limit] if limit else items, total)
    return out


# --- the dashboard's figures ----------------------------------------------------------------------


@dataclass
class Block:
    kind: str
    items: list[DueItem]
    total: int

    @property
    def label(self) -> str:
        return ReminderKind(self.kind).label

    @property
    def icon(self) -> str:
        return KIND_ICONS.get(self.kind, "bi-bell")

    @property
    def overdue(self) -> int:
        return sum(1 for i in self.items if i.overdue)


@dataclass
class Spend:
    planned_total: Decimal = Decimal("0.00")
    planned_ytd: Decimal = Decimal("0.00")
    actual_ytd: Decimal = Decimal("0.00")
    budgets: int = 0
    clients: int = 0

    @property
    def variance_ytd(self) -> Decimal:
        return self.actual_ytd - self.planned_ytd

    @property
    def spent_pct(self) -> int | None:
        if not self.planned_total:
            return None
        return round(self.actual_ytd * 100 / self.planned_total)

    @property
    def bar_pct(self) -> str:
        return str(max(0, min(100, self.spent_pct or 0)))


@dataclass
class Dashboard:
    today: date
    mine: bool
    blocks: list[Block]
    spend: Spend
    score_changes: list = field(default_factory=list)  # the most recently assessed first, `limit` of them
    client_count: int = 0
    score_change_count: int = 0  # how many frameworks have a completed score in all

    @property
    def due_count(self) -> int:
        return sum(b.total for b in self.blocks if b.kind != ReminderKind.MEETING)

    @property
    def overdue_count(self) -> int:
        return sum(b.overdue for b in self.blocks)


def dashboard(
    *, practice, user=None, today: date | None = None, limit: int | None = BLOCK_LIMIT
) -> Dashboard:
    """The dashboard of the practice (user None) or of the user's clients: the due items by kind
    (at most `limit` rows per kind, with their totals), this fiscal year's planned vs actual spend
    across the book (each client's own fiscal year) and the compliance score changes."""
    today = today or practice_today(practice)
    blocks = [
        Block(kind, items, total)
        for kind, (items, total) in due_by_kind(
            practice=practice, user=user, today=today, limit=limit
        ).items()
    ]
    clients = list(dashboard_clients(practice=practice, user=user))
    figures = book_panel_figures(practice=practice, clients=clients, today=today) if clients else {}
    spend = Spend(clients=len(clients))
    for f in figures.values():
        spend.planned_total += f.planned_total
        spend.planned_ytd += f.planned_ytd
        spend.actual_ytd += f.actual_ytd
        spend.budgets += 1 if f.budget is not None else 0
    changes, change_count = (
        practice_score_changes(practice=practice, client_ids=[c.pk for c in clients], limit=limit)
        if clients
        else ([], 0)
    )
    return Dashboard(today, user is not None, blocks, spend, changes, len(clients), change_count)


# --- the client list's extra columns (registered in QbrConfig.ready) ------------------------------


def next_qbr_values(practice, clients: list) -> dict:
    """{client id: the local date of its next planned QBR}."""
    found = kept_rows(("qbr.next-qbr",), practice, _next_qbrs, [timezone.now(), *(c.pk for c in clients)])
    zone = practice_zone(practice)
    return {pk: timezone.localtime(at, zone).date() for pk, at in found}


def _next_qbrs(practice, now, *client_ids):
    return (
        Meeting.objects.for_practice(practice)
        .filter(
            client_id__in=client_ids,
            kind=MeetingKind.QBR,
            status=MeetingStatus.PLANNED,
            scheduled_at__gte=now,
        )
        .values("client_id")
        .annotate(first=Min("scheduled_at"))
        .values_list("client_id", "first")
    )


def planned_spend_values(practice, clients: list) -> dict:
    """{client id: the planned total of this fiscal year's budget} (clients without one left out)."""
    return planned_totals(practice=practice, clients=clients)


def compliance_values(practice, clients: list) -> dict:
    return client_scores(practice=practice, client_ids=[c.pk for c in clients])


CLIENT_COLUMNS = [
    ClientColumn("next_qbr", "Next QBR", 10, next_qbr_values, "date"),
    ClientColumn("planned_fy", "Planned this FY", 20, planned_spend_values, "money"),
    ClientColumn("compliance", "Compliance", 30, compliance_values, "percent"),
]


def practice_has_clients(practice) -> bool:
    """Does the practice have an active client at all? (The dashboard's empty state.)"""
    return Client.objects.for_practice(practice).filter(status=ClientStatus.ACTIVE).exists()
