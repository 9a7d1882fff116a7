"""Benchmark case of the portal: a client executive's dashboard (goals, compliance, budget, next QBR,
their action items, the latest report). The practice's owner is given a portal access to the
target's client (inserted once, without audit rows, like the benchmark API key), so the same
signed-in session measures the portal."""

from django.urls import reverse

from benchmarks.registry import PAGE, Case

from .sql import json_list


def _ensure_access(t) -> None:
    from clients.models import PortalAccess

    if not PortalAccess.objects.for_practice(t.practice).filter(client_id=t.client.pk, user=t.owner).exists():
        PortalAccess.objects.bulk_create([PortalAccess(practice=t.practice, client=t.client, user=t.owner)])


def dashboard_url(t) -> str:
    _ensure_access(t)
    return reverse("portal:dashboard", args=[t.client.pk])


def dashboard_floor(t):
    goals = """SELECT g.title,
      (SELECT count(*) FROM roadmaps_initiativegoal l JOIN roadmaps_initiative i ON i.id = l.initiative_id
        WHERE l.practice_id = g.practice_id AND l.goal_id = g.id AND i.practice_id = g.practice_id
        AND i.status <> 'rejected') AS total,
      (SELECT count(*) FROM roadmaps_initiativegoal l JOIN roadmaps_initiative i ON i.id = l.initiative_id
        WHERE l.practice_id = g.practice_id AND l.goal_id = g.id AND i.practice_id = g.practice_id
        AND i.status = 'done') AS done
      FROM roadmaps_goal g WHERE g.practice_id = %s AND g.client_id = %s AND g.status <> 'dropped'
      ORDER BY g."order", g.title LIMIT 7"""
    meeting = """SELECT id, title, scheduled_at FROM qbr_meeting WHERE practice_id = %s AND client_id = %s
      AND kind = 'qbr' AND status = 'planned' AND scheduled_at >= now() ORDER BY scheduled_at LIMIT 1"""
    actuals = """SELECT category, sum(amount) FROM budgets_actual WHERE practice_id = %s AND client_id = %s
      GROUP BY category"""
    sql = f"""SELECT json_build_object('goals', {json_list(goals)}, 'meeting', {json_list(meeting)},
      'actuals', {json_list(actuals)})"""
    return sql, [t.pid, t.cid] * 3


CASES = [Case("Portal dashboard", PAGE, dashboard_url, dashboard_floor, client_page=True)]
