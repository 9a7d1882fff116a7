"""The QBR report's own sections (registered in `QbrConfig.ready()`): cover, executive summary,
business goals, roadmap, open action items and the coming meeting's agenda. Budget, compliance,
renewals and advisories are registered by those apps' integration (see qbr/README.md).

Each `gather(scope)` runs a fixed number of queries, scoped by the client, and returns plain data.
"""

from datetime import datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils import timezone

from roadmaps.models import GoalStatus, Initiative, Status
from roadmaps.selectors import goal_list, initiative_cost_rollups, initiatives_of
from vcio.charts import bar_chart, horizontal_bars
from vcio.templatetags.vcio_tags import format_money

from .models import ActionItem, ActionItemStatus, AgendaItem, MeetingContact, MeetingMember
from .report_sections import Headline, ReportScope, register_report_section
from .selectors import next_planned_qbr, open_action_items
from .services import practice_zone

LIST_LIMIT = 15
OPEN_STATUSES = (Status.IN_PROGRESS, Status.APPROVED, Status.PROPOSED)
COMING_STATUSES = (Status.PROPOSED, Status.APPROVED, Status.DEFERRED)
ZERO = Decimal("0.00")


def _plural(n: int, one: str, many: str | None = None) -> str:
    return one if n == 1 else (many or one + "s")


def gather_cover(scope: ReportScope) -> dict:
    return {}


def gather_summary(scope: ReportScope) -> dict:
    """The executive summary shows every section's headlines; it gathers nothing itself."""
    return {}


def gather_goals(scope: ReportScope) -> dict:
    goals = list(goal_list(client=scope.client).exclude(status=GoalStatus.DROPPED)[:LIST_LIMIT])
    rows = []
    for goal in goals:
        percent = round(100 * goal.initiative_done / goal.initiative_total) if goal.initiative_total else 0
        rows.append(
            {"goal": goal, "done": goal.initiative_done, "total": goal.initiative_total, "percent": percent}
        )
    achieved = sum(1 for g in goals if g.status == GoalStatus.ACHIEVED)
    chart = horizontal_bars(
        [r["percent"] for r in rows],
        [r["goal"].title for r in rows],
        title="Progress of each goal: share of its initiatives done",
        accent=scope.accent,
        max_value=100,
        value_format=lambda v: f"{v}%",
    )
    return {
        "rows": rows,
        "chart": chart if rows else "",
        "headlines": [Headline("goals", "Business goals", str(len(goals)), f"{achieved} achieved")],
    }


def _local_start(scope: ReportScope, day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), practice_zone(scope.practice))


def gather_roadmap(scope: ReportScope) -> dict:
    """Done since last quarter began, in progress, the next two quarters (with the planned cost from
    `initiative_cost_rollups`, the one cost rule), and the top initiative."""
    client, period = scope.client, scope.period
    previous, coming = period.previous(), [period.next(), period.add(2)]
    since = _local_start(scope, previous.start_date(client.fiscal_year_start_month))
    base = initiatives_of(client=client).prefetch_related(None)

    counts = Initiative.objects.for_client(client).aggregate(
        in_progress=Count("pk", filter=Q(status=Status.IN_PROGRESS)),
        done=Count("pk", filter=Q(status=Status.DONE, completed_at__gte=since)),
    )
    done = list(
        base.filter(status=Status.DONE, completed_at__gte=since).order_by("-completed_at", "pk")[:LIST_LIMIT]
    )
    in_progress = list(
        base.filter(status=Status.IN_PROGRESS).order_by("priority_rank", "target_end", "title", "pk")[
            :LIST_LIMIT
        ]
    )
    upcoming = list(
        base.filter(
            status__in=COMING_STATUSES, target_start__gte=coming[0].key, target_start__lte=coming[-1].key
        ).order_by("target_start", "priority_rank", "title", "pk")[: LIST_LIMIT * 2]
    )
    # The top initiative: the most important open one; of equal priority, the one furthest along.
    top = (
        base.filter(status__in=OPEN_STATUSES)
        .order_by("priority_rank", "-status_rank", "target_start", "pk")
        .first()
    )

    rollups = initiative_cost_rollups(client=client, first=previous, last=period.add(4))
    next_two = sum((r.total for r in rollups.quarters if r.quarter in coming), start=ZERO)
    chart = bar_chart(
        [r.total for r in rollups.quarters],
        [r.label for r in rollups.quarters],
        title="Planned roadmap cost per quarter (one-time and recurring)",
        accent=scope.accent,
        value_format=lambda v: whole_money(v, scope.currency),
    )
    span = f"{coming[0].label} – {coming[-1].label}"
    headlines = [
        Headline(
            "roadmap", "In progress", str(counts["in_progress"]), _plural(counts["in_progress"], "initiative")
        ),
        Headline(
            "roadmap",
            f"Done since {previous.label}",
            str(counts["done"]),
            _plural(counts["done"], "initiative"),
        ),
        Headline("roadmap", "Planned cost, next two quarters", whole_money(next_two, scope.currency), span),
    ]
    highlights = []
    if top is not None:
        highlights.append(
            f"Top initiative: {top.title} — {top.get_priority_display().lower()} priority, "
            f"{top.get_status_display().lower()}, {top.quarter_label}."
        )
    return {
        "previous": previous,
        "coming": coming,
        "done": done,
        "done_more": max(counts["done"] - len(done), 0),
        "in_progress": in_progress,
        "in_progress_more": max(counts["in_progress"] - len(in_progress), 0),
        "groups": [
            {"quarter": q, "initiatives": [i for i in upcoming if i.target_start == q.key]} for q in coming
        ],
        "top": top,
        "rollups": rollups.quarters,
        "chart": chart,
        "headlines": headlines,
        "highlights": highlights,
    }


