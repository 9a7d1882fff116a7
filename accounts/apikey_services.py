"""Writes of practice API keys: create (the raw key is returned once, only its hash is stored) and
revoke. Keyword-only and transactional like every service; who may call them is the views' and the
command's business (owners and admins, `Perm.MANAGE_SETTINGS`)."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from vcio.services import audit

from .api_auth import generate_key, hash_key
from .models import ApiKey, Practice, User

NAME_MAX_LENGTH = ApiKey._meta.get_field("name").max_length
MAX_EXPIRY_YEARS = 5


def expiry_from_date(day: date, time_zone: str) -> datetime:
    """A key that "expires on 31 Dec" works through that day (until 23:59:59) in the practice's time zone."""
    return datetime.combine(day, time.max, tzinfo=ZoneInfo(time_zone))


def latest_expiry_day(time_zone: str) -> date:
    """The last day a new key may be set to expire on: five years from today (practice time zone)."""
    today = timezone.now().astimezone(ZoneInfo(time_zone)).date()
    try:
        return today.replace(year=today.year + MAX_EXPIRY_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year + MAX_EXPIRY_YEARS, day=28)


def expiry_day_error(day: date, time_zone: str) -> str | None:
    """Why `day` cannot be a new key's expiry date, or None. Far-away dates would not even fit a
    datetime once shifted to UTC."""
    if day > latest_expiry_day(time_zone):
        return f"The expiry can be at most {MAX_EXPIRY_YEARS} years ahead (until {latest_expiry_day(time_zone)})."
    if expiry_from_date(day, time_zone) <= timezone.now():
        return "The expiry must be today or later."
    return None


@transaction.atomic
def api_key_create(
    *,
    practice: Practice,
    actor: User | None,
    name: str,
    read_only: bool,
    expires_at: datetime | None = None,
) -> tuple[ApiKey, str]:
    """A new key of the practice and its raw secret, which exists only in the return value."""
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = "Give the key a name, e.g. the integration that will use it."
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = f"At most {NAME_MAX_LENGTH} characters."
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = "The expiry must be in the future."
    elif expires_at is not None and expires_at > expiry_from_date(
        latest_expiry_day(practice.time_zone), practice.time_zone
    ):
        errors["expires_at"] = f"The expiry can be at most {MAX_EXPIRY_YEARS} years ahead."
    if errors:
        raise ValidationError(errors)
    raw, prefix = generate_key()
    while ApiKey.objects.filter(prefix=prefix).exists():  # 32 random bits: a clash is rare, not impossible
        raw, prefix = generate_key()
    key = ApiKey(
        practice=practice,
        name=name,
        prefix=prefix,
        key_hash=hash_key(raw),
        read_only=bool(read_only),
        expires_at=expires_at,
        created_by=actor,
    )
    audit(key, actor)
    key.save()
    return key, raw


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, actor: User | None) -> ApiKey:
    """Revoke at once: the next request with this key gets 401. Revoking twice is refused."""
    key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
    if key.revoked_at is not None:
        raise ValidationError({"revoked_at": "This key is already revoked."})
    key.revoked_at = timezone.now()
    audit(key, actor, "Revoked")
    key.save(update_fields=["revoked_at", "updated_at"])
    api_key.revoked_at = key.revoked_at
    return key
