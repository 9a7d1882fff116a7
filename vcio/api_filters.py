"""The API's filter backends, kept apart from `vcio.api` (DRF's generic views read
`DEFAULT_FILTER_BACKENDS`, which names these, when they are imported).

- `TenantFilterSet`: django-filter's model choice filters (`?client=<id>`) only know the request's
  practice's rows, so a filter can neither match nor reveal another practice's rows.
- `TenantFilterBackend`: the default backend (settings); refuses a `filterset_class` that is not a
  `TenantFilterSet`.
- `SearchFilter`: `?search=` without NUL characters.
- `StableOrderingFilter`: `?ordering=` (and the default order) always ends with the primary key.
"""

from django.core.exceptions import ImproperlyConfigured
from django_filters import filters as django_filters
from django_filters import rest_framework as drf_filters
from rest_framework import filters

from .forms import zoned_datetime_field


class ZonedIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    """`?…_after=` / `?…_before=` date-times in ISO 8601, read into the practice's zone: any offset an
    ISO value may carry is accepted, none reaches PostgreSQL (which refuses offsets beyond ±15:59)."""

    field_class = zoned_datetime_field(django_filters.IsoDateTimeFilter.field_class)


def scoped_queryset(queryset, practice):
    """A tenant queryset narrowed to the practice; anything else (or no practice) matches nothing."""
    if practice is not None and hasattr(queryset, "for_practice"):
        return queryset.for_practice(practice)
    return queryset.none()


class TenantFilterSet(drf_filters.FilterSet):
    """Model choice filters (`?client=<uuid>`) only know the request's practice's rows: another
    practice's id is "not a valid choice" (400), exactly like an id that does not exist.

    Filters over non-tenant models start empty; give them a queryset in `scope_filters(practice)`.
    """

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        practice = getattr(request, "practice", None) if request is not None else None
        for flt in self.filters.values():
            if isinstance(flt, django_filters.QuerySetRequestMixin) and flt.queryset is not None:
                queryset = flt.queryset(request) if callable(flt.queryset) else flt.queryset
                flt.queryset = scoped_queryset(queryset, practice)
        self.scope_filters(practice)

    def scope_filters(self, practice):
        """Hook for non-tenant model choice filters."""


class TenantFilterBackend(drf_filters.DjangoFilterBackend):
    """django-filter with `TenantFilterSet` as the base of `filterset_fields`, and a refusal of any
    `filterset_class` that is not a `TenantFilterSet` (it would not scope its model choices)."""

    filterset_base = TenantFilterSet
    _built: dict = {}  # (view class, model) -> the filter set class `filterset_fields` builds

    def get_filterset_class(self, view, queryset=None):
        """The view's filter set class. One that django-filter builds from `filterset_fields` (a
        class made on every request, about a tenth of a millisecond) is built once per view class."""
        if getattr(view, "filterset_class", None) is None and getattr(view, "filterset_fields", None):
            key = (type(view), getattr(queryset, "model", None))
            if key not in self._built:
                self._built[key] = super().get_filterset_class(view, queryset)
            return self._built[key]
        filterset_class = super().get_filterset_class(view, queryset)
        if filterset_class is not None and not issubclass(filterset_class, TenantFilterSet):
            raise ImproperlyConfigured(
                f"{view.__class__.__name__}.filterset_class must subclass vcio.api.TenantFilterSet"
            )
        return filterset_class

    def filter_queryset(self, request, queryset, view):
        """A query string naming none of the filter set's parameters filters nothing: the filter set
        (its form, its scoped choices) is then not built at all — a list request without filters
        saved about half a millisecond. A range filter's parameters carry a suffix (`due_date_after`)."""
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return queryset
        names = filterset_class.base_filters
        if not any(param in names or param.rpartition("_")[0] in names for param in request.query_params):
            return queryset
        return super().filter_queryset(request, queryset, view)


class SearchFilter(filters.SearchFilter):
    """`?search=` without NUL characters (PostgreSQL refuses them in a query: a 500, not a search)."""

    def get_search_terms(self, request):
        return [term.replace("\x00", "") for term in super().get_search_terms(request) if term.strip("\x00")]


class StableOrderingFilter(filters.OrderingFilter):
    """`?ordering=` over `ordering_fields`, always ending with the primary key: rows that tie on the
    chosen fields (many clients share a status, many contracts a renewal date) keep one order between
    requests, so paging through them never skips or repeats a row."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if ordering and not any(str(term).lstrip("-") in ("pk", "id") for term in ordering):
            ordering = [*ordering, "pk"]
        return ordering
