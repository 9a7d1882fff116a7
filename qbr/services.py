"""Writes of the qbr app about meetings, agendas, attendees, action items and the practice's QBR
settings: keyword-only, transactional, validated; `practice` always comes from the client (or the
meeting), never from input. Reports are written by `qbr.report_services`.

The cadence rule lives here (`meeting_hold`): holding a QBR proposes the next one the client's
`qbr_cadence_months` later, at the same local time of day (editable when holding, and afterwards).
"""

import calendar
import zoneinfo
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Practice, User
from clients.models import Client, Contact
from vcio.services import apply_fields, audit

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
    ReportStatus,
)

MEETING_FIELDS = ("kind", "title", "scheduled_at", "duration_minutes", "location", "notes")
ACTION_ITEM_FIELDS = ("description", "owner_member", "owner_contact", "due_date")
SETTINGS_FIELDS = ("lead_time_days", "morning_hour")
MAX_AGENDA_ITEMS = 40

DEFAULT_QBR_AGENDA = (
    "Welcome and business update",
    "Roadmap: what was done, what is next",
    "Budget: spend to date and forecast",
    "Compliance posture and top gaps",
    "Renewals coming up",
    "Action items and next steps",
)


def practice_zone(practice: Practice) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(practice.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def add_months(moment: datetime, months: int, zone: zoneinfo.ZoneInfo) -> datetime:
    """`moment` plus `months` calendar months at the same local time of day in `zone` (the 31st
    becomes the last day of a shorter month); returned in UTC."""
    local = timezone.localtime(moment, zone)
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    naive = local.replace(tzinfo=None, year=year, month=month, day=day)
    return timezone.make_aware(naive, zone).astimezone(zoneinfo.ZoneInfo("UTC"))


def next_qbr_at(meeting: Meeting) -> datetime:
    """When the client's next QBR is due after `meeting`: its cadence later, same local time."""
    practice = Practice.objects.get(pk=meeting.practice_id)
    return add_months(meeting.scheduled_at, meeting.client.qbr_cadence_months, practice_zone(practice))


# --- attendees and agenda -------------------------------------------------------------------------


def _check_members(practice_id, users: Iterable[User]) -> list[User]:
    users = list(dict.fromkeys(users))
    ids = {u.pk for u in users}
    found = set(
        Membership.objects.for_practice(practice_id).filter(user_id__in=ids).values_list("user_id", flat=True)
    )
    if ids - found:
        raise ValidationError({"members": "Choose members of this practice."})
    return users


def _check_contacts(client: Client, contacts: Iterable[Contact]) -> list[Contact]:
    contacts = list(dict.fromkeys(contacts))
    if any(c.practice_id != client.practice_id or c.client_id != client.pk for c in contacts):
        raise ValidationError({"contacts": "Choose contacts of this client."})
    return contacts


def _set_members(meeting: Meeting, users: list[User]) -> None:
    links = MeetingMember.objects.for_practice(meeting.practice_id).filter(meeting=meeting)
    wanted = {u.pk for u in users}
    links.exclude(user_id__in=wanted).delete()
    have = set(links.values_list("user_id", flat=True))
    MeetingMember.objects.bulk_create(
        MeetingMember(practice_id=meeting.practice_id, meeting=meeting, user=u)
        for u in users
        if u.pk not in have
    )


def _set_contacts(meeting: Meeting, contacts: list[Contact]) -> None:
    links = MeetingContact.objects.for_practice(meeting.practice_id).filter(meeting=meeting)
    wanted = {c.pk for c in contacts}
    links.exclude(contact_id__in=wanted).delete()
    have = set(links.values_list("contact_id", flat=True))
    MeetingContact.objects.bulk_create(
        MeetingContact(practice_id=meeting.practice_id, meeting=meeting, contact=c)
        for c in contacts
        if c.pk not in have
    )


def _clean_titles(titles: Iterable[str]) -> list[str]:
    cleaned = [t.strip() for t in titles if t and t.strip()]
    if len(cleaned) > MAX_AGENDA_ITEMS:
        raise ValidationError({"agenda": f"Keep the agenda to {MAX_AGENDA_ITEMS} items."})
    for title in cleaned:
        if len(title) > 200:
            raise ValidationError({"agenda": "Keep each agenda item under 200 characters."})
    return cleaned


def _set_agenda(meeting: Meeting, titles: list[str], actor: User | None) -> None:
    """Replace the agenda by `titles`, in order (unchanged items keep their row and history)."""
    items = list(AgendaItem.objects.for_practice(meeting.practice_id).filter(meeting=meeting))
    by_title = {}
    for item in items:
        by_title.setdefault(item.title, []).append(item)
    kept = []
    for order, title in enumerate(titles):
        existing = by_title.get(title)
        if existing:
            item = existing.pop(0)
            if item.order != order:
                item.order = order
                audit(item, actor)
                item.save(update_fields=["order", "updated_at"])
        else:
            item = AgendaItem(practice_id=meeting.practice_id, meeting=meeting, title=title, order=order)
            item.full_clean()
            audit(item, actor)
            item.save()
        kept.append(item.pk)
    for item in items:
        if item.pk not in kept:
            audit(item, actor)
            item.delete()


# --- meetings ------------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    client: Client,
    actor: User | None,
    members: Iterable[User] = (),
    contacts: Iterable[Contact] = (),
    agenda: Iterable[str] | None = None,
    **data,
) -> Meeting:
    """Plan a meeting with `client`. A QBR without an agenda gets the standard QBR agenda."""
    meeting = Meeting(practice_id=client.practice_id, client=client, status=MeetingStatus.PLANNED)
    apply_fields(meeting, data, MEETING_FIELDS)
    members = _check_members(client.practice_id, members)
    contacts = _check_contacts(client, contacts)
    if agenda is None:
        agenda = DEFAULT_QBR_AGENDA if meeting.kind == MeetingKind.QBR else ()
    titles = _clean_titles(agenda)
    meeting.full_clean()
    audit(meeting, actor)
    meeting.save()
    _set_members(meeting, members)
    _set_contacts(meeting, contacts)
    _set_agenda(meeting, titles, actor)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    actor: User | None,
    members: Iterable[User] | None = None,
    contacts: Iterable[Contact] | None = None,
    agenda: Iterable[str] | None = None,
    **data,
) -> Meeting:
    """Change a meeting's plan, attendees or agenda; it belongs to one client for good."""
    client = data.pop("client", None)
    if client is not None and client.pk != meeting.client_id:
        raise ValidationError({"client": "A meeting cannot move to another client."})
    apply_fields(meeting, data, MEETING_FIELDS)
    checked_members = _check_members(meeting.practice_id, members) if members is not None else None
    checked_contacts = _check_contacts(meeting.client, contacts) if contacts is not None else None
    titles = _clean_titles(agenda) if agenda is not None else None
    meeting.full_clean()
    audit(meeting, actor)
    meeting.save()
    if checked_members is not None:
        _set_members(meeting, checked_members)
    if checked_contacts is not None:
        _set_contacts(meeting, checked_contacts)
    if titles is not None:
        _set_agenda(meeting, titles, actor)
    return meeting


