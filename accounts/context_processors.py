"""Template context of every practice page: the practice, the role's permissions, the sidebar and
settings sections the role may see (from the registries apps fill), and the practice switcher."""

from vcio.registry import settings_sections, sidebar_entries
from vcio.row_urls import row_reverse


class NavLink:
    """A link of the layout's navigation (sidebar, settings sections, a client's tabs), its URL
    reversed once per request."""

    __slots__ = ("key", "label", "url", "icon", "visible")

    def __init__(self, entry, url: str, visible: bool):
        self.key, self.label, self.icon = entry.key, entry.label, getattr(entry, "icon", "")
        self.url, self.visible = url, visible


def practice(request):
    current = getattr(request, "practice", None)
    if current is None:
        return {}
    can = request.can
    return {
        "practice": current,
        "membership": request.membership,
        "can": can,
        "sidebar": lambda: [
            NavLink(e, row_reverse(e.url_name, current.slug), True)
            for e in sidebar_entries()
            if can.get(e.perm, False)
        ],
        "settings_sections": lambda: [
            NavLink(s, row_reverse(s.url_name, current.slug), can.get(s.perm, False))
            for s in settings_sections()
        ],
        "switch_practices": getattr(request, "user_practices", [current]),
    }
