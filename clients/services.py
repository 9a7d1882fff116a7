"""Every write of the clients app: keyword-only, transactional, validated, practice set from the parent,
and the actor recorded in the audit history."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Practice, User
from accounts.services import check_member
from vcio.services import apply_fields, audit

from .models import Client, ClientStatus, Contact

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


@transaction.atomic
def client_create(*, practice: Practice, actor: User | None, **data) -> Client:
    client = Client(practice=practice)
    apply_fields(client, data, CLIENT_FIELDS)
    check_member(practice.pk, client.primary_consultant, "primary_consultant", editors_only=True)
    client.full_clean()
    audit(client, actor)
    client.save()
    return client


@transaction.atomic
def client_update(*, client: Client, actor: User | None, **data) -> Client:
    before = client.primary_consultant_id
    apply_fields(client, data, CLIENT_FIELDS)
    if client.primary_consultant_id != before:  # an unchanged choice stays valid (see membership_remove)
        check_member(client.practice_id, client.primary_consultant, "primary_consultant", editors_only=True)
    client.full_clean()
    audit(client, actor)
    client.save()
    return client


@transaction.atomic
def client_archive(*, client: Client, actor: User | None) -> Client:
    if client.status == ClientStatus.ARCHIVED:
        raise ValidationError({"status": "This client is already archived."})
    client.status = ClientStatus.ARCHIVED
    audit(client, actor, "Archived")
    client.save(update_fields=["status", "updated_at"])
    return client


@transaction.atomic
def client_restore(*, client: Client, actor: User | None) -> Client:
    if client.status != ClientStatus.ARCHIVED:
        raise ValidationError({"status": "Only an archived client can be restored."})
    client.status = ClientStatus.ACTIVE
    audit(client, actor, "Restored")
    client.save(update_fields=["status", "updated_at"])
    return client


@transaction.atomic
def contact_create(*, client: Client, actor: User | None, **data) -> Contact:
    contact = Contact(practice_id=client.practice_id, client=client)
    apply_fields(contact, data, CONTACT_FIELDS)
    contact.full_clean()
    audit(contact, actor)
    contact.save()
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, actor: User | None, client: Client | None = None, **data) -> Contact:
    """Change a contact. A contact belongs to one client for good: naming another client is refused."""
    if client is not None and client.pk != contact.client_id:
        raise ValidationError({"client": "A contact cannot move to another client."})
    apply_fields(contact, data, CONTACT_FIELDS)
    contact.full_clean()
    audit(contact, actor)
    contact.save()
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact, actor: User | None) -> None:
    audit(contact, actor)
    contact.delete()


def clear_member_assignments(*, practice_id, user: User, actor: User | None) -> int:
    """A member leaves: they are no longer the primary consultant of the practice's clients (the
    clients stay; the field becomes empty, recorded in the history). Returns how many changed."""
    clients = list(Client.objects.for_practice(practice_id).filter(primary_consultant=user))
    for client in clients:
        client.primary_consultant = None
        audit(client, actor, f"{user.display_name} left the practice")
        client.save(update_fields=["primary_consultant", "updated_at"])
    return len(clients)
