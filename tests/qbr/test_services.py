"""Meetings, the QBR cadence, agendas, attendees and action items: the services' rules."""

import zoneinfo
from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.member_services import membership_remove
from accounts.models import Membership
from qbr import services
from qbr.models import ActionItem, AgendaItem, Meeting, MeetingKind, MeetingStatus
from tests.factories import ContactFactory, MembershipFactory, QBRReportFactory, UserFactory

from .conftest import plan

pytestmark = pytest.mark.django_db
NY = zoneinfo.ZoneInfo("America/New_York")


def at(year, month, day, hour=10, zone=NY):
    return timezone.make_aware(datetime(year, month, day, hour, 0), zone)


def test_a_new_qbr_gets_the_standard_agenda_and_its_attendees(client_a1, owner_a, consultant_a):
    ceo = ContactFactory(client=client_a1, is_executive=True)
    meeting = plan(client_a1, owner_a, members=[owner_a, consultant_a], contacts=[ceo])
    assert meeting.practice_id == client_a1.practice_id and meeting.status == MeetingStatus.PLANNED
    assert [i.title for i in meeting.agenda_items.all()] == list(services.DEFAULT_QBR_AGENDA)
    assert {link.user_id for link in meeting.member_links.all()} == {owner_a.pk, consultant_a.pk}
    assert [link.contact for link in meeting.contact_links.all()] == [ceo]
    assert all(link.practice_id == client_a1.practice_id for link in meeting.member_links.all())
    other = plan(client_a1, owner_a, kind=MeetingKind.STRATEGY)
    assert other.agenda_items.count() == 0


def test_attendees_must_belong_to_the_practice_and_the_client(
    client_a1, client_a2, owner_a, owner_b, canary_client_b
):
    with pytest.raises(ValidationError) as exc:
        plan(client_a1, owner_a, members=[owner_b])
    assert "members" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        plan(client_a1, owner_a, contacts=[ContactFactory(client=client_a2)])
    assert "contacts" in exc.value.message_dict
    with pytest.raises(ValidationError):
        plan(client_a1, owner_a, contacts=[ContactFactory(client=canary_client_b)])
    assert not Meeting.objects.exists()


def test_holding_a_qbr_plans_the_next_one_a_cadence_later_at_the_same_local_time(
    practice_a, client_a1, owner_a
):
    practice_a.time_zone = "America/New_York"
    practice_a.save()
    client_a1.qbr_cadence_months = 3
    client_a1.save()
    ceo = ContactFactory(client=client_a1)
    # 31 January, 09:30 New York (winter time) -> 30 April (no 31st), 09:30 New York (summer time)
    first = services.meeting_create(
        client=client_a1,
        actor=owner_a,
        scheduled_at=at(2027, 1, 31, 9).replace(minute=30),
        members=[owner_a],
        contacts=[ceo],
        location="Board room",
        duration_minutes=90,
    )
    held, nxt = services.meeting_hold(meeting=first, actor=owner_a, notes="Went well.")
    assert held.status == MeetingStatus.HELD and held.held_at is not None and held.notes == "Went well."
    assert timezone.localtime(nxt.scheduled_at, NY).replace(tzinfo=None) == datetime(2027, 4, 30, 9, 30)
    assert nxt.status == MeetingStatus.PLANNED and nxt.kind == MeetingKind.QBR
    assert nxt.proposed_by_meeting_id == first.pk
    assert (nxt.location, nxt.duration_minutes) == ("Board room", 90)
    assert [link.contact for link in nxt.contact_links.all()] == [ceo]
    assert nxt.agenda_items.count() == len(services.DEFAULT_QBR_AGENDA)


def test_the_proposed_date_can_be_changed_and_is_never_duplicated(client_a1, owner_a):
    first = plan(client_a1, owner_a, days=1)
    chosen = first.scheduled_at + timezone.timedelta(days=100)
    _, nxt = services.meeting_hold(meeting=first, actor=owner_a, next_scheduled_at=chosen)
    assert nxt.scheduled_at == chosen
    with pytest.raises(ValidationError):  # already held
        services.meeting_hold(meeting=first, actor=owner_a)
    # Holding a QBR when a later one is already planned keeps that one (no second proposal).
    second = plan(client_a1, owner_a, days=2)
    _, again = services.meeting_hold(meeting=second, actor=owner_a)
    assert again.pk == nxt.pk
    assert Meeting.objects.filter(status=MeetingStatus.PLANNED).count() == 1
    with pytest.raises(ValidationError) as exc:
        services.meeting_hold(
            meeting=plan(client_a1, owner_a, days=300), actor=owner_a, next_scheduled_at=first.scheduled_at
        )
    assert "next_scheduled_at" in exc.value.message_dict


def test_holding_without_proposing_and_other_kinds_propose_nothing(client_a1, owner_a):
    _, nxt = services.meeting_hold(meeting=plan(client_a1, owner_a), actor=owner_a, propose_next=False)
    assert nxt is None
    _, nxt = services.meeting_hold(meeting=plan(client_a1, owner_a, kind=MeetingKind.STRATEGY), actor=owner_a)
    assert nxt is None
    assert Meeting.objects.filter(status=MeetingStatus.PLANNED).count() == 0


