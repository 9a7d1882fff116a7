"""Where a signed-in client executive (portal access, no practice) lands: the portal."""

from django.shortcuts import redirect

from . import selectors


def portal_landing(request):
    if not selectors.has_portal_access(user=request.user):
        return None
    return redirect("portal:home")
