"""Benchmark cases of the roadmaps app: a client's timeline, board, initiatives and goals, and the
goals and initiatives endpoints."""

from django.urls import reverse
from django.utils import timezone

from benchmarks.registry import ENDPOINT, LIST_ENDPOINT, LIST_PAGE, PAGE, Case
from vcio.fiscal import quarter_window

from .sql import PRIORITY_RANK, history_rows, json_list, members

BOARD_COLUMN = 5  # cards per board column (roadmaps.board_selectors.BOARD_COLUMN_SIZE)

GOAL_TITLES = """(SELECT coalesce(json_agg(g.title ORDER BY g."order", g.title), '[]')
  FROM roadmaps_initiativegoal l JOIN roadmaps_goal g ON g.id = l.goal_id AND g.practice_id = l.practice_id
  WHERE l.practice_id = i.practice_id AND l.initiative_id = i.id)"""
GOAL_IDS = """(SELECT coalesce(json_agg(l.goal_id), '[]') FROM roadmaps_initiativegoal l
  WHERE l.practice_id = i.practice_id AND l.initiative_id = i.id)"""


TIMELINE_MAX_BARS = (
    30  # bars the timeline shows, the highest priorities (roadmaps.selectors.TIMELINE_MAX_BARS)
)


def timeline_floor(t):
    """The timeline (`timeline_grid`): the 30 highest-priority initiatives (then earliest, by title) in
    the window of quarters, not rejected; the counts it shows (earlier and later than the window, in
    it, in all); the planned-cost rollup's sums by start quarter."""
    quarters = quarter_window(timezone.localdate(), t.client.fiscal_year_start_month)
    first, last = quarters[0].key, quarters[-1].key
    shown = "i.practice_id = %s AND i.client_id = %s AND i.status <> 'rejected'"
    bars = f"""SELECT i.id, i.title, i.category, i.status, i.target_start, i.target_end FROM roadmaps_initiative i
      WHERE {shown} AND i.target_end >= {first} AND i.target_start <= {last}
      ORDER BY {PRIORITY_RANK}, i.target_start, i.title, i.id LIMIT {TIMELINE_MAX_BARS}"""
    counts = f"""SELECT count(*) FILTER (WHERE i.target_end < {first}) AS earlier,
        count(*) FILTER (WHERE i.target_start > {last}) AS later,
        count(*) FILTER (WHERE i.target_end >= {first} AND i.target_start <= {last}) AS in_window,
        count(*) AS total
      FROM roadmaps_initiative i WHERE {shown}"""
    costs = f"""SELECT target_start, sum(one_time_cost), sum(recurring_monthly_cost), count(*)
      FROM roadmaps_initiative WHERE practice_id = %s AND client_id = %s AND status <> 'rejected'
      AND target_start <= {last // 10 * 10 + 4} GROUP BY target_start"""
    sql = f"""SELECT json_build_object('bars', {json_list(bars)}, 'counts', {json_list(counts)},
      'costs', {json_list(costs)})"""
    return sql, [t.pid, t.cid] * 3


def board_floor(t):
    return (
        f"""SELECT * FROM (
          SELECT i.id, i.title, i.status, i.priority, i.category, i.target_start, i.target_end, i.one_time_cost,
            u.name AS owner,
            row_number() OVER (PARTITION BY i.status ORDER BY {PRIORITY_RANK}, i.target_start, i.title, i.id) AS n,
            count(*) OVER (PARTITION BY i.status) AS in_column,
            sum(i.one_time_cost) OVER (PARTITION BY i.status) AS column_total
          FROM roadmaps_initiative i LEFT JOIN accounts_user u ON u.id = i.owner_id
          WHERE i.practice_id = %s AND i.client_id = %s) x WHERE n <= {BOARD_COLUMN}""",
        [t.pid, t.cid],
    )


def initiative_list_floor(t):
    """A page of 25 initiatives with their owner and goals, their count, and the filter bar's choices:
    the client's goals (`goal_choices`: by order, title) and the practice's members as owners
    (`practice_member_users`, every role)."""
    rows = f"""SELECT i.id, i.title, i.category, i.priority, i.status, i.target_start, i.target_end,
        u.name AS owner, i.one_time_cost, i.recurring_monthly_cost, {GOAL_TITLES} AS goals,
        (SELECT count(*) FROM roadmaps_initiative WHERE practice_id = %s AND client_id = %s) AS total
      FROM roadmaps_initiative i LEFT JOIN accounts_user u ON u.id = i.owner_id
      WHERE i.practice_id = %s AND i.client_id = %s
      ORDER BY i.target_start, {PRIORITY_RANK}, i.title, i.id LIMIT 25"""
    goals = """SELECT g.id, g.title FROM roadmaps_goal g WHERE g.practice_id = %s AND g.client_id = %s
      ORDER BY g."order", g.title"""
    sql = f"""SELECT json_build_object('initiatives', {json_list(rows)}, 'goals', {json_list(goals)},
      'owners', {json_list(members())})"""
    return sql, [t.pid, t.cid] * 3 + [t.pid]


def initiative(t):
    from roadmaps.models import Initiative

    return t.first(Initiative, status="done")


