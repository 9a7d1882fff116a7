"""The practice's vendor directory, its clients' contracts and subscriptions, the relationship log,
and the consultants' calendar feeds.

Data and invariants only; every write goes through `vendors.services`, every renewal or cost rule
lives in `vendors.renewals`.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from vcio.models import TenantModel
from vcio.validators import validate_single_line

from . import renewals

MONEY = {"max_digits": 14, "decimal_places": 2}
MAX_TERM_MONTHS = 600  # 50 years
MAX_NOTICE_DAYS = 730
MAX_QUANTITY = 1_000_000


class VendorCategory(models.TextChoices):
    ISP = "isp", "ISP"
    TELECOM = "telecom", "Telecom"
    SAAS = "saas", "SaaS"
    CLOUD = "cloud", "Cloud"
    HARDWARE = "hardware", "Hardware"
    SOFTWARE = "software", "Software"
    SECURITY = "security", "Security"
    MSP = "msp", "MSP / services"
    OTHER = "other", "Other"


class Vendor(TenantModel):
    """A technology vendor of the practice, shared by its clients."""

    name = models.CharField(max_length=200, validators=[validate_single_line])
    website = models.URLField(blank=True, max_length=300)
    category = models.CharField(max_length=12, choices=VendorCategory.choices, default=VendorCategory.OTHER)
    account_manager_name = models.CharField(
        "account manager", max_length=150, blank=True, validators=[validate_single_line]
    )
    account_manager_email = models.EmailField("account manager e-mail", blank=True)
    account_manager_phone = models.CharField(
        "account manager phone", max_length=40, blank=True, validators=[validate_single_line]
    )
    support_contact = models.CharField(
        max_length=300,
        blank=True,
        validators=[validate_single_line],
        help_text="Support line, e-mail or portal.",
    )
    notes = models.TextField(blank=True, max_length=20_000)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "practice",
                Lower("name"),
                name="vendor_practice_name_unique",
                violation_error_message="The practice already has a vendor with this name.",
            )
        ]
        indexes = [models.Index(fields=["practice", "category"], name="vendor_practice_category")]

    def __str__(self):
        return self.name


class ContractType(models.TextChoices):
    SUBSCRIPTION = "subscription", "Subscription"
    LICENCE = "licence", "Licence"
    SUPPORT = "support", "Support"
    LEASE = "lease", "Lease"
    SERVICE = "service", "Service"


class BillingFrequency(models.TextChoices):
    MONTHLY = renewals.MONTHLY, "Monthly"
    QUARTERLY = renewals.QUARTERLY, "Quarterly"
    ANNUAL = renewals.ANNUAL, "Annual"
    ONE_TIME = renewals.ONE_TIME, "One-time"


class ContractStatus(models.TextChoices):
    ACTIVE = renewals.ACTIVE, "Active"
    CANCELLED = renewals.CANCELLED, "Cancelled"
    EXPIRED = renewals.EXPIRED, "Expired"


DERIVED_FIELDS = ["term_end", "key_date", "notice_date", "rolling", "dates_as_of"]


def stamp_day():
    """Yesterday in UTC: on or before every practice's local date (time zones run from UTC−12 to
    UTC+14), so stored renewal dates stamped on it are never ahead of a practice's today."""
    return timezone.now().date() - timedelta(days=1)


