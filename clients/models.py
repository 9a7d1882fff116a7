"""The practice's customers: clients, their contacts, and executives' portal access.

Data and invariants only; every write goes through `clients.services`."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from accounts.models import MONTHS
from vcio.history import IndexedHistoricalRecords
from vcio.models import TenantModel
from vcio.validators import validate_single_line


class ClientStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ARCHIVED = "archived", "Archived"


class Industry(models.TextChoices):
    HEALTHCARE = "healthcare", "Healthcare"
    LEGAL = "legal", "Legal"
    FINANCE = "finance", "Financial services"
    MANUFACTURING = "manufacturing", "Manufacturing"
    CONSTRUCTION = "construction", "Construction"
    RETAIL = "retail", "Retail"
    NONPROFIT = "nonprofit", "Non-profit"
    EDUCATION = "education", "Education"
    PROFESSIONAL = "professional", "Professional services"
    HOSPITALITY = "hospitality", "Hospitality"
    LOGISTICS = "logistics", "Logistics"
    GOVERNMENT = "government", "Government"
    TECHNOLOGY = "technology", "Technology"
    OTHER = "other", "Other"


class Client(TenantModel):
    name = models.CharField(max_length=200, validators=[validate_single_line])
    industry = models.CharField(max_length=20, choices=Industry.choices, default=Industry.OTHER)
    headcount = models.PositiveIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(1_000_000)]
    )
    locations = models.PositiveIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(10_000)]
    )
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        choices=MONTHS, default=1, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    qbr_cadence_months = models.PositiveSmallIntegerField(
        "QBR cadence (months)", default=3, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    primary_consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="primary_clients",
    )
    status = models.CharField(max_length=10, choices=ClientStatus.choices, default=ClientStatus.ACTIVE)
    notes = models.TextField(blank=True, max_length=20_000)
    history = IndexedHistoricalRecords(("id",), "client_hist_practice_id")

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["practice", "status", "name"], name="client_practice_status_name")]
        constraints = [
            models.CheckConstraint(
                condition=Q(fiscal_year_start_month__gte=1, fiscal_year_start_month__lte=12),
                name="client_fy_month_range",
            ),
            models.CheckConstraint(condition=Q(headcount__gte=1), name="client_headcount_positive"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.status == ClientStatus.ARCHIVED


class Contact(TenantModel):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="contacts", db_index=False)
    name = models.CharField(max_length=200, validators=[validate_single_line])
    title = models.CharField(max_length=120, blank=True, validators=[validate_single_line])
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    is_executive = models.BooleanField(default=False)
    history = IndexedHistoricalRecords(("client",), "contact_hist_practice_client")

    class Meta:
        ordering = ["-is_executive", "name"]
        indexes = [models.Index(fields=["practice", "client"], name="contact_practice_client")]

    def __str__(self):
        return self.name


class PortalAccess(TenantModel):
    """A client executive's read-only access to their own company's portal."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_accesses"
    )
    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="portal_accesses", db_index=False
    )
    history = IndexedHistoricalRecords(("client",), "portalaccess_hist_pr_client")
    # PostgreSQL row-level security: an executive reads their own portal accesses in every practice
    # (how a portal request finds its client) — read-only, see vcio.rls.
    rls_user_field = "user"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "client", "user"], name="portal_access_unique")
        ]

    def __str__(self):
        return f"{self.user} → {self.client}"
