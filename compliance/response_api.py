"""API of a client's answers: `responses/` (read and update) and `responses/bulk/` (all or nothing).

Its route is listed in `compliance.api.API_ROUTES` with the rest of the compliance app's.
"""

from django.db.models import Q
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response as ApiResponse

from accounts.api import MemberField
from accounts.models import User
from accounts.selectors import practice_member_users
from roadmaps.models import Initiative
from vcio.api import PrefetchedListSerializer, TenantFilterSet, TenantSerializer, TenantViewSet

from . import selectors, services
from .models import Assessment, Response, ResponseStatus


class EvidenceLinkSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=1_000)
    label = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        # A PATCH is partial down to its nested links, which then skip `required`: a link needs a URL.
        if not attrs.get("url"):
            raise serializers.ValidationError({"url": [serializers.Field.default_error_messages["required"]]})
        return attrs

    class Meta:
        list_serializer_class = PrefetchedListSerializer  # the links the selector prefetched


class ResponseSerializer(TenantSerializer):
    """The answer to one item. Writable: `status`, `owner` (a member who may do client work),
    `due_date`, `notes` (evidence notes), `evidence_links` (replaces the list), `initiatives` (roadmap
    initiatives of the same client that address the item; replaces the list) and `reviewed: true`
    (records you as reviewer). A changed status needs a new review. A completed assessment's answers
    refuse every change (400)."""

    owner = MemberField(queryset=User.objects.none(), allow_null=True, required=False)
    item = serializers.SerializerMethodField()
    evidence_links = EvidenceLinkSerializer(many=True, required=False)
    initiatives = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Initiative.objects.all(), required=False
    )
    reviewed = serializers.BooleanField(write_only=True, required=False, default=False)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Response
        fields = [
            "id",
            "client",
            "assessment",
            "item",
            "status",
            "owner",
            "due_date",
            "overdue",
            "notes",
            "evidence_links",
            "initiatives",
            "answered_by",
            "answered_at",
            "reviewed_by",
            "reviewed_at",
            "reviewed",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "client",
            "assessment",
            "answered_by",
            "answered_at",
            "reviewed_by",
            "reviewed_at",
            "updated_at",
        ]

    def scope_fields(self, practice):
        if practice is not None:
            self.fields["owner"].queryset = practice_member_users(practice=practice)

    @extend_schema_field(
        inline_serializer(
            "ResponseItem",
            {"id": serializers.UUIDField(), "ref": serializers.CharField(), "title": serializers.CharField()},
        )
    )
    def get_item(self, response):
        item = response.item
        return {"id": str(item.pk), "ref": item.ref, "title": item.title}

    def get_overdue(self, response) -> bool:
        return selectors.is_overdue(response, timezone.localdate())

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["initiatives"] = [str(i.pk) for i in getattr(instance, "initiatives", [])]
        return data


class ResponseFilter(TenantFilterSet):
    status = filters.MultipleChoiceFilter(choices=ResponseStatus.choices)
    owner = filters.ModelChoiceFilter(queryset=User.objects.none())
    overdue = filters.BooleanFilter(method="filter_overdue", label="Overdue (open, due date in the past)")

    class Meta:
        model = Response
        fields = ["client", "assessment"]

    def scope_filters(self, practice):
        if practice is not None:
            self.filters["owner"].queryset = practice_member_users(practice=practice)

    def filter_overdue(self, queryset, name, value):
        overdue = Q(due_date__lt=timezone.localdate(), status__in=services.GAP_STATUSES)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class BulkSerializer(serializers.Serializer):
    """Change many answers of one assessment at once — all or nothing: one id that is not an answer
    of this assessment (another assessment, client or practice) refuses the whole request. Give at
    least one of `status`, `owner` (null clears it), `due_date` (null clears it), `reviewed`."""

    assessment = serializers.PrimaryKeyRelatedField(queryset=Assessment.objects.all())
    ids = serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=services.MAX_BULK)
    status = serializers.ChoiceField(choices=ResponseStatus.choices, required=False)
    owner = MemberField(queryset=User.objects.none(), allow_null=True, required=False)
    due_date = serializers.DateField(allow_null=True, required=False)
    reviewed = serializers.BooleanField(required=False, default=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        practice = getattr(self.context.get("request"), "practice", None)
        if practice is not None:
            self.fields["assessment"].queryset = Assessment.objects.for_practice(practice).select_related(
                "adoption", "client"
            )
            self.fields["owner"].queryset = practice_member_users(practice=practice)
        else:
            self.fields["assessment"].queryset = Assessment.objects.none()


class ResponseViewSet(TenantViewSet):
    """Answers of your clients' assessments (`?assessment=`, `?client=`, `?status=` (repeatable),
    `?owner=`, `?overdue=true`). Answers are created with their assessment: read and update them here
    (`PATCH`), or many at once with `POST /responses/bulk/`."""

    serializer_class = ResponseSerializer
    filterset_class = ResponseFilter
    http_method_names = ["get", "patch", "head", "options"]
    ordering_fields = ["due_date", "status", "updated_at", "created_at"]
    ordering = ["assessment", "created_at"]

    def get_scoped_queryset(self, practice):
        return selectors.responses_of_practice(practice=practice, listing=self.action == "list")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._attach_links(page if page is not None else queryset)
        return page

    def _attach_links(self, responses):
        selectors.attach_linked_initiative_ids(practice=self.practice, responses=responses)

    def get_object(self):
        obj = super().get_object()
        self._attach_links([obj])
        return obj

    def update_object(self, instance, data):
        kwargs = {k: data[k] for k in ("status", "owner", "due_date", "notes") if k in data}
        if "evidence_links" in data:
            kwargs["evidence_links"] = [
                (link["url"], link.get("label", "")) for link in data["evidence_links"]
            ]
        if "initiatives" in data:
            kwargs["initiatives"] = data["initiatives"]
        response = services.response_update(
            response=instance, actor=self.actor, reviewed=data.get("reviewed", False), **kwargs
        )
        fresh = self.get_scoped_queryset(self.practice).get(pk=response.pk)
        self._attach_links([fresh])
        return fresh

    @extend_schema(
        summary="Update many answers at once",
        request=BulkSerializer,
        responses=inline_serializer("BulkResult", {"updated": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], http_method_names=["post", "options"])
    def bulk(self, request):
        """All or nothing: every id must be an answer of `assessment`; nothing changes otherwise (400)."""
        payload = BulkSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        changes = {k: data[k] for k in ("status", "owner", "due_date") if k in data}
        updated = services.responses_bulk_update(
            assessment=data["assessment"],
            actor=self.actor,
            response_ids=data["ids"],
            reviewed=data.get("reviewed", False),
            **changes,
        )
        return ApiResponse({"updated": updated})