class Contract(TenantModel):
    """A client's contract or subscription with a vendor. The renewal picture (next renewal, notice
    deadline, annual cost) is computed by `vendors.renewals`. Derived columns are kept in step on every
    save, for SQL filters and sorting: `term_end`, the end of the first term, so lists can tell ended
    contracts; and the renewal picture as of a day (`stamp_dates`), so the renewals calendar and the
    dashboard can ask the database for a page of dates instead of computing every contract."""

    # The client comes first: the admin sets the practice from the first required tenant key.
    # Tenant keys are indexed by the practice-led indexes in Meta (not alone).
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="contracts", db_index=False
    )
    # RESTRICT: a vendor with contracts cannot be deleted alone, but goes with its practice.
    vendor = models.ForeignKey(Vendor, on_delete=models.RESTRICT, related_name="contracts", db_index=False)
    name = models.CharField("product or contract", max_length=200, validators=[validate_single_line])
    contract_type = models.CharField(
        "type", max_length=14, choices=ContractType.choices, default=ContractType.SUBSCRIPTION
    )
    start_date = models.DateField()
    end_date = models.DateField(
        null=True, blank=True, help_text="The last day of the first term. Or give the term in months."
    )
    term_months = models.PositiveSmallIntegerField(
        "term (months)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TERM_MONTHS)],
        help_text="Instead of an end date. Leave both empty for an open-ended contract.",
    )
    auto_renew = models.BooleanField("renews automatically", default=True)
    renewal_term_months = models.PositiveSmallIntegerField(
        "renewal term (months)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TERM_MONTHS)],
        help_text="How long each renewal lasts. Defaults to the term, else the billing period.",
    )
    notice_days = models.PositiveSmallIntegerField(
        "notice period (days)",
        default=30,
        validators=[MaxValueValidator(MAX_NOTICE_DAYS)],
        help_text="Days before the renewal by which notice must be given.",
    )
    billing_frequency = models.CharField(
        max_length=10, choices=BillingFrequency.choices, default=BillingFrequency.MONTHLY
    )
    cost = models.DecimalField(
        "cost per billing period",
        default=0,
        validators=[MinValueValidator(0)],
        help_text="Per seat or unit when the quantity is more than one.",
        **MONEY,
    )
    quantity = models.PositiveIntegerField(
        "quantity / seats", default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_QUANTITY)]
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_contracts",
        help_text="The practice member who looks after it.",
    )
    status = models.CharField(max_length=10, choices=ContractStatus.choices, default=ContractStatus.ACTIVE)
    ended_on = models.DateField(
        null=True, blank=True, editable=False, help_text="The day it was cancelled or marked expired."
    )
    term_end = models.DateField(null=True, blank=True, editable=False)
    # The renewal picture on `dates_as_of` (renewals.stored_dates): exact on every day from
    # `dates_as_of` through `key_date`; outside that span a reader computes it from the terms
    # (`selectors.fresh_dates`), and the hourly `vendors_refresh_contract_dates` task rolls it forward.
    key_date = models.DateField(null=True, blank=True, editable=False)  # next renewal, or expiry
    notice_date = models.DateField(null=True, blank=True, editable=False)  # renewing: its notice deadline
    rolling = models.BooleanField(default=False, editable=False)  # renews month to month
    dates_as_of = models.DateField(null=True, blank=True, editable=False)
    document_url = models.URLField("link to the document", blank=True, max_length=500)
    notes = models.TextField(blank=True, max_length=10_000)
    history = HistoricalRecords(excluded_fields=["key_date", "notice_date", "rolling", "dates_as_of"])

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["practice", "client", "status"], name="contract_practice_client_st"),
            models.Index(fields=["practice", "vendor", "status"], name="contract_practice_vendor_st"),
            models.Index(fields=["practice", "status", "term_end"], name="contract_practice_st_end"),
            models.Index(fields=["practice", "key_date"], name="contract_practice_key_date"),
            models.Index(fields=["practice", "notice_date"], name="contract_practice_notice"),
            models.Index(fields=["practice", "dates_as_of"], name="contract_practice_dates_as_of"),
            # the API list's order: its page read in order, not every contract of the practice sorted
            models.Index(fields=["practice", "name", "id"], name="contract_practice_order"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(cost__gte=0), name="contract_cost_not_negative"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="contract_quantity_positive"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="contract_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(term_months__isnull=True) | Q(term_months__gte=1), name="contract_term_positive"
            ),
            models.CheckConstraint(
                condition=Q(renewal_term_months__isnull=True) | Q(renewal_term_months__gte=1),
                name="contract_renewal_term_positive",
            ),
            models.CheckConstraint(condition=Q(notice_days__gte=0), name="contract_notice_not_negative"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date cannot be before the start date."
        if self.end_date and self.term_months:
            errors["term_months"] = "Give an end date or a term in months, not both."
        if self.billing_frequency == BillingFrequency.ONE_TIME and self.auto_renew and self._open_ended:
            errors["auto_renew"] = "A one-time purchase without a term cannot renew automatically."
        if errors:
            raise ValidationError(errors)

    @property
    def _open_ended(self) -> bool:
        return self.end_date is None and not self.term_months

    def save(self, *args, **kwargs):
        self.stamp_dates()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = list(dict.fromkeys([*update_fields, *DERIVED_FIELDS]))
        super().save(*args, **kwargs)

    def stamp_dates(self, as_of=None) -> None:
        """Set the derived columns: the end of the first term, and the renewal picture on `as_of`
        (default `stamp_day()`, a day no practice's local today is before)."""
        self.term_end = renewals.first_term_end(self.start_date, self.end_date, self.term_months)
        self.dates_as_of = as_of or stamp_day()
        self.key_date, self.notice_date, self.rolling = renewals.stored_dates(self, self.dates_as_of)

    def renewal(self, today):
        """The renewal picture on `today` (the practice's local date)."""
        return renewals.renewal(self, today)

    @property
    def annual_cost(self):
        return renewals.annual_cost(self)

    @property
    def period_amount(self):
        return renewals.period_amount(self)


class InteractionKind(models.TextChoices):
    CALL = "call", "Call"
    MEETING = "meeting", "Meeting"
    EMAIL = "email", "E-mail"
    ESCALATION = "escalation", "Escalation"
    REVIEW = "review", "Review"


class Interaction(TenantModel):
    """One entry of the relationship log with a vendor (optionally about a client or a contract)."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="interactions", db_index=False)
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="vendor_interactions",
        db_index=False,
    )
    contract = models.ForeignKey(
        Contract,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interactions",
        db_index=False,
    )
    date = models.DateField()
    kind = models.CharField(max_length=12, choices=InteractionKind.choices, default=InteractionKind.CALL)
    summary = models.TextField(max_length=5_000)
    who = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="vendor_interactions",
        help_text="The practice member who had the conversation.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-created_at"]
        indexes = [
            models.Index(fields=["practice", "vendor", "date"], name="interaction_practice_vendor"),
            models.Index(fields=["practice", "client", "date"], name="interaction_practice_client"),
            models.Index(fields=["practice", "contract"], name="interaction_practice_contract"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.date:%Y-%m-%d}"


class CalendarFeed(TenantModel):
    """A member's secret calendar-feed link for the practice's renewals.

    The token is never stored: it is an HMAC of `salt` under the server's SECRET_KEY (so the page can
    show the link again), and only its SHA-256 (`token_hash`) is kept for the lookup. Reset revokes the
    feed and makes a new one; a revoked feed's link is a 404. Rotating SECRET_KEY retires every link.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    salt = models.CharField(max_length=64, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["salt", "token_hash"])

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "user"],
                condition=Q(revoked_at__isnull=True),
                name="calendar_feed_one_live_per_member",
            )
        ]
        indexes = [models.Index(fields=["practice", "user"], name="calendar_feed_practice_user")]

    def __str__(self):
        return f"Calendar feed of {self.user}"
