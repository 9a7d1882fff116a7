"""API of the compliance app's client side, calling the same selectors and services as the pages.

- `adoptions/`, `assessments/` (with `complete` and `scores`), `responses/` (read and update, plus
  `responses/bulk/`: all or nothing).

The catalog side — `frameworks/`, `requirements/` (read), `standard-frameworks/` and `standards/`
(the standards library) — lives in `compliance.catalog_api`; `API_ROUTES` below lists both.
"""

from decimal import Decimal

from django.http import Http404
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response as ApiResponse

from vcio.api import TenantFilterSet, TenantSerializer, TenantViewSet
from vcio.api_schema import describe_tag

from . import catalog_selectors, selectors, services
from .catalog_api import (
    FrameworkViewSet,
    RequirementViewSet,
    StandardFrameworkViewSet,
    StandardViewSet,
    _pid,
)
from .models import (
    Adoption,
    Assessment,
    AssessmentStatus,
)
from .response_api import ResponseViewSet
from .scores import Score

describe_tag("adoptions", "The frameworks a client has adopted.")
describe_tag("assessments", "Dated reviews of an adopted framework; completing one locks it as a snapshot.")
describe_tag("responses", "The answer to each item of an assessment: status, owner, due date, evidence.")


def score_data(score: Score | None) -> dict | None:
    """A score as JSON: exact decimals as strings (never floats)."""
    if score is None:
        return None
    earned = Decimal(score.earned.numerator) / Decimal(score.earned.denominator)
    return {
        "percent": None if score.percent is None else str(score.percent),
        "earned": str(earned),
        "possible": score.possible,
        "counts": score.counts,
    }


class ScoreSerializer(serializers.Serializer):
    """A score (schema only: answers are built by `score_data`)."""

    percent = serializers.CharField(
        allow_null=True, help_text="0.0–100.0 (one decimal), null: nothing to score"
    )
    earned = serializers.CharField(help_text="Weighted points earned (implemented 1, partially ½)")
    possible = serializers.IntegerField(help_text="Weighted points possible (not applicable left out)")
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Items per status")

    class Meta:
        ref_name = "Score"


SCORE_SCHEMA = ScoreSerializer()
SCORE_OR_NULL_SCHEMA = ScoreSerializer(allow_null=True)  # null where nothing was assessed yet


# --- adoptions, assessments and answers -------------------------------------------------------------


@extend_schema_field(OpenApiTypes.UUID)
class FrameworkRefField(serializers.Field):
    """The id of a framework from `frameworks/`: a catalog or one of your own."""

    default_error_messages = {"invalid": "Choose a framework (see /api/v1/frameworks/)."}

    def to_representation(self, adoption):
        return str(adoption.framework_id or adoption.standard_framework_id)

    def get_attribute(self, instance):
        return instance

    def to_internal_value(self, data):
        practice = getattr(self.context.get("request"), "practice", None)
        if practice is None:
            self.fail("invalid")
        try:
            return catalog_selectors.framework_for_practice(practice=practice, pk=data)
        except Http404:
            self.fail("invalid")


class AdoptionSerializer(TenantSerializer):
    """A framework a client adopted. `client` and `framework` are set at creation and never change;
    `start_assessment: true` starts its first assessment at once."""

    framework = FrameworkRefField()
    framework_name = serializers.SerializerMethodField()
    start_assessment = serializers.BooleanField(write_only=True, required=False, default=False)

    class Meta:
        model = Adoption
        fields = [
            "id",
            "client",
            "framework",
            "framework_name",
            "scope_note",
            "target_date",
            "adopted_by",
            "start_assessment",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "adopted_by", "created_at", "updated_at"]

    def get_framework_name(self, adoption) -> str:
        return adoption.the_framework.name


class AdoptionFilter(TenantFilterSet):
    class Meta:
        model = Adoption
        fields = ["client"]


class AdoptionViewSet(TenantViewSet):
    """Frameworks your clients have adopted (`?client=<id>`). Deleting one deletes its assessments."""

    serializer_class = AdoptionSerializer
    filterset_class = AdoptionFilter
    ordering_fields = ["created_at", "target_date"]
    ordering = ["created_at"]

    def get_scoped_queryset(self, practice):
        return (
            Adoption.objects.for_practice(practice)
            .select_related("framework", "standard_framework")
            .order_by("client_id", "created_at", "pk")
        )

    def create_object(self, data):
        client = data.pop("client")
        return services.adoption_create(client=client, actor=self.actor, **data)

    def update_object(self, instance, data):
        data.pop("start_assessment", None)
        for key in ("client", "framework"):
            if key in data and getattr(data[key], "pk", None) != (
                instance.client_id
                if key == "client"
                else instance.framework_id or instance.standard_framework_id
            ):
                raise serializers.ValidationError({key: ["An adoption keeps its client and framework."]})
            data.pop(key, None)
        return services.adoption_update(adoption=instance, actor=self.actor, **data)

    def destroy_object(self, instance):
        services.adoption_delete(adoption=instance, actor=self.actor)

    @extend_schema(
        summary="Scores and trend of an adoption",
        responses=inline_serializer(
            "AdoptionScores",
            {
                "current_assessment": serializers.UUIDField(allow_null=True),
                "current": SCORE_OR_NULL_SCHEMA,
                "trend": inline_serializer(
                    "TrendPoint",
                    {
                        "assessment": serializers.UUIDField(),
                        "date": serializers.DateField(),
                        "score": SCORE_SCHEMA,
                    },
                    many=True,
                ),
            },
        ),
    )
    @action(detail=True, methods=["get"])
    def scores(self, request, pk=None):
        """The current score (the assessment in progress, else the latest completed one) and the trend
        across completed assessments, oldest first."""
        adoption = self.get_object()
        current = (
            Assessment.objects.for_practice(self.practice).filter(adoption=adoption, is_current=True).first()
        )
        score = None
        if current is not None:
            current.adoption = adoption
            score = selectors.framework_scores(assessment=current).overall
        return ApiResponse(
            {
                "current_assessment": str(current.pk) if current else None,
                "current": score_data(score),
                "trend": [
                    {
                        "assessment": str(p.assessment.pk),
                        "date": p.day.isoformat(),
                        "score": score_data(p.score),
                    }
                    for p in selectors.adoption_trend(adoption=adoption)
                ],
            }
        )