def whole_money(value, currency: str) -> str:
    """$12,500 — whole amounts for charts and headlines (Decimal, rounded half up)."""
    amount = Decimal(str(value or 0)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return format_money(amount, currency).replace(".00", "")


def gather_action_items(scope: ReportScope) -> dict:
    items = list(open_action_items(client=scope.client)[:30])
    counts = ActionItem.objects.for_client(scope.client).aggregate(
        open=Count("pk", filter=Q(status=ActionItemStatus.OPEN)),
        overdue=Count("pk", filter=Q(status=ActionItemStatus.OPEN, due_date__lt=scope.today)),
    )
    return {
        "items": items,
        "open": counts["open"],
        "overdue": counts["overdue"],
        "more": max(counts["open"] - len(items), 0),
        "headlines": [
            Headline(
                "action_items", "Open action items", str(counts["open"]), f"{counts['overdue']} overdue"
            ),
        ],
    }


def gather_agenda(scope: ReportScope) -> dict:
    meeting = scope.meeting
    if meeting is None:
        meeting = next_planned_qbr(client=scope.client)
    if meeting is None:
        return {"meeting": None, "agenda": [], "members": [], "contacts": []}
    practice_id = scope.client.practice_id
    agenda = list(
        AgendaItem.objects.for_practice(practice_id).filter(meeting=meeting).order_by("order", "created_at")
    )
    members = [
        link.user
        for link in MeetingMember.objects.for_practice(practice_id)
        .filter(meeting=meeting)
        .select_related("user")
    ]
    contacts = [
        link.contact
        for link in MeetingContact.objects.for_practice(practice_id)
        .filter(meeting=meeting)
        .select_related("contact")
        .order_by("-contact__is_executive", "contact__name")
    ]
    return {
        "meeting": meeting,
        "starts": timezone.localtime(meeting.scheduled_at, practice_zone(scope.practice)),
        "agenda": agenda,
        "members": sorted(members, key=lambda u: u.display_name.lower()),
        "contacts": contacts,
    }


def register_core_sections() -> None:
    register_report_section(
        key="cover",
        title="Cover",
        order=0,
        gather=gather_cover,
        template="pdf/qbr/sections/cover.html",
        in_toc=False,
    )
    register_report_section(
        key="summary",
        title="Executive summary",
        order=10,
        gather=gather_summary,
        template="pdf/qbr/sections/summary.html",
    )
    register_report_section(
        key="goals",
        title="Business goals",
        order=20,
        gather=gather_goals,
        template="pdf/qbr/sections/goals.html",
    )
    register_report_section(
        key="roadmap",
        title="Roadmap",
        order=30,
        gather=gather_roadmap,
        template="pdf/qbr/sections/roadmap.html",
    )
    register_report_section(
        key="action_items",
        title="Open action items",
        order=80,
        gather=gather_action_items,
        template="pdf/qbr/sections/action_items.html",
    )
    register_report_section(
        key="agenda",
        title="Agenda of the coming meeting",
        order=90,
        gather=gather_agenda,
        template="pdf/qbr/sections/agenda.html",
    )
