"""Compliance: framework catalogs, the practice's standards library, and the client's adoptions,
assessments and answers.

Two kinds of framework, in two pairs of tables:

- **Catalogs** (`Framework`, `Requirement`) are global: the public-domain frameworks shipped in
  `compliance/catalogs/`, loaded by `manage.py load_frameworks`, the same for every practice and
  read-only everywhere. They have **no practice column** on purpose: under PostgreSQL row-level
  security (policy `practice_id = current practice`) a row with a NULL practice would be invisible.
  Their ids are derived from the slug and ref (uuid5), so they are the same in every database.
- **Standards** (`StandardFramework`, `Standard`) are a practice's own frameworks — its best-practice
  checklist, weighted High/Medium/Low. They are ordinary tenant tables.

Everything a client owns (adoption, assessment, response, evidence link, initiative link) is a
tenant table with its own `practice`. An adoption points at exactly one of the two framework kinds,
a response and an initiative link at exactly one of the two item kinds (a check constraint each).

Data and invariants only; every write goes through `compliance.services`.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from vcio.models import TenantModel
from vcio.validators import validate_single_line

# uuid5 namespace of catalog ids: Framework.id = uuid5(NS, slug), Requirement.id = uuid5(NS, "slug:ref").
CATALOG_NAMESPACE = uuid.UUID("6f0d5c3e-2b7a-4f5e-9a51-0c1b9e1d7a42")
SMALLINT_MAX = 32767


def catalog_framework_id(slug: str) -> uuid.UUID:
    return uuid.uuid5(CATALOG_NAMESPACE, slug)


def catalog_requirement_id(slug: str, ref: str) -> uuid.UUID:
    return uuid.uuid5(CATALOG_NAMESPACE, f"{slug}:{ref}")


class FrameworkKind(models.TextChoices):
    """Where a framework comes from (the API's `kind`)."""

    CATALOG = "catalog", "Catalog shipped with vcio"
    PRACTICE = "practice", "The practice's own"


class Weight(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


# Score points of one item: a standard's weight; a catalog item (no weight) counts 1.
WEIGHT_POINTS = {Weight.HIGH: 5, Weight.MEDIUM: 3, Weight.LOW: 1}


def weight_points(weight: str | None) -> int:
    return WEIGHT_POINTS.get(weight or "", 1)


class ResponseStatus(models.TextChoices):
    NOT_ASSESSED = "not_assessed", "Not assessed"
    NOT_IMPLEMENTED = "not_implemented", "Not implemented"
    PARTIAL = "partial", "Partially implemented"
    IMPLEMENTED = "implemented", "Implemented"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


GAP_STATUSES = (ResponseStatus.NOT_ASSESSED, ResponseStatus.NOT_IMPLEMENTED, ResponseStatus.PARTIAL)
OPEN_STATUSES = GAP_STATUSES  # still to do: what "overdue" and "due soon" look at


class AssessmentStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"


class CatalogItem(models.Model):
    """The fields every framework item has, catalog requirement or practice standard alike."""

    ref = models.CharField(max_length=60, validators=[validate_single_line])
    title = models.CharField(max_length=300, validators=[validate_single_line])
    text = models.TextField(blank=True, max_length=20_000)
    level = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(9)])
    order = models.PositiveIntegerField(
        default=0, help_text="Position in a depth-first walk of the framework."
    )
    kind = models.CharField(
        max_length=40, blank=True, help_text="What the level is called (function, family…)."
    )
    required = models.BooleanField(
        null=True, blank=True, help_text="HIPAA: Required (yes) or Addressable (no); empty elsewhere."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.ref} {self.title}"


# --- the global catalogs (no practice column: see the module docstring) ---------------------------


class Framework(models.Model):
    """A shipped, public-domain framework catalog (NIST CSF 2.0, HIPAA Security Rule, …). Global and
    read-only: written only by `load_frameworks`."""

    id = models.UUIDField(primary_key=True, editable=False)
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=300)
    short_name = models.CharField(
        max_length=80, blank=True, help_text="For lists and charts (HIPAA Security Rule)."
    )
    version = models.CharField(max_length=300)
    publisher = models.CharField(max_length=300)
    source = models.CharField(max_length=500)
    license = models.TextField()
    extra = models.JSONField(
        default=dict, blank=True, help_text="Other top-level fields of the catalog file."
    )
    content_hash = models.CharField(max_length=64, editable=False, help_text="SHA-256 of the loaded file.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    is_catalog = True

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def label(self) -> str:
        """The short name for lists, cards and charts."""
        return self.short_name or self.name


class Requirement(CatalogItem):
    """One item of a shipped catalog (a CSF subcategory, a HIPAA implementation specification, …)."""

    id = models.UUIDField(primary_key=True, editable=False)
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="requirements")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    weight = models.CharField(max_length=6, choices=Weight.choices, blank=True)
    assessable = models.BooleanField(
        default=True, help_text="Answered in an assessment (not a group heading)."
    )
    extra = models.JSONField(
        default=dict, blank=True, help_text="Other fields of the item in the catalog file."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "ref"], name="requirement_framework_ref")]
        indexes = [models.Index(fields=["framework", "order"], name="requirement_framework_order")]