@transaction.atomic
def meeting_set_notes(*, meeting: Meeting, actor: User | None, notes: str) -> Meeting:
    meeting.notes = notes or ""
    meeting.full_clean()
    audit(meeting, actor)
    meeting.save(update_fields=["notes", "updated_at"])
    return meeting


@transaction.atomic
def meeting_delete(*, meeting: Meeting, actor: User | None) -> None:
    """Delete a planned or cancelled meeting (a held meeting is the record of what was agreed)."""
    if meeting.status == MeetingStatus.HELD:
        raise ValidationError("A held meeting is kept: it is the record of what was agreed.")
    audit(meeting, actor)
    meeting.delete()


def _locked(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update()
        .for_practice(meeting.practice_id)
        .select_related("client")
        .get(pk=meeting.pk)
    )


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor: User | None) -> Meeting:
    locked = _locked(meeting)
    if locked.status != MeetingStatus.PLANNED:
        raise ValidationError({"status": "Only a planned meeting can be cancelled."})
    locked.status = MeetingStatus.CANCELLED
    audit(locked, actor, "Meeting cancelled")
    locked.save(update_fields=["status", "updated_at"])
    meeting.status = locked.status
    return locked


@transaction.atomic
def meeting_hold(
    *,
    meeting: Meeting,
    actor: User | None,
    notes: str | None = None,
    next_scheduled_at: datetime | None = None,
    propose_next: bool = True,
) -> tuple[Meeting, Meeting | None]:
    """Close a planned meeting as held. For a QBR:

    - the next QBR is proposed: a planned QBR `client.qbr_cadence_months` after this one (or at
      `next_scheduled_at`), same duration, place, attendees, and the standard agenda — unless the
      client already has a planned QBR after this one (that one is returned);
    - the latest ready report of this meeting (or of its fiscal quarter) is kept as its snapshot.

    Returns (the held meeting, the next QBR or None).
    """
    locked = _locked(meeting)
    if locked.status != MeetingStatus.PLANNED:
        raise ValidationError({"status": "Only a planned meeting can be held."})
    if next_scheduled_at is not None and next_scheduled_at <= locked.scheduled_at:
        raise ValidationError({"next_scheduled_at": "The next QBR must come after this one."})
    if notes is not None:
        locked.notes = notes
    locked.status = MeetingStatus.HELD
    locked.held_at = timezone.now()
    locked.full_clean()
    audit(locked, actor, "Meeting held")
    locked.save()
    for field in ("status", "held_at", "notes", "updated_at"):
        setattr(meeting, field, getattr(locked, field))

    next_meeting = None
    if locked.kind == MeetingKind.QBR:
        _keep_snapshot(locked)
        if propose_next:
            next_meeting = _propose_next(locked, actor, next_scheduled_at)
    return locked, next_meeting


