"""Benchmark cases of the clients app: the client list, a client's overview, contacts and history, and
the clients and contacts endpoints."""

from django.urls import reverse

from benchmarks.registry import ENDPOINT, LIST_ENDPOINT, LIST_PAGE, PAGE, Case

from .sql import HISTORY_PAGE, history_rows, json_list, members


def client_list_floor(t):
    """The page's 25 rows with every column it shows: the client's own, its contact count, and the
    three columns other apps add (qbr/dashboard.py `CLIENT_COLUMNS`): the next planned QBR, this
    fiscal year's planned total (from the budget's stored months, in the client's fiscal year) and
    the compliance score (the mean of each framework's latest completed assessment)."""
    return (
        """SELECT c.id, c.name, c.industry, c.headcount, c.status, u.name AS consultant,
          (SELECT count(*) FROM clients_contact k WHERE k.practice_id = c.practice_id AND k.client_id = c.id)
            AS contacts,
          (SELECT min(m.scheduled_at) FROM qbr_meeting m WHERE m.practice_id = c.practice_id
            AND m.client_id = c.id AND m.kind = 'qbr' AND m.status = 'planned' AND m.scheduled_at >= now())
            AS next_qbr,
          (SELECT b.planned_months FROM budgets_budget b WHERE b.practice_id = c.practice_id
            AND b.client_id = c.id AND b.scenario_of_id IS NULL
            AND b.fiscal_year = extract(year FROM current_date)::int + CASE WHEN c.fiscal_year_start_month > 1
              AND extract(month FROM current_date) >= c.fiscal_year_start_month THEN 1 ELSE 0 END)
            AS planned_months,
          (SELECT avg(a.score_earned * 100 / a.score_possible) FROM (
            SELECT DISTINCT ON (a.adoption_id) a.score_earned, a.score_possible FROM compliance_assessment a
            WHERE a.practice_id = c.practice_id AND a.client_id = c.id AND a.status = 'completed'
              AND a.score_earned IS NOT NULL AND a.score_possible > 0
            ORDER BY a.adoption_id, a.completed_at DESC, a.created_at DESC) a) AS compliance,
          (SELECT count(*) FROM clients_client WHERE practice_id = %s AND status = 'active') AS total
        FROM clients_client c LEFT JOIN accounts_user u ON u.id = c.primary_consultant_id
        WHERE c.practice_id = %s AND c.status = 'active' ORDER BY c.name, c.id LIMIT 25""",
        [t.pid, t.pid],
    )


def _json_object(parts: list[tuple[str, str, list]]) -> tuple[str, list]:
    """One statement: `json_build_object` of (key, SQL expression, its parameters), in order."""
    sql = "SELECT json_build_object({})".format(", ".join(f"'{key}', {expr}" for key, expr, _ in parts))
    return sql, [param for _, _, params in parts for param in params]


SEVERITY_RANK = (
    "CASE a.severity WHEN 'critical' THEN 3 WHEN 'important' THEN 2 WHEN 'advisory' THEN 1 ELSE 0 END"
)


