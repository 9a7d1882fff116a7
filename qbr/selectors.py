"""Reads of the qbr app. Each takes the practice or client explicitly, does its joins here (every
prefetch over a tenant table filtered by practice) and returns querysets or plain data a template
can loop over without touching the database again."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from clients.models import Client, Contact
from vcio.fiscal import FiscalQuarter, fiscal_quarter
from vcio.history import HistorySource, merged_history
from vcio.listing import apply_sort
from vcio.models import attach_prefetched

from .models import (
    ActionItem,
    ActionItemStatus,
    AgendaItem,
    Meeting,
    MeetingContact,
    MeetingKind,
    MeetingMember,
    MeetingStatus,
    QBRReport,
    QBRSettings,
    ReportBatch,
    ReportStatus,
)
from .services import practice_zone


def practice_qbr_settings(*, practice) -> QBRSettings:
    """The practice's QBR settings (the defaults, unsaved, until someone changes them)."""
    practice_id = getattr(practice, "pk", practice)
    return QBRSettings.objects.for_practice(practice_id).first() or QBRSettings(practice_id=practice_id)


def local_date(practice, moment: datetime | None = None):
    return timezone.localtime(moment or timezone.now(), practice_zone(practice)).date()


def meeting_period(meeting: Meeting, practice) -> FiscalQuarter:
    """The client's fiscal quarter of the meeting's local date: the period of its QBR report."""
    return fiscal_quarter(local_date(practice, meeting.scheduled_at), meeting.client.fiscal_year_start_month)


# --- meetings -------------------------------------------------------------------------------------


def _attendees(practice_id) -> list[Prefetch]:
    return [
        Prefetch(
            "member_links",
            queryset=MeetingMember.objects.for_practice(practice_id)
            .select_related("user")
            .order_by("user__name"),
        ),
        Prefetch(
            "contact_links",
            queryset=MeetingContact.objects.for_practice(practice_id)
            .filter(contact__practice_id=practice_id)
            .select_related("contact")
            .order_by("-contact__is_executive", "contact__name"),
        ),
    ]


def meetings_of_practice(*, practice, with_client: bool = True, links: bool = True) -> QuerySet[Meeting]:
    """Every meeting of the practice (the API), joined to its client unless `with_client` is false
    (the API's list: a row shows the client's id only), and with `links` its attendees and agenda
    prefetched (the list leaves them out and reads its page's with `with_links`)."""
    practice_id = getattr(practice, "pk", practice)
    meetings = Meeting.objects.for_practice(practice_id)
    if with_client:
        meetings = meetings.filter(client__practice_id=practice_id).select_related("client")
    if links:
        meetings = meetings.prefetch_related(
            # Attendees: the practice's links of these meetings (the ids are all the API shows).
            # Into plain lists (`to_attr`), read by the serializer through `Meeting.prefetched`.
            Prefetch(
                "member_links",
                queryset=MeetingMember.objects.for_practice(practice_id).only("meeting_id", "user_id"),
                to_attr="prefetched_member_links",
            ),
            Prefetch(
                "contact_links",
                queryset=MeetingContact.objects.for_practice(practice_id).only("meeting_id", "contact_id"),
                to_attr="prefetched_contact_links",
            ),
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.for_practice(practice_id).order_by("order", "created_at"),
                to_attr="prefetched_agenda_items",
            ),
        )
    return meetings.order_by("scheduled_at", "pk")


def with_links(meetings: list[Meeting], *, practice_id) -> list[Meeting]:
    """Sets what the API shows of each meeting's attendees and agenda — the members' user ids, the
    contacts' ids, the items' titles in order (`prefetched(...)`, as `meetings_of_practice` with
    `links` gives) — from three queries of plain values, without a model instance per link and item."""
    ids = [m.pk for m in meetings]
    for relation, model, fields, order in (
        ("member_links", MeetingMember, ("user_id",), ()),
        ("contact_links", MeetingContact, ("contact_id",), ()),
        ("agenda_items", AgendaItem, ("title",), ("order", "created_at")),
    ):
        rows = (
            model.objects.for_practice(practice_id)
            .filter(meeting_id__in=ids)
            .order_by(*order)
            .values_list("meeting_id", *fields, named=True)
        )
        attach_prefetched(meetings, relation, ((row.meeting_id, row) for row in rows))
    return meetings


def client_meetings(*, client: Client) -> QuerySet[Meeting]:
    """The client's meetings, newest first, with their counts of open action items."""
    return (
        Meeting.objects.for_client(client)
        .annotate(open_items=open_items_count(client.practice_id))
        .order_by("-scheduled_at", "pk")
    )


def open_items_count(practice_id):
    """A meeting's count of open action items, as a subquery over the practice's action items (a
    join instead would read every practice's action items of these meetings)."""
    open_items = (
        ActionItem.objects.for_practice(practice_id)
        .filter(meeting=OuterRef("pk"), status=ActionItemStatus.OPEN)
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(open_items, output_field=IntegerField()), Value(0))


def next_planned_qbr(*, client: Client, now: datetime | None = None) -> Meeting | None:
    """The client's next planned QBR (the earliest one not yet in the past), or None."""
    return (
        Meeting.objects.for_client(client)
        .filter(kind=MeetingKind.QBR, status=MeetingStatus.PLANNED, scheduled_at__gte=now or timezone.now())
        .order_by("scheduled_at", "pk")
        .first()
    )