def _propose_next(meeting: Meeting, actor: User | None, when: datetime | None) -> Meeting:
    existing = (
        Meeting.objects.for_client(meeting.client)
        .filter(kind=MeetingKind.QBR, status=MeetingStatus.PLANNED, scheduled_at__gt=meeting.scheduled_at)
        .order_by("scheduled_at")
        .first()
    )
    if existing is not None:
        return existing
    members = list(
        User.objects.filter(
            pk__in=MeetingMember.objects.for_practice(meeting.practice_id)
            .filter(meeting=meeting)
            .values("user_id")
        )
    )
    contacts = list(
        Contact.objects.for_client(meeting.client).filter(
            pk__in=MeetingContact.objects.for_practice(meeting.practice_id)
            .filter(meeting=meeting)
            .values("contact_id")
        )
    )
    proposed = meeting_create(
        client=meeting.client,
        actor=actor,
        members=members,
        contacts=contacts,
        kind=MeetingKind.QBR,
        scheduled_at=when or next_qbr_at(meeting),
        duration_minutes=meeting.duration_minutes,
        location=meeting.location,
    )
    proposed.proposed_by_meeting = meeting
    proposed.save(update_fields=["proposed_by_meeting"])
    return proposed


def _keep_snapshot(meeting: Meeting) -> None:
    """The held QBR's report: the latest ready one linked to it, else the latest ready one of the
    client for the meeting's fiscal quarter; it is flagged as the snapshot and linked to the meeting."""
    from vcio.fiscal import fiscal_quarter

    reports = QBRReport.objects.for_client(meeting.client).filter(status=ReportStatus.DONE)
    report = reports.filter(meeting=meeting).order_by("-version").first()
    if report is None:
        practice = Practice.objects.get(pk=meeting.practice_id)
        day = timezone.localtime(meeting.scheduled_at, practice_zone(practice)).date()
        period = fiscal_quarter(day, meeting.client.fiscal_year_start_month).key
        report = reports.filter(period=period).order_by("-version").first()
    if report is not None and not report.snapshot:
        report.snapshot, report.meeting = True, meeting
        audit(report, None, "Kept as the snapshot of the held meeting")
        report.save(update_fields=["snapshot", "meeting", "updated_at"])


# --- agenda items ---------------------------------------------------------------------------------


