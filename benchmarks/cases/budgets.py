"""Benchmark cases of the budgets app: a client's budget plan and actuals, and the budgets, budget-lines
and actuals endpoints."""

from django.urls import reverse

from benchmarks.registry import LIST_ENDPOINT, LIST_PAGE, PAGE, Case

from .sql import json_list

LINE_TOTALS = "SELECT id, budget_id, recurrence, amount, first_month, months, dropped FROM budgets_budgetline"


def budget(t):
    from budgets.models import Budget

    return t.first(Budget, scenario_of__isnull=True)


def _budgets_of_client():
    return """SELECT id, fiscal_year, status FROM budgets_budget WHERE practice_id = %s AND client_id = %s
      AND scenario_of_id IS NULL ORDER BY fiscal_year DESC, name"""


def plan_floor(t):
    """The plan: the budget (who approved it), its lines with the names they show, the client's budgets
    (the year switcher), the budget's scenarios, and the budget it is compared with (the client's
    budget of the fiscal year before: its stored planned months, `budgets.selectors.compared_total`)."""
    current = budget(t)
    pk = str(current.pk)
    row = """SELECT b.*, u.name AS approved_by FROM budgets_budget b LEFT JOIN accounts_user u ON u.id = b.approved_by_id
      WHERE b.practice_id = %s AND b.client_id = %s AND b.id = %s"""
    lines = """SELECT l.*, v.name AS vendor, i.title AS initiative, c.name AS contract FROM budgets_budgetline l
      LEFT JOIN vendors_vendor v ON v.id = l.vendor_id AND v.practice_id = l.practice_id
      LEFT JOIN roadmaps_initiative i ON i.id = l.initiative_id AND i.practice_id = l.practice_id
      LEFT JOIN vendors_contract c ON c.id = l.contract_id AND c.practice_id = l.practice_id
      WHERE l.practice_id = %s AND l.budget_id = %s ORDER BY l.category, l.name, l.id"""
    scenarios = (
        "SELECT * FROM budgets_budget WHERE practice_id = %s AND scenario_of_id = %s ORDER BY name, id"
    )
    compared = """SELECT id, planned_months FROM budgets_budget WHERE practice_id = %s AND client_id = %s
      AND fiscal_year = %s AND scenario_of_id IS NULL ORDER BY name LIMIT 1"""
    sql = f"""SELECT json_build_object('budget', {json_list(row)}, 'lines', {json_list(lines)},
      'budgets', {json_list(_budgets_of_client())}, 'scenarios', {json_list(scenarios)},
      'compared', {json_list(compared)})"""
    return sql, [t.pid, t.cid, pk, t.pid, pk, t.pid, t.cid, t.pid, pk, t.pid, t.cid, current.fiscal_year - 1]


def actuals_floor(t):
    from budgets.selectors import current_fiscal_year

    year = current_fiscal_year(t.client)
    row = f"""SELECT b.*, u.name AS approved_by FROM budgets_budget b LEFT JOIN accounts_user u ON u.id = b.approved_by_id
      WHERE b.practice_id = %s AND b.client_id = %s AND b.fiscal_year = {int(year)} AND b.scenario_of_id IS NULL"""
    actuals = """SELECT a.*, v.name AS vendor, l.name AS line FROM budgets_actual a
      LEFT JOIN vendors_vendor v ON v.id = a.vendor_id AND v.practice_id = a.practice_id
      LEFT JOIN budgets_budgetline l ON l.id = a.budget_line_id AND l.practice_id = a.practice_id
      WHERE a.practice_id = %s AND a.client_id = %s ORDER BY a.date DESC, a.created_at DESC, a.id LIMIT 50"""
    sql = f"""SELECT json_build_object('budget', {json_list(row)}, 'budgets', {json_list(_budgets_of_client())},
      'actuals', {json_list(actuals)},
      'total', (SELECT count(*) FROM budgets_actual WHERE practice_id = %s AND client_id = %s))"""
    return sql, [t.pid, t.cid] * 4


def api_budgets_floor(t):
    """A page of 50 budgets, the count, and the lines the `total`s are summed from: only those of the
    budgets whose planned months are not stored (`budgets.api._with_lines`)."""
    page = """SELECT b.*, k.name AS client, u.name AS approved_by FROM budgets_budget b
      JOIN clients_client k ON k.id = b.client_id AND k.practice_id = b.practice_id
      LEFT JOIN accounts_user u ON u.id = b.approved_by_id
      WHERE b.practice_id = %s AND b.scenario_of_id IS NULL ORDER BY b.fiscal_year DESC, b.id LIMIT 50"""
    lines = f"""{LINE_TOTALS} WHERE practice_id = %s
      AND budget_id IN (SELECT id FROM ({page}) p WHERE p.planned_months IS NULL)"""
    sql = f"""SELECT json_build_object('budgets', {json_list(page)}, 'lines', {json_list(lines)},
      'total', (SELECT count(*) FROM budgets_budget WHERE practice_id = %s AND scenario_of_id IS NULL))"""
    return sql, [t.pid] * 4


def api_lines_floor(t):
    """A page of 50 lines, their own columns (the list joins nothing), and the count."""
    return (
        """SELECT l.*, (SELECT count(*) FROM budgets_budgetline WHERE practice_id = %s) AS total
        FROM budgets_budgetline l WHERE l.practice_id = %s ORDER BY l.category, l.name, l.id LIMIT 50""",
        [t.pid, t.pid],
    )


def api_actuals_floor(t):
    """A page of 50 actuals, their own columns (the list joins nothing), and the count."""
    return (
        """SELECT a.*, (SELECT count(*) FROM budgets_actual WHERE practice_id = %s) AS total
        FROM budgets_actual a WHERE a.practice_id = %s ORDER BY a.date DESC, a.created_at DESC, a.id LIMIT 50""",
        [t.pid, t.pid],
    )


CASES = [
    Case(
        "Budget plan",
        PAGE,
        lambda t: reverse("budgets:plan", args=[t.slug, t.client.pk, budget(t).pk]),
        plan_floor,
        client_page=True,
    ),
    Case(
        "Actuals",
        LIST_PAGE,
        lambda t: reverse("budgets:actuals", args=[t.slug, t.client.pk]),
        actuals_floor,
        client_page=True,
    ),
    Case("API: budgets", LIST_ENDPOINT, lambda t: "/api/v1/budgets/", api_budgets_floor, api=True),
    Case("API: budget lines", LIST_ENDPOINT, lambda t: "/api/v1/budget-lines/", api_lines_floor, api=True),
    Case("API: actuals", LIST_ENDPOINT, lambda t: "/api/v1/actuals/", api_actuals_floor, api=True),
]