def meeting_detail(*, client: Client, pk) -> Meeting:
    """One meeting of the client with its agenda, attendees and action items (raises
    Meeting.DoesNotExist for another client's or practice's)."""
    practice_id = client.practice_id
    return (
        Meeting.objects.for_client(client)
        .filter(client__practice_id=practice_id)
        .select_related("client", "proposed_by_meeting")
        .prefetch_related(
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.for_practice(practice_id).order_by("order", "created_at"),
            ),
            Prefetch(
                "action_items",
                queryset=ActionItem.objects.for_practice(practice_id)
                .select_related("owner_member", "owner_contact")
                .order_by("status", "due_date", "created_at"),
            ),
            *_attendees(practice_id),
        )
        .get(pk=pk)
    )


MEETING_SORTS = {
    "when": "scheduled_at",
    "client": "client__name",
    "kind": "kind",
    "status": "status",
    "consultant": "client__primary_consultant__name",
}


UPCOMING_SORT = "scheduled_at,pk"


def practice_meetings(
    *,
    practice,
    when: str = "upcoming",
    status: str = "",
    kind: str = "",
    client=None,
    consultant=None,
    q: str = "",
    sort: str = "",
    now: datetime | None = None,
) -> tuple[QuerySet[Meeting], str]:
    """Meetings across the practice's clients (the Meetings page): `when` is upcoming (from now on),
    past or all; the default order is soonest first (latest first for past meetings)."""
    now = now or timezone.now()
    qs = (
        Meeting.objects.for_practice(practice)
        .filter(client__practice_id=getattr(practice, "pk", practice))
        .select_related("client", "client__primary_consultant")
        .annotate(open_items=open_items_count(getattr(practice, "pk", practice)))
    )
    default = UPCOMING_SORT
    if when == "upcoming":
        qs = qs.filter(scheduled_at__gte=now)
    elif when == "past":
        qs = qs.filter(scheduled_at__lt=now)
        default = "-scheduled_at,pk"
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if client is not None:
        qs = qs.filter(client=client)
    if consultant is not None:
        qs = qs.filter(client__primary_consultant=consultant)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(client__name__icontains=q) | Q(location__icontains=q))
    return apply_sort(qs, sort, MEETING_SORTS, default=default)


def client_choices(*, practice) -> QuerySet[Client]:
    return Client.objects.for_practice(practice).only("id", "practice_id", "name").order_by("name")


def contact_choices(*, client: Client) -> QuerySet[Contact]:
    return Contact.objects.for_client(client).order_by("-is_executive", "name")


# --- action items ---------------------------------------------------------------------------------


def open_action_items(*, client: Client) -> QuerySet[ActionItem]:
    """The client's open action items, soonest due first (no date last), with owner and meeting."""
    return (
        ActionItem.objects.for_client(client)
        .filter(status=ActionItemStatus.OPEN, meeting__practice_id=client.practice_id)
        .select_related("owner_member", "owner_contact", "meeting")
        .order_by("due_date", "created_at", "pk")
    )


def open_action_items_of_contact(*, client: Client, email: str) -> QuerySet[ActionItem]:
    """The client's open action items owned by its contact with this e-mail address (any case) — what
    a client executive signed in with that address has to do. None for an empty address."""
    if not (email or "").strip():
        return open_action_items(client=client).none()
    return open_action_items(client=client).filter(
        owner_contact__practice_id=client.practice_id, owner_contact__email__iexact=email.strip()
    )


def action_items_of_practice(*, practice) -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.for_practice(practice)
        .select_related("owner_member", "owner_contact")
        .order_by("due_date", "created_at", "pk")
    )


def meeting_action_items(*, meeting: Meeting) -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.for_practice(meeting.practice_id)
        .filter(meeting=meeting)
        .select_related("owner_member", "owner_contact")
        .order_by("status", "due_date", "created_at")
    )


# --- reports --------------------------------------------------------------------------------------


def client_reports(*, client: Client) -> QuerySet[QBRReport]:
    return (
        QBRReport.objects.for_client(client)
        .select_related("requested_by", "meeting")
        .order_by("-period", "-version", "-created_at")
    )


def reports_of_practice(*, practice) -> QuerySet[QBRReport]:
    """Every report of the practice with its client (the API's list); the client's join names the
    practice, so the planner reads the practice's clients only."""
    return (
        QBRReport.objects.for_practice(practice)
        .filter(client__practice_id=getattr(practice, "pk", practice))
        .select_related("client")
        .order_by("-created_at", "pk")
    )


def latest_report(*, client: Client) -> QBRReport | None:
    return client_reports(client=client).first()


@dataclass(frozen=True)
class BatchProgress:
    total: int
    done: int
    failed: int
    active: int

    @property
    def finished(self) -> bool:
        return self.active == 0

    @property
    def percent(self) -> int:
        return round(100 * (self.done + self.failed) / self.total) if self.total else 100


def batch_progress(*, batch: ReportBatch) -> BatchProgress:
    counts = (
        QBRReport.objects.for_practice(batch.practice_id)
        .filter(batch=batch)
        .aggregate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=ReportStatus.DONE)),
            failed=Count("pk", filter=Q(status=ReportStatus.FAILED)),
        )
    )
    return BatchProgress(
        total=counts["total"],
        done=counts["done"],
        failed=counts["failed"],
        active=counts["total"] - counts["done"] - counts["failed"],
    )


def batch_reports(*, batch: ReportBatch) -> QuerySet[QBRReport]:
    return (
        QBRReport.objects.for_practice(batch.practice_id)
        .filter(batch=batch)
        .select_related("client")
        .order_by("client__name", "pk")
    )


# --- history --------------------------------------------------------------------------------------

MEETING_HISTORY = HistorySource(
    "Meeting", rows=None, describe=lambda r: r.title or dict(MeetingKind.choices).get(r.kind, r.kind)
)


def meeting_history(*, meeting: Meeting, limit: int = 50) -> list[dict]:
    rows = Meeting.history.filter(id=meeting.pk, practice_id=meeting.practice_id)
    return merged_history([(MEETING_HISTORY, rows)], limit=limit)
