"""Benchmark cases of the consultant's week: the practice dashboard (all clients) and its API."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from benchmarks.registry import ENDPOINT, PAGE, Case

from .sql import json_list


def dashboard_floor(t):
    """What the dashboard reads, in one statement: the active clients, their open initiatives ending
    by next quarter, planned meetings of the next two weeks, open action items, running contracts,
    this fiscal year's budget lines and completed assessments."""
    now = timezone.now()
    soon = now + timedelta(days=14)
    clients = "SELECT id, name, fiscal_year_start_month, qbr_cadence_months FROM clients_client WHERE practice_id = %s AND status = 'active'"
    initiatives = """SELECT i.id, i.title, i.target_end, i.status, i.client_id FROM roadmaps_initiative i
      WHERE i.practice_id = %s AND i.status NOT IN ('done', 'rejected') ORDER BY i.target_end LIMIT 200"""
    meetings = """SELECT m.id, m.title, m.scheduled_at, m.client_id FROM qbr_meeting m WHERE m.practice_id = %s
      AND m.status = 'planned' AND m.scheduled_at >= %s AND m.scheduled_at < %s ORDER BY m.scheduled_at"""
    actions = """SELECT a.id, a.description, a.due_date, a.client_id FROM qbr_actionitem a
      WHERE a.practice_id = %s AND a.status = 'open' ORDER BY a.due_date"""
    contracts = """SELECT c.id, c.name, c.start_date, c.end_date, c.term_months, c.notice_days, c.client_id
      FROM vendors_contract c WHERE c.practice_id = %s AND c.status = 'active'"""
    lines = "SELECT l.id, l.amount, l.recurrence, l.first_month, l.months FROM budgets_budgetline l WHERE l.practice_id = %s"
    assessments = """SELECT a.id, a.adoption_id, a.score_earned, a.score_possible FROM compliance_assessment a
      WHERE a.practice_id = %s AND a.status = 'completed'"""
    sql = f"""SELECT json_build_object('clients', {json_list(clients)}, 'initiatives', {json_list(initiatives)},
      'meetings', {json_list(meetings)}, 'actions', {json_list(actions)}, 'contracts', {json_list(contracts)},
      'lines', {json_list(lines)}, 'assessments', {json_list(assessments)})"""
    return sql, [t.pid, t.pid, t.pid, now, soon, t.pid, t.pid, t.pid, t.pid]


CASES = [
    Case(
        "Dashboard (all clients)",
        PAGE,
        lambda t: reverse("qbr:dashboard", args=[t.slug]) + "?clients=all",
        dashboard_floor,
    ),
    Case("API: dashboard", ENDPOINT, lambda t: "/api/v1/dashboard/", dashboard_floor, api=True),
]