class AssessmentSerializer(TenantSerializer):
    """An assessment of an adopted framework. Create one with `adoption` (and an optional `title`):
    every item gets an answer, copied from the latest completed assessment. Only one is in progress
    per adoption; `POST …/{id}/complete/` locks it. `score` is frozen at completion (null while in
    progress: see `…/{id}/scores/`)."""

    score = serializers.SerializerMethodField()
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "client",
            "adoption",
            "title",
            "started_on",
            "status",
            "is_current",
            "based_on",
            "completed_at",
            "completed_by",
            "score",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "client",
            "started_on",
            "status",
            "is_current",
            "based_on",
            "completed_at",
            "completed_by",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(SCORE_OR_NULL_SCHEMA)
    def get_score(self, assessment):
        return score_data(Score.stored(assessment.score_earned, assessment.score_possible))


class AssessmentFilter(TenantFilterSet):
    status = filters.ChoiceFilter(choices=AssessmentStatus.choices)

    class Meta:
        model = Assessment
        fields = ["client", "adoption", "is_current"]


class AssessmentViewSet(TenantViewSet):
    """Assessments of your clients' adopted frameworks (`?client=`, `?adoption=`, `?status=`,
    `?is_current=true`). A completed assessment is a snapshot: it refuses changes and deletion."""

    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter
    ordering_fields = ["started_on", "completed_at", "created_at"]
    ordering = ["-started_on"]

    def get_scoped_queryset(self, practice):
        assessments = Assessment.objects.for_practice(practice).order_by("-started_on", "-created_at", "pk")
        if self.action == "list":  # a row is the assessment's own columns: nothing to join
            return assessments
        return assessments.filter(
            client__practice_id=_pid(practice), adoption__practice_id=_pid(practice)
        ).select_related("adoption__framework", "adoption__standard_framework", "client")

    def create_object(self, data):
        adoption = data.pop("adoption")
        return services.assessment_start(adoption=adoption, actor=self.actor, title=data.get("title", ""))

    def update_object(self, instance, data):
        if "adoption" in data and data["adoption"].pk != instance.adoption_id:
            raise serializers.ValidationError({"adoption": ["An assessment stays with its adoption."]})
        return services.assessment_update(
            assessment=instance, actor=self.actor, title=data.get("title", instance.title)
        )

    def destroy_object(self, instance):
        services.assessment_delete(assessment=instance, actor=self.actor)

    @extend_schema(summary="Complete an assessment", request=None, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Lock the assessment as a snapshot: its answers and score no longer change; the score joins
        the trend. 400 when it is already completed."""
        assessment = self.get_object()
        services.assessment_complete(assessment=assessment, actor=self.actor)
        return ApiResponse(AssessmentSerializer(assessment, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Scores of an assessment",
        responses=inline_serializer(
            "AssessmentScores",
            {
                "overall": SCORE_SCHEMA,
                "groups": inline_serializer(
                    "GroupScore",
                    {
                        "id": serializers.UUIDField(),
                        "ref": serializers.CharField(),
                        "title": serializers.CharField(),
                        "score": SCORE_SCHEMA,
                        "groups": serializers.ListField(child=serializers.DictField()),
                    },
                    many=True,
                ),
            },
        ),
    )
    @action(detail=True, methods=["get"])
    def scores(self, request, pk=None):
        """Overall, per top-level group (e.g. CSF function) and per second-level group (e.g. CSF
        category). Implemented counts 1, partially ½, not implemented and not assessed 0; not
        applicable is left out; your standards are weighted High 5, Medium 3, Low 1."""
        scores = selectors.framework_scores(assessment=self.get_object())

        def group(g):
            return {
                "id": str(g.node.id),
                "ref": g.node.ref,
                "title": g.node.title,
                "score": score_data(g.score),
                "groups": [group(c) for c in g.children],
            }

        return ApiResponse(
            {"overall": score_data(scores.overall), "groups": [group(g) for g in scores.groups]}
        )


# Discovered by vcio.api_urls: everything under /api/v1/.
API_ROUTES = [
    ("frameworks", FrameworkViewSet, "framework"),
    ("requirements", RequirementViewSet, "requirement"),
    ("standard-frameworks", StandardFrameworkViewSet, "standard-framework"),
    ("standards", StandardViewSet, "standard"),
    ("adoptions", AdoptionViewSet, "adoption"),
    ("assessments", AssessmentViewSet, "assessment"),
    ("responses", ResponseViewSet, "response"),
]
