"""Meetings with a client (QBRs first), their agendas, attendees and action items; the QBR reports
workers generate; the practice's QBR settings, reminders and notifications (the advisories are in
`qbr.advisory_models`).

Data and invariants only; every write goes through `qbr.services` (meetings, action items, settings)
or `qbr.report_services` (reports). Times are stored in UTC and shown in the practice's time zone.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from vcio.fiscal import FiscalQuarter
from vcio.models import TenantModel
from vcio.validators import validate_sensible_year, validate_single_line

# The advisories' models live in their own module: importing them here registers them with Django
# (and the migrations name `qbr.models.validate_industries`).
from .advisory_models import Advisory, AdvisoryClient, validate_industries  # noqa: F401

SMALLINT_MAX = 32767


def quarter_label(key) -> str:
    try:
        return FiscalQuarter.from_key(key).label
    except (TypeError, ValueError):
        return str(key)


class QBRSettings(TenantModel):
    """The practice's QBR settings (one row per practice, created on first use)."""

    lead_time_days = models.PositiveSmallIntegerField(
        "report lead time (days)",
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Generate a client's QBR report this many days before its next planned QBR.",
    )
    morning_hour = models.PositiveSmallIntegerField(
        "local morning hour",
        default=7,
        validators=[MinValueValidator(0), MaxValueValidator(23)],
        help_text="The hour (in the practice's time zone) at which the day's reports are generated.",
    )
    last_scheduled_on = models.DateField(
        null=True, blank=True, editable=False, help_text="The practice's last local day the schedule ran."
    )
    last_digest_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="The practice's last local day whose reminder digests were all sent.",
    )
    history = HistoricalRecords()
    history_hidden = {"last_scheduled_on", "last_digest_on"}

    class Meta:
        verbose_name = "QBR settings"
        verbose_name_plural = "QBR settings"
        constraints = [models.UniqueConstraint(fields=["practice"], name="qbr_settings_one_per_practice")]

    def __str__(self):
        return "QBR settings"


class MeetingKind(models.TextChoices):
    QBR = "qbr", "QBR"
    STRATEGY = "strategy", "Strategy session"
    BUDGET_REVIEW = "budget_review", "Budget review"
    OTHER = "other", "Other"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


def validate_location(value: str) -> None:
    """A place ("Board room, 2nd floor") or a video link; a link must be http(s)."""
    validate_single_line(value)
    text = value.strip().lower()
    if "://" in text and not text.startswith(("https://", "http://")):
        raise ValidationError("A video link must start with https://.")


class Meeting(TenantModel):
    """A meeting with a client: a quarterly business review, a strategy session, a budget review…"""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="meetings", db_index=False
    )
    kind = models.CharField(max_length=16, choices=MeetingKind.choices, default=MeetingKind.QBR)
    title = models.CharField(
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text="Optional; the kind of meeting (“QBR”) is shown when empty.",
    )
    scheduled_at = models.DateTimeField("date and time", validators=[validate_sensible_year])
    duration_minutes = models.PositiveSmallIntegerField(
        "duration (minutes)", default=60, validators=[MinValueValidator(15), MaxValueValidator(480)]
    )
    location = models.CharField(
        "location or video link",
        max_length=500,
        blank=True,
        validators=[validate_location],
        help_text="A room or address, or a video-call link.",
    )
    notes = models.TextField(blank=True, max_length=50_000)
    status = models.CharField(
        max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED, editable=False
    )
    held_at = models.DateTimeField(null=True, blank=True, editable=False)
    proposed_by_meeting = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The held QBR whose cadence proposed this one.",
        db_index=False,
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="MeetingMember", related_name="qbr_meetings", blank=True
    )
    contacts = models.ManyToManyField(
        "clients.Contact", through="MeetingContact", related_name="meetings", blank=True
    )
    history = HistoricalRecords()
    history_hidden = {"held_at", "proposed_by_meeting"}

    class Meta:
        ordering = ["scheduled_at"]
        indexes = [
            models.Index(fields=["practice", "proposed_by_meeting"], name="meeting_practice_proposed_by"),
            models.Index(fields=["practice", "client", "scheduled_at"], name="meeting_practice_client_at"),
            # the Meetings page: the practice's next 25 in time order, not every client's upcoming
            models.Index(fields=["practice", "scheduled_at"], name="meeting_practice_at"),
            models.Index(fields=["practice", "status", "scheduled_at"], name="meeting_practice_status_at"),
        ]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        """The title, or the kind ("QBR") when it has none."""
        return self.title or self.get_kind_display()

    @property
    def is_link(self) -> bool:
        return self.location.strip().lower().startswith(("https://", "http://"))

    @property
    def ends_at(self):
        from datetime import timedelta

        return self.scheduled_at + timedelta(minutes=self.duration_minutes) if self.scheduled_at else None


