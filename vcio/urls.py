from allauth.account.decorators import secure_admin_login
from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerSplitView

from . import views
from .api_schema_views import CachedSchemaView

# The admin signs in through the app's own login (allauth): the same rate limits, the same
# two-factor step. `/admin/login/` only redirects there; an authenticated user without `is_staff`
# (a superuser included, as Django's admin requires) is refused with a 403.
admin.site.login = secure_admin_login(admin.site.login)

handler400 = "vcio.views.error_400"
handler403 = "vcio.views.error_403"
handler404 = "vcio.views.error_404"
handler500 = "vcio.views.error_500"

urlpatterns = [
    path("", include("accounts.root_urls")),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include("vcio.api_urls")),
    path("api/schema/", CachedSchemaView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script from its own URL (?script): no inline script,
    # so the docs work under the Content-Security-Policy (script-src 'self') without an exemption.
    # Swagger UI sets a few inline styles: the docs page alone allows inline styles (never scripts).
    path(
        "api/docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    path("p/<slug:practice_slug>/", include("accounts.urls")),
    path("p/<slug:practice_slug>/", include("clients.urls")),
    path("p/<slug:practice_slug>/", include("roadmaps.urls")),
    path("p/<slug:practice_slug>/", include("vendors.urls")),
    path("p/<slug:practice_slug>/", include("budgets.urls")),
    path("", include("vendors.feed_urls")),  # secret calendar links: no practice in the URL, no login
    path("p/<slug:practice_slug>/", include("compliance.urls")),
    path("p/<slug:practice_slug>/", include("qbr.urls")),
    path("p/<slug:practice_slug>/", include("portal.practice_urls")),
    path("portal/", include("portal.urls")),  # client executives: read-only, see portal/access.py
]

if settings.SERVE_MEDIA:  # uploaded logos; put a web server or S3 in front for heavy use
    urlpatterns.append(path("media/<path:path>", views.media, name="media"))
