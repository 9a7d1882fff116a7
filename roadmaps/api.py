"""API of the roadmaps app: goals and initiatives CRUD plus the status transition, calling the same
selectors and services as the pages. Target quarters read and write as labels ("FY2027 Q2")."""

from django import forms
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api import MemberField
from accounts.models import User
from accounts.selectors import practice_member_users
from vcio.api import PrefetchedManyField, TenantFilterSet, TenantSerializer, TenantViewSet
from vcio.api_schema import describe_tag
from vcio.fiscal import SUPPORTED_RANGE_TEXT, FiscalQuarter, parse_quarter

from . import selectors, services
from .library_api import InitiativeTemplateViewSet
from .models import Category, Goal, Initiative, Priority, Status


@extend_schema_field(OpenApiTypes.STR)
class FiscalQuarterField(serializers.Field):
    """A fiscal quarter of the client's calendar: "FY2027 Q2" (also accepts "2027-Q2" or 20272), from
    FY2000 Q1 to FY2100 Q4."""

    default_error_messages = {
        "invalid": f"Write a fiscal quarter like “FY2027 Q2”, from {SUPPORTED_RANGE_TEXT}."
    }

    def to_representation(self, value):
        if isinstance(value, FiscalQuarter):
            return value.label
        return FiscalQuarter.from_key(value).label if value else None

    def to_internal_value(self, data):
        try:
            return parse_quarter(data)
        except (TypeError, ValueError):
            self.fail("invalid")


class QuarterFormField(forms.CharField):
    """A fiscal quarter in a query string; an invalid one is a 400 with the reason, not an empty list."""

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        try:
            return parse_quarter(value)
        except (TypeError, ValueError):
            # The value goes in as a parameter: django-filter formats the message with `%`, and a value
            # holding a "%" written into the message itself would break that formatting (a 500).
            raise forms.ValidationError(
                "“%(value)s” is not a fiscal quarter; write one like “FY2027 Q2”.", params={"value": value}
            ) from None


@extend_schema_field(OpenApiTypes.STR)
class QuarterFilter(filters.Filter):
    field_class = QuarterFormField

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(target_start__lte=value.key, target_end__gte=value.key)


describe_tag("goals", "A client's business goals for a fiscal year; initiatives serve them.")
describe_tag(
    "initiatives",
    'The technology initiatives on a client\'s roadmap, planned by fiscal quarter ("FY2027 Q2"); '
    "status changes only through `POST /initiatives/{id}/transition/`.",
)


