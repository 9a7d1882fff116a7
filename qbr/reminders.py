"""Reminder digests: each member's due items (`qbr.dashboard.due_items`, the one rule) once a day at
the practice's local morning — by e-mail (HTML and text, in the practice's branding) and as in-app
notifications — and the members' preferences.

Never sent twice. A reminder is (kind, object, due date, recipient); its `ReminderLog` row is unique
on exactly that and is written in the SAME transaction that sends it, before sending:

1. each recipient's digest is one transaction (`practice_context`);
2. for each of their due items a log row is inserted (in a savepoint): an IntegrityError means it was
   already sent (an earlier run, or another worker that got there first — on PostgreSQL the second
   insert waits for the first transaction and then fails), so it is left out;
3. the notifications are written and the e-mail is sent inside that transaction: if sending fails,
   the transaction rolls back the claim (and the notifications), the task fails and its retry sends
   this recipient's digest and the rest — the recipients already committed are not repeated.

So the task run twice, two workers at once, or a retry after a failure part-way, send each reminder
once. `python manage.py send_reminders --practice SLUG [--date YYYY-MM-DD]` runs the same job.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Practice, User
from accounts.selectors import practice_member_users
from vcio.services import audit
from vcio.tenancy import all_practices, practice_context

from . import notifications
from .dashboard import DueItem, due_items
from .models import QBRSettings, ReminderFrequency, ReminderKind, ReminderLog, ReminderPreference
from .services import practice_zone

logger = logging.getLogger(__name__)

WEEKLY_DAY = 0  # Monday


@dataclass
class DigestResult:
    sent: int = 0  # reminders sent now
    already: int = 0  # reminders found already sent
    recipients: int = 0  # members who got a digest now
    emails: int = 0

    def add(self, other: DigestResult) -> None:
        self.sent += other.sent
        self.already += other.already
        self.recipients += other.recipients
        self.emails += other.emails


# --- preferences ----------------------------------------------------------------------------------


def preference_for(*, practice, user) -> ReminderPreference:
    """The member's reminder settings (the defaults, unsaved, until they change them)."""
    practice_id = getattr(practice, "pk", practice)
    return ReminderPreference.objects.for_practice(practice_id).filter(
        user=user
    ).first() or ReminderPreference(practice_id=practice_id, user=user)


@transaction.atomic
def preference_update(
    *, practice, user: User, actor: User | None, disabled_kinds, frequency: str, email: bool
) -> ReminderPreference:
    """Save a member's reminder settings (kinds turned off, daily or weekly, e-mail or in-app only)."""
    pref = preference_for(practice=practice, user=user)
    kinds = sorted({str(k) for k in disabled_kinds})
    unknown = [k for k in kinds if k not in ReminderKind.values]
    if unknown:
        raise ValidationError({"disabled_kinds": f"Unknown reminder kind: {', '.join(unknown)}."})
    pref.disabled_kinds, pref.frequency, pref.email = kinds, frequency, bool(email)
    pref.full_clean()
    audit(pref, actor, "Reminder settings changed")
    pref.save()
    return pref


def is_digest_day(pref: ReminderPreference, day: date) -> bool:
    return pref.frequency != ReminderFrequency.WEEKLY or day.weekday() == WEEKLY_DAY


# --- the schedule ---------------------------------------------------------------------------------


def due_practices_all_practices(*, now: datetime | None = None) -> list[tuple[str, date]]:
    """The hourly fan-out's one read across practices: the practices whose local time has reached
    their morning hour and whose digests of that local day are not all sent yet -> (practice id,
    local day). A missed beat (workers down at 07:00) is caught up at the next one the same day."""
    now = now or timezone.now()
    with all_practices("qbr: which practices' reminder digests are due this hour"):
        practices = list(Practice.objects.only("pk", "time_zone"))
        settings_by_practice = {s.practice_id: s for s in QBRSettings.objects.all_practices()}
    due = []
    for practice in practices:
        row = settings_by_practice.get(practice.pk) or QBRSettings(practice_id=practice.pk)
        local = timezone.localtime(now, practice_zone(practice))
        if local.hour >= row.morning_hour and (
            row.last_digest_on is None or row.last_digest_on < local.date()
        ):
            due.append((str(practice.pk), local.date()))
    return due


