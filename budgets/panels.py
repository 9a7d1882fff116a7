"""The budget panel on the client overview (registered in `BudgetsConfig.ready`): this fiscal year's
plan against actual spend so far."""

from . import selectors


def budget_panel(request, client) -> dict:
    return {"figures": selectors.panel_figures(client=client), "client": client}
