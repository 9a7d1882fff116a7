"""The goal-progress panel on the client overview (registered in `RoadmapsConfig.ready`)."""

from . import selectors


def goal_progress_panel(request, client) -> dict:
    goals = list(selectors.goal_list(client=client)[:8])
    return {"goals": goals, "client": client}
