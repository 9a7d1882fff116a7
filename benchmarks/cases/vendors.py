"""Benchmark cases of the vendors app: the practice's vendor directory and renewals calendar, a client's
contracts tab, and the vendors and contracts endpoints.

A contract is *live* (counted, listed on the calendar) when it is active and has not ended: it renews
automatically, is open-ended, or its first term ends today or later (`vendors.selectors`)."""

from django.urls import reverse

from benchmarks.registry import LIST_ENDPOINT, LIST_PAGE, Case

from .sql import json_list

ANNUAL = (
    "CASE c.billing_frequency WHEN 'monthly' THEN 12 WHEN 'quarterly' THEN 4 WHEN 'annual' THEN 1 ELSE 0 END"
)


def today(t) -> str:
    from vendors.selectors import practice_today

    return f"'{practice_today(t.practice).isoformat()}'::date"


def live(t, alias: str = "c") -> str:
    return (
        f"{alias}.status = 'active' AND ({alias}.auto_renew OR {alias}.term_end IS NULL "
        f"OR {alias}.term_end >= {today(t)})"
    )


def _vendor_rows(t, size: int) -> str:
    """A page of the directory: every vendor with its live contracts, clients and annual spend."""
    return f"""SELECT v.id, v.name, v.category, v.website, v.account_manager_name, v.account_manager_email,
        v.support_contact,
        (SELECT count(*) FROM vendors_contract c WHERE c.practice_id = v.practice_id AND c.vendor_id = v.id
          AND {live(t)}) AS contracts,
        (SELECT count(DISTINCT c.client_id) FROM vendors_contract c WHERE c.practice_id = v.practice_id
          AND c.vendor_id = v.id AND {live(t)}) AS clients,
        (SELECT coalesce(sum(c.cost * c.quantity * {ANNUAL}), 0) FROM vendors_contract c
          WHERE c.practice_id = v.practice_id AND c.vendor_id = v.id AND {live(t)}) AS annual_spend
      FROM vendors_vendor v WHERE v.practice_id = %s ORDER BY v.name, v.id LIMIT {size}"""


def directory_floor(t):
    page = _vendor_rows(t, 25)
    clients = f"""SELECT DISTINCT c.vendor_id, k.name FROM vendors_contract c
      JOIN clients_client k ON k.id = c.client_id AND k.practice_id = c.practice_id
      WHERE c.practice_id = %s AND {live(t)} AND c.vendor_id IN (SELECT id FROM ({page}) p)"""
    sql = f"""SELECT json_build_object('vendors', {json_list(page)}, 'clients', {json_list(clients)},
      'total', (SELECT count(*) FROM vendors_vendor WHERE practice_id = %s))"""
    return sql, [t.pid] * 4


def renewals_floor(t):
    """The calendar's first page: 50 dates of the next 12 months (notice deadlines, renewals, ends, from
    the stored dates) with their names, each month's count, and the filters' choices."""
    first = f"date_trunc('month', {today(t)})::date"
    last = f"({first} + interval '12 months' - interval '1 day')::date"
    fresh = (
        f"c.practice_id = %s AND {live(t)} AND NOT c.rolling AND c.dates_as_of <= {today(t)} "
        f"AND (c.key_date >= {today(t)} OR c.key_date IS NULL)"
    )
    events = f"""SELECT c.notice_date AS day, 0 AS kind, c.id FROM vendors_contract c
        WHERE {fresh} AND c.notice_date BETWEEN {first} AND {last} AND c.notice_date <> c.key_date
      UNION ALL SELECT c.key_date, CASE WHEN c.auto_renew THEN 2 ELSE 1 END, c.id FROM vendors_contract c
        WHERE {fresh} AND c.key_date BETWEEN {first} AND {last}"""
    page = f"""SELECT e.day, e.kind, c.id, c.name, c.cost, c.quantity, c.notice_days, k.name AS client,
        v.name AS vendor, o.name AS owner
      FROM ({events}) e JOIN vendors_contract c ON c.id = e.id
      JOIN clients_client k ON k.id = c.client_id AND k.practice_id = c.practice_id
      JOIN vendors_vendor v ON v.id = c.vendor_id AND v.practice_id = c.practice_id
      LEFT JOIN accounts_user o ON o.id = c.owner_id
      ORDER BY e.day, e.kind, k.name, c.name, c.id LIMIT 50"""
    months = f"SELECT date_trunc('month', e.day)::date AS month, count(*) AS n FROM ({events}) e GROUP BY 1 ORDER BY 1"
    clients = "SELECT id, name FROM clients_client WHERE practice_id = %s ORDER BY name, id"
    vendors = "SELECT id, name FROM vendors_vendor WHERE practice_id = %s ORDER BY name, id"
    sql = f"""SELECT json_build_object('page', {json_list(page)}, 'months', {json_list(months)},
      'clients', {json_list(clients)}, 'vendors', {json_list(vendors)})"""
    return sql, [t.pid] * 6


