"""API of the compliance catalog side, calling the same selectors and services as the pages.
Routes are listed in `compliance.api.API_ROUTES` (which imports this module).

- `frameworks/` and `requirements/` (read): everything the practice can adopt — the shipped catalogs
  (`kind: "catalog"`, read-only) and the practice's own frameworks (`kind: "practice"`) — and their
  items;
- `standard-frameworks/` and `standards/`: the practice's standards library (CRUD), with catalog-JSON
  import and export.
"""

from django.db.models import CharField, Exists, F, OuterRef, Q, Value
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response as ApiResponse

from vcio.api import TenantFilterSet, TenantSerializer, TenantViewSet, request_practice
from vcio.api_schema import TenantAutoSchema, describe_tag

from . import catalog_io, catalog_selectors, standard_services
from .models import (
    Framework,
    FrameworkKind,
    Requirement,
    Standard,
    StandardFramework,
    Weight,
)

describe_tag(
    "frameworks",
    "Every framework your practice can adopt: the catalogs shipped with vcio (read-only) and your own.",
)
describe_tag(
    "requirements", "The items of those frameworks (read-only here; edit your own under `standards`)."
)
describe_tag("standard-frameworks", "Your practice's own frameworks of standards (the standards library).")
describe_tag(
    "standards", "The standards (and headings) of your practice's own frameworks, weighted High/Medium/Low."
)


def _pid(practice):
    """The practice's id, for the conditions that name it on every join."""
    return getattr(practice, "pk", practice)


# --- frameworks and requirements (read): catalogs and the practice's own ----------------------------


class FrameworkSerializer(serializers.Serializer):
    """A framework: `kind` "catalog" (shipped with vcio, the same for every practice, read-only) or
    "practice" (your own; change it under `standard-frameworks`)."""

    id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=FrameworkKind.choices)
    slug = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField(help_text="For lists and charts (the name when there is none)")
    version = serializers.CharField()
    publisher = serializers.CharField()
    source = serializers.CharField()
    license = serializers.CharField()
    description = serializers.CharField()

    def to_representation(self, instance):
        catalog = instance.is_catalog
        return {
            "id": str(instance.pk),
            "kind": "catalog" if catalog else "practice",
            "slug": instance.slug,
            "name": instance.name,
            "short_name": instance.label,
            "version": instance.version,
            "publisher": instance.publisher if catalog else "",
            "source": instance.source if catalog else "",
            "license": instance.license if catalog else "",
            "description": "" if catalog else instance.description,
        }


ID_PARAMETER = OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH)


class ReadOnlyUnionViewSet(viewsets.GenericViewSet):
    """Reads over the global catalog tables and the practice's own tables (never another practice's)."""

    lookup_value_converter = "uuid"
    filter_backends: list = []
    schema = TenantAutoSchema()

    @property
    def practice(self):
        return request_practice(self.request)


@extend_schema(
    parameters=[
        OpenApiParameter(
            "kind", str, enum=["catalog", "practice"], description="Only catalogs or only your own."
        )
    ]
)
class FrameworkViewSet(mixins.ListModelMixin, ReadOnlyUnionViewSet):
    """Every framework your practice can adopt: the catalogs shipped with vcio (NIST CSF 2.0, HIPAA
    Security Rule, NIST SP 800-171 Rev. 3, NIST SP 800-53 Rev. 5 low baseline) and your own. Filter
    with `?kind=catalog` or `?kind=practice`."""

    serializer_class = FrameworkSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return []
        kind = self.request.query_params.get("kind", "")
        found = []
        if kind in ("", "catalog"):
            found += list(Framework.objects.order_by("name"))
        if kind in ("", "practice"):
            found += list(StandardFramework.objects.for_practice(self.practice).order_by("name", "pk"))
        return sorted(found, key=lambda f: (f.name.lower(), str(f.pk)))

    @extend_schema(summary="List frameworks")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="Get a framework", responses=FrameworkSerializer, parameters=[ID_PARAMETER])
    def retrieve(self, request, pk=None):
        return ApiResponse(
            FrameworkSerializer(catalog_selectors.framework_for_practice(practice=self.practice, pk=pk)).data
        )


ITEM_COLUMNS = (
    "id",
    "framework_id",
    "parent_id",
    "ref",
    "title",
    "text",
    "level",
    "order",
    "kind",
    "required",
    "weight",
)


