"""Benchmark cases of the qbr app: a client's QBR tab and its last held meeting, the practice's upcoming
meetings, and the meetings and action-items endpoints."""

from django.urls import reverse

from benchmarks.registry import LIST_ENDPOINT, LIST_PAGE, PAGE, Case

from .sql import HISTORY_PAGE, history_rows, json_list, members

MEETING_HISTORY = 50  # qbr.selectors.meeting_history's limit: the meeting page shows up to 50 changes

OPEN_ITEMS = """(SELECT count(*) FROM qbr_actionitem a WHERE a.practice_id = m.practice_id AND a.meeting_id = m.id
  AND a.status = 'open') AS open_items"""


def meeting(t):
    from qbr.models import Meeting

    return t.first(Meeting, status="held")


def tab_floor(t):
    meetings = f"""SELECT m.*, {OPEN_ITEMS} FROM qbr_meeting m WHERE m.practice_id = %s AND m.client_id = %s
      ORDER BY m.scheduled_at DESC, m.id LIMIT 30"""
    reports = """SELECT r.*, u.name AS requested_by, m.scheduled_at FROM qbr_qbrreport r
      LEFT JOIN accounts_user u ON u.id = r.requested_by_id
      LEFT JOIN qbr_meeting m ON m.id = r.meeting_id AND m.practice_id = r.practice_id
      WHERE r.practice_id = %s AND r.client_id = %s ORDER BY r.period DESC, r.version DESC, r.created_at DESC LIMIT 20"""
    actions = """SELECT a.*, m.scheduled_at, u.name AS member, c.name AS contact FROM qbr_actionitem a
      JOIN qbr_meeting m ON m.id = a.meeting_id AND m.practice_id = a.practice_id
      LEFT JOIN accounts_user u ON u.id = a.owner_member_id
      LEFT JOIN clients_contact c ON c.id = a.owner_contact_id AND c.practice_id = a.practice_id
      WHERE a.practice_id = %s AND a.client_id = %s AND a.status = 'open'
      ORDER BY a.due_date, a.created_at, a.id LIMIT 50"""
    sql = f"""SELECT json_build_object('meetings', {json_list(meetings)}, 'reports', {json_list(reports)},
      'actions', {json_list(actions)})"""
    return sql, [t.pid, t.cid] * 3


def meeting_floor(t):
    """The meeting page: the meeting with its client and the meeting it was proposed from, its agenda,
    action items (with owners), attendees, the client's contacts (the attendee and owner choices),
    the practice's editors (the action-item owner choices: `ActionItemForm`), up to MEETING_HISTORY
    history rows and its last 5 reports."""
    from accounts.access import ROLE_PERMS, Perm

    editors = tuple(str(role.value) for role, perms in ROLE_PERMS.items() if Perm.EDIT in perms)
    pk = str(meeting(t).pk)
    row = """SELECT m.*, k.name AS client, p.scheduled_at AS proposed_by FROM qbr_meeting m
      JOIN clients_client k ON k.id = m.client_id AND k.practice_id = m.practice_id
      LEFT JOIN qbr_meeting p ON p.id = m.proposed_by_meeting_id AND p.practice_id = m.practice_id
      WHERE m.practice_id = %s AND m.client_id = %s AND m.id = %s"""
    agenda = """SELECT * FROM qbr_agendaitem WHERE practice_id = %s AND meeting_id = %s ORDER BY "order", created_at"""
    actions = """SELECT a.*, u.name AS member, c.name AS contact FROM qbr_actionitem a
      LEFT JOIN accounts_user u ON u.id = a.owner_member_id
      LEFT JOIN clients_contact c ON c.id = a.owner_contact_id AND c.practice_id = a.practice_id
      WHERE a.practice_id = %s AND a.meeting_id = %s ORDER BY a.status, a.due_date, a.created_at"""
    attending = """SELECT u.id, u.name, u.email FROM qbr_meetingmember mm JOIN accounts_user u ON u.id = mm.user_id
      WHERE mm.practice_id = %s AND mm.meeting_id = %s ORDER BY u.name"""
    attendees = """SELECT c.id, c.name, c.title FROM qbr_meetingcontact mc
      JOIN clients_contact c ON c.id = mc.contact_id AND c.practice_id = mc.practice_id
      WHERE mc.practice_id = %s AND mc.meeting_id = %s ORDER BY c.is_executive DESC, c.name"""
    contacts = """SELECT id, name, title, is_executive FROM clients_contact WHERE practice_id = %s AND client_id = %s
      ORDER BY is_executive DESC, name"""
    history = history_rows("qbr_historicalmeeting", "h.practice_id = %s AND h.id = %s")
    assert history.rstrip().endswith(f"LIMIT {HISTORY_PAGE}")
    history = history.rstrip().removesuffix(str(HISTORY_PAGE)) + str(MEETING_HISTORY)
    reports = """SELECT r.*, u.name AS requested_by FROM qbr_qbrreport r LEFT JOIN accounts_user u ON u.id = r.requested_by_id
      WHERE r.practice_id = %s AND r.client_id = %s AND r.meeting_id = %s
      ORDER BY r.period DESC, r.version DESC, r.created_at DESC LIMIT 5"""
    sql = f"""SELECT json_build_object('meeting', {json_list(row)}, 'agenda', {json_list(agenda)},
      'actions', {json_list(actions)}, 'members', {json_list(attending)}, 'attendees', {json_list(attendees)},
      'contacts', {json_list(contacts)}, 'owners', {json_list(members(editors))},
      'history', {json_list(history)}, 'reports', {json_list(reports)})"""
    params = (
        [t.pid, t.cid, pk] + [t.pid, pk] * 4 + [t.pid, t.cid] + [t.pid] + [t.pid, pk] + [t.pid, t.cid, pk]
    )
    return sql, params


