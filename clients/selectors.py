"""Reads of the clients app: each takes the practice (or client) explicitly and does its joins here."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.member_selectors import member_label
from accounts.models import Invitation, Practice
from vcio.history import HISTORY_PAGE_SIZE, HistorySource, merged_history
from vcio.listing import apply_sort

from .models import Client, ClientStatus, Contact, PortalAccess

CLIENT_SORTS = {
    "name": "name",
    "industry": "industry",
    "headcount": "headcount",
    "status": "status",
    "consultant": "primary_consultant__name",
    "updated": "updated_at",
    "contacts": "contact_count",
}
PAGE_HISTORY_LIMIT = HISTORY_PAGE_SIZE


def client_list(
    *, practice: Practice, q: str = "", status: str = "active", industry: str = "", sort: str = "name"
) -> tuple[QuerySet[Client], str]:
    """The practice's clients with `contact_count`. Every subquery names the practice, so the
    planner reads only this practice's rows through its practice-led indexes."""
    contacts = Contact.objects.for_practice(practice)
    counts = (
        contacts.filter(client=OuterRef("pk")).order_by().values("client").annotate(n=Count("pk")).values("n")
    )
    qs = (
        Client.objects.for_practice(practice)
        .select_related("primary_consultant")
        .annotate(contact_count=Coalesce(Subquery(counts, output_field=IntegerField()), Value(0)))
    )
    if q:
        contact_match = contacts.filter(client=OuterRef("pk"), name__icontains=q)
        qs = qs.filter(Q(name__icontains=q) | Q(notes__icontains=q) | Exists(contact_match))
    if status in ClientStatus.values:
        qs = qs.filter(status=status)
    if industry:
        qs = qs.filter(industry=industry)
    return apply_sort(qs, sort, CLIENT_SORTS, default="name,pk")


def client_export(*, practice: Practice, columns: list, chunk_size: int = 500, **filters):
    """The client list's CSV: (client, {column key: its value}) for every client `client_list`
    keeps, in its order, read in chunks with the other apps' columns (`vcio.registry.ClientColumn`)
    — a fixed number of queries per chunk, however many clients."""
    qs, _ = client_list(practice=practice, **filters)
    chunk: list = []

    def flush():
        found = {col.key: col.values(practice, chunk) for col in columns}
        for client in chunk:
            yield client, {key: values.get(client.pk) for key, values in found.items()}

    for client in qs.iterator(chunk_size=chunk_size):
        chunk.append(client)
        if len(chunk) == chunk_size:
            yield from flush()
            chunk = []
    if chunk:
        yield from flush()


def client_contacts(*, client: Client) -> QuerySet[Contact]:
    return Contact.objects.for_client(client)


def portal_users(*, client: Client) -> QuerySet[PortalAccess]:
    return PortalAccess.objects.for_client(client).select_related("user").order_by("user__email")


def pending_portal_invitations(*, client: Client) -> QuerySet[Invitation]:
    return (
        Invitation.objects.for_practice(client.practice_id)
        .filter(client=client, accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("invited_by")
        .order_by("-created_at")
    )


CONTACT_HISTORY = HistorySource("Contact", lambda _: None)


def contact_history(*, contact: Contact, before=None, limit: int = PAGE_HISTORY_LIMIT) -> list[dict]:
    return merged_history(
        [(CONTACT_HISTORY, Contact.history.filter(practice_id=contact.practice_id, id=contact.pk))],
        before=before,
        limit=limit,
    )


# The client's History tab merges these with every other app's sources (registered in ready()).
CLIENT_HISTORY_SOURCES = [
    HistorySource("Client", lambda c: Client.history.filter(practice_id=c.practice_id, id=c.pk)),
    HistorySource("Contact", lambda c: Contact.history.filter(practice_id=c.practice_id, client_id=c.pk)),
    HistorySource(
        "Portal access",
        lambda c: PortalAccess.history.filter(practice_id=c.practice_id, client_id=c.pk),
        ("user",),
        member_label,
    ),
    HistorySource(
        "Portal invitation",
        lambda c: Invitation.history.filter(practice_id=c.practice_id, client_id=c.pk),
        (),
        lambda r: r.email,
    ),
]