class GoalSerializer(TenantSerializer):
    """A business goal of a client. `client` is set at creation and cannot change."""

    class Meta:
        model = Goal
        fields = [
            "id",
            "client",
            "title",
            "description",
            "fiscal_year",
            "status",
            "order",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


class InitiativeSerializer(TenantSerializer):
    """An initiative. `owner` is a member of the practice (user id), `sponsor` a contact of the same
    client, `goals` goals of the same client; `target_start`/`target_end` are fiscal quarters of the
    client's calendar ("FY2027 Q2"; the end defaults to the start). `status` is read-only."""

    owner = MemberField(queryset=User.objects.none(), allow_null=True, required=False)
    target_start = FiscalQuarterField()
    target_end = FiscalQuarterField(required=False)
    goals = PrefetchedManyField(queryset=Goal.objects.all(), required=False)

    class Meta:
        model = Initiative
        fields = [
            "id",
            "client",
            "title",
            "description",
            "category",
            "priority",
            "status",
            "target_start",
            "target_end",
            "owner",
            "sponsor",
            "goals",
            "one_time_cost",
            "recurring_monthly_cost",
            "effort_hours",
            "business_impact",
            "risk_if_not_done",
            "approved_at",
            "completed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "status", "approved_at", "completed_at", "created_at", "updated_at"]

    def scope_fields(self, practice):
        if practice is not None:
            self.fields["owner"].queryset = practice_member_users(practice=practice)


class TransitionSerializer(serializers.Serializer):
    """A move through the workflow. Deferring needs a new, later `target_start`."""

    to = serializers.ChoiceField(choices=Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2_000, default="")
    target_start = FiscalQuarterField(required=False, allow_null=True, default=None)
    target_end = FiscalQuarterField(required=False, allow_null=True, default=None)


class GoalFilter(TenantFilterSet):
    class Meta:
        model = Goal
        fields = {"client": ["exact"], "status": ["exact"], "fiscal_year": ["exact"]}


class InitiativeFilter(TenantFilterSet):
    status = filters.MultipleChoiceFilter(choices=Status.choices)
    priority = filters.MultipleChoiceFilter(choices=Priority.choices)
    category = filters.MultipleChoiceFilter(choices=Category.choices)
    goal = filters.ModelChoiceFilter(
        field_name="goal_links__goal", queryset=Goal.objects.all(), method="filter_goal"
    )
    owner = filters.ModelChoiceFilter(queryset=User.objects.none())
    quarter = QuarterFilter(label="Running in this fiscal quarter (FY2027 Q2)")

    class Meta:
        model = Initiative
        fields = ["client", "sponsor"]

    def scope_filters(self, practice):
        if practice is not None:
            self.filters["owner"].queryset = practice_member_users(practice=practice)

    def filter_goal(self, queryset, name, value):
        """Initiatives serving the goal (the link table read by practice, like every join)."""
        return queryset.filter(goal_links__goal=value, goal_links__practice_id=value.practice_id).distinct()


class GoalViewSet(TenantViewSet):
    """Business goals of your practice's clients; `?client=<id>` lists one client's goals."""

    serializer_class = GoalSerializer
    filterset_class = GoalFilter
    ordering_fields = ["order", "title", "fiscal_year", "created_at", "updated_at"]
    ordering = ["order", "title"]
    search_fields = ["title"]

    def get_scoped_queryset(self, practice):
        return Goal.objects.for_practice(practice).order_by("client_id", "order", "title", "pk")

    def create_object(self, data):
        client = data.pop("client")
        return services.goal_create(client=client, actor=self.actor, **data)

    def update_object(self, instance, data):
        return services.goal_update(goal=instance, actor=self.actor, **data)

    def destroy_object(self, instance):
        services.goal_delete(goal=instance, actor=self.actor)


class InitiativeViewSet(TenantViewSet):
    """Roadmap initiatives of your practice's clients. Filter with `?client=`, `?status=` (repeatable),
    `?priority=`, `?category=`, `?goal=`, `?owner=`, `?quarter=FY2027 Q2` (running in that quarter)."""

    serializer_class = InitiativeSerializer
    filterset_class = InitiativeFilter
    ordering_fields = [
        "title",
        "priority_rank",
        "status_rank",
        "target_start",
        "target_end",
        "one_time_cost",
        "recurring_monthly_cost",
        "created_at",
        "updated_at",
    ]
    ordering = ["target_start", "priority_rank", "title"]
    search_fields = ["title", "description"]

    def get_scoped_queryset(self, practice):
        return selectors.initiatives_of_practice(practice=practice, goals=self.action != "list")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return selectors.with_goal_ids(page, practice_id=self.practice.pk) if page is not None else page

    def create_object(self, data):
        client = data.pop("client")
        return services.initiative_create(client=client, actor=self.actor, **data)

    def update_object(self, instance, data):
        return services.initiative_update(initiative=instance, actor=self.actor, **data)

    def destroy_object(self, instance):
        services.initiative_delete(initiative=instance, actor=self.actor)

    @extend_schema(request=TransitionSerializer, responses=InitiativeSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None, format=None):
        """Change an initiative's status. Moves through the workflow; 400 with the reason when the move
        is forbidden."""
        initiative = self.get_object()
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.initiative_transition(initiative=initiative, actor=self.actor, **payload.validated_data)
        fresh = self.get_scoped_queryset(self.practice).get(pk=initiative.pk)
        return Response(InitiativeSerializer(fresh, context=self.get_serializer_context()).data)


# Discovered by vcio.api_urls: everything under /api/v1/.
API_ROUTES = [
    ("goals", GoalViewSet, "goal"),
    ("initiatives", InitiativeViewSet, "initiative"),
    ("initiative-templates", InitiativeTemplateViewSet, "initiative-template"),
]
