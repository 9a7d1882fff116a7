"""Every write of the clients app: keyword-only, transactional, validated, practice set from the parent."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

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


def _check_member(practice: Practice, user: User | None, field: str) -> None:
    if user is not None and not Membership.objects.filter(practice=practice, user=user).exists():
        raise ValidationError({field: "Choose a member of this practice."})


def _apply(obj, data: dict, allowed: tuple[str, ...]) -> list[str]:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    for key, value in data.items():
        setattr(obj, key, value)
    return list(data)


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
    _apply(practice, data, PRACTICE_SETTINGS_FIELDS)
    practice.full_clean()
    practice.save()
    return practice


@transaction.atomic
def client_create(*, practice: Practice, actor: User, **data) -> Client:
    client = Client(practice=practice)
    _apply(client, data, CLIENT_FIELDS)
    _check_member(practice, client.primary_consultant, "primary_consultant")
    client.full_clean()
    client.save()
    return client


@transaction.atomic
def client_update(*, client: Client, actor: User, **data) -> Client:
    _apply(client, data, CLIENT_FIELDS)
    _check_member(client.practice, client.primary_consultant, "primary_consultant")
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
    _apply(contact, data, CONTACT_FIELDS)
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, actor: User, **data) -> Contact:
    _apply(contact, data, CONTACT_FIELDS)
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact, actor: User) -> None:
    contact.delete()
