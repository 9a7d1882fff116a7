"""Where a client executive lands until the portal app takes over (it registers an earlier landing)."""

from django.template.response import TemplateResponse

from .models import PortalAccess


def portal_pending(request):
    accesses = list(
        PortalAccess.objects.filter(user=request.user)
        .select_related("client", "practice")
        .order_by("client__name")
    )
    if not accesses:
        return None
    return TemplateResponse(request, "clients/portal_pending.html", {"accesses": accesses})