def overview_floor(t):
    """The client overview: the client (notes, at a glance), six contacts, and the panels other apps
    register (vcio.registry.overview_panels), each reading what its selector reads:

    - goals (roadmaps): the first 8 goals with their initiatives' done and total counts;
    - notice deadlines (vendors.selectors.upcoming_deadlines): every running contract of the client
      with its vendor's name and the terms its notice deadline is computed from (the page computes
      each one's deadline in Python and keeps the soonest 5 within 90 days);
    - budget (budgets.selectors.panel_figures): the current fiscal year's budget, its lines that are
      not dropped summed by category, expense type and terms, and the fiscal year's actuals by month;
    - compliance (compliance.summary_selectors.client_compliance_summary): the adopted frameworks,
      their assessments (score, trend, in progress), the current assessments' answers (overdue
      items); the framework items only for a current assessment in progress, whose score is computed
      from them live (a completed one's score is stored);
    - next QBR (qbr.panels): the next planned QBR and the count of open action items;
    - advisories (qbr.advisory_selectors.advisories_for_client): the newest 5 published advisories
      targeting every client, the client's industry or the client."""
    from budgets.selectors import current_fiscal_year
    from vcio.fiscal import fiscal_year_range
    from vendors.selectors import practice_today

    pid, cid, client = t.pid, t.cid, t.client
    today = practice_today(t.practice)
    year = current_fiscal_year(client, today)
    first_day, last_day = fiscal_year_range(year, client.fiscal_year_start_month)
    own = [pid, cid]
    row = """SELECT c.*, u.name AS consultant FROM clients_client c
      LEFT JOIN accounts_user u ON u.id = c.primary_consultant_id WHERE c.practice_id = %s AND c.id = %s"""
    contacts = """SELECT name, title, email, is_executive FROM clients_contact WHERE practice_id = %s
      AND client_id = %s ORDER BY is_executive DESC, name LIMIT 6"""
    goals = """SELECT g.title, g.fiscal_year,
      (SELECT count(*) FROM roadmaps_initiativegoal l JOIN roadmaps_initiative i ON i.id = l.initiative_id
        WHERE l.practice_id = g.practice_id AND l.goal_id = g.id AND i.practice_id = g.practice_id
        AND i.status <> 'rejected') AS total,
      (SELECT count(*) FROM roadmaps_initiativegoal l JOIN roadmaps_initiative i ON i.id = l.initiative_id
        WHERE l.practice_id = g.practice_id AND l.goal_id = g.id AND i.practice_id = g.practice_id
        AND i.status = 'done') AS done
      FROM roadmaps_goal g WHERE g.practice_id = %s AND g.client_id = %s ORDER BY g."order", g.title LIMIT 8"""
    contracts = """SELECT c.id, c.name, v.name AS vendor, c.start_date, c.end_date, c.term_months, c.auto_renew,
        c.renewal_term_months, c.notice_days, c.billing_frequency, c.cost, c.quantity, c.status, c.ended_on
      FROM vendors_contract c JOIN vendors_vendor v ON v.id = c.vendor_id AND v.practice_id = c.practice_id
      WHERE c.practice_id = %s AND c.client_id = %s AND c.status = 'active'
        AND (c.auto_renew OR c.term_end IS NULL OR c.term_end >= %s) ORDER BY c.name"""
    budget = """SELECT b.id FROM budgets_budget b WHERE b.practice_id = %s AND b.client_id = %s
      AND b.fiscal_year = %s AND b.scenario_of_id IS NULL ORDER BY b.name LIMIT 1"""
    lines = f"""SELECT l.category, l.expense_type, l.recurrence, l.first_month, l.months, sum(l.amount) AS total
      FROM budgets_budgetline l WHERE l.practice_id = %s AND l.budget_id = ({budget}) AND NOT l.dropped
      GROUP BY 1, 2, 3, 4, 5"""
    actuals = """SELECT date_trunc('month', a.date) AS month, sum(a.amount) AS total FROM budgets_actual a
      WHERE a.practice_id = %s AND a.client_id = %s AND a.date >= %s AND a.date <= %s GROUP BY 1"""
    adopted = "SELECT x.{} FROM compliance_adoption x WHERE x.practice_id = %s AND x.client_id = %s"
    adoptions = """SELECT a.id, a.framework_id, a.standard_framework_id, f.name, f.short_name, s.name AS standard
      FROM compliance_adoption a LEFT JOIN compliance_framework f ON f.id = a.framework_id
      LEFT JOIN compliance_standardframework s ON s.id = a.standard_framework_id AND s.practice_id = a.practice_id
      WHERE a.practice_id = %s AND a.client_id = %s ORDER BY a.created_at, a.id"""
    assessments = f"""SELECT a.id, a.adoption_id, a.status, a.is_current, a.started_on, a.completed_at,
        a.score_earned, a.score_possible
      FROM compliance_assessment a WHERE a.practice_id = %s AND a.client_id = %s
        AND a.adoption_id IN ({adopted.format("id")}) ORDER BY a.started_on, a.created_at"""
    current = """SELECT a.{} FROM compliance_assessment a WHERE a.practice_id = %s AND a.client_id = %s
      AND a.is_current{}"""
    in_progress = current.format("adoption_id", " AND a.status <> 'completed'")
    answers = f"""SELECT r.assessment_id, r.requirement_id, r.standard_id, r.status, r.weight, r.due_date
      FROM compliance_response r WHERE r.practice_id = %s AND r.client_id = %s
        AND r.assessment_id IN ({current.format("id", "")})"""
    requirements = f"""SELECT r.id, r.parent_id, r.level, r."order", r.weight, r.assessable, r.framework_id
      FROM compliance_requirement r WHERE r.framework_id IN (SELECT x.framework_id FROM compliance_adoption x
        WHERE x.practice_id = %s AND x.client_id = %s AND x.id IN ({in_progress}))"""
    standards = f"""SELECT s.id, s.parent_id, s.level, s."order", s.weight, s.framework_id
      FROM compliance_standard s WHERE s.practice_id = %s AND s.framework_id IN (SELECT x.standard_framework_id
        FROM compliance_adoption x WHERE x.practice_id = %s AND x.client_id = %s AND x.id IN ({in_progress}))"""
    next_qbr = """SELECT m.id, m.scheduled_at FROM qbr_meeting m WHERE m.practice_id = %s AND m.client_id = %s
      AND m.kind = 'qbr' AND m.status = 'planned' AND m.scheduled_at >= now() ORDER BY m.scheduled_at, m.id LIMIT 1"""
    open_items = """(SELECT count(*) FROM qbr_actionitem WHERE practice_id = %s AND client_id = %s
      AND status = 'open')"""
    advisories = f"""SELECT a.id, a.title, a.category, a.severity, a.published_on FROM qbr_advisory a
      WHERE a.practice_id = %s AND a.published_on IS NOT NULL AND (a.targeting = 'all'
        OR (a.targeting = 'industries' AND %s = ANY(string_to_array(a.industries, ',')))
        OR (a.targeting = 'clients' AND a.id IN (SELECT c.advisory_id FROM qbr_advisoryclient c
          WHERE c.practice_id = %s AND c.client_id = %s)))
      ORDER BY a.published_on DESC, {SEVERITY_RANK} DESC, a.title, a.id LIMIT 5"""
    return _json_object(
        [
            ("client", json_list(row), own),
            ("contacts", json_list(contacts), own),
            ("goals", json_list(goals), own),
            ("contracts", json_list(contracts), [*own, today]),
            ("budget", json_list(budget), [*own, year]),
            ("lines", json_list(lines), [pid, *own, year]),
            ("actuals", json_list(actuals), [*own, first_day, last_day]),
            ("adoptions", json_list(adoptions), own),
            ("assessments", json_list(assessments), own * 2),
            ("answers", json_list(answers), own * 2),
            ("requirements", json_list(requirements), own * 2),
            ("standards", json_list(standards), [pid, *own, *own]),
            ("next_qbr", json_list(next_qbr), own),
            ("open_items", open_items, own),
            ("advisories", json_list(advisories), [pid, client.industry, *own]),
        ]
    )


