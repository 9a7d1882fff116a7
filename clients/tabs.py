"""The client page's tab bar and overview panels. Each app registers its own in `AppConfig.ready()`,
so the clients app never imports a higher app."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ClientTab:
    key: str
    label: str
    url_name: str  # reversed with practice_slug and client_pk
    order: int
    icon: str = "bi-circle"


@dataclass(frozen=True)
class OverviewPanel:
    template: str
    context: Callable  # (request, client) -> dict
    order: int


_TABS: dict[str, ClientTab] = {}
_PANELS: list[OverviewPanel] = []


def register_client_tab(tab: ClientTab) -> None:
    _TABS[tab.key] = tab


def register_overview_panel(panel: OverviewPanel) -> None:
    if panel not in _PANELS:
        _PANELS.append(panel)


def client_tabs() -> list[ClientTab]:
    return sorted(_TABS.values(), key=lambda t: t.order)


def overview_panels() -> list[OverviewPanel]:
    return sorted(_PANELS, key=lambda p: p.order)