class MeetingMember(TenantModel):
    """A member of the practice attends a meeting (the through table, with its own practice)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="member_links", db_index=False
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "meeting", "user"], name="meeting_member_unique")
        ]

    def __str__(self):
        return f"{self.user_id} @ {self.meeting_id}"


class MeetingContact(TenantModel):
    """A contact of the client attends a meeting (the through table, with its own practice)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="contact_links", db_index=False
    )
    contact = models.ForeignKey("clients.Contact", on_delete=models.CASCADE, related_name="+", db_index=False)

    class Meta:
        indexes = [models.Index(fields=["practice", "contact"], name="meeting_contact_practice_ct")]
        constraints = [
            models.UniqueConstraint(fields=["practice", "meeting", "contact"], name="meeting_contact_unique")
        ]

    def __str__(self):
        return f"{self.contact_id} @ {self.meeting_id}"


class AgendaItem(TenantModel):
    """One item of a meeting's agenda, in order."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", db_index=False
    )
    title = models.CharField(max_length=200, validators=[validate_single_line])
    order = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(SMALLINT_MAX)])
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "created_at"]
        indexes = [models.Index(fields=["practice", "meeting", "order"], name="agenda_practice_meeting_o")]

    def __str__(self):
        return self.title


class ActionItemStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class ActionItem(TenantModel):
    """Something agreed at a meeting: who does it (a member or a contact of the client) and by when."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="action_items", db_index=False
    )
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="action_items",
        editable=False,
        db_index=False,
    )  # the meeting's client, kept here for the client's open-items queries
    description = models.CharField(max_length=500, validators=[validate_single_line])
    owner_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="owner (practice)",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="qbr_action_items",
    )
    owner_contact = models.ForeignKey(
        "clients.Contact",
        verbose_name="owner (client)",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        db_index=False,
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=6, choices=ActionItemStatus.choices, default=ActionItemStatus.OPEN, editable=False
    )
    done_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords()
    history_hidden = {"done_at"}

    class Meta:
        ordering = ["due_date", "created_at"]
        indexes = [
            models.Index(fields=["practice", "owner_contact"], name="action_item_practice_contact"),
            models.Index(
                fields=["practice", "client", "status", "due_date"], name="action_practice_client_st"
            ),
            models.Index(fields=["practice", "meeting"], name="action_practice_meeting"),
            # the API list's order: its page read in order, not every item of the practice sorted
            models.Index(fields=["practice", "due_date", "created_at", "id"], name="action_practice_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_member__isnull=True) | Q(owner_contact__isnull=True),
                name="action_item_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(status="open", done_at__isnull=True) | Q(status="done", done_at__isnull=False),
                name="action_item_done_at_with_status",
            ),
        ]

    def __str__(self):
        return self.description

    def clean(self):
        if self.owner_member_id and self.owner_contact_id:
            raise ValidationError({"owner_contact": "Choose one owner: a member or a contact, not both."})

    @property
    def owner_name(self) -> str:
        if self.owner_member_id:
            return self.owner_member.display_name
        if self.owner_contact_id:
            return self.owner_contact.name
        return ""


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Generating"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class ReportTrigger(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    MANUAL = "manual", "Manual"


def report_upload_to(report, filename: str) -> str:
    """A generated name, never the user's: qbr/<practice>/<client>/<period>-v<version>-<random>.pdf."""
    return (
        f"qbr/{report.practice_id}/{report.client_id}/"
        f"{report.period}-v{report.version}-{uuid.uuid4().hex[:12]}.pdf"
    )


