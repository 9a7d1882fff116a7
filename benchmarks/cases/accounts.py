"""Benchmark cases of the accounts app: the practice's own pages and the API's `me`."""

from django.urls import reverse

from benchmarks.registry import ENDPOINT, LIST_PAGE, OVERHEAD, PAGE, Case

from .sql import history_rows, json_list


def members_floor(t):
    members = """SELECT m.id, m.role, m.created_at, u.email, u.first_name, u.last_name FROM accounts_membership m
      JOIN accounts_user u ON u.id = m.user_id WHERE m.practice_id = %s ORDER BY u.email LIMIT 25"""
    invitations = """SELECT i.id, i.email, i.role, i.expires_at, u.name FROM accounts_invitation i
      LEFT JOIN accounts_user u ON u.id = i.invited_by_id WHERE i.practice_id = %s AND i.client_id IS NULL
      AND i.accepted_at IS NULL AND i.revoked_at IS NULL ORDER BY i.created_at DESC LIMIT 10"""
    history = history_rows("accounts_historicalmembership", "h.practice_id = %s")
    sql = f"""SELECT json_build_object('members', {json_list(members)}, 'invitations', {json_list(invitations)},
      'history', {json_list(history)},
      'count', (SELECT count(*) FROM accounts_membership WHERE practice_id = %s))"""
    return sql, [t.pid] * 4


def settings_floor(t):
    practice = "SELECT * FROM accounts_practice WHERE id = %s"
    history = history_rows("accounts_historicalpractice", "h.id = %s", tenant=False)
    sql = f"""SELECT json_build_object('practice', {json_list(practice)}, 'history', {json_list(history)},
      'members', (SELECT count(*) FROM accounts_membership WHERE practice_id = %s),
      'clients', (SELECT count(*) FROM clients_client WHERE practice_id = %s))"""
    return sql, [t.pid] * 4


def apikeys_floor(t):
    keys = "SELECT * FROM accounts_apikey WHERE practice_id = %s ORDER BY created_at DESC"
    history = history_rows("accounts_historicalapikey", "h.practice_id = %s")
    return f"SELECT json_build_object('keys', {json_list(keys)}, 'history', {json_list(history)})", [
        t.pid
    ] * 2


def me_floor(t):
    return "SELECT id, slug, name, currency, time_zone FROM accounts_practice WHERE id = %s", [t.pid]


CASES = [
    Case("Practice home (redirect)", OVERHEAD, lambda t: reverse("practice_home", args=[t.slug]), status=302),
    Case("Members", LIST_PAGE, lambda t: reverse("accounts:members", args=[t.slug]), members_floor),
    Case("Practice settings", PAGE, lambda t: reverse("accounts:settings", args=[t.slug]), settings_floor),
    Case("API keys", PAGE, lambda t: reverse("accounts:apikeys", args=[t.slug]), apikeys_floor),
    Case("API: me", ENDPOINT, lambda t: "/api/v1/me/", me_floor, api=True),
]
