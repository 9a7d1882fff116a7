"""Project-wide request guards."""

from django.http import JsonResponse
from django.shortcuts import render


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
