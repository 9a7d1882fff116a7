"""Benchmark cases of the consultant's week: the practice dashboard (all clients) and its API.

Both read `qbr.dashboard.dashboard` — the page with BLOCK_LIMIT rows per kind of due item and as many
compliance score changes, the API with API_BLOCK_LIMIT of each — so each has its floor, built by
`_floor` with the limit its view passes (the page also shows the latest published advisories)."""

from datetime import date, datetime, time, timedelta

from django.urls import reverse

from benchmarks.registry import ENDPOINT, PAGE, Case

from .sql import json_list

# the active clients of the practice: every block is of these (qbr.dashboard._client_filter)
ACTIVE = "JOIN clients_client k ON k.id = {alias}.client_id AND k.practice_id = {alias}.practice_id AND k.status = 'active'"
OPEN_RESPONSES = "('not_assessed', 'not_implemented', 'partial')"  # compliance.models.OPEN_STATUSES


def _floor(t, limit: int, advisories: bool) -> tuple[str, list]:
    """What `qbr.dashboard.dashboard(practice, user=None, limit=limit)` reads, block by block, each a
    bounded subquery of the practice's active clients:

    - clients: the active clients (names, fiscal calendars, QBR cadence) with each one's last held
      QBR (the "clients due a QBR" block: one backward step down its meetings);
    - meetings: planned meetings from today to Sunday of next week (the practice's time zone), the
      first `limit` and their count;
    - notices: running contracts whose stored notice date falls within the notice window (first
      `limit`, counted), and the running contracts whose stored dates are stale, with their terms
      (the page computes those from the terms: every one is read);
    - compliance: open answers of current assessments due within COMPLIANCE_DAYS (or overdue), with
      their item, assessment and client (first `limit`, counted);
    - initiatives: not done nor rejected, whose target end quarter ends by the horizon in the
      client's own fiscal calendar (first `limit`, counted);
    - action items: open ones with their client and owner, in the digest's order (first `limit`,
      counted);
    - budgets: each client's budget of its current fiscal year (its stored planned months), and
      spend: its year-to-date actuals from the monthly spend (`budgets.selectors.book_panel_figures`);
    - score changes: per adopted framework with a completed assessment, the latest score and the one
      before (`compliance.summary_selectors.practice_score_changes`), the `limit` most recently
      assessed, with how many there are;
    - advisories (the page only): the 5 latest published (`advisory_selectors.latest_published`)."""
    from qbr import dashboard as board
    from qbr.services import practice_zone
    from vcio.fiscal import fiscal_quarter

    pid = t.pid
    today = board.practice_today(t.practice)
    zone = practice_zone(t.practice)
    _, last_day = board.week_window(today)
    week_from = datetime.combine(today, time.min, tzinfo=zone)
    week_to = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=zone)
    horizon = today + timedelta(days=board.INITIATIVE_DAYS)
    this_month = date(today.year, today.month, 1)

    blocks: list[tuple[str, str, list]] = []

    clients = """SELECT k.id, k.name, k.fiscal_year_start_month, k.qbr_cadence_months, k.created_at,
        (SELECT m.scheduled_at FROM qbr_meeting m WHERE m.practice_id = k.practice_id AND m.client_id = k.id
          AND m.kind = 'qbr' AND m.status = 'held' ORDER BY m.scheduled_at DESC LIMIT 1) AS last_qbr
      FROM clients_client k WHERE k.practice_id = %s AND k.status = 'active' ORDER BY k.name"""
    blocks.append(("clients", clients, [pid]))

    meetings = f"""SELECT m.id, m.client_id, m.kind, m.title, m.scheduled_at, m.location, k.name AS client,
        count(*) OVER () AS total
      FROM qbr_meeting m {ACTIVE.format(alias="m")}
      WHERE m.practice_id = %s AND m.status = 'planned' AND m.scheduled_at >= %s AND m.scheduled_at < %s
      ORDER BY m.scheduled_at, m.id LIMIT %s"""
    blocks.append(("meetings", meetings, [pid, week_from, week_to, limit]))

    running = """c.practice_id = %s AND c.status = 'active'
      AND (c.auto_renew OR c.term_end IS NULL OR c.term_end >= %s)"""
    contracts = f"""FROM vendors_contract c {ACTIVE.format(alias="c")}
      JOIN vendors_vendor v ON v.id = c.vendor_id AND v.practice_id = c.practice_id"""
    notices = f"""SELECT c.id, c.name, c.client_id, k.name AS client, v.name AS vendor, c.key_date, c.notice_date,
        count(*) OVER () AS total
      {contracts}
      WHERE {running} AND c.dates_as_of <= %s AND (c.key_date >= %s OR c.key_date IS NULL)
        AND NOT c.rolling AND c.notice_date >= %s AND c.notice_date <= %s
      ORDER BY c.notice_date, k.name, v.name, c.name, c.id LIMIT %s"""
    notice_by = today + timedelta(days=board.NOTICE_DAYS)
    blocks.append(("notices", notices, [pid, today, today, today, today, notice_by, limit]))
    stale = f"""SELECT c.id, c.name, c.client_id, k.name AS client, v.name AS vendor, c.start_date, c.end_date,
        c.term_months, c.auto_renew, c.renewal_term_months, c.notice_days, c.billing_frequency, c.cost,
        c.quantity, c.status, c.ended_on
      {contracts}
      WHERE {running} AND (c.dates_as_of IS NULL OR c.dates_as_of > %s OR c.key_date < %s)"""
    blocks.append(("stale_notices", stale, [pid, today, today, today]))

    compliance = f"""SELECT s.id, s.client_id, s.assessment_id, s.status, s.due_date, k.name AS client,
        x.title AS assessment, coalesce(r.ref, st.ref) AS ref, coalesce(r.title, st.title) AS title,
        count(*) OVER () AS total
      FROM compliance_response s {ACTIVE.format(alias="s")}
      JOIN compliance_assessment x ON x.id = s.assessment_id AND x.practice_id = s.practice_id AND x.is_current
      LEFT JOIN compliance_requirement r ON r.id = s.requirement_id
      LEFT JOIN compliance_standard st ON st.id = s.standard_id AND st.practice_id = s.practice_id
      WHERE s.practice_id = %s AND s.status IN {OPEN_RESPONSES} AND s.due_date IS NOT NULL AND s.due_date <= %s
        AND s.assessment_id = ANY(ARRAY(SELECT c.id FROM compliance_assessment c WHERE c.practice_id = %s AND c.is_current))
        AND (s.standard_id IS NULL OR st.id IS NOT NULL)
      ORDER BY s.due_date, k.name, s.id LIMIT %s"""
    blocks.append(
        ("compliance", compliance, [pid, today + timedelta(days=board.COMPLIANCE_DAYS), pid, limit])
    )

    # per fiscal calendar (a client's start month), the last target end quarter due by the horizon
    ends = []
    for month in range(1, 13):
        quarter = fiscal_quarter(horizon, month)
        ends += [month, quarter.key if quarter.end_date(month) <= horizon else quarter.key - 1]
    calendars = "(VALUES " + ", ".join(["(%s, %s)"] * 12) + ") AS q (month, last_end)"
    initiatives = f"""SELECT i.id, i.client_id, i.title, i.status, i.target_end, k.name AS client,
        k.fiscal_year_start_month, count(*) OVER () AS total
      FROM roadmaps_initiative i {ACTIVE.format(alias="i")}
      JOIN {calendars} ON q.month = k.fiscal_year_start_month
      WHERE i.practice_id = %s AND i.status NOT IN ('done', 'rejected') AND i.target_end <= q.last_end
      ORDER BY i.target_end, k.name, i.title, i.id LIMIT %s"""
    blocks.append(("initiatives", initiatives, [*ends, pid, limit]))

    actions = f"""SELECT a.id, a.client_id, a.meeting_id, a.description, a.due_date, a.created_at,
        k.name AS client, u.name AS member, u.first_name, u.last_name, u.email, c.name AS contact,
        count(*) OVER () AS total
      FROM qbr_actionitem a {ACTIVE.format(alias="a")}
      LEFT JOIN accounts_user u ON u.id = a.owner_member_id
      LEFT JOIN clients_contact c ON c.id = a.owner_contact_id AND c.practice_id = a.practice_id
      WHERE a.practice_id = %s AND a.status = 'open'
      ORDER BY coalesce(a.due_date, (a.created_at AT TIME ZONE %s)::date), k.name, a.description, a.id
      LIMIT %s"""
    blocks.append(("actions", actions, [pid, str(zone), limit]))

    # each client's current fiscal year (vcio.fiscal.fiscal_year), and its first day
    fiscal_year = (
        "(%s + CASE WHEN k.fiscal_year_start_month > 1 AND %s >= k.fiscal_year_start_month THEN 1 ELSE 0 END)"
    )
    year_start = """make_date(CASE WHEN %s >= k.fiscal_year_start_month THEN %s ELSE %s - 1 END,
        k.fiscal_year_start_month, 1)"""
    budgets = f"""SELECT b.id, b.client_id, b.fiscal_year, b.status, b.planned_months FROM clients_client k
      JOIN budgets_budget b ON b.practice_id = k.practice_id AND b.client_id = k.id AND b.scenario_of_id IS NULL
        AND b.fiscal_year = {fiscal_year}
      WHERE k.practice_id = %s AND k.status = 'active'"""
    blocks.append(("budgets", budgets, [today.year, today.month, pid]))
    spend = f"""SELECT s.client_id, sum(s.amount) AS actual_ytd FROM clients_client k
      JOIN budgets_monthlyspend s ON s.practice_id = k.practice_id AND s.client_id = k.id
        AND s.month >= {year_start} AND s.month <= %s
      WHERE k.practice_id = %s AND k.status = 'active' GROUP BY s.client_id"""
    blocks.append(("spend", spend, [today.month, today.year, today.year, this_month, pid]))

    scores = """SELECT l.adoption_id, l.client_id, k.name AS client, f.name AS framework, f.short_name,
        sf.name AS own_framework, l.completed_at, l.score_earned, l.score_possible,
        p.completed_at AS previous_at, p.score_earned AS previous_earned, p.score_possible AS previous_possible,
        l.total
      FROM (SELECT r.*, count(*) OVER () AS total FROM ranked r WHERE r.recency = 1
        ORDER BY r.completed_at DESC, r.created_at DESC, r.id DESC LIMIT %s) l
      JOIN compliance_adoption a ON a.id = l.adoption_id AND a.practice_id = %s
      JOIN clients_client k ON k.id = a.client_id AND k.practice_id = a.practice_id
      LEFT JOIN compliance_framework f ON f.id = a.framework_id
      LEFT JOIN compliance_standardframework sf ON sf.id = a.standard_framework_id AND sf.practice_id = a.practice_id
      LEFT JOIN ranked p ON p.adoption_id = l.adoption_id AND p.recency = 2
      WHERE a.standard_framework_id IS NULL OR sf.id IS NOT NULL
      ORDER BY l.completed_at DESC, l.created_at DESC, l.id DESC"""
    blocks.append(("score_changes", scores, [limit, pid]))

    if advisories:
        latest = """SELECT id, title, category, severity, published_on FROM qbr_advisory
          WHERE practice_id = %s AND published_on IS NOT NULL
          ORDER BY published_on DESC, created_at DESC, id LIMIT 5"""
        blocks.append(("advisories", latest, [pid]))

    ranked = f"""WITH ranked AS (SELECT x.id, x.adoption_id, x.client_id, x.completed_at, x.created_at,
        x.score_earned, x.score_possible,
        row_number() OVER (PARTITION BY x.adoption_id ORDER BY x.completed_at DESC, x.created_at DESC, x.id DESC)
          AS recency
      FROM compliance_assessment x {ACTIVE.format(alias="x")}
      WHERE x.practice_id = %s AND x.status = 'completed' AND x.score_earned IS NOT NULL
        AND x.score_possible IS NOT NULL)"""
    parts = ", ".join(f"'{name}', {json_list(sql)}" for name, sql, _ in blocks)
    params = [pid] + [p for _, _, block_params in blocks for p in block_params]
    return f"{ranked} SELECT json_build_object({parts})", params


def dashboard_floor(t):
    """The dashboard page (all clients): BLOCK_LIMIT rows per block, and the latest advisories."""
    from qbr.dashboard import BLOCK_LIMIT

    return _floor(t, BLOCK_LIMIT, advisories=True)


def api_dashboard_floor(t):
    """The dashboard endpoint (an API key: all clients): API_BLOCK_LIMIT rows per block, no advisories."""
    from qbr.dashboard import API_BLOCK_LIMIT

    return _floor(t, API_BLOCK_LIMIT, advisories=False)


CASES = [
    Case(
        "Dashboard (all clients)",
        PAGE,
        lambda t: reverse("qbr:dashboard", args=[t.slug]) + "?clients=all",
        dashboard_floor,
    ),
    Case("API: dashboard", ENDPOINT, lambda t: "/api/v1/dashboard/", api_dashboard_floor, api=True),
]
