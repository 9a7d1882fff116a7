"""The schema view: the OpenAPI schema generated once per process (generation takes a third of a
second; the schema only changes with the code or a setting). Kept apart from `vcio.api_schema`,
which DRF's settings name (drf-spectacular's views read those settings when imported)."""

from django.core.signals import setting_changed
from django.utils import translation
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response

_SCHEMA_CACHE: dict[tuple, dict] = {}


def clear_schema_cache(**kwargs) -> None:
    _SCHEMA_CACHE.clear()


# A changed setting (a test's override) may change the schema: generate it afresh.
setting_changed.connect(clear_schema_cache, dispatch_uid="vcio.api_schema.clear_schema_cache")


class CachedSchemaView(SpectacularAPIView):
    """`/api/schema/`: the OpenAPI schema, generated on the first request of each process and then
    served from memory (generating it walks every endpoint: a third of a second). The schema depends
    only on the code, the settings and the request's version and language, never on who asks."""

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (version, self.serve_public, translation.get_language(), id(self.urlconf), id(self.patterns))
        schema = _SCHEMA_CACHE.get(key)
        if schema is None:
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            schema = _SCHEMA_CACHE[key] = generator.get_schema(request=request, public=self.serve_public)
        return Response(
            data=schema,
            headers={"Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'},
        )
