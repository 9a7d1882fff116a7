"""Yearly IT budgets of a client, their lines, what-if scenarios, actual spend, and the practice's
budget settings.

Data and invariants only; every write goes through `budgets.services`. A line's monthly phasing is
computed by `budgets.phasing` (pure); what readers of many budgets need is kept beside the rows it
comes from: each budget's planned months (`Budget.planned_months`, `budgets.planned`) and each
client's actual spend by month (`MonthlySpend`, `budgets.spend`). A scenario is a `Budget` too — a named copy of a
client's budget (`scenario_of` set) whose lines can be changed freely and compared with it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from vcio.fiscal import FIRST_YEAR, LAST_YEAR, fiscal_year_label
from vcio.models import TenantModel
from vcio.validators import validate_single_line

from . import phasing

MONEY = {"max_digits": 14, "decimal_places": 2}
MAX_INFLATION = 50


class BudgetStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"


class BudgetCategory(models.TextChoices):
    HARDWARE = "hardware", "Hardware"
    SOFTWARE = "software", "Software & SaaS"
    CLOUD = "cloud", "Cloud"
    MANAGED = "managed_services", "Managed services"
    PROJECTS = "projects", "Projects"
    SECURITY = "security", "Security"
    TELECOM = "telecom", "Telecom"
    TRAINING = "training", "Training"
    STAFF = "staff", "Staff"
    OTHER = "other", "Other"


CATEGORY_ORDER = {key: i for i, key in enumerate(BudgetCategory.values)}


class ExpenseType(models.TextChoices):
    CAPEX = "capex", "Capex"
    OPEX = "opex", "Opex"


class Recurrence(models.TextChoices):
    ONE_TIME = phasing.ONE_TIME, "One-time"
    MONTHLY = phasing.MONTHLY, "Monthly"
    QUARTERLY = phasing.QUARTERLY, "Quarterly"
    ANNUAL = phasing.ANNUAL, "Annual"


class LineSource(models.TextChoices):
    MANUAL = "manual", "Manual"
    INITIATIVE = "initiative", "Initiative"
    CONTRACT = "contract", "Contract"


class SourcePart(models.TextChoices):
    """Which cost of its source a generated line carries: an initiative has a one-time and a recurring
    cost (two lines); a contract one line (blank)."""

    NONE = "", "—"
    ONE_TIME = "one_time", "One-time cost"
    RECURRING = "recurring", "Recurring cost"


class ActualSource(models.TextChoices):
    MANUAL = "manual", "Manual"
    IMPORT = "import", "Import"


def fiscal_month_label(value) -> str:
    return f"fiscal month {value}"


class Budget(TenantModel):
    """A client's IT budget for one fiscal year (`scenario_of` empty), or a named what-if scenario of
    one (`scenario_of` set, `name` its name). Approving a budget freezes it until it is reopened."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="budgets", db_index=False
    )
    fiscal_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
        help_text="Named by the calendar year it ends in.",
    )
    scenario_of = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="scenarios",
        editable=False,
        db_index=False,
    )
    name = models.CharField("scenario name", max_length=120, blank=True, validators=[validate_single_line])
    status = models.CharField(
        max_length=10, choices=BudgetStatus.choices, default=BudgetStatus.DRAFT, editable=False
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    built_at = models.DateTimeField(
        "last built", null=True, blank=True, editable=False, help_text="Last built from the roadmap."
    )
    notes = models.TextField(blank=True, max_length=10_000)
    planned_months = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="Its lines' phased fiscal months (12 amounts as text), kept by the budget services; "
        "empty: not known, summed from the lines when read.",
    )
    plan_figures = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="What its plan shows besides the lines on the page (each category's line count and "
        "months, the summary), kept with the planned months; empty: not known, the plan reads every line.",
    )
    history = HistoricalRecords(excluded_fields=["planned_months", "plan_figures"])
    history_formatters = {"fiscal_year": fiscal_year_label}
    history_hidden = {"approved_by", "approved_at", "built_at"}

    class Meta:
        ordering = ["-fiscal_year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "client", "fiscal_year"],
                condition=Q(scenario_of__isnull=True),
                name="budget_one_per_client_year",
                violation_error_message="The client already has a budget for this fiscal year.",
            ),
            models.UniqueConstraint(
                "practice",
                "scenario_of",
                Lower("name"),
                condition=Q(scenario_of__isnull=False),
                name="budget_scenario_name_unique",
                violation_error_message="This budget already has a scenario with this name.",
            ),
            models.CheckConstraint(
                condition=Q(scenario_of__isnull=True) | ~Q(status=BudgetStatus.APPROVED),
                name="budget_scenario_never_approved",
            ),
        ]
        indexes = [
            models.Index(fields=["practice", "client", "fiscal_year"], name="budget_practice_client_fy"),
            models.Index(fields=["practice", "scenario_of"], name="budget_practice_scenario_of"),
        ]

    def __str__(self):
        if self.scenario_of_id:
            return f"{fiscal_year_label(self.fiscal_year)} scenario “{self.name}”"
        return f"{fiscal_year_label(self.fiscal_year)} budget"

    @property
    def is_scenario(self) -> bool:
        return self.scenario_of_id is not None

    @property
    def is_approved(self) -> bool:
        return self.status == BudgetStatus.APPROVED

    @property
    def label(self) -> str:
        return self.name if self.is_scenario else f"{fiscal_year_label(self.fiscal_year)} budget"

    def clean(self):
        if self.scenario_of_id and not (self.name or "").strip():
            raise ValidationError({"name": "Name the scenario."})

    def stored_months(self) -> list | None:
        """The 12 planned fiscal months (Decimal) as last kept by `planned.replan`, or None when
        they are not known (a line changed outside the services: readers sum the lines instead)."""
        if self.planned_months is None:
            return None
        return [phasing.money(value) for value in self.planned_months]


