"""API of the compliance app's client side, calling the same selectors and services as the pages.

- `adoptions/`, `assessments/` (with `complete` and `scores`), `responses/` (read and update, plus
  `responses/bulk/`: all or nothing).

The catalog side — `frameworks/`, `requirements/` (read), `standard-frameworks/` and `standards/`
(the standards library) — lives in `compliance.catalog_api`; `API_ROUTES` below lists both.
"""

from decimal import Decimal
from types import SimpleNamespace

from django.db.models import F, Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response as ApiResponse

from accounts.api import MemberField
from accounts.models import User
from accounts.selectors import practice_member_users
from roadmaps.models import Initiative
from vcio.api import PrefetchedListSerializer, TenantFilterSet, TenantSerializer, TenantViewSet
from vcio.api_schema import describe_tag

from . import selectors, services
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
    EvidenceLink,
    InitiativeLink,
    Requirement,
    Response,
    ResponseStatus,
    Standard,
)
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
            return selectors.framework_for_practice(practice=practice, pk=data)
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


ADOPTION = "assessment_adoption_id"  # the answers list's column: its assessment's adoption


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
        pid = _pid(practice)
        # the joins (and the default order, by the assessment's start) name the practice, so the
        # planner reads this practice's assessments (and adoptions), not every tenant's
        responses = Response.objects.for_practice(practice).filter(assessment__practice_id=pid)
        if self.action == "list":
            # The default order sorts every answer of the practice by its assessment's start: the
            # items are read for the page's rows once it is sliced (a query each kind, after the
            # sort), not joined to each of the thousands of answers the sort reads (Big: 36 -> 8 ms).
            # A row shows its item's id, ref and title, and its links are found by its assessment's
            # adoption: that one column rides on the join the order makes (not the assessment's whole
            # row, a model per answer), and the items are read narrow.
            item = ("id", "ref", "title")
            responses = responses.annotate(**{ADOPTION: F("assessment__adoption_id")}).prefetch_related(
                Prefetch("requirement", queryset=Requirement.objects.only(*item)),
                Prefetch("standard", queryset=Standard.objects.for_practice(practice).only(*item)),
            )
        else:
            responses = responses.filter(assessment__adoption__practice_id=pid).select_related(
                "requirement", "standard", "assessment__adoption"
            )
        return responses.prefetch_related(
            Prefetch(
                "evidence_links",
                queryset=EvidenceLink.objects.for_practice(practice).order_by("created_at"),
                to_attr="prefetched_evidence_links",
            ),
        ).order_by("assessment_id", "created_at", "pk")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._attach_links(page if page is not None else queryset)
        return page

    @staticmethod
    def _adoption_id(response):
        """The answer's adoption: the list's column (`ADOPTION`), or through its assessment."""
        return vars(response).get(ADOPTION) or response.assessment.adoption_id

    def _attach_links(self, responses):
        responses = list(responses)
        adoptions = {self._adoption_id(r) for r in responses}
        links = {}
        for link in (
            InitiativeLink.objects.for_practice(self.practice)
            .filter(adoption_id__in=adoptions)
            .order_by("created_at")
        ):
            links.setdefault((link.adoption_id, link.item_id), []).append(link)
        for r in responses:
            r.initiatives = [
                SimpleNamespace(pk=link.initiative_id)
                for link in links.get((self._adoption_id(r), r.item_id), [])
            ]

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
