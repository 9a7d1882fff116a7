"""Reads of the clients app: each takes the practice explicitly and does its joins here."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from vcio.listing import apply_sort

from .models import Client, ClientStatus, Contact, Membership, Practice, User

CLIENT_SORTS = {
    "name": "name",
    "industry": "industry",
    "headcount": "headcount",
    "status": "status",
    "consultant": "primary_consultant__email",
    "updated": "updated_at",
    "contacts": "contact_count",
}


def client_list(
    *, practice: Practice, q: str = "", status: str = "active", industry: str = "", sort: str = "name"
) -> tuple[QuerySet[Client], str]:
    qs = (
        Client.objects.for_practice(practice)
        .select_related("primary_consultant")
        .annotate(contact_count=Count("contacts"))
    )
    if q:
        # Exists, not a join: joining contacts again would multiply the contact count annotated above.
        contact_match = Contact.objects.filter(client=OuterRef("pk"), name__icontains=q)
        qs = qs.filter(Q(name__icontains=q) | Q(notes__icontains=q) | Exists(contact_match))
    if status in ClientStatus.values:
        qs = qs.filter(status=status)
    if industry:
        qs = qs.filter(industry=industry)
    return apply_sort(qs, sort, CLIENT_SORTS, default="name,pk")


def client_contacts(*, client: Client) -> QuerySet[Contact]:
    return Contact.objects.for_practice(client.practice_id).filter(client=client)


def practice_members(*, practice: Practice) -> QuerySet[Membership]:
    return Membership.objects.for_practice(practice).select_related("user").order_by("user__email")


def practice_member_users(*, practice: Practice) -> QuerySet[User]:
    return User.objects.filter(memberships__practice=practice).order_by("first_name", "last_name", "email")


def user_memberships(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("practice").order_by("practice__name")
