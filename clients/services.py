"""Every write of the clients app: keyword-only, transactional, validated, practice set from the parent."""

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify

from vcio.services import apply_fields, audit

from .access import Perm, role_can
from .models import Client, ClientStatus, Contact, Membership, Practice, Role, User

CLIENT_FIELDS = (
    "name",
    "industry",
    "headcount",
    "locations",
    "fiscal_year_start_month",
    "qbr_cadence_months",
    "primary_consultant",
    "notes",
)
CONTACT_FIELDS = ("name", "title", "email", "phone", "is_executive")
PRACTICE_SETTINGS_FIELDS = (
    "name",
    "logo",
    "brand_colour",
    "currency",
    "time_zone",
    "fiscal_year_start_month",
    "require_two_factor",
)


def check_member(practice_id, user: User | None, field: str) -> None:
    """A user chosen for `field` (owner, primary consultant…) must be a member of the practice."""
    if user is not None and not Membership.objects.filter(practice_id=practice_id, user=user).exists():
        raise ValidationError({field: "Choose a member of this practice."})


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
    practice.save()
    Membership.objects.create(practice=practice, user=owner, role=Role.OWNER)
    return practice


@transaction.atomic
def practice_update(*, practice: Practice, actor: User, **data) -> Practice:
    apply_fields(practice, data, PRACTICE_SETTINGS_FIELDS)
    practice.full_clean()
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
def client_create(*, practice: Practice, actor: User, **data) -> Client:
    client = Client(practice=practice)
    apply_fields(client, data, CLIENT_FIELDS)
    check_member(practice.pk, client.primary_consultant, "primary_consultant")
    client.full_clean()
    client.save()
    return client


@transaction.atomic
def client_update(*, client: Client, actor: User, **data) -> Client:
    apply_fields(client, data, CLIENT_FIELDS)
    check_member(client.practice_id, client.primary_consultant, "primary_consultant")
    client.full_clean()
    client.save()
    return client


@transaction.atomic
def client_archive(*, client: Client, actor: User) -> Client:
    if client.status == ClientStatus.ARCHIVED:
        raise ValidationError({"status": "This client is already archived."})
    client.status = ClientStatus.ARCHIVED
    client.save(update_fields=["status", "updated_at"])
    return client


@transaction.atomic
def client_restore(*, client: Client, actor: User) -> Client:
    if client.status != ClientStatus.ARCHIVED:
        raise ValidationError({"status": "Only an archived client can be restored."})
    client.status = ClientStatus.ACTIVE
    client.save(update_fields=["status", "updated_at"])
    return client


@transaction.atomic
def contact_create(*, client: Client, actor: User, **data) -> Contact:
    contact = Contact(practice_id=client.practice_id, client=client)
    apply_fields(contact, data, CONTACT_FIELDS)
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, actor: User, **data) -> Contact:
    apply_fields(contact, data, CONTACT_FIELDS)
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact, actor: User) -> None:
    contact.delete()