def contacts_floor(t):
    return (
        """SELECT id, name, title, email, phone, is_executive,
          (SELECT count(*) FROM clients_contact WHERE practice_id = %s AND client_id = %s) AS total
        FROM clients_contact WHERE practice_id = %s AND client_id = %s
        ORDER BY is_executive DESC, name, id LIMIT 50""",
        [t.pid, t.cid] * 2,
    )


# (history table, the column naming the client) of every source on the client's History tab
CLIENT_HISTORY_TABLES = [
    ("clients_historicalclient", "id"),
    ("clients_historicalcontact", "client_id"),
    ("clients_historicalportalaccess", "client_id"),
    ("accounts_historicalinvitation", "client_id"),
    ("roadmaps_historicalinitiative", "client_id"),
    ("roadmaps_historicalgoal", "client_id"),
    ("vendors_historicalcontract", "client_id"),
    ("vendors_historicalinteraction", "client_id"),
    ("budgets_historicalbudget", "client_id"),
    ("budgets_historicalactual", "client_id"),
    ("compliance_historicaladoption", "client_id"),
    ("compliance_historicalassessment", "client_id"),
    ("compliance_historicalresponse", "client_id"),
    ("compliance_historicalinitiativelink", "client_id"),
    ("qbr_historicalmeeting", "client_id"),
    ("qbr_historicalactionitem", "client_id"),
    ("qbr_historicalqbrreport", "client_id"),
    ("portal_historicalportalsettings", "client_id"),
]
# a budget line names its client through its budget
BUDGET_LINE_HISTORY = history_rows(
    "budgets_historicalbudgetline",
    "h.practice_id = %s AND h.budget_id IN (SELECT b.id FROM budgets_budget b WHERE b.practice_id = %s "
    "AND b.client_id = %s)",
)


