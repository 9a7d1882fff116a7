"""Who may do what: users, practices (the tenant), memberships with roles, invitations and API keys.

Data and invariants only; every write goes through this app's services."""

import uuid
import zoneinfo

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from vcio.history import IndexedHistoricalRecords
from vcio.models import TenantModel
from vcio.validators import validate_single_line

MONTHS = [
    (1, "January"),
    (2, "February"),
    (3, "March"),
    (4, "April"),
    (5, "May"),
    (6, "June"),
    (7, "July"),
    (8, "August"),
    (9, "September"),
    (10, "October"),
    (11, "November"),
    (12, "December"),
]
# ISO 4217 codes offered in forms; the model accepts these only.
CURRENCIES = [
    ("USD", "USD — US dollar"),
    ("EUR", "EUR — Euro"),
    ("GBP", "GBP — Pound sterling"),
    ("CAD", "CAD — Canadian dollar"),
    ("AUD", "AUD — Australian dollar"),
    ("NZD", "NZD — New Zealand dollar"),
    ("CHF", "CHF — Swiss franc"),
    ("SEK", "SEK — Swedish krona"),
    ("NOK", "NOK — Norwegian krone"),
    ("DKK", "DKK — Danish krone"),
    ("JPY", "JPY — Japanese yen"),
    ("INR", "INR — Indian rupee"),
    ("ZAR", "ZAR — South African rand"),
    ("SGD", "SGD — Singapore dollar"),
    ("MXN", "MXN — Mexican peso"),
    ("BRL", "BRL — Brazilian real"),
]
TIME_ZONES = [(tz, tz) for tz in sorted(zoneinfo.available_timezones()) if "/" in tz or tz == "UTC"]
hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour like #1f6feb.")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("Users need an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person. E-mail is the login; there is no username."""

    # A UUID: user ids appear in the API (owners, consultants) and must not reveal how many users
    # the whole installation has.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    username = None
    email = models.EmailField("e-mail address", unique=True)
    name = models.CharField(
        "display name",
        max_length=150,
        blank=True,
        validators=[validate_single_line],
        help_text="How colleagues and clients see you, e.g. “Dana Whitfield”.",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.get_full_name() or self.email

    @property
    def needs_name(self) -> bool:
        """No name yet: the e-mail address would be shown instead (asked when accepting an invitation)."""
        return not (self.name or self.get_full_name())


class Practice(models.Model):
    """The tenant: a vCIO firm."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=120, validators=[validate_single_line])
    slug = models.SlugField(max_length=60, unique=True)
    logo = models.ImageField(upload_to="logos/", blank=True)
    brand_colour = models.CharField(max_length=7, default="#1f6feb", validators=[hex_colour])
    currency = models.CharField(max_length=3, choices=CURRENCIES, default="USD")
    time_zone = models.CharField(max_length=64, choices=TIME_ZONES, default="UTC")
    fiscal_year_start_month = models.PositiveSmallIntegerField(choices=MONTHS, default=1)
    require_two_factor = models.BooleanField(
        default=False,
        help_text="Members without two-factor authentication must set it up before anything else.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    CONSULTANT = "consultant", "Consultant"
    VIEWER = "viewer", "Viewer"


class Membership(TenantModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.CONSULTANT)
    history = IndexedHistoricalRecords((), "membership_hist_practice")
    # PostgreSQL row-level security: a person reads their own memberships in every practice (the
    # practice switcher, resolving the practice of a request) — read-only, see vcio.rls.
    rls_user_field = "user"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["practice", "user"], name="membership_unique_user")]
        ordering = ["user__email"]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}"


class Invitation(TenantModel):
    """A single-use invitation by e-mail: to join the practice with a role, or to a client's portal."""

    email = models.EmailField()
    role = models.CharField(max_length=12, choices=Role.choices, blank=True)
    # A portal invitation names the client (by string: accounts never imports clients).
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        db_index=False,  # indexed by (practice, client) below
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    history = IndexedHistoricalRecords(("client",), "invitation_hist_pr_client")

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["practice", "email"], name="invitation_practice_email"),
            models.Index(fields=["practice", "client"], name="invitation_practice_client"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(client__isnull=True) & ~Q(role="")) | (Q(client__isnull=False) & Q(role="")),
                name="invitation_member_or_portal",
            )
        ]

    def __str__(self):
        return f"Invitation for {self.email}"

    @property
    def is_portal(self) -> bool:
        return self.client_id is not None


class ApiKey(TenantModel):
    """A practice API key. Only a SHA-256 hash of the secret is stored; the key is shown once."""

    name = models.CharField(max_length=100, validators=[validate_single_line])
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    read_only = models.BooleanField(default=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    history = IndexedHistoricalRecords((), "apikey_hist_practice", excluded_fields=["last_used_at"])

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
