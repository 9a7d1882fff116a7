"""Benchmark cases of the clients app: the client list, a client's overview, contacts and history, and
the clients and contacts endpoints."""

from django.urls import reverse

from benchmarks.registry import ENDPOINT, LIST_ENDPOINT, LIST_PAGE, PAGE, Case

from .sql import HISTORY_PAGE, history_rows, json_list


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


def overview_floor(t):
    client = """SELECT c.*, u.name AS consultant FROM clients_client c
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
    sql = f"""SELECT json_build_object('client', {json_list(client)}, 'contacts', {json_list(contacts)},
      'goals', {json_list(goals)})"""
    return sql, [t.pid, t.cid] * 3


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
]
# a budget line names its client through its budget
BUDGET_LINE_HISTORY = history_rows(
    "budgets_historicalbudgetline",
    "h.practice_id = %s AND h.budget_id IN (SELECT b.id FROM budgets_budget b WHERE b.practice_id = %s "
    "AND b.client_id = %s)",
)


def client_history_floor(t):
    parts = [
        f"({history_rows(table, f'h.practice_id = %s AND h.{column} = %s')})"
        for table, column in CLIENT_HISTORY_TABLES
    ]
    sql = (
        f"SELECT * FROM ({' UNION ALL '.join(parts)} UNION ALL ({BUDGET_LINE_HISTORY})) x "
        f"ORDER BY history_date DESC LIMIT {HISTORY_PAGE}"
    )
    return sql, [t.pid, t.cid] * len(parts) + [t.pid, t.pid, t.cid]


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