def meetings_floor(t):
    """The Meetings page (upcoming, the default): a page of 25 meetings from now on with their client,
    its primary consultant and the open action items, the total, and the filter bar's choices — the
    clients and the practice's members (`MeetingFilterForm.consultant`: any role)."""
    page = f"""SELECT m.*, {OPEN_ITEMS}, k.name AS client, u.name AS consultant FROM qbr_meeting m
      JOIN clients_client k ON k.id = m.client_id AND k.practice_id = m.practice_id
      LEFT JOIN accounts_user u ON u.id = k.primary_consultant_id
      WHERE m.practice_id = %s AND m.scheduled_at >= now() ORDER BY m.scheduled_at, m.id LIMIT 25"""
    clients = "SELECT id, name FROM clients_client WHERE practice_id = %s ORDER BY name"
    total = """SELECT count(*) FROM qbr_meeting m JOIN clients_client k ON k.id = m.client_id
      AND k.practice_id = m.practice_id WHERE m.practice_id = %s AND m.scheduled_at >= now()"""
    sql = f"""SELECT json_build_object('meetings', {json_list(page)}, 'clients', {json_list(clients)},
      'consultants', {json_list(members())}, 'total', ({total}))"""
    return sql, [t.pid] * 4


def api_meetings_floor(t):
    """The meetings endpoint's list: a page of 50 meetings (the client as its id: no join), their
    members' and contacts' ids and their agenda items' titles in order (`selectors.with_links`)."""
    page = """SELECT m.* FROM qbr_meeting m WHERE m.practice_id = %s ORDER BY m.scheduled_at, m.id LIMIT 50"""
    member_ids = f"""SELECT mm.meeting_id, mm.user_id FROM qbr_meetingmember mm
      WHERE mm.practice_id = %s AND mm.meeting_id IN (SELECT id FROM ({page}) p)"""
    contact_ids = f"""SELECT mc.meeting_id, mc.contact_id FROM qbr_meetingcontact mc
      WHERE mc.practice_id = %s AND mc.meeting_id IN (SELECT id FROM ({page}) p)"""
    agenda = f"""SELECT ai.meeting_id, ai.title FROM qbr_agendaitem ai
      WHERE ai.practice_id = %s AND ai.meeting_id IN (SELECT id FROM ({page}) p) ORDER BY ai."order", ai.created_at"""
    sql = f"""SELECT json_build_object('meetings', {json_list(page)}, 'members', {json_list(member_ids)},
      'attendees', {json_list(contact_ids)}, 'agenda', {json_list(agenda)},
      'total', (SELECT count(*) FROM qbr_meeting WHERE practice_id = %s))"""
    return sql, [t.pid] * 8


def api_actions_floor(t):
    """The action-items endpoint's list: a page of 50 items, their own columns (owners as ids: no
    join), and the total."""
    return (
        """SELECT a.*, (SELECT count(*) FROM qbr_actionitem WHERE practice_id = %s) AS total
        FROM qbr_actionitem a WHERE a.practice_id = %s ORDER BY a.due_date, a.created_at, a.id LIMIT 50""",
        [t.pid, t.pid],
    )


def _client_url(name, obj=None):
    def build(t):
        return reverse(f"qbr:{name}", args=[t.slug, t.client.pk] + ([obj(t).pk] if obj else []))

    return build


CASES = [
    Case("QBR tab", PAGE, _client_url("client"), tab_floor, client_page=True),
    Case("Meeting", PAGE, _client_url("meeting", meeting), meeting_floor, client_page=True),
    Case("Meetings", LIST_PAGE, lambda t: reverse("qbr:meetings", args=[t.slug]), meetings_floor),
    Case("API: meetings", LIST_ENDPOINT, lambda t: "/api/v1/meetings/", api_meetings_floor, api=True),
    Case("API: action items", LIST_ENDPOINT, lambda t: "/api/v1/action-items/", api_actions_floor, api=True),
]