def forget_planned(practice_id, budget_ids) -> None:
    """Mark budgets' stored months and plan figures unknown (readers then sum their lines): for
    writes of lines that bypass the services."""
    ids = {pk for pk in budget_ids if pk is not None}
    if ids:
        Budget.objects.for_practice(practice_id).filter(pk__in=ids).update(
            planned_months=None, plan_figures=None
        )


class BudgetLine(TenantModel):
    """One line of a budget: an amount per occurrence, its recurrence and the fiscal months it runs in
    (`first_month`, and `months` — empty for "until the end of the year"). Generated lines name their
    source (an initiative or a contract, with the cost they carry): building again updates them from
    it unless they were `adjusted` by hand; a `dropped` line stays as a marker (costing nothing) so a
    rebuild does not bring it back."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines", db_index=False)
    name = models.CharField("description", max_length=200, validators=[validate_single_line])
    category = models.CharField(max_length=20, choices=BudgetCategory.choices, default=BudgetCategory.OTHER)
    expense_type = models.CharField(
        "capex or opex", max_length=5, choices=ExpenseType.choices, default=ExpenseType.OPEX
    )
    recurrence = models.CharField(max_length=10, choices=Recurrence.choices, default=Recurrence.MONTHLY)
    amount = models.DecimalField("amount per occurrence", validators=[MinValueValidator(0)], **MONEY)
    first_month = models.PositiveSmallIntegerField(
        "first fiscal month",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="1 is the first month of the client's fiscal year.",
    )
    months = models.PositiveSmallIntegerField(
        "number of months",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="How many months it runs. Leave empty for “until the end of the year”.",
    )
    vendor = models.ForeignKey(
        "vendors.Vendor",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_lines",
        db_index=False,
    )
    source = models.CharField(
        max_length=10, choices=LineSource.choices, default=LineSource.MANUAL, editable=False
    )
    source_part = models.CharField(
        max_length=10, choices=SourcePart.choices, default=SourcePart.NONE, blank=True, editable=False
    )
    initiative = models.ForeignKey(
        "roadmaps.Initiative",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_lines",
        editable=False,
        db_index=False,
    )
    contract = models.ForeignKey(
        "vendors.Contract",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_lines",
        editable=False,
        db_index=False,
    )
    adjusted = models.BooleanField(
        default=False, editable=False, help_text="Changed by hand: building again keeps its numbers."
    )
    dropped = models.BooleanField(default=False, editable=False, help_text="Left out: it costs nothing.")
    copied_from = models.UUIDField(
        null=True, blank=True, editable=False, help_text="A scenario's line: the budget line it copies."
    )
    notes = models.TextField(blank=True, max_length=5_000)
    history = HistoricalRecords()
    history_formatters = {"first_month": fiscal_month_label}

    class Meta:
        ordering = ["category", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "budget", "initiative", "source_part"],
                condition=Q(initiative__isnull=False),
                name="budget_line_initiative_unique",
            ),
            models.UniqueConstraint(
                fields=["practice", "budget", "contract"],
                condition=Q(contract__isnull=False),
                name="budget_line_contract_unique",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(first_month__gte=1, first_month__lte=12), name="budget_line_first_month_1_12"
            ),
            models.CheckConstraint(
                condition=Q(months__isnull=True) | Q(months__gte=1, months__lte=12),
                name="budget_line_months_1_12",
            ),
            models.CheckConstraint(
                condition=(
                    Q(source=LineSource.MANUAL, initiative__isnull=True, contract__isnull=True)
                    | Q(source=LineSource.INITIATIVE, contract__isnull=True)
                    | Q(source=LineSource.CONTRACT, initiative__isnull=True)
                ),
                name="budget_line_one_source",
            ),
        ]
        indexes = [
            models.Index(fields=["practice", "budget", "category"], name="budget_line_practice_budget"),
            models.Index(fields=["practice", "vendor"], name="budget_line_practice_vendor"),
            models.Index(fields=["practice", "initiative"], name="budget_line_practice_init"),
            models.Index(fields=["practice", "contract"], name="budget_line_practice_contract"),
            # the API list's order: its page read in order, not every line of the practice sorted
            models.Index(fields=["practice", "category", "name", "id"], name="budget_line_practice_order"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_generated(self) -> bool:
        return self.source != LineSource.MANUAL

    def phased(self) -> list:
        """The 12 fiscal months (Decimal), by `budgets.phasing`."""
        return phasing.line_months(self)

    # A line saved or deleted one by one (the admin, a shell) makes its budget's stored months
    # unknown — and, moved to another budget, the one it left; the services then keep them again
    # (`planned.replan`), bulk writes included.
    @classmethod
    def from_db(cls, db, field_names, values):
        line = super().from_db(db, field_names, values)
        line._loaded_in = (line.__dict__.get("practice_id"), line.__dict__.get("budget_id"))
        return line

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        forget_planned(self.practice_id, [self.budget_id])
        practice_id, budget_id = getattr(self, "_loaded_in", (None, None))
        if budget_id is not None and budget_id != self.budget_id:
            forget_planned(practice_id or self.practice_id, [budget_id])
        self._loaded_in = (self.practice_id, self.budget_id)

    def delete(self, *args, **kwargs):
        found = super().delete(*args, **kwargs)
        forget_planned(self.practice_id, [self.budget_id])
        return found


class Actual(TenantModel):
    """Money a client actually spent: entered by hand or imported from CSV. Compared with the budget
    by fiscal month (of its date) and category; `budget_line` optionally says which line it pays."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="actuals", db_index=False
    )
    date = models.DateField()
    amount = models.DecimalField(help_text="Negative for a refund or credit.", **MONEY)
    category = models.CharField(max_length=20, choices=BudgetCategory.choices, default=BudgetCategory.OTHER)
    vendor = models.ForeignKey(
        "vendors.Vendor",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actuals",
        db_index=False,
    )
    budget_line = models.ForeignKey(
        BudgetLine,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actuals",
        db_index=False,
        help_text="The budget line it pays, if any.",
    )
    description = models.CharField(max_length=300, blank=True, validators=[validate_single_line])
    source = models.CharField(
        max_length=10, choices=ActualSource.choices, default=ActualSource.MANUAL, editable=False
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-created_at"]
        indexes = [
            models.Index(fields=["practice", "client", "date"], name="actual_practice_client_date"),
            models.Index(fields=["practice", "vendor"], name="actual_practice_vendor"),
            models.Index(fields=["practice", "budget_line"], name="actual_practice_budget_line"),
            # the API list's order: its page read in order, not every actual of the practice sorted
            models.Index(fields=["practice", "-date", "-created_at", "id"], name="actual_practice_newest"),
        ]

    def __str__(self):
        return self.description or f"{self.get_category_display()} on {self.date:%Y-%m-%d}"

    # Every actual saved or deleted one by one — the services, the admin, a shell — sums its client's
    # month again (`spend.resum`), and the month it left when its date or client changed. Bulk writes
    # (the CSV import, the demo, the admin's bulk delete) resum what they touched themselves.
    @classmethod
    def from_db(cls, db, field_names, values):
        actual = super().from_db(db, field_names, values)
        actual._loaded_in = (actual.__dict__.get("client_id"), actual.__dict__.get("date"))
        return actual

    def save(self, *args, **kwargs):
        from .spend import resum

        super().save(*args, **kwargs)
        resum(self.practice_id, [(self.client_id, self.date), getattr(self, "_loaded_in", (None, None))])
        self._loaded_in = (self.client_id, self.date)

    def delete(self, *args, **kwargs):
        from .spend import resum

        found = super().delete(*args, **kwargs)
        resum(self.practice_id, [(self.client_id, self.date), getattr(self, "_loaded_in", (None, None))])
        return found


class MonthlySpend(TenantModel):
    """A client's actual spend in one calendar month: the sum of its actuals dated in that month,
    kept by `budgets.spend` whenever actuals change — so the dashboard's year-to-date spend over
    every client reads twelve rows a client instead of every actual. Derived data: never edited."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="monthly_spend", db_index=False
    )
    month = models.DateField(help_text="The first day of the month.")
    amount = models.DecimalField(**MONEY)

    class Meta:
        verbose_name_plural = "monthly spend"
        ordering = ["client", "month"]
        constraints = [  # also the practice-led index its readers use
            models.UniqueConstraint(
                fields=["practice", "client", "month"], name="monthly_spend_one_per_client_month"
            ),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m}: {self.amount}"


class BudgetSettings(TenantModel):
    """The practice's budget settings (one row per practice)."""

    inflation_rate = models.DecimalField(
        "inflation rate (% per year)",
        max_digits=5,
        decimal_places=2,
        default=3,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_INFLATION)],
        help_text="Recurring costs grow by this much each year in the three-year forecast.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "budget settings"
        constraints = [
            models.UniqueConstraint(fields=["practice"], name="budget_settings_one_per_practice"),
            models.CheckConstraint(
                condition=Q(inflation_rate__gte=0, inflation_rate__lte=MAX_INFLATION),
                name="budget_settings_inflation_range",
            ),
        ]

    def __str__(self):
        return f"Budget settings ({self.inflation_rate}% inflation)"