def initiative_detail_floor(t):
    """An initiative with its owner, sponsor (name and title), approver and goals; its status
    changes; its history."""
    pk = str(initiative(t).pk)
    row = f"""SELECT i.*, o.name AS owner, s.name AS sponsor, s.title AS sponsor_title, a.name AS approver, {GOAL_TITLES} AS goals
      FROM roadmaps_initiative i LEFT JOIN accounts_user o ON o.id = i.owner_id
      LEFT JOIN clients_contact s ON s.id = i.sponsor_id AND s.practice_id = i.practice_id
      LEFT JOIN accounts_user a ON a.id = i.approved_by_id WHERE i.practice_id = %s AND i.id = %s"""
    changes = """SELECT c.*, u.name FROM roadmaps_initiativestatuschange c LEFT JOIN accounts_user u
      ON u.id = c.changed_by_id WHERE c.practice_id = %s AND c.initiative_id = %s ORDER BY c.created_at DESC"""
    history = history_rows("roadmaps_historicalinitiative", "h.practice_id = %s AND h.id = %s")
    sql = f"""SELECT json_build_object('initiative', {json_list(row)}, 'changes', {json_list(changes)},
      'history', {json_list(history)})"""
    return sql, [t.pid, pk] * 3


GOAL_COUNTS = """(SELECT count(*) FROM roadmaps_initiativegoal l JOIN roadmaps_initiative i ON i.id = l.initiative_id
    AND i.practice_id = l.practice_id WHERE l.practice_id = g.practice_id AND l.goal_id = g.id
    AND i.status <> 'rejected') AS total,
  (SELECT count(*) FROM roadmaps_initiativegoal l JOIN roadmaps_initiative i ON i.id = l.initiative_id
    AND i.practice_id = l.practice_id WHERE l.practice_id = g.practice_id AND l.goal_id = g.id
    AND i.status = 'done') AS done"""


def goals_floor(t):
    return (
        f"""SELECT g.id, g.title, g.description, g.fiscal_year, g.status, {GOAL_COUNTS},
          (SELECT count(*) FROM roadmaps_goal WHERE practice_id = %s AND client_id = %s) AS goals
        FROM roadmaps_goal g WHERE g.practice_id = %s AND g.client_id = %s
        ORDER BY g."order", g.title, g.id LIMIT 10""",
        [t.pid, t.cid] * 2,
    )


def goal(t):
    from roadmaps.models import Goal

    return t.first(Goal)


def goal_detail_floor(t):
    """A goal with its progress counts; the first 50 initiatives serving it (their quarters, owner);
    its history."""
    pk = str(goal(t).pk)
    row = f"SELECT g.*, {GOAL_COUNTS} FROM roadmaps_goal g WHERE g.practice_id = %s AND g.id = %s"
    initiatives = """SELECT i.id, i.title, i.status, i.target_start, i.target_end, u.name FROM roadmaps_initiativegoal l
      JOIN roadmaps_initiative i ON i.id = l.initiative_id AND i.practice_id = l.practice_id
      LEFT JOIN accounts_user u ON u.id = i.owner_id WHERE l.practice_id = %s AND l.goal_id = %s
      ORDER BY i.target_start, i.title, i.id LIMIT 50"""
    history = history_rows("roadmaps_historicalgoal", "h.practice_id = %s AND h.id = %s")
    sql = f"""SELECT json_build_object('goal', {json_list(row)}, 'initiatives', {json_list(initiatives)},
      'history', {json_list(history)})"""
    return sql, [t.pid, pk] * 3


def api_initiatives_floor(t):
    return (
        f"""SELECT i.*, {GOAL_IDS} AS goals,
          (SELECT count(*) FROM roadmaps_initiative WHERE practice_id = %s) AS total
        FROM roadmaps_initiative i WHERE i.practice_id = %s
        ORDER BY i.target_start, {PRIORITY_RANK}, i.title, i.id LIMIT 50""",
        [t.pid, t.pid],
    )


def api_goals_floor(t):
    """The first page of 50 goals of the practice in the endpoint's order (the viewset's `ordering`,
    "order", "title", then the primary key) and their count."""
    return (
        """SELECT g.*, (SELECT count(*) FROM roadmaps_goal WHERE practice_id = %s) AS total
        FROM roadmaps_goal g WHERE g.practice_id = %s ORDER BY g."order", g.title, g.id LIMIT 50""",
        [t.pid, t.pid],
    )


def api_initiative_floor(t):
    return (
        f"SELECT i.*, {GOAL_IDS} AS goals FROM roadmaps_initiative i WHERE i.practice_id = %s AND i.id = %s",
        [t.pid, str(initiative(t).pk)],
    )


def _url(name, obj=None):
    def build(t):
        args = [t.slug, t.client.pk] + ([obj(t).pk] if obj else [])
        return reverse(f"roadmaps:{name}", args=args)

    return build


CASES = [
    Case("Roadmap timeline", PAGE, _url("timeline"), timeline_floor, client_page=True),
    Case("Board", PAGE, _url("board"), board_floor, client_page=True),
    Case("Initiatives", LIST_PAGE, _url("list"), initiative_list_floor, client_page=True),
    Case("Initiative", PAGE, _url("detail", initiative), initiative_detail_floor, client_page=True),
    Case("Goals", LIST_PAGE, _url("goals"), goals_floor, client_page=True),
    Case("Goal", PAGE, _url("goal_detail", goal), goal_detail_floor, client_page=True),
    Case(
        "API: initiatives", LIST_ENDPOINT, lambda t: "/api/v1/initiatives/", api_initiatives_floor, api=True
    ),
    Case("API: goals", LIST_ENDPOINT, lambda t: "/api/v1/goals/", api_goals_floor, api=True),
    Case(
        "API: initiative",
        ENDPOINT,
        lambda t: f"/api/v1/initiatives/{initiative(t).pk}/",
        api_initiative_floor,
        api=True,
    ),
]
