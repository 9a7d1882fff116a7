"""Project-wide request guards and the session's idle refresh."""

import time

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse


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
