"""Benchmark cases of the accounts app: the practice's own pages and the API's `me`."""

from django.urls import reverse

from benchmarks.registry import ENDPOINT, LIST_PAGE, OVERHEAD, PAGE, Case

from .sql import HISTORY_PAGE, history_rows, json_list, members


def labelled_history(table: str, where: str, label: str, join: str = "") -> str:
    """`sql.history_rows(table, where)` (the newest HISTORY_PAGE audit rows of a practice's table, who
    made each and the version before it) with `label`, the object's name as the list shows it (a
    history source's `describe`); `join` adds what the label reads."""
    return f"""
      SELECT h.history_id, h.history_date, h.history_type, h.history_change_reason, u.name AS who,
        {label} AS label,
        (SELECT p.history_id FROM {table} p WHERE p.practice_id = h.practice_id AND p.id = h.id
           AND p.history_date < h.history_date ORDER BY p.history_date DESC LIMIT 1) AS previous
      FROM {table} h {join} LEFT JOIN accounts_user u ON u.id = h.history_user_id
      WHERE {where} ORDER BY h.history_date DESC, h.history_id DESC LIMIT {HISTORY_PAGE}"""


def members_floor(t):
    """The members page: a page of 25 members (by e-mail) and their count; a page of 10 pending team
    invitations with who invited and their count; the team's history (`team_history`: membership
    versions, labelled with the member's e-mail, merged by date with the team invitations' versions,
    labelled with the invited e-mail: the newest 25); the history filter's members."""
    rows = """SELECT m.id, m.role, m.created_at, u.email, u.first_name, u.last_name FROM accounts_membership m
      JOIN accounts_user u ON u.id = m.user_id WHERE m.practice_id = %s ORDER BY u.email LIMIT 25"""
    pending = """FROM accounts_invitation i WHERE i.practice_id = %s AND i.client_id IS NULL
      AND i.accepted_at IS NULL AND i.revoked_at IS NULL"""
    invitations = """SELECT i.id, i.email, i.role, i.expires_at, u.name FROM accounts_invitation i
      LEFT JOIN accounts_user u ON u.id = i.invited_by_id WHERE i.practice_id = %s AND i.client_id IS NULL
      AND i.accepted_at IS NULL AND i.revoked_at IS NULL ORDER BY i.created_at DESC LIMIT 10"""
    memberships = labelled_history(
        "accounts_historicalmembership",
        "h.practice_id = %s",
        "mu.email",
        "LEFT JOIN accounts_user mu ON mu.id = h.user_id",
    )
    team_invitations = labelled_history(
        "accounts_historicalinvitation", "h.practice_id = %s AND h.client_id IS NULL", "h.email"
    )
    history = f"""SELECT * FROM (({memberships}) UNION ALL ({team_invitations})) x
      ORDER BY history_date DESC, history_id DESC LIMIT {HISTORY_PAGE}"""
    sql = f"""SELECT json_build_object('members', {json_list(rows)},
      'count', (SELECT count(*) FROM accounts_membership WHERE practice_id = %s),
      'invitations', {json_list(invitations)},
      'pending', (SELECT count(*) {pending}),
      'history', {json_list(history)}, 'users', {json_list(members())})"""
    return sql, [t.pid] * 7


def settings_floor(t):
    """The practice's settings, their history and the counts the page shows."""
    practice = "SELECT * FROM accounts_practice WHERE id = %s"
    history = history_rows("accounts_historicalpractice", "h.id = %s", tenant=False)
    sql = f"""SELECT json_build_object('practice', {json_list(practice)}, 'history', {json_list(history)},
      'members', (SELECT count(*) FROM accounts_membership WHERE practice_id = %s),
      'clients', (SELECT count(*) FROM clients_client WHERE practice_id = %s))"""
    return sql, [t.pid] * 4


API_KEYS_PAGE = 25  # ApiKeyListView pages the keys with vcio.listing.paginate's default size


def apikeys_floor(t):
    """A page of 25 keys (newest first) with their creator's name and the keys' count, and the keys'
    history labelled as the list shows them ("name (vcio_prefix_…)")."""
    keys = f"""SELECT k.*, u.name AS created_by FROM accounts_apikey k
      LEFT JOIN accounts_user u ON u.id = k.created_by_id WHERE k.practice_id = %s
      ORDER BY k.created_at DESC, k.id LIMIT {API_KEYS_PAGE}"""
    history = labelled_history(
        "accounts_historicalapikey", "h.practice_id = %s", "h.name || ' (vcio_' || h.prefix || '_…)'"
    )
    sql = f"""SELECT json_build_object('keys', {json_list(keys)},
      'count', (SELECT count(*) FROM accounts_apikey WHERE practice_id = %s), 'history', {json_list(history)})"""
    return sql, [t.pid] * 3


def me_floor(t):
    return "SELECT id, slug, name, currency, time_zone FROM accounts_practice WHERE id = %s", [t.pid]


CASES = [
    Case("Practice home (redirect)", OVERHEAD, lambda t: reverse("practice_home", args=[t.slug]), status=302),
    Case("Members", LIST_PAGE, lambda t: reverse("accounts:members", args=[t.slug]), members_floor),
    Case("Practice settings", PAGE, lambda t: reverse("accounts:settings", args=[t.slug]), settings_floor),
    Case("API keys", PAGE, lambda t: reverse("accounts:apikeys", args=[t.slug]), apikeys_floor),
    Case("API: me", ENDPOINT, lambda t: "/api/v1/me/", me_floor, api=True),
]
