"""Writes of practice API keys: create (the raw key is returned once, only its hash is stored) and
revoke. Keyword-only and transactional like every service; who may call them is the views' and the
command's business (owners and admins, `Perm.MANAGE_SETTINGS`)."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .api_auth import generate_key, hash_key
from .models import ApiKey, Practice, User

NAME_MAX_LENGTH = ApiKey._meta.get_field("name").max_length


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
    if errors:
        raise ValidationError(errors)
    raw, prefix = generate_key()
    while ApiKey.objects.filter(prefix=prefix).exists():  # 32 random bits: a clash is rare, not impossible
        raw, prefix = generate_key()
    key = ApiKey.objects.create(
        practice=practice,
        name=name,
        prefix=prefix,
        key_hash=hash_key(raw),
        read_only=bool(read_only),
        expires_at=expires_at,
        created_by=actor,
    )
    return key, raw


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, actor: User | None) -> ApiKey:
    """Revoke at once: the next request with this key gets 401. Revoking twice is refused."""
    key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
    if key.revoked_at is not None:
        raise ValidationError({"revoked_at": "This key is already revoked."})
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at", "updated_at"])
    api_key.revoked_at = key.revoked_at
    return key
