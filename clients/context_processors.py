from .tabs import client_tabs


def practice(request):
    """The current practice, the user's role, their other practices (for the switcher)."""
    ctx = {}
    current = getattr(request, "practice", None)
    if current is not None:
        ctx["practice"] = current
        ctx["membership"] = request.membership
        ctx["can"] = request.can
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and current is not None:
        ctx["switch_practices"] = lambda: [
            m.practice for m in user.memberships.select_related("practice").order_by("practice__name")
        ]
    ctx["client_tabs"] = client_tabs
    return ctx
