"""The platform's registries. Each app fills them in its `AppConfig.ready()`, so a lower app never
imports a higher one and `vcio` imports no app of ours:

- client tabs (the client page's tab bar) and overview panels (cards on the client overview);
- sidebar entries (the practice's left navigation) and settings sections (Settings → …);
- client list columns (computed by a higher app for a page of clients, sortable);
- history sources live in `vcio.history`, demo seeders in `vcio.demo`, API routes in `vcio.api_routes`.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ClientTab:
    key: str
    label: str
    url_name: str  # reversed with practice_slug and client_pk
    order: int
    icon: str = "bi-circle"
    perm: str = "view"  # the role permission (accounts.access.Perm value) needed to see the tab


@dataclass(frozen=True)
class OverviewPanel:
    template: str
    context: Callable  # (request, client) -> dict
    order: int


@dataclass(frozen=True)
class SidebarEntry:
    key: str  # matched against the view's `nav` to highlight the entry
    label: str
    url_name: str  # reversed with practice_slug
    order: int
    icon: str = "bi-circle"
    perm: str = "view"


@dataclass(frozen=True)
class SettingsSection:
    key: str  # matched against the settings page's `active`
    label: str
    url_name: str  # reversed with practice_slug
    order: int
    perm: str = "manage_settings"


_TABS: dict[str, ClientTab] = {}
_PANELS: list[OverviewPanel] = []
_SIDEBAR: dict[str, SidebarEntry] = {}
_SETTINGS: dict[str, SettingsSection] = {}


def register_client_tab(tab: ClientTab) -> None:
    _TABS[tab.key] = tab


def register_overview_panel(panel: OverviewPanel) -> None:
    if panel not in _PANELS:
        _PANELS.append(panel)


def register_sidebar_entry(entry: SidebarEntry) -> None:
    _SIDEBAR[entry.key] = entry


def register_settings_section(section: SettingsSection) -> None:
    _SETTINGS[section.key] = section


def client_tabs() -> list[ClientTab]:
    return sorted(_TABS.values(), key=lambda t: t.order)


def overview_panels() -> list[OverviewPanel]:
    return sorted(_PANELS, key=lambda p: p.order)


def sidebar_entries() -> list[SidebarEntry]:
    return sorted(_SIDEBAR.values(), key=lambda e: e.order)


def settings_sections() -> list[SettingsSection]:
    return sorted(_SETTINGS.values(), key=lambda e: e.order)


# Extra columns of the client list, filled by higher apps (qbr: next QBR, planned spend this FY,
# compliance score). `values(practice, clients) -> {client pk: value}` for a list of clients, in a
# fixed number of queries (never one per row); a client without a value is left out. `kind` is how
# the list shows and sorts it: "date", "money" or "percent".
@dataclass(frozen=True)
class ClientColumn:
    key: str  # the `?sort=` key
    label: str
    order: int
    values: Callable
    kind: str = "text"


_CLIENT_COLUMNS: dict[str, ClientColumn] = {}


def register_client_column(column: ClientColumn) -> None:
    _CLIENT_COLUMNS[column.key] = column


def client_columns() -> list[ClientColumn]:
    return sorted(_CLIENT_COLUMNS.values(), key=lambda c: c.order)


# What deleting a practice takes with it, as the settings page's danger zone names it (the clients app
# registers its client count): key -> fn(practice) -> int. Register only what the page shows: each is
# a query on every view of the settings page.
_PRACTICE_COUNTS: dict[str, Callable] = {}


def register_practice_count(key: str, fn: Callable) -> None:
    _PRACTICE_COUNTS[key] = fn


def practice_counts(practice) -> dict[str, int]:
    return {key: fn(practice) for key, fn in _PRACTICE_COUNTS.items()}


# Where a signed-in person who belongs to no practice lands (e.g. a client executive with portal
# access): fn(request) -> an HttpResponse, or None to let the next one (or onboarding) decide.
_LANDINGS: list[tuple[int, Callable]] = []


def register_landing(fn: Callable, order: int = 50) -> None:
    if all(f is not fn for _, f in _LANDINGS):
        _LANDINGS.append((order, fn))


def landing_for(request):
    for _, fn in sorted(_LANDINGS, key=lambda item: item[0]):
        response = fn(request)
        if response is not None:
            return response
    return None


# Load-time steps of `manage.py setup_database`, run after the migrations and the app role (e.g. a
# catalog loader): name -> fn(*, using, stdout), where `using` is the alias that migrated (the owner).
@dataclass(frozen=True)
class SetupStep:
    name: str
    run: Callable
    order: int = 50


_SETUP_STEPS: dict[str, SetupStep] = {}


def register_setup_step(step: SetupStep) -> None:
    _SETUP_STEPS[step.name] = step


def setup_steps() -> list[SetupStep]:
    return sorted(_SETUP_STEPS.values(), key=lambda s: (s.order, s.name))
