"""A URLconf for the walk's own guard tests (tests/test_isolation_walk_guards.py): the project's URLs
plus a make-believe portal under `portal/guard/` (the real portal owns `portal/`) — one correct page, one that leaks another client's goal, one that accepts
writes — and two patterns the walk cannot cover."""

from django.http import Http404, HttpResponse
from django.urls import path
from django.views.decorators.http import require_safe

from clients.models import PortalAccess
from roadmaps.models import Goal
from vcio.models import scoped_object_or_404
from vcio.urls import urlpatterns as project_urlpatterns


def _access(request) -> PortalAccess:
    access = PortalAccess.objects.filter(user=request.user).select_related("client").first()
    if access is None:
        raise Http404
    return access


@require_safe
def home(request):
    access = _access(request)
    return HttpResponse(", ".join(g.title for g in Goal.objects.for_client(access.client)))


@require_safe
def goal(request, pk):
    access = _access(request)
    return HttpResponse(
        scoped_object_or_404(Goal, practice=access.practice_id, pk=pk, client=access.client).title
    )


@require_safe
def goal_of_any_client(request, pk):
    """The bug: the practice is checked, the client is not."""
    return HttpResponse(scoped_object_or_404(Goal, practice=_access(request).practice_id, pk=pk).title)


def writable(request):
    """The bug: the portal must change nothing, but this view answers a POST."""
    return HttpResponse("ok")


urlpatterns = [
    *project_urlpatterns,
    path("portal/guard/", home, name="portal-home"),
    path("portal/guard/goals/<uuid:pk>/", goal, name="portal-goal"),
    path("portal/guard/leaky/goals/<uuid:pk>/", goal_of_any_client, name="portal-leaky-goal"),
    path("portal/guard/writable/", writable, name="portal-writable"),
    path("portal/guard/widgets/<uuid:widget_pk>/", home, name="portal-widget"),
    path("elsewhere/<uuid:pk>/", home, name="elsewhere"),
]
