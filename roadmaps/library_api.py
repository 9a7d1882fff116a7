"""API of the initiative library: templates CRUD and `apply/` (add templates to a client's roadmap),
calling the same selectors and services as the pages. Routes are listed in `roadmaps.api.API_ROUTES`
(which imports this module, so this one loads the initiative serializer lazily)."""

from django_filters import rest_framework as filters
from drf_spectacular.helpers import lazy_serializer
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from clients.models import Client
from vcio.api import TenantFilterSet, TenantSerializer, TenantViewSet
from vcio.api_filters import scoped_queryset
from vcio.api_schema import describe_tag
from vcio.fiscal import parse_quarter

from . import library_selectors, library_services, selectors
from .models import Category, Goal, InitiativeTemplate, Priority

describe_tag(
    "initiative-templates",
    "The practice's initiative library: reusable initiatives with typical costs and effort. "
    "`POST /initiative-templates/apply/` adds templates to a client's roadmap.",
)


class InitiativeTemplateSerializer(TenantSerializer):
    """A template of the practice's initiative library. `tags` is a comma-separated list, stored
    normalised (lower case, no duplicates); titles are unique in the library."""

    class Meta:
        model = InitiativeTemplate
        fields = [
            "id",
            "title",
            "description",
            "category",
            "priority",
            "one_time_cost",
            "recurring_monthly_cost",
            "effort_hours",
            "business_impact",
            "risk_if_not_done",
            "tags",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        # Titles are unique per practice (case-insensitively): the service checks, with a clear message.
        validators = []


class ApplyTemplatesSerializer(serializers.Serializer):
    """Add templates to a client's roadmap: one proposed initiative per template, starting in
    `target_start` (a fiscal quarter of the client's calendar, "FY2027 Q2"), serving `goals` (goals of
    that client). All or nothing."""

    client = serializers.PrimaryKeyRelatedField(queryset=Client.objects.all())
    templates = serializers.PrimaryKeyRelatedField(
        many=True, queryset=InitiativeTemplate.objects.all(), allow_empty=False
    )
    target_start = serializers.CharField(help_text="A fiscal quarter of the client's calendar: “FY2027 Q2”.")
    goals = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Goal.objects.all(), required=False, default=list
    )

    def __init__(self, *args, practice=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = scoped_queryset(Client.objects.all(), practice)
        self.fields["templates"].child_relation.queryset = scoped_queryset(
            InitiativeTemplate.objects.all(), practice
        )
        self.fields["goals"].child_relation.queryset = scoped_queryset(Goal.objects.all(), practice)

    def validate_target_start(self, value):
        try:
            return parse_quarter(value)
        except (TypeError, ValueError):
            raise serializers.ValidationError("Write a fiscal quarter like “FY2027 Q2”.") from None


class InitiativeTemplateFilter(TenantFilterSet):
    category = filters.MultipleChoiceFilter(choices=Category.choices)
    priority = filters.MultipleChoiceFilter(choices=Priority.choices)
    tag = filters.CharFilter(field_name="tags", lookup_expr="icontains", label="Tag (part of the tags)")

    class Meta:
        model = InitiativeTemplate
        fields = []


class InitiativeTemplateViewSet(TenantViewSet):
    """The practice's initiative library. Filter with `?category=`, `?priority=` (repeatable) and
    `?tag=`; `?search=` looks in titles, descriptions and tags."""

    serializer_class = InitiativeTemplateSerializer
    filterset_class = InitiativeTemplateFilter
    ordering_fields = [
        "title",
        "category",
        "priority_rank",
        "one_time_cost",
        "recurring_monthly_cost",
        "effort_hours",
        "created_at",
        "updated_at",
    ]
    ordering = ["title"]
    search_fields = ["title", "description", "tags"]

    def get_scoped_queryset(self, practice):
        return library_selectors.templates_of(practice=practice).order_by("title", "pk")

    def create_object(self, data):
        return library_services.template_create(practice=self.practice, actor=self.actor, **data)

    def update_object(self, instance, data):
        return library_services.template_update(template=instance, actor=self.actor, **data)

    def destroy_object(self, instance):
        library_services.template_delete(template=instance, actor=self.actor)

    @extend_schema(
        summary="Add templates to a client's roadmap",
        request=ApplyTemplatesSerializer,
        responses={201: lazy_serializer("roadmaps.api.InitiativeSerializer")(many=True)},
    )
    @action(detail=False, methods=["post"])
    def apply(self, request):
        """Create one proposed initiative per template on the client's roadmap, in `target_start`;
        `201` with the created initiatives, `400` with the reasons (nothing is created)."""
        from .api import InitiativeSerializer  # (roadmaps.api imports this module)

        payload = ApplyTemplatesSerializer(data=request.data, practice=self.practice)
        payload.is_valid(raise_exception=True)
        created = library_services.templates_apply(actor=self.actor, **payload.validated_data)
        fresh = selectors.initiatives_of_practice(practice=self.practice).filter(
            pk__in=[i.pk for i in created]
        )
        return Response(
            InitiativeSerializer(
                fresh.order_by("title", "pk"), many=True, context=self.get_serializer_context()
            ).data,
            status=status.HTTP_201_CREATED,
        )