# --- the practice's standards library -------------------------------------------------------------


class StandardFramework(TenantModel):
    """A framework the practice wrote itself: its best-practice standards ("Backups tested
    quarterly", High). Same shape as a catalog; imported and exported as catalog JSON or CSV."""

    slug = models.SlugField(max_length=60)
    name = models.CharField(max_length=200, validators=[validate_single_line])
    version = models.CharField(max_length=60, blank=True, validators=[validate_single_line])
    description = models.TextField(blank=True, max_length=5_000)
    history = HistoricalRecords()

    is_catalog = False

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["practice", "slug"], name="standard_framework_slug")]

    def __str__(self):
        return self.name

    @property
    def publisher(self) -> str:
        return ""

    @property
    def label(self) -> str:
        return self.name


class Standard(CatalogItem, TenantModel):
    """One item of a practice's own framework: a standard (weighted) or a group heading (an item
    with items under it is a heading and is not answered)."""

    framework = models.ForeignKey(
        StandardFramework, on_delete=models.CASCADE, related_name="standards", db_index=False
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", db_index=False
    )
    weight = models.CharField(max_length=6, choices=Weight.choices, default=Weight.MEDIUM)
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "framework", "ref"], name="standard_framework_ref")
        ]
        indexes = [
            models.Index(fields=["practice", "parent"], name="standard_practice_parent"),
            models.Index(fields=["practice", "framework", "order"], name="standard_practice_fw_order"),
        ]


# --- what a client owns ---------------------------------------------------------------------------


class Adoption(TenantModel):
    """A client adopts a framework (a catalog or one of the practice's own)."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="adoptions", db_index=False
    )
    framework = models.ForeignKey(
        Framework, on_delete=models.RESTRICT, null=True, blank=True, related_name="adoptions"
    )
    standard_framework = models.ForeignKey(
        StandardFramework,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="adoptions",
        db_index=False,
    )
    scope_note = models.TextField(
        blank=True, max_length=5_000, help_text="What is in scope (sites, systems, data) and what is not."
    )
    target_date = models.DateField(null=True, blank=True, help_text="When the client aims to meet it.")
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        indexes = [
            models.Index(fields=["practice", "standard_framework"], name="adoption_practice_std_fw"),
        ]
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(framework__isnull=False, standard_framework__isnull=True)
                | Q(framework__isnull=True, standard_framework__isnull=False),
                name="adoption_one_framework",
            ),
            models.UniqueConstraint(
                fields=["practice", "client", "framework"],
                condition=Q(framework__isnull=False),
                name="adoption_client_framework",
            ),
            models.UniqueConstraint(
                fields=["practice", "client", "standard_framework"],
                condition=Q(standard_framework__isnull=False),
                name="adoption_client_standards",
            ),
        ]

    def __str__(self):
        return f"{self.client_id} adopts {self.the_framework}"

    @property
    def the_framework(self):
        """The adopted framework, whichever kind (needs the relation loaded to avoid a query)."""
        return self.framework if self.framework_id else self.standard_framework

    @property
    def name(self) -> str:
        """The adopted framework's short name."""
        return self.the_framework.label


