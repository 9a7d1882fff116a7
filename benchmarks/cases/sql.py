"""SQL fragments the floors share (kept in one place so every floor reads rows the same way)."""

HISTORY_PAGE = 25  # rows of a history list per page (vcio.history.HISTORY_PAGE_SIZE)


def history_rows(table: str, where: str, tenant: bool = True) -> str:
    """The newest HISTORY_PAGE audit rows of one history table, with who made them and the version
    before each (what the history lists show). `tenant`: the table has a practice_id."""
    same = "p.practice_id = h.practice_id AND p.id = h.id" if tenant else "p.id = h.id"
    return f"""
      SELECT h.history_id, h.history_date, h.history_type, h.history_change_reason, u.name AS who,
        (SELECT p.history_id FROM {table} p WHERE {same}
           AND p.history_date < h.history_date ORDER BY p.history_date DESC LIMIT 1) AS previous
      FROM {table} h LEFT JOIN accounts_user u ON u.id = h.history_user_id
      WHERE {where} ORDER BY h.history_date DESC, h.history_id DESC LIMIT {HISTORY_PAGE}"""


def json_list(select: str) -> str:
    return f"(SELECT coalesce(json_agg(x), '[]') FROM ({select}) x)"


PRIORITY_RANK = "CASE i.priority WHEN 'critical' THEN 1 WHEN 'high' THEN 2 WHEN 'medium' THEN 3 WHEN 'low' THEN 4 ELSE 9 END"


def members(roles: tuple[str, ...] = ()) -> str:
    """The practice's members as a filter or form offers them (`accounts.selectors.practice_member_users`;
    with `roles`, only those roles, as `practice_editor_users`). One parameter: the practice id."""
    only = " AND m.role IN ({})".format(", ".join(f"'{role}'" for role in roles)) if roles else ""
    return f"""SELECT u.id, u.name, u.first_name, u.last_name, u.email FROM accounts_user u
      JOIN accounts_membership m ON m.user_id = u.id AND m.practice_id = %s{only}
      ORDER BY u.name, u.first_name, u.email"""
