"""Project-wide request guards and the session's idle refresh."""

import time

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render


class ApiJsonErrorsMiddleware:
    """Under /api/, every error is JSON in the API's shape (vcio.api_settings), also the ones Django
    answers before or beside DRF: a path no endpoint matches (an id that is not a UUID), a request
    refused by a middleware (CSRF, an unknown host, a body too large), a 405 of a plain view, or a
    server error. DRF's own errors are JSON already and pass through untouched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and request.path.startswith("/api/")
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return self.as_json(response)
        return response

    @staticmethod
    def as_json(response):
        status = response.status_code
        data = getattr(response, "data", None)  # a DRF response rendered otherwise (the schema view's YAML)
        if isinstance(data, dict) and data:
            body = data
        else:
            message = "Not found." if status == 404 else f"{response.reason_phrase}."
            body = {"non_field_errors": [message]} if status == 400 else {"detail": message}
        converted = JsonResponse(body, status=status)
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                converted[header] = response[header]
        return converted


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
            return render(request, "400.html", {"exception": self.message}, status=400)
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


class RowLevelSecurityMiddleware:
    """On PostgreSQL, every request runs in one transaction that carries its row-level-security
    settings (`vcio.tenancy`): who is asking (`app.user_id`), and — once a view resolves it with
    `activate_practice()` — the practice. `SET LOCAL` semantics: the settings end with the transaction,
    so nothing leaks to the next request on a pooled connection. A 5xx answer rolls the transaction
    back. A streamed answer (CSV export) is produced after the view returned: its iterator runs in a
    transaction of its own with the same settings. On SQLite (no RLS) this does nothing.

    Placed after the authentication middleware (it needs the user) and before anything that reads
    tenant tables (the two-factor rule reads memberships)."""

    def __init__(self, get_response):
        from django.db import connections

        self.get_response = get_response
        self.enabled = connections["default"].vendor == "postgresql"

    def __call__(self, request):
        if not self.enabled:
            return self.get_response(request)
        from django.db import connections, transaction

        from .tenancy import begin_request

        user = getattr(request, "user", None)
        fresh = not connections["default"].in_atomic_block
        with transaction.atomic():
            # A fresh transaction has no settings yet: an anonymous request needs no statement.
            if not fresh or getattr(user, "is_authenticated", False):
                begin_request(user)
            response = self.get_response(request)
            if response.status_code >= 500:
                transaction.set_rollback(True)
        if response.streaming:
            response.streaming_content = _stream_in_transaction(
                response.streaming_content, user, getattr(request, "practice", None)
            )
        return response


def _stream_in_transaction(content, user, practice):
    from django.db import transaction

    from .tenancy import activate_practice, begin_request, deactivate_practice

    try:
        with transaction.atomic():
            begin_request(user)
            if practice is not None:
                activate_practice(practice)  # the practice's time zone for the rows' dates, too
            yield from content
    finally:
        deactivate_practice()


class SessionIdleRefreshMiddleware:
    """Sessions are saved only when they change (no SESSION_SAVE_EVERY_REQUEST: a write per request
    is a database round trip). To keep the idle timeout counting inactivity, an existing session is
    touched — and so saved, its expiry pushed SESSION_COOKIE_AGE ahead — at most once every
    SESSION_REFRESH_SECONDS (a minute): a session idle for the timeout still expires, give or take
    that minute. Goes right after SessionMiddleware."""

    KEY = "_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # No session key: no session cookie, or the view flushed the session (log-out): nothing to keep.
        if session is None or session.session_key is None or response.status_code >= 500:
            return response
        refreshed_at = session.get(self.KEY, 0)
        if session.session_key is None:  # the cookie named no live session: do not create one
            return response
        now = int(time.time())
        if now - refreshed_at >= settings.SESSION_REFRESH_SECONDS:
            session[self.KEY] = now
        return response
