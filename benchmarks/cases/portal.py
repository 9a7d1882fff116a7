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
    """What `portal.selectors.dashboard` reads for an executive who sees every section (the seeded
    clients have no portal settings: nothing hidden):

    - goals: the first DASHBOARD_GOALS + 1 goals not dropped, with their initiatives done of total;
    - compliance (`client_compliance_summary`): the adopted frameworks, the client's assessments,
      the adopted frameworks' item trees and the current assessments' answers (the Compliance tab
      floor's parts: `benchmarks/cases/compliance.py`);
    - budget (`budgets.selectors.panel_figures`, shared only): this fiscal year's budget, its lines
      (not dropped) summed per category, expense type and terms when it is shared (not a draft), and
      the actuals of the fiscal year summed by category and month;
    - the next planned QBR (when, how long, where);
    - the signed-in user's open action items (owned by the client's contact with their e-mail),
      DASHBOARD_ACTIONS + 1 of them;
    - the latest report that is done with its PDF (newest period and version)."""
    from budgets.selectors import current_fiscal_year, practice_today
    from portal.selectors import DASHBOARD_ACTIONS, DASHBOARD_GOALS
    from vcio.fiscal import fiscal_year_range

    today = practice_today(t.practice)
    year = current_fiscal_year(t.client, today)
    first, last = fiscal_year_range(year, t.client.fiscal_year_start_month)
    client = [t.pid, t.cid]
    goals = """SELECT g.id, g.title,
      (SELECT count(*) FROM roadmaps_initiativegoal l JOIN roadmaps_initiative i ON i.id = l.initiative_id
        WHERE l.practice_id = g.practice_id AND l.goal_id = g.id AND i.practice_id = g.practice_id
        AND i.status <> 'rejected') AS total,
      (SELECT count(*) FROM roadmaps_initiativegoal l JOIN roadmaps_initiative i ON i.id = l.initiative_id
        WHERE l.practice_id = g.practice_id AND l.goal_id = g.id AND i.practice_id = g.practice_id
        AND i.status = 'done') AS done
      FROM roadmaps_goal g WHERE g.practice_id = %s AND g.client_id = %s AND g.status <> 'dropped'
      ORDER BY g."order", g.title, g.id LIMIT %s"""
    adoptions = """SELECT a.id, a.framework_id, a.standard_framework_id, f.name AS framework, sf.name AS own_framework
      FROM compliance_adoption a LEFT JOIN compliance_framework f ON f.id = a.framework_id
      LEFT JOIN compliance_standardframework sf ON sf.id = a.standard_framework_id AND sf.practice_id = a.practice_id
      WHERE a.practice_id = %s AND a.client_id = %s ORDER BY a.created_at, a.id"""
    assessments = """SELECT * FROM compliance_assessment WHERE practice_id = %s AND client_id = %s
      ORDER BY started_on, created_at"""
    tree = """SELECT r.id, r.parent_id, r.level, r."order", r.weight, r.assessable, r.framework_id
      FROM compliance_requirement r WHERE r.framework_id IN (SELECT a.framework_id FROM compliance_adoption a
      WHERE a.practice_id = %s AND a.client_id = %s) ORDER BY r.framework_id, r."order\""""
    standards = """SELECT s.id, s.parent_id, s.level, s."order", s.weight, s.framework_id FROM compliance_standard s
      WHERE s.practice_id = %s AND s.framework_id IN (SELECT a.standard_framework_id FROM compliance_adoption a
      WHERE a.practice_id = %s AND a.client_id = %s) ORDER BY s."order\""""
    answers = """SELECT s.assessment_id, s.requirement_id, s.standard_id, s.status, s.weight, s.due_date
      FROM compliance_response s JOIN compliance_assessment x ON x.id = s.assessment_id AND x.practice_id = s.practice_id
      WHERE s.practice_id = %s AND s.client_id = %s AND x.is_current"""
    budget = """SELECT b.id, b.fiscal_year, b.status FROM budgets_budget b
      WHERE b.practice_id = %s AND b.client_id = %s AND b.fiscal_year = %s AND b.scenario_of_id IS NULL
      ORDER BY b.name LIMIT 1"""
    lines = f"""SELECT l.category, l.expense_type, l.recurrence, l.first_month, l.months, sum(l.amount) AS total
      FROM budgets_budgetline l WHERE l.practice_id = %s AND NOT l.dropped
        AND l.budget_id = (SELECT b.id FROM ({budget}) b WHERE b.status <> 'draft')
      GROUP BY l.category, l.expense_type, l.recurrence, l.first_month, l.months"""
    actuals = """SELECT category, date_trunc('month', date) AS month, sum(amount) AS total FROM budgets_actual
      WHERE practice_id = %s AND client_id = %s AND date >= %s AND date <= %s GROUP BY 1, 2"""
    meeting = """SELECT id, kind, title, scheduled_at, duration_minutes, location FROM qbr_meeting
      WHERE practice_id = %s AND client_id = %s AND kind = 'qbr' AND status = 'planned' AND scheduled_at >= now()
      ORDER BY scheduled_at, id LIMIT 1"""
    actions = """SELECT a.id, a.description, a.due_date FROM qbr_actionitem a
      JOIN qbr_meeting m ON m.id = a.meeting_id AND m.practice_id = a.practice_id
      JOIN clients_contact c ON c.id = a.owner_contact_id AND c.practice_id = a.practice_id
      WHERE a.practice_id = %s AND a.client_id = %s AND a.status = 'open' AND upper(c.email) = upper(%s)
      ORDER BY a.due_date, a.created_at, a.id LIMIT %s"""
    report = """SELECT id, period, version FROM qbr_qbrreport
      WHERE practice_id = %s AND client_id = %s AND status = 'done' AND pdf <> ''
      ORDER BY period DESC, version DESC, created_at DESC LIMIT 1"""
    sql = f"""SELECT json_build_object('goals', {json_list(goals)}, 'adoptions', {json_list(adoptions)},
      'assessments', {json_list(assessments)}, 'tree', {json_list(tree)}, 'standards', {json_list(standards)},
      'answers', {json_list(answers)}, 'budget', {json_list(budget)}, 'lines', {json_list(lines)},
      'actuals', {json_list(actuals)}, 'meeting', {json_list(meeting)}, 'actions', {json_list(actions)},
      'report', {json_list(report)})"""
    params = [*client, DASHBOARD_GOALS + 1]
    params += client * 3 + [t.pid, *client] + client  # adoptions, assessments, tree, standards, answers
    params += [*client, year] + [t.pid, *client, year] + [*client, first, last]  # budget, lines, actuals
    params += client + [*client, t.owner.email, DASHBOARD_ACTIONS + 1] + client  # meeting, actions, report
    return sql, params


CASES = [Case("Portal dashboard", PAGE, dashboard_url, dashboard_floor, client_page=True)]