def test_holding_a_qbr_keeps_its_report_as_a_snapshot(client_a1, owner_a):
    meeting = plan(client_a1, owner_a)
    older = QBRReportFactory(client=client_a1, meeting=meeting, ready=True, version=1)
    newer = QBRReportFactory(client=client_a1, meeting=meeting, ready=True, version=2)
    services.meeting_hold(meeting=meeting, actor=owner_a)
    older.refresh_from_db()
    newer.refresh_from_db()
    assert newer.snapshot and not older.snapshot


def test_cancel_and_delete_rules(client_a1, owner_a):
    meeting = plan(client_a1, owner_a)
    services.meeting_cancel(meeting=meeting, actor=owner_a)
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.CANCELLED
    with pytest.raises(ValidationError):
        services.meeting_hold(meeting=meeting, actor=owner_a)
    services.meeting_delete(meeting=meeting, actor=owner_a)
    held, _ = services.meeting_hold(meeting=plan(client_a1, owner_a), actor=owner_a, propose_next=False)
    with pytest.raises(ValidationError):
        services.meeting_delete(meeting=held, actor=owner_a)
    assert Meeting.objects.filter(pk=held.pk).exists()


def test_a_meeting_cannot_move_to_another_client(client_a1, client_a2, owner_a):
    meeting = plan(client_a1, owner_a)
    with pytest.raises(ValidationError):
        services.meeting_update(meeting=meeting, actor=owner_a, client=client_a2)


def test_a_video_link_must_be_http(client_a1, owner_a):
    with pytest.raises(ValidationError) as exc:
        plan(client_a1, owner_a, location="javascript://alert(1)")
    assert "location" in exc.value.message_dict
    assert plan(client_a1, owner_a, location="https://meet.example.com/abc").is_link


def test_agenda_items_are_added_moved_and_removed_in_order(client_a1, owner_a):
    meeting = plan(client_a1, owner_a, agenda=["One", "Two", "Three"])
    items = list(meeting.agenda_items.all())
    services.agenda_item_move(item=items[2], actor=owner_a, direction="up")
    assert list(AgendaItem.objects.filter(meeting=meeting).values_list("title", flat=True)) == [
        "One",
        "Three",
        "Two",
    ]
    services.agenda_item_delete(item=items[0], actor=owner_a)
    services.agenda_item_add(meeting=meeting, actor=owner_a, title="Four")
    rows = list(AgendaItem.objects.filter(meeting=meeting).values_list("title", "order"))
    assert rows == [("Three", 0), ("Two", 1), ("Four", 2)]
    with pytest.raises(ValidationError):
        services.agenda_item_add(meeting=meeting, actor=owner_a, title="  ")
    services.meeting_update(meeting=meeting, actor=owner_a, agenda=["Two", "New"])
    assert list(AgendaItem.objects.filter(meeting=meeting).values_list("title", flat=True)) == ["Two", "New"]


def test_an_action_item_has_one_owner_of_the_practice_or_the_client(
    client_a1, client_a2, owner_a, owner_b, canary_client_b
):
    meeting = plan(client_a1, owner_a)
    contact = ContactFactory(client=client_a1)
    item = services.action_item_create(
        meeting=meeting, actor=owner_a, description="Send the budget", owner_contact=contact
    )
    assert item.client_id == client_a1.pk and item.practice_id == client_a1.practice_id
    with pytest.raises(ValidationError) as exc:
        services.action_item_create(
            meeting=meeting, actor=owner_a, description="x", owner_member=owner_a, owner_contact=contact
        )
    assert "owner_contact" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.action_item_create(meeting=meeting, actor=owner_a, description="x", owner_member=owner_b)
    assert "owner_member" in exc.value.message_dict
    for stranger in (ContactFactory(client=client_a2), ContactFactory(client=canary_client_b)):
        with pytest.raises(ValidationError):
            services.action_item_create(
                meeting=meeting, actor=owner_a, description="x", owner_contact=stranger
            )
    assert ActionItem.objects.count() == 1


def test_done_is_stamped_and_reopening_clears_it(client_a1, owner_a):
    item = services.action_item_create(meeting=plan(client_a1, owner_a), actor=owner_a, description="Do it")
    services.action_item_toggle(item=item, actor=owner_a)
    item.refresh_from_db()
    assert item.status == "done" and item.done_at is not None
    services.action_item_toggle(item=item, actor=owner_a)
    item.refresh_from_db()
    assert item.status == "open" and item.done_at is None
    history = list(ActionItem.history.filter(id=item.pk).values_list("history_change_reason", flat=True))
    assert "Marked done" in history and "Reopened" in history


def test_a_member_who_leaves_owns_no_action_item_and_attends_no_meeting(practice_a, client_a1, owner_a):
    leaver = UserFactory()
    membership = MembershipFactory(practice=practice_a, user=leaver)
    meeting = plan(client_a1, owner_a, members=[owner_a, leaver])
    item = services.action_item_create(meeting=meeting, actor=owner_a, description="x", owner_member=leaver)
    membership_remove(membership=Membership.objects.get(pk=membership.pk), actor=owner_a)
    item.refresh_from_db()
    assert item.owner_member is None
    assert [link.user_id for link in meeting.member_links.all()] == [owner_a.pk]


def test_settings_are_one_row_per_practice(practice_a, owner_a):
    services.qbr_settings_update(practice=practice_a, actor=owner_a, lead_time_days=10)
    row = services.qbr_settings_update(practice=practice_a, actor=owner_a, morning_hour=6)
    assert (row.lead_time_days, row.morning_hour) == (10, 6)
    with pytest.raises(ValidationError):
        services.qbr_settings_update(practice=practice_a, actor=owner_a, lead_time_days=0)