class ReportBatch(TenantModel):
    """“Generate for all clients”: the reports requested together, so their progress can be shown."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    total = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Batch of {self.total}"


class QBRReport(TenantModel):
    """A branded QBR report (PDF) of one client for one fiscal quarter. Regenerating makes a new
    version; the report of a held meeting is kept as a snapshot."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="qbr_reports", db_index=False
    )
    period = models.PositiveIntegerField(
        "fiscal quarter", help_text="The client's fiscal quarter key (vcio.fiscal), e.g. 20272."
    )
    version = models.PositiveSmallIntegerField(default=1, validators=[MaxValueValidator(SMALLINT_MAX)])
    status = models.CharField(max_length=8, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    pdf = models.FileField(upload_to=report_upload_to, blank=True, max_length=300)
    trigger = models.CharField(max_length=10, choices=ReportTrigger.choices, default=ReportTrigger.MANUAL)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports", db_index=False
    )
    batch = models.ForeignKey(
        ReportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports", db_index=False
    )
    snapshot = models.BooleanField(default=False, help_text="Kept as the record of a held meeting.")
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, max_length=2_000)
    # Bookkeeping of the worker: which task run holds the report, how many runs started, and when
    # the consultant was told (recorded before the e-mail is sent: never twice).
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["progress"])
    history_formatters = {"period": quarter_label}
    history_hidden = {"task_id", "attempts", "notified_at", "started_at", "finished_at", "pdf", "batch"}

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["practice", "meeting"], name="qbr_report_practice_meeting"),
            models.Index(fields=["practice", "batch"], name="qbr_report_practice_batch"),
            models.Index(fields=["practice", "client", "period"], name="qbrreport_practice_client_p"),
            models.Index(fields=["practice", "status"], name="qbrreport_practice_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "client", "period", "version"], name="qbrreport_unique_version"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="qbrreport_progress_range"),
            models.CheckConstraint(condition=~Q(status="done") | ~Q(pdf=""), name="qbrreport_done_has_pdf"),
        ]

    def __str__(self):
        return f"QBR report {self.period_label} v{self.version}"

    @property
    def period_quarter(self) -> FiscalQuarter:
        return FiscalQuarter.from_key(self.period)

    @property
    def period_label(self) -> str:
        return quarter_label(self.period)

    @property
    def is_active(self) -> bool:
        return self.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)

    @property
    def is_done(self) -> bool:
        return self.status == ReportStatus.DONE


# --- reminders and notifications (qbr.reminders, qbr.notifications) -------------------------------


class ReminderKind(models.TextChoices):
    """What a reminder is about: one kind per block of due items (`qbr.dashboard`)."""

    NOTICE = "notice", "Contract notice deadlines"
    COMPLIANCE = "compliance", "Compliance items due"
    INITIATIVE = "initiative", "Initiatives due this quarter"
    ACTION_ITEM = "action_item", "Open action items"
    MEETING = "meeting", "Upcoming meetings"
    QBR_OVERDUE = "qbr_overdue", "Clients due a QBR"


class ReminderFrequency(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly (Mondays)"


class ReminderPreference(TenantModel):
    """A member's reminder settings in a practice (none saved: every kind, daily)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    disabled_kinds = models.JSONField(default=list, blank=True, help_text="Reminder kinds turned off.")
    frequency = models.CharField(
        max_length=6, choices=ReminderFrequency.choices, default=ReminderFrequency.DAILY
    )
    email = models.BooleanField("e-mail the digest", default=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "user"], name="reminder_pref_one_per_member")
        ]

    def __str__(self):
        return "Reminder settings"

    def wants(self, kind: str) -> bool:
        return kind not in (self.disabled_kinds or [])


class ReminderLog(TenantModel):
    """One reminder sent: written in the transaction that sends it, before sending, so a reminder
    (kind, object, due date, recipient) is sent once — whatever runs twice, races or retries."""

    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    object_id = models.UUIDField()
    due_date = models.DateField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    digest_day = models.DateField(help_text="The practice's local day of the digest that sent it.")

    class Meta:
        indexes = [
            models.Index(fields=["practice", "recipient", "digest_day"], name="reminderlog_practice_rcpt")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "kind", "object_id", "due_date", "recipient"], name="reminderlog_once"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id} {self.due_date}"


class Notification(TenantModel):
    """An in-app notification for one member (the bell in the top bar)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    title = models.CharField(max_length=300)
    body = models.CharField(max_length=500, blank=True)
    link = models.CharField(max_length=500, blank=True, help_text="A path of this site.")
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=False
    )
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["practice", "recipient", "read_at", "created_at"], name="notification_practice_rcpt"
            ),
            models.Index(fields=["practice", "client"], name="notification_practice_client"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
