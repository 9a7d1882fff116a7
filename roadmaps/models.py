"""Business goals and the initiatives that serve them, planned by fiscal quarter.

Data and invariants only; every write goes through `roadmaps.services`. Target quarters are stored
as `vcio.fiscal` keys (`year * 10 + quarter`, FY2027 Q2 -> 20272) in the client's fiscal calendar.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from vcio.fiscal import SUPPORTED_RANGE_TEXT, FiscalQuarter, is_supported_key
from vcio.history import IndexedHistoricalRecords
from vcio.models import TenantModel
from vcio.validators import validate_single_line

MONEY = {"max_digits": 14, "decimal_places": 2}
SMALLINT_MAX = 32767  # PostgreSQL's smallint: a larger value would be a database error, not a field error


def quarter_label(key) -> str:
    """20283 -> "FY2028 Q3" (audit history, lists)."""
    try:
        return FiscalQuarter.from_key(key).label
    except (TypeError, ValueError):
        return str(key)


def fiscal_year_label(year) -> str:
    return f"FY{year}"


def validate_quarter_key(value: int) -> None:
    if value is None:
        return
    if not is_supported_key(value):
        raise ValidationError(f"Choose a fiscal quarter from {SUPPORTED_RANGE_TEXT}.")


class GoalStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ACHIEVED = "achieved", "Achieved"
    DROPPED = "dropped", "Dropped"


class Goal(TenantModel):
    """A business goal of the client for a fiscal year ("Open a fourth clinic", "Pass the NCUA exam")."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="goals", db_index=False
    )
    title = models.CharField(max_length=200, validators=[validate_single_line])
    description = models.TextField(blank=True, max_length=5_000)
    fiscal_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="The fiscal year the goal is for (named by the year it ends).",
    )
    status = models.CharField(max_length=10, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    order = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(SMALLINT_MAX)], help_text="Lower numbers are listed first."
    )
    history = IndexedHistoricalRecords(("client",), "goal_hist_practice_client")
    history_formatters = {"fiscal_year": fiscal_year_label}

    class Meta:
        ordering = ["order", "title"]
        indexes = [models.Index(fields=["practice", "client", "order"], name="goal_practice_client_order")]

    def __str__(self):
        return self.title


class Category(models.TextChoices):
    INFRASTRUCTURE = "infrastructure", "Infrastructure"
    SECURITY = "security", "Security"
    CLOUD = "cloud", "Cloud"
    SOFTWARE = "software", "Software"
    DATA_BACKUP = "data_backup", "Data & backup"
    NETWORK = "network", "Network"
    END_USER = "end_user_devices", "End-user devices"
    COMPLIANCE = "compliance", "Compliance"
    PROCESS = "process", "Process"
    STAFFING = "staffing", "Staffing"
    OTHER = "other", "Other"


class Priority(models.TextChoices):
    CRITICAL = "critical", "Critical"
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


PRIORITY_RANK = {Priority.CRITICAL: 1, Priority.HIGH: 2, Priority.MEDIUM: 3, Priority.LOW: 4}


