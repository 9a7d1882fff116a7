"""REST API foundation shared by every app: the base serializer, filter set and viewset that scope
everything to the request's practice.

Authentication (`accounts.api_auth`) puts the practice on the request (`request.practice`) and the
role in force (`request.api_role`); nothing here imports an app of ours.

Scoping fails closed everywhere:

- `TenantSerializer`: every writable related field over a tenant model accepts only rows of the
  request's practice; a writable related field over any *other* model (users, global catalogues)
  accepts nothing until the serializer's `scope_fields(practice)` gives it a queryset on purpose.
- `TenantFilterSet`: the same rule for django-filter's model choice filters (`?client=<id>`), so a
  filter can neither match nor reveal the existence of another practice's rows.
- `TenantViewSet`: the queryset comes from `get_scoped_queryset(practice)` (a selector); no practice
  on the request is a 404, never "all practices".
"""

import copy
from datetime import datetime

from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.db.models.query import ModelIterable
from django.http import Http404
from django.utils import timezone
from rest_framework import ISO_8601, mixins, relations, serializers, viewsets
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.viewsets import GenericViewSet

from .api_filters import (
    SearchFilter,
    StableOrderingFilter,
    TenantFilterBackend,
    TenantFilterSet,
    scoped_queryset,
)
from .api_schema import TenantAutoSchema
from .models import TenantModel, scoped_object_or_404

__all__ = ["TenantFilterSet", "TenantSerializer", "TenantViewSet", "request_practice", "SearchFilter"]


def request_practice(request):
    practice = getattr(request, "practice", None)
    if practice is None:  # fail closed: never "all practices"
        raise Http404
    return practice


class PrefetchedManyField(relations.ManyRelatedField):
    """A writable many-relation, ids in and ids out, read from the list a selector prefetched into
    `prefetched_<relation>` (`TenantModel.prefetched`) rather than through a related manager built
    for every row. Scoped to the practice like every related field of a `TenantSerializer`."""

    def __init__(self, *, queryset, **kwargs):
        super().__init__(child_relation=relations.PrimaryKeyRelatedField(queryset=queryset), **kwargs)

    def get_attribute(self, instance):
        return instance.prefetched(self.source) if instance.pk is not None else []


class PrefetchedListSerializer(serializers.ListSerializer):
    """The same for a nested list (`Meta.list_serializer_class` of the item's serializer)."""

    def get_attribute(self, instance):
        return instance.prefetched(self.source)


def _fresh_copy(field):
    """An unbound copy of a field ModelSerializer built, as `copy.deepcopy` gives (DRF copies a field
    by running its `__init__` again over deep copies of its arguments: about a tenth of a list's
    time) but by copying its attributes: the copy is bound, scoped and given a queryset on its own,
    and shares only what no one changes after `__init__` (arguments, validators, choices). Its
    dicts and lists of messages, style and validators are its own. A field that holds another
    field or serializer (a nested serializer, a many-relation, a list or dict of a child) or copies
    itself its own way is deep-copied as DRF does."""
    cls = type(field)
    if (
        isinstance(field, serializers.BaseSerializer)
        or cls.__deepcopy__ is not serializers.Field.__deepcopy__
        or hasattr(field, "child")
        or hasattr(field, "child_relation")
    ):
        return copy.deepcopy(field)
    clone = object.__new__(cls)
    state = clone.__dict__
    state.update(field.__dict__)
    for name, value in state.items():
        if type(value) in (dict, list):
            state[name] = value.copy()
    return clone


def _own(field, cls, *methods) -> bool:
    """The field is a `cls` that reads and converts as `cls` does (a subclass may change neither)."""
    return isinstance(field, cls) and all(
        getattr(type(field), method) is getattr(cls, method) for method in ("get_attribute", *methods)
    )


def _iso_datetime(field):
    """DRF's `DateTimeField.to_representation` for an ISO 8601 answer, with the field's time zone
    looked up once per serializer rather than once per value (DRF asks for the field's `timezone`
    attribute, which most fields lack, and then the request's current zone, for every value). An
    aware value is converted here; anything else goes DRF's way."""
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()
    if not isinstance(output_format, str) or output_format.lower() != ISO_8601 or zone is None:
        return field.to_representation

    def convert(value):
        if not isinstance(value, datetime) or value.utcoffset() is None:
            return field.to_representation(value)
        try:
            text = value.astimezone(zone).isoformat()
        except OverflowError:
            return field.to_representation(value)
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return convert


# `_read_step`'s mark for a method field: its value is the serializer's method called with the row.
METHOD = object()


