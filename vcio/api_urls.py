"""Every endpoint lives under /api/v1/. Like the admin, the routes are discovered: each installed app
of ours whose `api` module declares `API_ROUTES` (prefix, viewset, basename) and optionally
`API_PATHS` (plain `path()`s) is added here, so this package imports no app of ours by name."""

import importlib
import importlib.util

from django.apps import apps
from rest_framework.routers import DefaultRouter


def _api_modules():
    for config in apps.get_app_configs():
        name = f"{config.name}.api"
        if config.name != "vcio" and importlib.util.find_spec(name) is not None:
            module = importlib.import_module(name)
            if hasattr(module, "API_ROUTES") or hasattr(module, "API_PATHS"):
                yield module


router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False  # no `.json` twins of every route (actions need not take `format`)
extra_paths = []
for module in _api_modules():
    for prefix, viewset, basename in getattr(module, "API_ROUTES", ()):
        router.register(prefix, viewset, basename=basename)
    extra_paths.extend(getattr(module, "API_PATHS", ()))

urlpatterns = [*extra_paths, *router.urls]