class Status(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DEFERRED = "deferred", "Deferred"
    REJECTED = "rejected", "Rejected"


class Initiative(TenantModel):
    """A technology initiative on the client's roadmap."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="initiatives", db_index=False
    )
    title = models.CharField(max_length=200, validators=[validate_single_line])
    description = models.TextField(blank=True, max_length=20_000)
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.OTHER)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED, editable=False)
    target_start = models.PositiveIntegerField(
        "target start quarter", validators=[validate_quarter_key], help_text="Fiscal quarter key, e.g. 20272."
    )
    target_end = models.PositiveIntegerField(
        "target end quarter", validators=[validate_quarter_key], help_text="Fiscal quarter key, e.g. 20273."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_initiatives",
        help_text="The practice member who drives it.",
    )
    sponsor = models.ForeignKey(
        "clients.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sponsored_initiatives",
        help_text="The client's executive sponsor.",
        db_index=False,
    )
    goals = models.ManyToManyField(Goal, through="InitiativeGoal", related_name="initiatives", blank=True)
    one_time_cost = models.DecimalField(
        "one-time cost estimate", default=0, validators=[MinValueValidator(0)], **MONEY
    )
    recurring_monthly_cost = models.DecimalField(
        "recurring monthly cost estimate", default=0, validators=[MinValueValidator(0)], **MONEY
    )
    effort_hours = models.PositiveIntegerField(
        "effort (hours)", null=True, blank=True, validators=[MaxValueValidator(100_000)]
    )
    business_impact = models.TextField(blank=True, max_length=5_000)
    risk_if_not_done = models.TextField("risk if not done", blank=True, max_length=5_000)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = IndexedHistoricalRecords(("client",), "initiative_hist_pr_client")
    # Audit history in the user's language: quarters as "FY2028 Q3"; the workflow's own stamps (who
    # approved, when done) are shown by the status change's reason, not as separate field changes.
    history_formatters = {"target_start": quarter_label, "target_end": quarter_label}
    history_hidden = {"approved_by", "approved_at", "completed_at"}

    class Meta:
        ordering = ["target_start", "title"]
        indexes = [
            models.Index(fields=["practice", "client", "status"], name="initiative_practice_client_st"),
            models.Index(fields=["practice", "client", "target_start"], name="initiative_practice_client_q"),
            # the dashboard's initiatives due: each client's open ones ending by the horizon
            models.Index(
                fields=["practice", "client", "target_end"],
                condition=~Q(status__in=["done", "rejected"]),
                name="initiative_open_client_end",
            ),
            models.Index(fields=["practice", "owner"], name="initiative_practice_owner"),
            models.Index(fields=["practice", "sponsor"], name="initiative_practice_sponsor"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_end__gte=F("target_start")), name="initiative_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(one_time_cost__gte=0), name="initiative_one_time_cost_positive"
            ),
            models.CheckConstraint(
                condition=Q(recurring_monthly_cost__gte=0), name="initiative_recurring_cost_positive"
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.target_start and self.target_end and self.target_end < self.target_start:
            raise ValidationError({"target_end": "The end quarter cannot be before the start quarter."})

    @property
    def linked_goals(self) -> list:
        """The goals it serves, by order and title (`selectors.goals_prefetch`)."""
        return self.prefetched("goals")

    @property
    def start_quarter(self) -> FiscalQuarter | None:
        return FiscalQuarter.from_key(self.target_start) if self.target_start else None

    @property
    def end_quarter(self) -> FiscalQuarter | None:
        return FiscalQuarter.from_key(self.target_end) if self.target_end else None

    @property
    def quarter_label(self) -> str:
        start, end = self.start_quarter, self.end_quarter
        if start is None:
            return "—"
        if end is None or end == start:
            return start.label
        if end.year == start.year:
            return f"{start.label}–Q{end.quarter}"
        return f"{start.label} – {end.label}"


class InitiativeGoal(TenantModel):
    """An initiative serves a goal (the many-to-many through table, with its own practice)."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="goal_links", db_index=False
    )
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="initiative_links", db_index=False)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "initiative", "goal"], name="initiative_goal_unique")
        ]
        indexes = [models.Index(fields=["practice", "goal"], name="initiative_goal_practice_goal")]

    def __str__(self):
        return f"{self.initiative_id} → {self.goal_id}"


class InitiativeStatusChange(TenantModel):
    """One move of an initiative through the workflow: from, to, who, when (created_at), why."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="status_changes", db_index=False
    )
    from_status = models.CharField(max_length=12, choices=Status.choices)
    to_status = models.CharField(max_length=12, choices=Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True, max_length=2_000)
    previous_target_start = models.PositiveIntegerField(null=True, blank=True)
    new_target_start = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["practice", "initiative", "created_at"], name="initiative_status_practice_i")
        ]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class InitiativeTemplate(TenantModel):
    """A reusable initiative of the practice's library ("Roll out MFA", "Replace end-of-life
    firewalls"): what a vCIO recommends again and again, with typical costs and effort. Adding it to a
    client's roadmap creates an ordinary initiative (`roadmaps.library_services.templates_apply`).

    `tags` is a normalised, comma-separated list ("hipaa, security"), searchable like the title."""

    title = models.CharField(max_length=200, validators=[validate_single_line])
    description = models.TextField(blank=True, max_length=20_000)
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.OTHER)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    one_time_cost = models.DecimalField(
        "typical one-time cost", default=0, validators=[MinValueValidator(0)], **MONEY
    )
    recurring_monthly_cost = models.DecimalField(
        "typical monthly cost", default=0, validators=[MinValueValidator(0)], **MONEY
    )
    effort_hours = models.PositiveIntegerField(
        "effort (hours)", null=True, blank=True, validators=[MaxValueValidator(100_000)]
    )
    business_impact = models.TextField(blank=True, max_length=5_000)
    risk_if_not_done = models.TextField("risk if not done", blank=True, max_length=5_000)
    tags = models.CharField(
        max_length=300,
        blank=True,
        validators=[validate_single_line],
        help_text="Comma-separated, e.g. “security, hipaa, insurance”.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                F("practice"),
                Lower("title"),
                name="initiative_template_unique_title",
                violation_error_message="The library already has a template with this title.",
            ),
            models.CheckConstraint(
                condition=Q(one_time_cost__gte=0), name="initiative_template_one_time_cost_positive"
            ),
            models.CheckConstraint(
                condition=Q(recurring_monthly_cost__gte=0),
                name="initiative_template_recurring_cost_positive",
            ),
        ]
        indexes = [models.Index(fields=["practice", "category"], name="initiative_template_practice_c")]

    def __str__(self):
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [t for t in (self.tags or "").split(", ") if t]
