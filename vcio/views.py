"""Project-level views: the health check, uploaded media (when Django serves them), and the error
handlers (JSON under /api/, the product's error pages elsewhere)."""

import posixpath
import re

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe
from django.views.static import serve

# Shown inline; anything else (a PDF, HTML, SVG…) is only ever downloaded, never rendered by the browser.
INLINE_MEDIA_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False


def _broker_ok() -> bool | None:
    """None when no network broker is configured (the local file-system broker needs no server)."""
    url = settings.CELERY_BROKER_URL
    if not url or url.startswith("filesystem://") or settings.CELERY_TASK_ALWAYS_EAGER:
        return None
    from vcio.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # noqa: BLE001
        return False


@never_cache
@require_GET
def healthz(request):
    checks = {"database": "ok" if _database_ok() else "unreachable"}
    broker = _broker_ok()
    if broker is not None:
        checks["broker"] = "ok" if broker else "unreachable"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )


@require_safe
def media(request, path):
    """Uploaded files under MEDIA_ROOT (SERVE_MEDIA): never sniffed, and anything that is not a
    plain raster image is an attachment, so a file can never run as a page of our origin."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type not in INLINE_MEDIA_TYPES:
        filename = re.sub(r"[^A-Za-z0-9._-]", "_", posixpath.basename(path)) or "download"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Content-Type"] = "application/octet-stream"
    return response


# --- error handlers (vcio/urls.py): under /api/ an error is JSON without rendering a template, so an
# API answer never depends on the page layout (its static files, the signed-in user's navigation).
def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def error_400(request, exception=None):
    if _is_api(request):
        return JsonResponse({"non_field_errors": ["Bad request."]}, status=400)
    return defaults.bad_request(request, exception)


def error_403(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": "You do not have permission to perform this action."}, status=403)
    return defaults.permission_denied(request, exception)


def error_404(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def error_500(request):
    if _is_api(request):
        return JsonResponse({"detail": "Internal server error."}, status=500)
    return defaults.server_error(request)
