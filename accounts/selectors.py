"""Reads about practices and their people; each takes the practice explicitly."""

from django.db.models import QuerySet

from vcio.history import HISTORY_PAGE_SIZE, HistorySource, merged_history
from vcio.registry import practice_counts

from .access import ROLE_PERMS, Perm
from .models import ApiKey, Membership, Practice, User

PAGE_HISTORY_LIMIT = HISTORY_PAGE_SIZE


def practice_members(*, practice: Practice) -> QuerySet[Membership]:
    return Membership.objects.for_practice(practice).select_related("user").order_by("user__email")


def practice_member_users(*, practice) -> QuerySet[User]:
    """The practice's members (any role), by name."""
    practice_id = getattr(practice, "pk", practice)
    return User.objects.filter(memberships__practice_id=practice_id).order_by("name", "first_name", "email")


def practice_editor_users(*, practice) -> QuerySet[User]:
    """Members whose role may do client work: the people offered as owners and primary consultants
    (a viewer is never offered)."""
    editors = [role for role, perms in ROLE_PERMS.items() if Perm.EDIT in perms]
    practice_id = getattr(practice, "pk", practice)
    return User.objects.filter(memberships__practice_id=practice_id, memberships__role__in=editors).order_by(
        "name", "first_name", "email"
    )


def user_memberships(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("practice").order_by("practice__name")


PRACTICE_HISTORY = HistorySource("Practice", lambda _: None)
API_KEY_HISTORY = HistorySource("API key", lambda _: None, (), lambda r: f"{r.name} (vcio_{r.prefix}_…)")


def practice_history(*, practice: Practice, before=None, limit: int = PAGE_HISTORY_LIMIT) -> list[dict]:
    """Changes to the practice's own settings (name, branding, currency, two-factor rule…)."""
    rows = Practice.history.filter(id=practice.pk)
    return merged_history([(PRACTICE_HISTORY, rows)], before=before, limit=limit)


def api_key_history(*, practice: Practice, before=None, limit: int = PAGE_HISTORY_LIMIT) -> list[dict]:
    """Keys created and revoked (last use is not history: it is shown in the list)."""
    rows = ApiKey.history.filter(practice_id=practice.pk)
    return merged_history([(API_KEY_HISTORY, rows)], before=before, limit=limit)


def practice_delete_summary(*, practice: Practice) -> dict:
    """What deleting the practice takes with it, for the confirmation (a query per registered count)."""
    return {"members": Membership.objects.for_practice(practice).count(), **practice_counts(practice)}
