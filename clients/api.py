"""API of the clients app: clients, contacts and `me`. The pattern every later app copies:
serializer from `TenantSerializer`, viewset from `TenantViewSet` calling selectors and services."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from vcio.api import TenantFilterSet, TenantSerializer, TenantViewSet, request_practice
from vcio.api_schema import describe_tag

from . import selectors, services
from .models import Client, Contact, User


class MemberField(serializers.PrimaryKeyRelatedField):
    """A user who is a member of the request's practice (scoped in `scope_fields`)."""


describe_tag("clients", "The businesses your practice advises.")
describe_tag("contacts", "The people at a client: executives, IT contacts, finance.")
describe_tag("me", "Who is calling: the practice, the role in force, and the user or API key.")


class ClientSerializer(TenantSerializer):
    """A client of the practice. `primary_consultant` is the id of a member of the practice."""

    primary_consultant = MemberField(queryset=User.objects.none(), allow_null=True, required=False)

    class Meta:
        model = Client
        fields = ["id", *services.CLIENT_FIELDS, "status", "created_at", "updated_at"]
        read_only_fields = ["id", "status", "created_at", "updated_at"]

    def scope_fields(self, practice):
        if practice is not None:
            self.fields["primary_consultant"].queryset = selectors.practice_member_users(practice=practice)


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

    def validate(self, attrs):
        if self.instance is not None and "client" in attrs and attrs["client"] != self.instance.client:
            raise serializers.ValidationError({"client": ["A contact cannot move to another client."]})
        return attrs


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
        data.pop("client", None)
        return services.contact_update(contact=instance, actor=self.actor, **data)

    def destroy_object(self, instance):
        services.contact_delete(contact=instance, actor=self.actor)


class MeSerializer(serializers.Serializer):
    practice = serializers.DictField()
    role = serializers.CharField()
    user = serializers.DictField(allow_null=True)
    api_key = serializers.DictField(allow_null=True)


class MeView(APIView):
    """Who is calling: the practice, the role in force, and the user or the API key."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        practice = request_practice(request)
        key = getattr(request.user, "api_key", None)
        user = (
            None
            if key
            else {"id": str(request.user.pk), "email": request.user.email, "name": request.user.display_name}
        )
        return Response(
            {
                "practice": {
                    "id": str(practice.pk),
                    "slug": practice.slug,
                    "name": practice.name,
                    "currency": practice.currency,
                    "time_zone": practice.time_zone,
                },
                "role": request.api_role,
                "user": user,
                "api_key": {"name": key.name, "prefix": key.prefix, "read_only": key.read_only}
                if key
                else None,
            }
        )


# Discovered by vcio.api_urls: everything under /api/v1/.
API_ROUTES = [
    ("clients", ClientViewSet, "client"),
    ("contacts", ContactViewSet, "contact"),
]
API_PATHS = [path("me/", MeView.as_view(), name="api-me")]