class Assessment(TenantModel):
    """A dated review of one adopted framework for one client. Completing it locks it as a snapshot
    (its score and each answer's weight are frozen); the next one starts from its answers."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="assessments", db_index=False
    )
    adoption = models.ForeignKey(
        Adoption, on_delete=models.CASCADE, related_name="assessments", db_index=False
    )
    title = models.CharField(max_length=200, validators=[validate_single_line])
    started_on = models.DateField()
    status = models.CharField(
        max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.IN_PROGRESS, editable=False
    )
    is_current = models.BooleanField(
        default=True, editable=False, help_text="The adoption's latest assessment."
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        db_index=False,
    )
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # The snapshot taken at completion: weighted points earned (halves) and possible (N/A left out).
    score_earned = models.DecimalField(max_digits=9, decimal_places=1, null=True, blank=True, editable=False)
    score_possible = models.PositiveIntegerField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "adoption"],
                condition=Q(status="in_progress"),
                name="assessment_one_in_progress",
            ),
            models.UniqueConstraint(
                fields=["practice", "adoption"], condition=Q(is_current=True), name="assessment_one_current"
            ),
        ]
        indexes = [
            models.Index(fields=["practice", "based_on"], name="assessment_practice_based_on"),
            # the default order (newest first), which the API's answers list sorts by: its first page
            # reads the newest assessments' answers, not all of them (Big practice: 254,000) sorted
            models.Index(
                fields=["practice", "-started_on", "-created_at"], name="assessment_practice_started"
            ),
            models.Index(fields=["practice", "client", "is_current"], name="assessment_practice_client_cur"),
            models.Index(
                fields=["practice", "adoption", "completed_at"], name="assessment_practice_adopt_done"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_completed(self) -> bool:
        return self.status == AssessmentStatus.COMPLETED


class Response(TenantModel):
    """The answer to one item in one assessment: status, owner, due date, evidence; who answered and
    who reviewed it."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+", db_index=False)
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="responses", db_index=False
    )
    requirement = models.ForeignKey(
        Requirement, on_delete=models.RESTRICT, null=True, blank=True, related_name="responses"
    )
    standard = models.ForeignKey(
        Standard, on_delete=models.RESTRICT, null=True, blank=True, related_name="responses", db_index=False
    )
    status = models.CharField(
        max_length=16, choices=ResponseStatus.choices, default=ResponseStatus.NOT_ASSESSED
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The practice member who follows it up.",
    )
    due_date = models.DateField(null=True, blank=True)
    notes = models.TextField("evidence notes", blank=True, max_length=10_000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    answered_at = models.DateTimeField(null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    weight = models.PositiveSmallIntegerField(
        null=True, blank=True, editable=False, help_text="Score points, frozen when the assessment completes."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(requirement__isnull=False, standard__isnull=True)
                | Q(requirement__isnull=True, standard__isnull=False),
                name="response_one_item",
            ),
            models.UniqueConstraint(
                fields=["practice", "assessment", "requirement"],
                condition=Q(requirement__isnull=False),
                name="response_assessment_requirement",
            ),
            models.UniqueConstraint(
                fields=["practice", "assessment", "standard"],
                condition=Q(standard__isnull=False),
                name="response_assessment_standard",
            ),
        ]
        indexes = [
            models.Index(fields=["practice", "standard"], name="response_practice_standard"),
            models.Index(fields=["practice", "client", "due_date"], name="response_practice_client_due"),
            # the dashboard's answers due across clients: the current assessments' answers by due date
            # (the client-led index reads each client's past assessments' answers too)
            models.Index(fields=["practice", "assessment", "due_date"], name="response_practice_assess_due"),
            models.Index(fields=["practice", "assessment", "status"], name="response_practice_assess_st"),
            models.Index(fields=["practice", "owner"], name="response_practice_owner"),
        ]

    def __str__(self):
        return f"{self.item_ref}: {self.get_status_display()}"

    @property
    def item_id(self):
        return self.requirement_id or self.standard_id

    @property
    def item(self):
        """The requirement or standard answered (needs the relation loaded to avoid a query)."""
        return self.requirement if self.requirement_id else self.standard

    @property
    def item_ref(self) -> str:
        return self.item.ref if self.item else ""

    @property
    def name(self) -> str:  # the audit history's label
        item = self.item
        return f"{item.ref} {item.title}" if item else str(self.pk)

    @property
    def is_gap(self) -> bool:
        return self.status in GAP_STATUSES


class EvidenceLink(TenantModel):
    """A link to evidence for an answer (a policy document, a screenshot, a report)."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="evidence_links", db_index=False
    )
    url = models.URLField("link", max_length=1_000)
    label = models.CharField(max_length=200, blank=True, validators=[validate_single_line])
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "label"]
        indexes = [models.Index(fields=["practice", "response"], name="evidence_practice_response")]

    def __str__(self):
        return self.label or self.url

    @property
    def name(self) -> str:
        return str(self)


class InitiativeLink(TenantModel):
    """A roadmap initiative addresses an item of an adopted framework. Kept on the adoption, so the
    link carries over from one assessment to the next."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+", db_index=False)
    adoption = models.ForeignKey(
        Adoption, on_delete=models.CASCADE, related_name="initiative_links", db_index=False
    )
    requirement = models.ForeignKey(
        Requirement, on_delete=models.RESTRICT, null=True, blank=True, related_name="initiative_links"
    )
    standard = models.ForeignKey(
        Standard,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="initiative_links",
        db_index=False,
    )
    initiative = models.ForeignKey(
        "roadmaps.Initiative", on_delete=models.CASCADE, related_name="compliance_links", db_index=False
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(requirement__isnull=False, standard__isnull=True)
                | Q(requirement__isnull=True, standard__isnull=False),
                name="initiative_link_one_item",
            ),
            models.UniqueConstraint(
                fields=["practice", "adoption", "requirement", "initiative"],
                condition=Q(requirement__isnull=False),
                name="initiative_link_requirement",
            ),
            models.UniqueConstraint(
                fields=["practice", "adoption", "standard", "initiative"],
                condition=Q(standard__isnull=False),
                name="initiative_link_standard",
            ),
        ]
        indexes = [
            models.Index(fields=["practice", "client"], name="initiative_link_practice_cl"),
            models.Index(fields=["practice", "standard"], name="initiative_link_practice_std"),
            models.Index(fields=["practice", "initiative"], name="initiative_link_practice_init"),
        ]

    def __str__(self):
        return f"{self.initiative_id} addresses {self.requirement_id or self.standard_id}"

    @property
    def item_id(self):
        return self.requirement_id or self.standard_id
