"""Reads of practice API keys for the settings page."""

from django.db.models import Case, CharField, Q, QuerySet, Value, When
from django.utils import timezone

from .models import ApiKey, Practice


class KeyStatus:
    ACTIVE = "active"
    REVOKED = "revoked"
    EXPIRED = "expired"


def api_key_list(*, practice: Practice) -> QuerySet[ApiKey]:
    """The practice's keys, newest first, with `status` (active / revoked / expired) and their creator."""
    now = timezone.now()
    return (
        ApiKey.objects.for_practice(practice)
        .select_related("created_by")
        .annotate(
            status=Case(
                When(revoked_at__isnull=False, then=Value(KeyStatus.REVOKED)),
                When(Q(expires_at__isnull=False) & Q(expires_at__lte=now), then=Value(KeyStatus.EXPIRED)),
                default=Value(KeyStatus.ACTIVE),
                output_field=CharField(),
            )
        )
        .order_by("-created_at", "pk")
    )