class RequirementSerializer(serializers.Serializer):
    """An item of a framework. `assessable` is false for headings (a CSF function or category, a
    HIPAA section): they are not answered, their score comes from the items under them."""

    id = serializers.UUIDField()
    framework = serializers.UUIDField()
    framework_kind = serializers.ChoiceField(choices=FrameworkKind.choices)
    parent = serializers.UUIDField(allow_null=True)
    ref = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField()
    level = serializers.IntegerField()
    order = serializers.IntegerField()
    kind = serializers.CharField()
    required = serializers.BooleanField(
        allow_null=True, help_text="HIPAA: Required (true) or Addressable (false)"
    )
    weight = serializers.CharField(
        help_text="high, medium or low for your standards; empty for catalog items"
    )
    assessable = serializers.BooleanField()

    def to_representation(self, row):
        return {
            "id": str(row["id"]),
            "framework": str(row["framework_id"]),
            "framework_kind": row["framework_kind"],
            "parent": str(row["parent_id"]) if row["parent_id"] else None,
            **{k: row[k] for k in ("ref", "title", "text", "level", "order", "kind", "required", "weight")},
            "assessable": bool(row["is_assessable"]),
        }


@extend_schema(
    parameters=[
        OpenApiParameter("framework", OpenApiTypes.UUID, description="Only the items of this framework."),
        OpenApiParameter(
            "assessable", bool, description="Only answerable items (true) or only headings (false)."
        ),
        OpenApiParameter("search", str, description="In the ref and title."),
    ]
)
class RequirementViewSet(mixins.ListModelMixin, ReadOnlyUnionViewSet):
    """The items of every framework your practice can adopt, in framework order. Filter with
    `?framework=<id>`, `?assessable=true`, `?search=`."""

    serializer_class = RequirementSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Requirement.objects.none()
        params = self.request.query_params
        catalog = Requirement.objects.annotate(
            framework_kind=Value("catalog", output_field=CharField()), is_assessable=F("assessable")
        )
        own = Standard.objects.for_practice(self.practice).annotate(
            framework_kind=Value("practice", output_field=CharField()), is_assessable=self._leaf()
        )
        if params.get("framework"):
            try:
                framework = catalog_selectors.framework_for_practice(
                    practice=self.practice, pk=params["framework"]
                )
            except Http404:
                raise serializers.ValidationError({"framework": ["No such framework."]}) from None
            catalog = catalog.filter(framework_id=framework.pk)
            own = own.filter(framework_id=framework.pk)
        if params.get("assessable") in ("true", "false"):
            wanted = params["assessable"] == "true"
            catalog = catalog.filter(is_assessable=wanted)
            own = own.filter(is_assessable=wanted)
        search = (params.get("search") or "").replace("\x00", "").strip()
        if search:
            catalog = catalog.filter(Q(ref__icontains=search) | Q(title__icontains=search))
            own = own.filter(Q(ref__icontains=search) | Q(title__icontains=search))
        columns = (*ITEM_COLUMNS, "framework_kind", "is_assessable")
        return (
            catalog.order_by()
            .values(*columns)
            .union(own.order_by().values(*columns), all=True)
            .order_by("framework_kind", "framework_id", "order")
        )

    def _leaf(self):
        """An item of the practice's own framework is answered when nothing sits under it."""
        return ~Exists(Standard.objects.for_practice(self.practice).filter(parent_id=OuterRef("pk")))

    @extend_schema(summary="List requirements")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="Get a requirement", responses=RequirementSerializer, parameters=[ID_PARAMETER])
    def retrieve(self, request, pk=None):
        columns = (*ITEM_COLUMNS, "framework_kind", "is_assessable")
        row = (
            Requirement.objects.filter(pk=pk)
            .annotate(
                framework_kind=Value("catalog", output_field=CharField()), is_assessable=F("assessable")
            )
            .values(*columns)
            .first()
        )
        if row is None:
            row = (
                Standard.objects.for_practice(self.practice)
                .filter(pk=pk)
                .annotate(
                    framework_kind=Value("practice", output_field=CharField()), is_assessable=self._leaf()
                )
                .values(*columns)
                .first()
            )
        if row is None:
            raise NotFound()
        return ApiResponse(RequirementSerializer(row).data)