def client_history_floor(t):
    """The History tab: the newest 25 versions across every registered source (vcio.history
    `client_history`), and the filter's members."""
    parts = [
        f"({history_rows(table, f'h.practice_id = %s AND h.{column} = %s')})"
        for table, column in CLIENT_HISTORY_TABLES
    ]
    history = (
        f"SELECT * FROM ({' UNION ALL '.join(parts)} UNION ALL ({BUDGET_LINE_HISTORY})) x "
        f"ORDER BY history_date DESC LIMIT {HISTORY_PAGE}"
    )
    sql = f"SELECT json_build_object('history', {json_list(history)}, 'users', {json_list(members())})"
    return sql, [t.pid, t.cid] * len(parts) + [t.pid, t.pid, t.cid, t.pid]


def api_clients_floor(t):
    return (
        """SELECT c.*, (SELECT count(*) FROM clients_client WHERE practice_id = %s) AS total
        FROM clients_client c WHERE c.practice_id = %s ORDER BY c.name, c.id LIMIT 50""",
        [t.pid, t.pid],
    )


def api_contacts_floor(t):
    return (
        """SELECT k.id, k.client_id, k.name, k.title, k.email, k.phone, k.is_executive, k.created_at,
          k.updated_at, (SELECT count(*) FROM clients_contact WHERE practice_id = %s) AS total
        FROM clients_contact k WHERE k.practice_id = %s ORDER BY k.name, k.id LIMIT 50""",
        [t.pid, t.pid],
    )


def api_client_floor(t):
    return "SELECT * FROM clients_client WHERE practice_id = %s AND id = %s", [t.pid, t.cid]


def _client_url(name):
    return lambda t: reverse(name, args=[t.slug, t.client.pk])


CASES = [
    Case("Client list", LIST_PAGE, lambda t: reverse("clients:list", args=[t.slug]), client_list_floor),
    Case("Client overview", PAGE, _client_url("clients:overview"), overview_floor, client_page=True),
    Case("Contacts", LIST_PAGE, _client_url("clients:contacts"), contacts_floor, client_page=True),
    Case("Client history", LIST_PAGE, _client_url("clients:history"), client_history_floor, client_page=True),
    Case("API: clients", LIST_ENDPOINT, lambda t: "/api/v1/clients/", api_clients_floor, api=True),
    Case("API: contacts", LIST_ENDPOINT, lambda t: "/api/v1/contacts/", api_contacts_floor, api=True),
    Case("API: client", ENDPOINT, lambda t: f"/api/v1/clients/{t.client.pk}/", api_client_floor, api=True),
]