def client_contracts_floor(t):
    contracts = """SELECT c.*, v.name AS vendor, o.name AS owner FROM vendors_contract c
      JOIN vendors_vendor v ON v.id = c.vendor_id AND v.practice_id = c.practice_id
      LEFT JOIN accounts_user o ON o.id = c.owner_id
      WHERE c.practice_id = %s AND c.client_id = %s ORDER BY c.name, c.id"""
    interactions = """SELECT i.id, i.date, i.kind, i.summary, v.name AS vendor, c.name AS contract, u.name AS who
      FROM vendors_interaction i JOIN vendors_vendor v ON v.id = i.vendor_id AND v.practice_id = i.practice_id
      LEFT JOIN vendors_contract c ON c.id = i.contract_id AND c.practice_id = i.practice_id
      LEFT JOIN accounts_user u ON u.id = i.who_id
      WHERE i.practice_id = %s AND i.client_id = %s ORDER BY i.date DESC, i.created_at DESC LIMIT 8"""
    sql = f"SELECT json_build_object('contracts', {json_list(contracts)}, 'interactions', {json_list(interactions)})"
    return sql, [t.pid, t.cid] * 2


def api_vendors_floor(t):
    page = _vendor_rows(t, 50)
    sql = f"""SELECT json_build_object('vendors', {json_list(page)},
      'total', (SELECT count(*) FROM vendors_vendor WHERE practice_id = %s))"""
    return sql, [t.pid] * 2


def api_contracts_floor(t):
    return (
        """SELECT c.*, k.name AS client, v.name AS vendor, o.name AS owner,
          (SELECT count(*) FROM vendors_contract WHERE practice_id = %s) AS total
        FROM vendors_contract c JOIN clients_client k ON k.id = c.client_id AND k.practice_id = c.practice_id
        JOIN vendors_vendor v ON v.id = c.vendor_id AND v.practice_id = c.practice_id
        LEFT JOIN accounts_user o ON o.id = c.owner_id
        WHERE c.practice_id = %s ORDER BY c.name, c.id LIMIT 50""",
        [t.pid, t.pid],
    )


CASES = [
    Case(
        "Vendor directory", LIST_PAGE, lambda t: reverse("vendors:directory", args=[t.slug]), directory_floor
    ),
    Case(
        "Renewals calendar", LIST_PAGE, lambda t: reverse("vendors:renewals", args=[t.slug]), renewals_floor
    ),
    Case(
        "Client contracts",
        LIST_PAGE,
        lambda t: reverse("vendors:client_contracts", args=[t.slug, t.client.pk]),
        client_contracts_floor,
        client_page=True,
    ),
    Case("API: vendors", LIST_ENDPOINT, lambda t: "/api/v1/vendors/", api_vendors_floor, api=True),
    Case("API: contracts", LIST_ENDPOINT, lambda t: "/api/v1/contracts/", api_contracts_floor, api=True),
]
