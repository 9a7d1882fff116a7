"""Where a client executive lands until the portal app takes over (it registers an earlier landing)."""

from django.template.response import TemplateResponse

from vcio.tenancy import all_practices

from .models import PortalAccess


def portal_pending(request):
    if not PortalAccess.objects.filter(user=request.user).exists():  # their own rows (row-level security)
        return None
    # The names of their clients and practices, which may be several practices' rows.
    with all_practices("portal landing: the names of the executive's own clients"):
        accesses = list(
            PortalAccess.objects.all_practices()
            .filter(user=request.user)
            .select_related("client", "practice")
            .order_by("client__name")
        )
    return TemplateResponse(request, "clients/portal_pending.html", {"accesses": accesses})