@transaction.atomic
def agenda_item_add(*, meeting: Meeting, actor: User | None, title: str) -> AgendaItem:
    count = AgendaItem.objects.for_practice(meeting.practice_id).filter(meeting=meeting).count()
    if count >= MAX_AGENDA_ITEMS:
        raise ValidationError({"title": f"Keep the agenda to {MAX_AGENDA_ITEMS} items."})
    item = AgendaItem(
        practice_id=meeting.practice_id, meeting=meeting, title=(title or "").strip(), order=count
    )
    item.full_clean()
    audit(item, actor)
    item.save()
    return item


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, actor: User | None) -> None:
    audit(item, actor)
    item.delete()
    _renumber(item.meeting_id, item.practice_id)


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, actor: User | None, direction: str) -> None:
    """Move an agenda item one place up or down."""
    if direction not in ("up", "down"):
        raise ValidationError({"direction": "Move up or down."})
    items = list(
        AgendaItem.objects.select_for_update()
        .for_practice(item.practice_id)
        .filter(meeting_id=item.meeting_id)
    )
    index = next(i for i, it in enumerate(items) if it.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    for order, it in enumerate(items):
        if it.order != order:
            it.order = order
            audit(it, actor)
            it.save(update_fields=["order", "updated_at"])


def _renumber(meeting_id, practice_id) -> None:
    for order, it in enumerate(AgendaItem.objects.for_practice(practice_id).filter(meeting_id=meeting_id)):
        if it.order != order:
            it.order = order
            it.save(update_fields=["order", "updated_at"])


# --- action items ---------------------------------------------------------------------------------


def _check_owner(meeting: Meeting, owner_member: User | None, owner_contact: Contact | None) -> None:
    if owner_member is not None and owner_contact is not None:
        raise ValidationError({"owner_contact": "Choose one owner: a member or a contact, not both."})
    if owner_member is not None:
        _check_members(meeting.practice_id, [owner_member])
    if owner_contact is not None and (
        owner_contact.practice_id != meeting.practice_id or owner_contact.client_id != meeting.client_id
    ):
        raise ValidationError({"owner_contact": "Choose a contact of this client."})


@transaction.atomic
def action_item_create(*, meeting: Meeting, actor: User | None, **data) -> ActionItem:
    """A new open action item of `meeting` (and of its client)."""
    item = ActionItem(practice_id=meeting.practice_id, meeting=meeting, client_id=meeting.client_id)
    apply_fields(item, data, ACTION_ITEM_FIELDS)
    try:
        _check_owner(meeting, item.owner_member, item.owner_contact)
    except ValidationError as exc:
        if "members" in getattr(exc, "error_dict", {}):
            raise ValidationError({"owner_member": "Choose a member of this practice."}) from None
        raise
    item.full_clean()
    audit(item, actor)
    item.save()
    return item


@transaction.atomic
def action_item_update(*, item: ActionItem, actor: User | None, **data) -> ActionItem:
    for key in ("meeting", "client"):
        target = data.pop(key, None)
        if target is not None and target.pk != getattr(item, f"{key}_id"):
            raise ValidationError({key: "An action item cannot move to another meeting."})
    apply_fields(item, data, ACTION_ITEM_FIELDS)
    try:
        _check_owner(item.meeting, item.owner_member, item.owner_contact)
    except ValidationError as exc:
        if "members" in getattr(exc, "error_dict", {}):
            raise ValidationError({"owner_member": "Choose a member of this practice."}) from None
        raise
    item.full_clean()
    audit(item, actor)
    item.save()
    return item


@transaction.atomic
def action_item_set_status(*, item: ActionItem, actor: User | None, status: str) -> ActionItem:
    """Mark an action item done (stamped with the time) or open again."""
    if status not in ActionItemStatus.values:
        raise ValidationError({"status": "Choose open or done."})
    locked = ActionItem.objects.select_for_update().for_practice(item.practice_id).get(pk=item.pk)
    if locked.status != status:
        locked.status = status
        locked.done_at = timezone.now() if status == ActionItemStatus.DONE else None
        audit(locked, actor, "Marked done" if status == ActionItemStatus.DONE else "Reopened")
        locked.save(update_fields=["status", "done_at", "updated_at"])
    item.status, item.done_at = locked.status, locked.done_at
    return item


def action_item_toggle(*, item: ActionItem, actor: User | None) -> ActionItem:
    to = ActionItemStatus.OPEN if item.status == ActionItemStatus.DONE else ActionItemStatus.DONE
    return action_item_set_status(item=item, actor=actor, status=to)


@transaction.atomic
def action_item_delete(*, item: ActionItem, actor: User | None) -> None:
    audit(item, actor)
    item.delete()


# --- settings and members -------------------------------------------------------------------------


@transaction.atomic
def qbr_settings_update(*, practice: Practice, actor: User | None, **data) -> QBRSettings:
    row, _ = QBRSettings.objects.get_or_create(practice=practice)
    apply_fields(row, data, SETTINGS_FIELDS)
    row.full_clean()
    audit(row, actor)
    row.save()
    return row


def clear_member_assignments(*, practice_id, user: User, actor: User | None) -> int:
    """A member leaves: they no longer own the practice's action items, nor attend its meetings."""
    items = list(ActionItem.objects.for_practice(practice_id).filter(owner_member=user))
    for item in items:
        item.owner_member = None
        audit(item, actor, f"{user.display_name} left the practice")
        item.save(update_fields=["owner_member", "updated_at"])
    MeetingMember.objects.for_practice(practice_id).filter(user=user).delete()
    return len(items)
