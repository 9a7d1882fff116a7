"""The portal's sections: what an executive can open from the portal's top bar, and what the practice
can hide per client (Portal sections, on the client's page).

A section is registered once (here for the core ones, in `PortalConfig.ready()`):

    register_portal_section(PortalSection("advisories", "Advisories", "portal:advisories", 70, "bi-megaphone"))

and from then on it is linked in the portal's navigation, offered as a checkbox on the practice's
Portal sections page, and refused (404) by `portal.access.PortalMixin` when the practice hides it —
a view declares its section with `section = "<key>"`. Adding a section needs no migration: a
client's settings store the keys it hides (`portal.PortalSettings.hidden_sections`).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class PortalSection:
    key: str
    label: str
    url_name: str  # reversed with client_pk
    order: int
    icon: str = "bi-circle"
    hideable: bool = True  # the dashboard is always shown
    help_text: str = ""  # shown next to the checkbox on the practice's Portal sections page


_SECTIONS: dict[str, PortalSection] = {}


def register_portal_section(section: PortalSection) -> None:
    _SECTIONS[section.key] = section


def portal_sections() -> list[PortalSection]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def hideable_sections() -> list[PortalSection]:
    return [s for s in portal_sections() if s.hideable]


def section(key: str) -> PortalSection | None:
    return _SECTIONS.get(key)


CORE_SECTIONS = [
    PortalSection("dashboard", "Overview", "portal:dashboard", 0, "bi-speedometer2", hideable=False),
    PortalSection(
        "roadmap",
        "Roadmap",
        "portal:roadmap",
        10,
        "bi-signpost-split",
        help_text="Timeline and list of initiatives",
    ),
    PortalSection(
        "budget",
        "Budget",
        "portal:budget",
        20,
        "bi-cash-stack",
        help_text="This year's budget, spend and forecast",
    ),
    PortalSection(
        "compliance",
        "Compliance",
        "portal:compliance",
        30,
        "bi-shield-check",
        help_text="Scores by framework and group, open gaps (never evidence)",
    ),
    PortalSection(
        "renewals",
        "Renewals",
        "portal:renewals",
        40,
        "bi-arrow-repeat",
        help_text="Contracts renewing in 12 months",
    ),
    PortalSection(
        "meetings",
        "Meetings",
        "portal:meetings",
        50,
        "bi-calendar-event",
        help_text="Meetings, agendas and action items (never meeting notes)",
    ),
    PortalSection(
        "reports",
        "QBR reports",
        "portal:reports",
        60,
        "bi-file-earmark-pdf",
        help_text="Generated QBR reports as PDF",
    ),
    PortalSection(
        "advisories",
        "Advisories",
        "portal:advisories",
        70,
        "bi-megaphone",
        help_text="The practice's published advisories for this client",
    ),
]


def register_core_sections() -> None:
    for s in CORE_SECTIONS:
        register_portal_section(s)
