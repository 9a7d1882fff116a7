"""Benchmark cases of the vendors app: the practice's vendor directory and renewals calendar, a client's
contracts tab, and the vendors and contracts endpoints.

A contract is *live* (counted, listed on the calendar) when it is active and has not ended: it renews
automatically, is open-ended, or its first term ends today or later (`vendors.selectors`)."""

from django.urls import reverse

from benchmarks.registry import LIST_ENDPOINT, LIST_PAGE, Case

from .sql import json_list, members

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


def _vendor_rows(t, size: int, api: bool = False) -> str:
    """A page of vendors with their live contracts, clients and annual spend: the directory's columns;
    `api`: also the serializer's other fields (phone, notes, timestamps)."""
    more = "v.account_manager_phone, v.notes, v.created_at, v.updated_at," if api else ""
    return f"""SELECT v.id, v.name, v.category, v.website, v.account_manager_name, v.account_manager_email,
        v.support_contact, {more}
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
    """The calendar as the page reads it (`vendors.renewal_calendar`): the first page's 50 dates of the
    next 12 months (notice deadlines, renewals, ends, from the stored dates of the contracts whose
    dates are fresh), each with its contract read whole (its terms give the renewal picture and the
    annual cost shown) and the client, vendor and owner shown; each month's count; the notice
    deadlines within the lead time and the month-to-month contracts (counted, not listed); the terms
    of the contracts whose stored dates are stale (the page computes their dates); the owner's
    calendar link; and the filters' choices (clients, vendors, every member as a consultant)."""
    from vendors.renewals import NOTICE_LEAD_DAYS

    first = f"date_trunc('month', {today(t)})::date"
    last = f"({first} + interval '12 months' - interval '1 day')::date"
    running = f"c.practice_id = %s AND {live(t)}"
    fresh = f"{running} AND c.dates_as_of <= {today(t)} AND (c.key_date >= {today(t)} OR c.key_date IS NULL)"
    notice_event = "NOT c.rolling AND c.notice_date IS DISTINCT FROM c.key_date"
    events = f"""SELECT c.notice_date AS day, 0 AS kind, c.id FROM vendors_contract c
        WHERE {fresh} AND {notice_event} AND c.notice_date BETWEEN {first} AND {last}
      UNION ALL SELECT c.key_date, CASE WHEN c.auto_renew THEN 2 ELSE 1 END, c.id FROM vendors_contract c
        WHERE {fresh} AND NOT c.rolling AND c.key_date BETWEEN {first} AND {last}"""
    page = f"""SELECT e.day, e.kind, c.*, k.name AS client, v.name AS vendor, o.name AS owner_name,
        o.first_name AS owner_first_name, o.last_name AS owner_last_name, o.email AS owner_email
      FROM ({events}) e JOIN vendors_contract c ON c.id = e.id
      JOIN clients_client k ON k.id = c.client_id AND k.practice_id = c.practice_id
      JOIN vendors_vendor v ON v.id = c.vendor_id AND v.practice_id = c.practice_id
      LEFT JOIN accounts_user o ON o.id = c.owner_id
      ORDER BY e.day, e.kind, k.name, c.name, c.id LIMIT 50"""
    months = f"SELECT date_trunc('month', e.day)::date AS month, count(*) AS n FROM ({events}) e GROUP BY 1 ORDER BY 1"
    figures = f"""SELECT count(*) FILTER (WHERE c.rolling) AS month_to_month,
        count(*) FILTER (WHERE {notice_event}
          AND c.notice_date BETWEEN {today(t)} AND {today(t)} + {int(NOTICE_LEAD_DAYS)}) AS in_notice_window
      FROM vendors_contract c WHERE {fresh}"""
    stale = f"""SELECT c.id, c.name, k.name AS client, c.start_date, c.end_date, c.term_months, c.auto_renew,
        c.renewal_term_months, c.notice_days, c.billing_frequency, c.cost, c.quantity, c.status, c.ended_on
      FROM vendors_contract c JOIN clients_client k ON k.id = c.client_id AND k.practice_id = c.practice_id
      WHERE {running} AND (c.dates_as_of IS NULL OR c.dates_as_of > {today(t)} OR c.key_date < {today(t)})
      ORDER BY c.name"""
    feed = """SELECT f.id, f.salt FROM vendors_calendarfeed f
      WHERE f.practice_id = %s AND f.user_id = %s AND f.revoked_at IS NULL ORDER BY f.created_at DESC LIMIT 1"""
    clients = "SELECT id, name FROM clients_client WHERE practice_id = %s ORDER BY name, id"
    vendors = "SELECT id, name FROM vendors_vendor WHERE practice_id = %s ORDER BY name, id"
    sql = f"""SELECT json_build_object('page', {json_list(page)}, 'months', {json_list(months)},
      'figures', {json_list(figures)}, 'stale', {json_list(stale)}, 'feed', {json_list(feed)},
      'clients', {json_list(clients)}, 'vendors', {json_list(vendors)}, 'consultants', {json_list(members())})"""
    return sql, [t.pid] * 6 + [t.pid, str(t.owner.pk)] + [t.pid] * 3


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
    """A page of 50 vendors with every field the serializer answers, their totals, and the count."""
    page = _vendor_rows(t, 50, api=True)
    sql = f"""SELECT json_build_object('vendors', {json_list(page)},
      'total', (SELECT count(*) FROM vendors_vendor WHERE practice_id = %s))"""
    return sql, [t.pid] * 2


def api_contracts_floor(t):
    """A page of 50 contracts, their own columns (the serializer answers ids, not names: the list
    joins nothing), and the count."""
    return (
        """SELECT c.*, (SELECT count(*) FROM vendors_contract WHERE practice_id = %s) AS total
        FROM vendors_contract c WHERE c.practice_id = %s ORDER BY c.name, c.id LIMIT 50""",
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
