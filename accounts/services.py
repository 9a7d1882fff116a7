"""Writes about practices: create, change settings, delete. Keyword-only, transactional, validated;
each records who made the change in the audit history."""

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify

from vcio.services import apply_fields, audit

from .access import Perm, role_can
from .models import Membership, Practice, Role, User

PRACTICE_SETTINGS_FIELDS = (
    "name",
    "logo",
    "brand_colour",
    "currency",
    "time_zone",
    "fiscal_year_start_month",
    "require_two_factor",
)


def check_member(practice_id, user: User | None, field: str, *, editors_only: bool = False) -> None:
    """A user chosen for `field` (owner, primary consultant…) must be a member of the practice (and,
    with `editors_only`, one whose role may do client work: never a viewer)."""
    if user is None:
        return
    role = (
        Membership.objects.filter(practice_id=practice_id, user=user).values_list("role", flat=True).first()
    )
    if role is None:
        raise ValidationError({field: "Choose a member of this practice."})
    if editors_only and not role_can(role, Perm.EDIT):
        raise ValidationError({field: "Choose a member who may do client work (not a viewer)."})


def unique_practice_slug(name: str) -> str:
    base = slugify(name)[:50] or "practice"
    slug, n = base, 2
    while Practice.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def practice_create(
    *, name: str, owner: User, currency: str = "USD", time_zone: str = "UTC", fiscal_year_start_month: int = 1
) -> Practice:
    practice = Practice(
        name=name,
        slug=unique_practice_slug(name),
        currency=currency,
        time_zone=time_zone,
        fiscal_year_start_month=fiscal_year_start_month,
    )
    practice.full_clean()
    audit(practice, owner)
    practice.save()
    membership = Membership(practice=practice, user=owner, role=Role.OWNER)
    audit(membership, owner, "Created the practice")
    membership.save()
    return practice


@transaction.atomic
def practice_update(*, practice: Practice, actor: User | None, **data) -> Practice:
    apply_fields(practice, data, PRACTICE_SETTINGS_FIELDS)
    practice.full_clean()
    audit(practice, actor)
    practice.save()
    return practice


def _tenant_history_models() -> list:
    """The audit-history models of every tenant-owned model (their rows carry `practice_id`)."""
    return [
        model
        for model in apps.get_models()
        if hasattr(model, "instance_type") and any(f.attname == "practice_id" for f in model._meta.fields)
    ]


@transaction.atomic
def practice_delete(*, practice: Practice, actor: User) -> None:
    """Delete the practice and everything of it (clients and all under them, members' access,
    invitations, API keys — by cascade — and their audit history). Owners only.

    The practice's own history keeps one row saying who deleted it and when; the people (user
    accounts) stay, as they may belong to other practices."""
    role = Membership.objects.for_practice(practice).filter(user=actor).values_list("role", flat=True).first()
    if role is None or not role_can(role, Perm.DELETE_PRACTICE):
        raise PermissionDenied("Only an owner can delete the practice.")
    practice = Practice.objects.select_for_update().get(pk=practice.pk)
    logo = practice.logo.name
    practice_id = practice.pk
    audit(practice, actor, "Practice deleted with all its data")
    practice.delete()
    for history_model in _tenant_history_models():
        history_model.objects.filter(practice_id=practice_id).delete()
    if logo:
        storage = Practice._meta.get_field("logo").storage
        transaction.on_commit(lambda: storage.delete(logo))


@transaction.atomic
def user_set_name(*, user: User, name: str) -> User:
    """The display name shown everywhere instead of the e-mail address."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Enter your name."})
    user.name = name
    user.full_clean(exclude=["password", "email"])
    user.save(update_fields=["name"])
    return user
