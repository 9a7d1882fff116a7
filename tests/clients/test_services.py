"""Every write of the clients app records who made it in the audit history, called directly (no
request, as a task, a command or an API key's service call does): issue 7, finding 5."""

import pytest

from accounts import member_services
from accounts.models import Membership
from clients import portal_services, services
from clients.models import Client, Contact, PortalAccess

from ..factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


def newest(history_qs):
    return history_qs.order_by("-history_date", "-history_id").first()


def test_client_writes_record_the_actor(practice_a, owner_a, consultant_a):
    client = services.client_create(practice=practice_a, actor=consultant_a, name="Acme Dental")
    assert newest(Client.history.filter(id=client.pk)).history_user == consultant_a

    services.client_update(client=client, actor=owner_a, name="Acme Dental Group")
    assert newest(client.history.all()).history_user == owner_a

    services.client_archive(client=client, actor=consultant_a)
    assert newest(client.history.all()).history_user == consultant_a

    services.client_restore(client=client, actor=owner_a)
    record = newest(client.history.all())
    assert (record.history_user, record.history_change_reason) == (owner_a, "Restored")


def test_contact_writes_record_the_actor(owner_a, consultant_a, client_a1):
    contact = services.contact_create(client=client_a1, actor=consultant_a, name="Dana Whitfield")
    assert newest(contact.history.all()).history_user == consultant_a

    services.contact_update(contact=contact, actor=owner_a, title="CFO")
    assert newest(contact.history.all()).history_user == owner_a

    pk = contact.pk
    services.contact_delete(contact=contact, actor=consultant_a)
    record = newest(Contact.history.filter(id=pk))
    assert (record.history_type, record.history_user) == ("-", consultant_a)


def test_portal_writes_record_the_actor(owner_a, client_a1):
    invitation, _ = portal_services.portal_invitation_create(
        client=client_a1, actor=owner_a, email="ceo@acme.example.com"
    )
    assert newest(invitation.history.all()).history_user == owner_a

    access = PortalAccess.objects.create(practice=client_a1.practice, client=client_a1, user=UserFactory())
    pk = access.pk
    portal_services.portal_access_remove(access=access, actor=owner_a)
    record = newest(PortalAccess.history.filter(id=pk))
    assert (record.history_type, record.history_user) == ("-", owner_a)


def test_clearing_a_removed_members_assignments_records_who_removed_them(
    practice_a, owner_a, consultant_a, client_a1
):
    services.client_update(client=client_a1, actor=owner_a, primary_consultant=consultant_a)
    membership = Membership.objects.get(practice=practice_a, user=consultant_a)

    member_services.membership_remove(membership=membership, actor=owner_a)

    client_a1.refresh_from_db()
    record = newest(client_a1.history.all())
    assert client_a1.primary_consultant is None
    assert record.history_user == owner_a
    assert "left the practice" in record.history_change_reason


def test_a_write_without_an_actor_names_nobody(client_a1):
    """An API key is not a person: its writes name no user (the key is named in the reason)."""
    contact = ContactFactory(client=client_a1)
    services.contact_update(contact=contact, actor=None, title="CTO")
    assert newest(contact.history.all()).history_user is None