def _read_step(model, field):
    """How `TenantSerializer.to_representation` reads one field: (name, attribute, convert) to read a
    model column directly — convert None: the value as it is —, (name, METHOD, bound method) for a
    `SerializerMethodField` (DRF reads its attribute — the row itself — and calls the method with it;
    here the method is called), or (name, None, field) for DRF's way."""
    generic = (field.field_name, None, field)
    if _own(field, serializers.SerializerMethodField, "to_representation") and field.source == "*":
        return (field.field_name, METHOD, getattr(field.parent, field.method_name))
    if model is None or len(field.source_attrs) != 1:
        return generic
    try:
        column = model._meta.get_field(field.source_attrs[0])
    except FieldDoesNotExist:
        return generic
    if not column.concrete or column.many_to_many:
        return generic
    pk = relations.PrimaryKeyRelatedField
    if isinstance(field, pk):
        own = _own(field, pk, "to_representation", "use_pk_only_optimization")
        if own and column.many_to_one and field.pk_field is None:
            return (field.field_name, column.attname, None)  # the id, as DRF's pk-only optimisation gives
        return generic
    if column.is_relation:
        return generic
    for cls, convert in ((serializers.CharField, str), (serializers.IntegerField, int)):
        if _own(field, cls, "to_representation"):
            return (field.field_name, column.attname, convert)
    if _own(field, serializers.UUIDField, "to_representation") and field.uuid_format == "hex_verbose":
        return (field.field_name, column.attname, str)
    if _own(field, serializers.DateTimeField, "to_representation", "enforce_timezone", "default_timezone"):
        return (field.field_name, column.attname, _iso_datetime(field))
    for cls in (
        serializers.BooleanField,
        serializers.ChoiceField,
        serializers.DateField,
        serializers.DecimalField,
    ):
        if _own(field, cls):
            return (field.field_name, column.attname, field.to_representation)
    return generic


