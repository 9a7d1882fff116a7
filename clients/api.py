"""API of the clients app: clients and contacts. The pattern every later app copies: serializer from
`TenantSerializer`, viewset from `TenantViewSet` calling selectors and services."""

from accounts.api import MemberField
from accounts.models import User
from accounts.selectors import practice_member_users
from vcio.api import TenantFilterSet, TenantSerializer, TenantViewSet
from vcio.api_schema import describe_tag

from . import services
from .models import Client, Contact

describe_tag("clients", "The businesses your practice advises.")
describe_tag("contacts", "The people at a client: executives, IT contacts, finance.")


class ClientSerializer(TenantSerializer):
    """A client of the practice. `primary_consultant` is the id of a member of the practice."""

    primary_consultant = MemberField(queryset=User.objects.none(), allow_null=True, required=False)

    class Meta:
        model = Client
        fields = ["id", *services.CLIENT_FIELDS, "status", "created_at", "updated_at"]
        read_only_fields = ["id", "status", "created_at", "updated_at"]

    def scope_fields(self, practice):
        if practice is not None:
            self.fields["primary_consultant"].queryset = practice_member_users(practice=practice)


class ContactSerializer(TenantSerializer):
    """A person at a client. `client` is set at creation and cannot change."""

    class Meta:
        model = Contact
        fields = [
            "id",
            "client",
            "name",
            "title",
            "email",
            "phone",
            "is_executive",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


class ClientFilter(TenantFilterSet):
    class Meta:
        model = Client
        fields = {"status": ["exact"], "industry": ["exact"], "name": ["icontains"]}


class ClientViewSet(TenantViewSet):
    """Clients of your practice, active and archived (filter with `?status=active`). Deleting a
    client archives it: its data stays, and it can be restored in the app."""

    serializer_class = ClientSerializer
    filterset_class = ClientFilter
    ordering_fields = ["name", "headcount", "created_at", "updated_at"]
    ordering = ["name"]
    search_fields = ["name"]

    def get_scoped_queryset(self, practice):
        return Client.objects.for_practice(practice).order_by("name", "pk")

    def create_object(self, data):
        return services.client_create(practice=self.practice, actor=self.actor, **data)

    def update_object(self, instance, data):
        return services.client_update(client=instance, actor=self.actor, **data)

    def destroy_object(self, instance):
        services.client_archive(client=instance, actor=self.actor)


class ContactViewSet(TenantViewSet):
    """Contacts of your practice's clients; `?client=<id>` lists one client's contacts."""

    serializer_class = ContactSerializer
    filterset_fields = ["client", "is_executive"]
    ordering_fields = ["name", "created_at"]
    ordering = ["name"]
    search_fields = ["name", "email", "title"]

    def get_scoped_queryset(self, practice):
        return Contact.objects.for_practice(practice).order_by("name", "pk")

    def create_object(self, data):
        client = data.pop("client")
        return services.contact_create(client=client, actor=self.actor, **data)

    def update_object(self, instance, data):
        return services.contact_update(contact=instance, actor=self.actor, **data)

    def destroy_object(self, instance):
        services.contact_delete(contact=instance, actor=self.actor)


# Discovered by vcio.api_urls: everything under /api/v1/.
API_ROUTES = [
    ("clients", ClientViewSet, "client"),
    ("contacts", ContactViewSet, "contact"),
]