def _mark_sent(practice_id, day: date) -> None:
    """Every member's digest of `day` went out: the fan-out stops offering that day."""
    row, _ = QBRSettings.objects.get_or_create(practice_id=practice_id)
    if row.last_digest_on is None or row.last_digest_on < day:
        QBRSettings.objects.filter(pk=row.pk).update(last_digest_on=day)


# --- the digest -----------------------------------------------------------------------------------


def _claim(practice_id, user: User, item: DueItem, day: date) -> bool:
    """Insert the reminder's log row (a savepoint); False when it was already sent."""
    try:
        with transaction.atomic():
            ReminderLog.objects.create(
                practice_id=practice_id,
                kind=item.kind,
                object_id=item.object_id,
                due_date=item.due_date,
                recipient=user,
                digest_day=day,
            )
        return True
    except IntegrityError:
        return False


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def digest_email(
    *, practice: Practice, user: User, items: list[DueItem], day: date
) -> EmailMultiAlternatives:
    """The digest e-mail: text and HTML, in the practice's branding (name, accent colour, logo)."""
    groups = []
    for kind in ReminderKind:
        rows = [i for i in items if i.kind == kind]
        if rows:
            groups.append({"label": kind.label, "items": rows})
    context = {
        "practice": practice,
        "user": user,
        "day": day,
        "groups": groups,
        "count": len(items),
        "site": settings.SITE_URL.rstrip("/"),
        "logo_url": _absolute(practice.logo.url) if practice.logo else "",
        "accent": practice.brand_colour,
        "dashboard_url": _absolute(f"/p/{practice.slug}/dashboard/"),
        "settings_url": _absolute(f"/p/{practice.slug}/settings/reminders/"),
    }
    subject = f"{practice.name}: {len(items)} reminder{'s' if len(items) != 1 else ''} for {day:%A %-d %B}"
    message = EmailMultiAlternatives(
        subject,
        render_to_string("qbr/email/digest.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )
    message.attach_alternative(render_to_string("qbr/email/digest.html", context), "text/html")
    return message


def send_member_digest(*, practice_id, user: User, day: date) -> DigestResult:
    """One member's digest for the practice's local `day`, in ONE transaction: claim, notify, send."""
    result = DigestResult()
    with practice_context(practice_id) as practice:
        pref = preference_for(practice=practice, user=user)
        if not is_digest_day(pref, day):
            return result
        items = [i for i in due_items(practice=practice, user=user, today=day) if pref.wants(i.kind)]
        claimed = []
        for item in items:
            if _claim(practice.pk, user, item, day):
                claimed.append(item)
            else:
                result.already += 1
        if not claimed:
            return result
        for item in claimed:
            notifications.notification_create(
                practice=practice,
                recipient=user,
                kind=item.kind,
                title=f"{item.client_name}: {item.title}",
                body=item.detail,
                link=item.url,
                client=None,
            )
        if pref.email and user.email:
            # Inside the transaction: a failure rolls back this member's claim and notifications.
            digest_email(practice=practice, user=user, items=claimed, day=day).send()
            result.emails += 1
        result.sent += len(claimed)
        result.recipients += 1
    return result


def send_digests(*, practice_id, day: date) -> DigestResult:
    """Every member's digest for the practice's local `day` (each member a transaction of its own)."""
    with practice_context(practice_id) as practice:
        users = list(practice_member_users(practice=practice))
    total = DigestResult()
    for user in users:
        total.add(send_member_digest(practice_id=practice_id, user=user, day=day))
    with practice_context(practice_id):
        _mark_sent(practice_id, day)  # after every member: a failure part-way is retried next hour
    logger.info(
        "Reminders for practice %s on %s: %d sent, %d already sent",
        practice_id,
        day,
        total.sent,
        total.already,
    )
    return total