class TenantSerializer(serializers.ModelSerializer):
    """Every related field only accepts rows of the request's practice: another practice's id is
    answered like an unknown id (400), never linked.

    Related fields over non-tenant models (e.g. a user who must be a member) start empty; give them
    their queryset in `scope_fields(practice)`.
    """

    _built_fields: dict = {}  # serializer class -> its fields as ModelSerializer builds them

    def get_fields(self):
        """The fields ModelSerializer builds from the model, built once per class and copied for each
        serializer (`_fresh_copy`; DRF deep-copies declared fields): building them reads the model's
        metadata again, a third of a millisecond per request. Each copy is then scoped to its
        request."""
        cls = type(self)
        built = TenantSerializer._built_fields.get(cls)
        if built is None:
            built = TenantSerializer._built_fields[cls] = super().get_fields()
        return {name: _fresh_copy(field) for name, field in built.items()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if getattr(request, "method", None) in ("GET", "HEAD") and not hasattr(self, "initial_data"):
            # A read only shows rows: no input is validated against the choices, so they are not
            # scoped (a list's serializer scoped a queryset per related field for nothing). Every
            # request that can carry input — and OPTIONS, which describes it — scopes them.
            return
        practice = getattr(request, "practice", None) if request else None
        for field in self.fields.values():
            target = field.child_relation if isinstance(field, relations.ManyRelatedField) else field
            if isinstance(target, relations.RelatedField) and not target.read_only:
                target.queryset = scoped_queryset(target.queryset, practice)
        self.scope_fields(practice)

    def to_representation(self, instance):
        """DRF's `Serializer.to_representation`, answer for answer, with the model's own columns read
        directly: a CharField, IntegerField or UUIDField column converted with str/int, a boolean,
        choice, date or decimal column through its field's `to_representation`, a date-time column
        in the zone looked up once (`_iso_datetime`), a foreign key as its id (fields of those
        classes, or of subclasses that change neither how they read nor how they convert), and a
        method field by calling its method — without DRF's per-field attribute walk (`get_attribute`,
        the callable check, the pk-only object), which was about a fifth of a 50-row list's time.
        Every other field (properties, nested serializers, custom field classes) goes DRF's way.
        `tests/vcio/test_fast_representation.py` compares the two on every endpoint."""
        model = getattr(getattr(self, "Meta", None), "model", None)
        if model is None or not isinstance(instance, model):  # e.g. a dict: DRF reads keys too
            return super().to_representation(instance)
        steps = self.__dict__.get("_read_steps")
        if steps is None:
            steps = self._read_steps = [_read_step(model, field) for field in self._readable_fields]
        ret = {}
        for name, attname, how in steps:
            if attname is not None:
                if attname is METHOD:
                    ret[name] = how(instance)
                    continue
                value = getattr(instance, attname)
                ret[name] = value if value is None or how is None else how(value)
                continue
            try:
                attribute = how.get_attribute(instance)
            except SkipField:
                continue
            check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            ret[name] = None if check_for_none is None else how.to_representation(attribute)
        return ret

    def column_steps(self) -> list | None:
        """The read steps of `to_representation` when every field reads a column of the model
        directly (name, attname, convert), so a list can read its rows as plain values
        (`TenantViewSet.list`) and build the same answers without a model instance per row; None when
        some field goes DRF's way, or when a subclass represents rows its own way."""
        model = getattr(getattr(self, "Meta", None), "model", None)
        if model is None or type(self).to_representation is not _COLUMN_REPRESENTATION:
            return None
        steps = self.__dict__.get("_read_steps")
        if steps is None:
            steps = self._read_steps = [_read_step(model, field) for field in self._readable_fields]
        return (
            steps if all(attname is not None and attname is not METHOD for _, attname, _ in steps) else None
        )

    def scope_fields(self, practice):
        """Hook for non-tenant choices (e.g. users who are members of the practice).

        Called with `practice=None` when there is no request (schema generation): leave them empty.
        """


_COLUMN_REPRESENTATION = TenantSerializer.to_representation


class TenantViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """CRUD over one tenant model. Subclasses give `get_scoped_queryset(practice)` (a selector) and
    the services: `create_object`, `update_object`, `destroy_object`. Views hold no business rules.

    Filtering (`filterset_fields` / a `TenantFilterSet`), `?ordering=` over `ordering_fields` and
    `?search=` over `search_fields`; page-number pagination (`?page=`, `?page_size=` up to 200).
    Give the subclass (and its serializer) a docstring for API users: it is the endpoint's
    description in /api/docs/ (this one is not shown there).
    """

    lookup_value_converter = "uuid"
    filter_backends = [TenantFilterBackend, StableOrderingFilter, SearchFilter]
    schema = TenantAutoSchema()

    def get_scoped_queryset(self, practice):
        raise NotImplementedError

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request practice
            return self.get_serializer_class().Meta.model.objects.none()
        return self.get_scoped_queryset(request_practice(self.request))

    _column_serializers: dict = {}  # (serializer class, its to_representation) -> rows read as columns?

    def list(self, request, *args, **kwargs):
        # DRF's list, answer for answer (no docstring: the schema would show it as every list's
        # description). When every field of the serializer reads a column of the model
        # (`TenantSerializer.column_steps`) and the view pages its rows as DRF does, the page is read
        # as plain values (`values_list`) and each answer built from its row's values: no model
        # instance per row, about a tenth of a 50-row list's time.
        # `tests/vcio/test_fast_representation.py` compares the answers with DRF's on every endpoint.
        queryset = self.filter_queryset(self.get_queryset())
        steps = self._column_steps(queryset)
        if steps is None:
            page = self.paginate_queryset(queryset)
            if page is None:
                return Response(self.get_serializer(queryset, many=True).data)
            return self.get_paginated_response(self.get_serializer(page, many=True).data)
        rows = queryset.prefetch_related(None).values_list(*(attname for _, attname, _ in steps))
        page = self.paginate_queryset(rows)
        data = [
            {
                name: value if value is None or convert is None else convert(value)
                for (name, _, convert), value in zip(steps, row, strict=True)
            }
            for row in (rows if page is None else page)
        ]
        return Response(data) if page is None else self.get_paginated_response(data)

    _column_steps_made: dict = {}  # (serializer class, its to_representation, time zone) -> steps

    def _column_steps(self, queryset):
        """The serializer's column steps, made once per serializer class and time zone (a date-time
        step converts into the zone it was made in) from a serializer without the request, so the
        cache holds no request; None when the rows cannot be read as values."""
        serializer_class = self.get_serializer_class()
        key = (serializer_class, serializer_class.to_representation)
        known = TenantViewSet._column_serializers.get(key)
        if (
            known is False
            or not isinstance(queryset, QuerySet)
            or queryset._iterable_class is not ModelIterable
            or type(self).paginate_queryset is not GenericViewSet.paginate_queryset
        ):
            return None
        made = (*key, timezone.get_current_timezone_name())
        steps = TenantViewSet._column_steps_made.get(made)
        if steps is None:
            serializer = serializer_class(context={})
            steps = serializer.column_steps() if isinstance(serializer, TenantSerializer) else None
            TenantViewSet._column_serializers[key] = steps is not None
            if steps is not None:
                TenantViewSet._column_steps_made[made] = steps
        return steps

    def get_object(self):
        """The object named in the URL, through the one scoped lookup (another practice's id, or a
        malformed one, is a 404 like an id that does not exist)."""
        queryset = self.filter_queryset(self.get_queryset())
        obj = scoped_object_or_404(
            queryset, practice=self.practice, pk=self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        )
        self.check_object_permissions(self.request, obj)
        return obj

    @property
    def practice(self):
        return request_practice(self.request)

    @property
    def actor(self):
        """The person acting, or None for an API key (a key is not a user)."""
        user = getattr(self.request, "user", None)
        return user if getattr(user, "pk", None) else None

    def create_object(self, data):
        raise NotImplementedError

    def update_object(self, instance, data):
        raise NotImplementedError

    def destroy_object(self, instance):
        raise NotImplementedError

    def perform_create(self, serializer):
        serializer.instance = self.create_object(serializer.validated_data)

    def perform_update(self, serializer):
        instance = self.update_object(serializer.instance, serializer.validated_data)
        if isinstance(instance, TenantModel):  # the answer shows the row as written
            instance.forget_prefetched()
        serializer.instance = instance

    def perform_destroy(self, instance):
        self.destroy_object(instance)
