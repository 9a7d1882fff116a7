"""Project-wide request guards."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse


class RequestBodyLimitMiddleware:
    """A request whose declared body is larger than allowed is answered 413 before anything reads
    it: `MAX_REQUEST_BODY_BYTES` for pages (uploads included), `DATA_UPLOAD_MAX_MEMORY_SIZE` for the
    API (JSON only). Django's own limits apply to what is read (form fields, JSON), not to a
    multipart file part, which it would stream to a temporary file in full. (A body without
    Content-Length — chunked — is not read by Django at all; the proxy limits it too.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads nothing of a body whose length it cannot parse
        is_api = request.path.startswith("/api/")
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE if is_api else settings.MAX_REQUEST_BODY_BYTES
        if length > limit:
            message = f"The request body is too large: at most {limit // (1024 * 1024)} MB."
            if is_api:
                return JsonResponse({"detail": message}, status=413)  # the API's error shape
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class RejectNulMiddleware:
    """A NUL character in the URL or its query string is refused with a 400 before any view runs:
    PostgreSQL cannot store or compare it, so it must never reach a query (forms already refuse it
    in submitted fields)."""

    message = "Null characters are not allowed."

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"non_field_errors": [self.message]}, status=400)  # the API's 400 shape
            return HttpResponseBadRequest(self.message)
        return self.get_response(request)


class HealthCheckMiddleware:
    """Answer `/healthz` first, before host validation and the HTTPS redirect: load balancers and
    container health checks probe by IP address over plain HTTP."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz" and request.method in ("GET", "HEAD"):
            from .views import healthz

            return healthz(request)
        return self.get_response(request)


class PracticeTimezoneMiddleware:
    """Views activate the practice's time zone (`vcio.tenancy.activate_practice`); this resets it after
    every request (fail closed: a thread never carries one practice's state into the next request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .tenancy import deactivate_practice

        try:
            return self.get_response(request)
        finally:
            deactivate_practice()
