"""The practice's advisories: short notes (a vendor's end of support, a new regulation, a threat)
published to all clients, the clients of some industries, or chosen clients (`AdvisoryClient`).

Imported by `qbr.models` (Django registers the models it imports); written through
`qbr.advisory_services`.
"""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from vcio.models import TenantModel
from vcio.validators import validate_single_line


class AdvisoryCategory(models.TextChoices):
    SECURITY = "security", "Security"
    CLOUD = "cloud", "Cloud"
    COMPLIANCE = "compliance", "Compliance"
    HARDWARE = "hardware_lifecycle", "Hardware lifecycle"
    PRODUCTIVITY = "productivity", "Productivity"
    AI = "ai", "AI"
    OTHER = "other", "Other"


class AdvisorySeverity(models.TextChoices):
    INFO = "info", "Info"
    ADVISORY = "advisory", "Advisory"
    IMPORTANT = "important", "Important"
    CRITICAL = "critical", "Critical"


SEVERITY_RANK = {"info": 0, "advisory": 1, "important": 2, "critical": 3}


class AdvisoryTargeting(models.TextChoices):
    ALL = "all", "All clients"
    INDUSTRIES = "industries", "Clients in chosen industries"
    CLIENTS = "clients", "Chosen clients"


def validate_industries(value: str) -> None:
    """The stored form of an advisory's industries: known industry values, comma-separated."""
    from clients.models import Industry

    unknown = [v for v in (value or "").split(",") if v and v not in Industry.values]
    if unknown:
        raise ValidationError(f"Unknown industries: {', '.join(unknown)}.")


class Advisory(TenantModel):
    """A note from the practice on a technology trend or best practice (Markdown body), targeted at
    all clients, at clients of some industries or at chosen clients. A draft until published."""

    title = models.CharField(max_length=200, validators=[validate_single_line])
    body = models.TextField(blank=True, max_length=20_000, help_text="Markdown: **bold**, lists, links.")
    category = models.CharField(
        max_length=20, choices=AdvisoryCategory.choices, default=AdvisoryCategory.OTHER
    )
    severity = models.CharField(
        max_length=10, choices=AdvisorySeverity.choices, default=AdvisorySeverity.ADVISORY
    )
    # The industries the advisory concerns, stored as "healthcare,legal" (Client.industry values);
    # read them with `industry_list`. They target clients when `targeting` is "industries".
    industries = models.CharField(max_length=300, blank=True, validators=[validate_industries])
    targeting = models.CharField(
        max_length=10, choices=AdvisoryTargeting.choices, default=AdvisoryTargeting.ALL
    )
    link = models.URLField(max_length=500, blank=True, help_text="A source or further reading (https://…).")
    published_on = models.DateField(
        null=True, blank=True, editable=False, help_text="Empty while the advisory is a draft."
    )
    clients = models.ManyToManyField(
        "clients.Client", through="AdvisoryClient", related_name="advisories", blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "advisories"
        ordering = ["-published_on", "-created_at"]
        indexes = [
            models.Index(fields=["practice", "published_on"], name="advisory_practice_published"),
            models.Index(fields=["practice", "targeting"], name="advisory_practice_targeting"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.link and not self.link.lower().startswith(("https://", "http://")):
            raise ValidationError({"link": "A link must start with https:// or http://."})

    @property
    def industry_list(self) -> list[str]:
        return [v for v in (self.industries or "").split(",") if v]

    @property
    def industry_labels(self) -> list[str]:
        from clients.models import Industry

        labels = dict(Industry.choices)
        return [labels.get(v, v) for v in self.industry_list]

    @property
    def is_published(self) -> bool:
        return self.published_on is not None

    @property
    def status(self) -> str:
        return "published" if self.is_published else "draft"


class AdvisoryClient(TenantModel):
    """An advisory is targeted at a chosen client (the through table, with its own practice)."""

    advisory = models.ForeignKey(
        Advisory, on_delete=models.CASCADE, related_name="client_links", db_index=False
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="advisory_links", db_index=False
    )

    class Meta:
        indexes = [models.Index(fields=["practice", "client"], name="advisory_client_practice_cl")]
        constraints = [
            models.UniqueConstraint(fields=["practice", "advisory", "client"], name="advisory_client_unique")
        ]

    def __str__(self):
        return f"{self.advisory_id} → {self.client_id}"