# --- the standards library ------------------------------------------------------------------------


class StandardFrameworkSerializer(TenantSerializer):
    """One of your practice's own frameworks. `slug` is made from the name at creation."""

    class Meta:
        model = StandardFramework
        fields = ["id", "slug", "name", "version", "description", "created_at", "updated_at"]
        read_only_fields = ["id", "slug", "created_at", "updated_at"]


class StandardFrameworkViewSet(TenantViewSet):
    """Your practice's own frameworks. `GET …/{id}/export/` gives one as catalog JSON; `POST
    …/import/` with catalog JSON creates one (validated whole: every problem is listed, nothing is
    written). A framework a client has adopted cannot be deleted."""

    serializer_class = StandardFrameworkSerializer
    ordering_fields = ["name", "created_at", "updated_at"]
    ordering = ["name"]
    search_fields = ["name"]

    def get_scoped_queryset(self, practice):
        return StandardFramework.objects.for_practice(practice).order_by("name", "pk")

    def create_object(self, data):
        return standard_services.standard_framework_create(practice=self.practice, actor=self.actor, **data)

    def update_object(self, instance, data):
        return standard_services.standard_framework_update(framework=instance, actor=self.actor, **data)

    def destroy_object(self, instance):
        standard_services.standard_framework_delete(framework=instance, actor=self.actor)

    @extend_schema(summary="Export a framework as catalog JSON", responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        """The framework in the catalog shape (the JSON `import` takes)."""
        framework = self.get_object()
        _, nodes = catalog_selectors.framework_tree(practice=self.practice, framework=framework)
        meta = catalog_selectors.framework_meta(practice=self.practice, framework=framework)
        return ApiResponse(catalog_io.catalog_of(meta=meta, nodes=nodes))

    @extend_schema(
        summary="Import a framework from catalog JSON",
        request=OpenApiTypes.OBJECT,
        responses=StandardFrameworkSerializer,
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_catalog(self, request):
        """Create a framework of standards from catalog JSON (`slug`, `name`, `version`, `publisher`,
        `source`, `license`, `requirements`). 400 with every problem under `file` when it is invalid."""
        if not isinstance(request.data, dict):
            raise serializers.ValidationError({"file": ["Send one JSON object in the catalog shape."]})
        framework = standard_services.standards_import(
            practice=self.practice, actor=self.actor, data=dict(request.data)
        )
        return ApiResponse(
            StandardFrameworkSerializer(framework, context=self.get_serializer_context()).data, status=201
        )


class StandardSerializer(TenantSerializer):
    """A standard (or a heading: an item with items under it) of one of your frameworks. `framework`
    is set at creation; `parent` is an item of the same framework (null at the top); `order` places
    it among its siblings (default: last); `level` follows from the parent."""

    order = serializers.IntegerField(required=False, min_value=1, max_value=1_000_000)
    weight = serializers.ChoiceField(choices=Weight.choices, required=False)

    class Meta:
        model = Standard
        fields = [
            "id",
            "framework",
            "parent",
            "ref",
            "title",
            "text",
            "weight",
            "level",
            "order",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "level", "created_at", "updated_at"]


class StandardFilter(TenantFilterSet):
    class Meta:
        model = Standard
        fields = ["framework", "weight"]


class StandardViewSet(TenantViewSet):
    """The standards of your practice's frameworks (`?framework=<id>`), in framework order."""

    serializer_class = StandardSerializer
    filterset_class = StandardFilter
    ordering_fields = ["order", "ref", "title", "updated_at"]
    ordering = ["framework", "order"]
    search_fields = ["ref", "title"]

    def get_scoped_queryset(self, practice):
        return (
            Standard.objects.for_practice(practice)
            .filter(framework__practice_id=_pid(practice))
            .select_related("framework")
            .order_by("framework_id", "order")
        )

    def create_object(self, data):
        framework = data.pop("framework")
        return standard_services.standard_create(framework=framework, actor=self.actor, **data)

    def update_object(self, instance, data):
        framework = data.pop("framework", None)
        if framework is not None and framework.pk != instance.framework_id:
            raise serializers.ValidationError({"framework": ["A standard stays in its framework."]})
        return standard_services.standard_update(standard=instance, actor=self.actor, **data)

    def destroy_object(self, instance):
        standard_services.standard_delete(standard=instance, actor=self.actor)
