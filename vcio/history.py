"""Audit history (django-simple-history) of a client and everything under it, and of a practice's team.

Each app registers where its history rows of a client live, in `AppConfig.ready()`; the client's
History tab merges them: one statement finds the page across every source, then each source with a
change on the page loads its versions — the page's query count never exceeds a bound set by the
number of sources, whatever the number of rows.

Each row says what changed ("Role: Admin → Viewer"), in the user's language — one formatter for every
app: choices as their labels, foreign keys as names ("Owner: Marcus Webb → —"), booleans as Yes/No,
empty values as "—", and what a model declares: `history_formatters = {"target_start": fn}` (e.g. fiscal
quarters as "FY2028 Q3") and `history_hidden = {"approved_by", …}` (internal stamps left out). The
page's query finds each row's previous version with a subquery, one more query loads those versions,
one query per foreign-key field that changed names the related rows, and the diff is computed in
Python — a fixed number of queries per source whatever the number of rows; filters never hide what
changed.

A list shows HISTORY_PAGE_SIZE entries; `entries.older` is the cursor of the next ones ("Show
older": `?before=<cursor>`, a `HistoryCursor`: the last entry's timestamp, source and version, so
entries sharing a timestamp are split across pages without a gap), so a page's cost does not grow
with the history. Each history table a
list reads is indexed by (practice, the object or client, newest first): `index_history()`.
"""

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import partial

from django.db import connections, models
from django.db.models import OuterRef, Q, Subquery
from django.utils import formats, timezone
from simple_history.models import HistoricalRecords, HistoryDescriptor

from vcio.kept import KEPT as _KEPT  # noqa: F401 - the tests read and empty it
from vcio.kept import kept as _kept
from vcio.kept import kept_instances


@dataclass(frozen=True)
class HistorySource:
    label: str
    rows: Callable  # (client) -> queryset of historical records of that client
    select_related: tuple[str, ...] = ()  # joins `describe` needs (e.g. "user")
    describe: Callable | None = None  # (record) -> the object's name in the list; default name/title/email


_SOURCES: list[HistorySource] = []
HISTORY_PAGE_SIZE = 25  # entries per page of every history list; "Show older changes" loads the next
ONE_STATEMENT_FROM = 3  # a list merging this many sources or more finds its page in one statement


class HistoryEntries(list):
    """The entries of one page of history, newest first; `older` is the cursor of the next page
    (`?before=`), None when there is nothing older."""

    older: str | None = None


class IndexedHistoricalRecords(HistoricalRecords):
    """`HistoricalRecords` whose table is also indexed by (practice, *index_by, newest first) — the
    order every history list reads it in — so a list reads its one page through the index,
    whatever the size of the table: `history = IndexedHistoricalRecords(("client",), "contact_hist_pr_client")`."""

    def __init__(self, index_by: tuple[str, ...], index_name: str, **kwargs):
        super().__init__(**kwargs)
        self.index_by, self.index_name = tuple(index_by), index_name

    def get_meta_options(self, model):
        meta = super().get_meta_options(model)
        index = models.Index(fields=["practice", *self.index_by, "-history_date"], name=self.index_name)
        meta["indexes"] = (*meta.get("indexes", ()), index)
        return meta


def _history_manager(self, instance, owner):
    """`Model.history` with its manager class built once per model. simple_history's descriptor
    builds it on every access (`Manager.from_queryset`, which walks the queryset class with
    `inspect.getmembers`): about 0.15 ms each time, and a client's history page reads 19 sources."""
    manager_class = self.__dict__.get("_manager_class_built")
    if manager_class is None:
        manager_class = self._manager_class_built = self.manager_class.from_queryset(self.queryset_class)
    return manager_class(self.model, instance)


def cache_history_managers() -> None:
    """Called once from `VcioConfig.ready()`."""
    HistoryDescriptor.__get__ = _history_manager


@dataclass(frozen=True)
class HistoryCursor:
    """Where a page of history ends: its last entry's timestamp, the position of that entry's source
    in the list's sources and its history id. The next page starts just after it in the list's order
    (newest first; at one timestamp, by source, then newest version first), so versions that share a
    timestamp — an import writes hundreds — are split across pages without one being skipped.
    Without a source (an older link: `?before=<timestamp>`), the next page starts strictly before."""

    date: datetime
    source: int = sys.maxsize
    history_id: int | None = None

    def __str__(self) -> str:
        if self.history_id is None:
            return self.date.isoformat()
        return f"{self.date.isoformat()}~{self.source}~{self.history_id}"

    def condition(self, position: int) -> Q:
        """What a version of the source at `position` must satisfy to come after this cursor."""
        if self.history_id is None or position < self.source:
            return Q(history_date__lt=self.date)
        if position == self.source:
            return Q(history_date__lt=self.date) | Q(history_date=self.date, history_id__lt=self.history_id)
        return Q(history_date__lte=self.date)


def parse_before(value: str | None) -> HistoryCursor | None:
    """The `?before=` cursor of a history list (`HistoryCursor`), or None when absent or malformed."""
    if not value:
        return None
    moment, *position = value.replace(" ", "+").split("~")
    try:
        moment = datetime.fromisoformat(moment)
        source, history_id = (int(v) for v in position) if position else (sys.maxsize, None)
    except ValueError:
        return None
    if not timezone.is_aware(moment) or (history_id is not None and min(source, history_id) < 0):
        return None
    return HistoryCursor(moment, source, history_id)


def register_history_source(source: HistorySource) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
# Never shown as a change: bookkeeping, and secrets (a changed token hash reads as "link renewed").
HIDDEN_FIELDS = {"id", "practice", "created_at", "updated_at", "key_hash", "prefix", "last_used_at"}
SECRET_FIELDS = {"token_hash": "Invitation link renewed"}
MAX_VALUE_CHARS = 60


def client_history(
    *,
    client,
    user_id=None,
    date_from: date | None = None,
    date_to: date | None = None,
    before: datetime | None = None,
    limit: int = HISTORY_PAGE_SIZE,
) -> HistoryEntries:
    """The newest `limit` changes (older than `before`), across every registered source, newest first.

    The tab as it opens (no filter, the first page) runs statements compiled once per database
    (`_Kept`): the one that finds the page, then, for each source on the page, the one that loads its
    versions. Anything else goes through `merged_history`."""
    if not (user_id or date_from or date_to or before) and len(_SOURCES) >= ONE_STATEMENT_FROM:
        connection = connections[client._state.db or "default"]
        finder = _kept(
            ("page", connection.alias, connection.vendor, tuple(map(id, _SOURCES)), limit),
            client,
            lambda c, ids: _union_statement([(s, s.rows(c)) for s in _SOURCES], limit),
            connection,
        )
        if finder is not None:
            with connection.cursor() as cursor:
                cursor.execute(finder.sql, finder.params(client, [], connection))
                found = cursor.fetchall()

            def load(n: int, history_ids: list) -> list:
                source = _SOURCES[n]
                loader = _kept(
                    ("load", connection.alias, connection.vendor, id(source), len(history_ids)),
                    client,
                    lambda c, ids: _versions(source, source.rows(c), ids),
                    connection,
                    history_ids,
                )
                if loader is None:
                    return list(_versions(source, source.rows(client), history_ids))
                return loader.instances(client, history_ids, connection)

            return _entries(*_load_found(found, _SOURCES.__getitem__, load, limit), owner=client)
    return merged_history(
        [(source, source.rows(client)) for source in _SOURCES],
        user_id=user_id,
        date_from=date_from,
        date_to=date_to,
        before=before,
        limit=limit,
    )


def merged_history(
    sources: list[tuple[HistorySource, models.QuerySet]],
    *,
    user_id=None,
    date_from: date | None = None,
    date_to: date | None = None,
    before: "HistoryCursor | datetime | None" = None,
    limit: int = HISTORY_PAGE_SIZE,
    kept_for=None,
) -> HistoryEntries:
    """One page of entries of several history querysets, filtered, newest first: the newest `limit`
    older than `before`; `.older` is the cursor of the next page. `kept_for`: the owner (a client or
    a practice) whose sources' `rows` the querysets are: the list as it opens (no filter, the first
    page) reads each source's newest versions through a statement kept for any owner (`vcio.kept`).

    A query per source reads its newest `limit + 1` versions (from ONE_STATEMENT_FROM sources on, one
    statement finds the page's versions and a query per source on the page loads them); only the
    versions that make the page are then described — their earlier versions and the names of changed references read per source
    present on the page (a query or two each), and the users who made them in one query."""
    if isinstance(before, datetime):
        before = HistoryCursor(before)
    filtered = [
        (source, _filtered(qs, n, user_id, date_from, date_to, before))
        for n, (source, qs) in enumerate(sources)
    ]
    if len(filtered) >= ONE_STATEMENT_FROM:
        shown, older = _page_in_two_steps(filtered, limit)
    else:
        owner = None if (user_id or date_from or date_to or before) else kept_for
        shown, older = _page_in_one_step(filtered, limit, owner)
    return _entries(shown, older, owner=kept_for)


def _entries(shown: list, older: str | None, owner=None) -> HistoryEntries:
    """The page's entries from its [(source, record)]: what changed, by whom (`owner`: a client or a
    practice the page is of — the earlier versions and the users are read by kept statements)."""
    by_source: dict = {}
    for source, record in shown:
        by_source.setdefault(id(source), (source, []))[1].append(record)
    previous, names = {}, {}
    for source, records in by_source.values():
        model = type(records[0])
        previous[id(source)] = _previous_versions(model, records, owner)
        names[id(source)] = _related_names(model, records, previous[id(source)])
    users = _users({record.history_user_id for _, record in shown}, owner)
    page = HistoryEntries(
        {
            "kind": source.label,
            "object": (source.describe or _label)(record),
            "action": ACTIONS.get(record.history_type, record.history_type),
            "user": users.get(record.history_user_id),
            "date": record.history_date,
            "reason": record.history_change_reason or "",
            "changes": _changes(record, previous[id(source)].get(record.history_id), names[id(source)]),
        }
        for source, record in shown
    )
    page.older = older
    return page


def _filtered(qs, position: int, user_id, date_from, date_to, before: HistoryCursor | None):
    tz = timezone.get_current_timezone()
    if user_id:
        qs = qs.filter(history_user_id=user_id)
    if date_from:
        qs = qs.filter(history_date__gte=timezone.make_aware(datetime.combine(date_from, time.min), tz))
    if date_to:
        qs = qs.filter(history_date__lte=timezone.make_aware(datetime.combine(date_to, time.max), tz))
    if before:
        qs = qs.filter(before.condition(position))
    return qs


def _newest_first(qs):
    return qs.order_by("-history_date", "-history_id")


def _with_previous(source: HistorySource, qs):
    if source.select_related:
        qs = qs.select_related(*source.select_related)
    return qs.annotate(previous_history_id=_previous_version_id(qs.model))


def _page_in_one_step(sources: list, limit: int, owner=None) -> tuple[list, str | None]:
    """A query per source reads its newest `limit + 1` versions, each with its previous version's id
    (`owner`: the querysets are the sources' `rows(owner)`, each read by a kept statement)."""
    found = []
    for n, (source, qs) in enumerate(sources):
        if owner is None:
            records = _newest(source, qs, limit)
        else:
            build = partial(_newest_of_owner, source, limit)
            records = kept_instances(("history.newest", id(source), limit), owner, build)
        found.extend((n, source, record) for record in records)
    # newest first; at one timestamp by source, then newest version first (the cursor's order)
    found.sort(key=lambda row: (row[0], -row[2].history_id))
    found.sort(key=lambda row: row[2].history_date, reverse=True)  # stable
    return _page(found[:limit], more=len(found) > limit)


def _newest(source: HistorySource, qs, limit: int):
    return _newest_first(_with_previous(source, qs))[: limit + 1]


def _newest_of_owner(source: HistorySource, limit: int, owner):
    return _newest(source, source.rows(owner), limit)


def _page(rows: list, *, more: bool) -> tuple[list, str | None]:
    """[(source, record)] of the page's (source position, source, record), and the cursor after its
    last entry (None when nothing is older)."""
    older = None
    if more and rows:  # (no rows: every version found was deleted before it was read)
        n, _, record = rows[-1]
        older = str(HistoryCursor(record.history_date, n, record.history_id))
    return [(source, record) for _, source, record in rows], older


def _page_in_two_steps(sources: list, limit: int) -> tuple[list, str | None]:
    """For many sources (a client's history reads 19): one statement finds the page — the newest
    `limit + 1` (source, id) of all sources, a `UNION ALL` of each source's own query, so each
    still reads its index — then only the sources with a version on the page load those versions (a
    query each). The same page as `_page_in_one_step`, without building and running a full query
    per source and making model instances of up to (sources × limit) versions that are not shown."""
    statement, params = _union_statement(sources, limit)
    with connections[sources[0][1].db].cursor() as cursor:
        cursor.execute(statement, params)
        found = cursor.fetchall()  # (source position, history_id, history_date as the database gives it)
    return _load_found(found, lambda n: sources[n][0], lambda n, ids: _versions(*sources[n], ids), limit)


def _union_statement(sources: list, limit: int) -> tuple[str, list]:
    parts, params = [], []
    for n, (_source, qs) in enumerate(sources):
        ids = _newest_first(qs).values_list("history_id", "history_date")[: limit + 1]
        sql, part_params = ids.query.get_compiler(using=ids.db).as_sql()
        parts.append(f"SELECT {n:d}, h.* FROM ({sql}) h")  # noqa: S608 (Django-compiled SQL; values are params)
        params.extend(part_params)
    return " UNION ALL ".join(parts) + f" ORDER BY 3 DESC, 1, 2 DESC LIMIT {limit + 1:d}", params


def _load_found(found: list, source_of: Callable, load: Callable, limit: int) -> tuple[list, str | None]:
    """Step two: the versions of the page `found` names ((source position, history_id, date) rows),
    loaded by a query per source on the page: `source_of(n)` is the source at n, `load(n, history_ids)`
    its versions, each with its previous version's id."""
    wanted: dict = {}
    for n, history_id, _ in found[:limit]:
        wanted.setdefault(n, []).append(history_id)
    records = {}
    for n, history_ids in wanted.items():
        for record in load(n, history_ids):
            records[(n, record.history_id)] = record
    # A version deleted between the two statements (a client's history purged meanwhile) is left out.
    rows = [
        (n, source_of(n), records[(n, history_id)])
        for n, history_id, _ in found[:limit]
        if (n, history_id) in records
    ]
    return _page(rows, more=len(found) > limit)


def _versions(source: HistorySource, qs, history_ids: list):
    """The versions `history_ids` of a source's queryset, each with its previous version's id."""
    return _with_previous(source, qs).filter(history_id__in=history_ids)


def _users(ids: set, owner=None) -> dict:
    """{user id: user} of those who made the page's changes (one query; none without any; `owner`:
    a statement kept for the number of users)."""
    ids.discard(None)
    if not ids:
        return {}
    from django.contrib.auth import get_user_model

    if owner is None:
        return get_user_model()._base_manager.in_bulk(ids)
    return {u.pk: u for u in kept_instances(("history.users",), owner, _users_of, sorted(ids, key=str))}


def _users_of(owner, *user_ids):
    from django.contrib.auth import get_user_model

    return get_user_model()._base_manager.filter(pk__in=user_ids)


def _tenant(history_model) -> bool:
    return any(f.name == "practice" for f in history_model._meta.fields)


def _previous_version_id(history_model):
    """A subquery: the history_id of the version just before this one, of the same object (and
    practice: the practice-led indexes serve it)."""
    same = {"id": OuterRef("id")}
    if _tenant(history_model):
        same["practice_id"] = OuterRef("practice_id")
    older = history_model.objects.filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id")),
        **same,
    )
    return Subquery(older.order_by("-history_date", "-history_id").values("history_id")[:1])


def _previous_versions(history_model, records: list, owner=None) -> dict:
    """history_id -> the version before it (one query for the whole page; none for creations;
    `owner`: a statement kept for the numbers of practices and versions)."""
    wanted = {r.previous_history_id for r in records if r.history_type == "~" and r.previous_history_id}
    older = {}
    if wanted and owner is not None and _tenant(history_model):
        practice_ids = sorted({r.practice_id for r in records}, key=str)
        key = ("history.previous", history_model._meta.label, len(practice_ids))
        build = partial(_versions_by_id, history_model, len(practice_ids))
        found = kept_instances(key, owner, build, [*practice_ids, *sorted(wanted)])
        older = {version.pk: version for version in found}
    elif wanted:
        qs = history_model.objects.all()
        if _tenant(history_model):
            qs = qs.filter(practice_id__in={r.practice_id for r in records})
        older = qs.in_bulk(wanted)
    return {r.history_id: older.get(r.previous_history_id) for r in records if r.history_type == "~"}


def _versions_by_id(history_model, practices: int, owner, *values):
    """The versions whose ids follow the first `practices` values (the practices' ids)."""
    return history_model.objects.filter(practice_id__in=values[:practices], pk__in=values[practices:])


def _instance_model(history_model):
    return history_model.instance_type


def _shown_fields(history_model) -> list:
    model = _instance_model(history_model)
    hidden = HIDDEN_FIELDS | set(getattr(model, "history_hidden", ()))
    return [f for f in model._meta.concrete_fields if f.name not in hidden]


def _related_names(history_model, records: list, previous: dict) -> dict:
    """{field attname: {pk: name}} for the foreign keys that changed on this page (one query per field)."""
    wanted: dict = {}
    for record in records:
        older = previous.get(record.history_id)
        if older is None:
            continue
        for field in _shown_fields(history_model):
            if not field.is_relation or field.name in SECRET_FIELDS:
                continue
            old_value, new_value = getattr(older, field.attname, None), getattr(record, field.attname, None)
            if old_value != new_value:
                wanted.setdefault(field, set()).update(v for v in (old_value, new_value) if v is not None)
    names = {}
    for field, ids in wanted.items():
        related = field.related_model
        rows = related._base_manager.filter(pk__in=ids)
        names[field.attname] = {obj.pk: _object_name(obj) for obj in rows}
    return names


def _object_name(obj) -> str:
    return str(getattr(obj, "display_name", None) or obj)


def _changes(record, older, names: dict | None = None) -> list[dict]:
    """[{"field": "Role", "old": "Admin", "new": "Viewer"}] for a change whose older version we have;
    a field whose shown value did not change (e.g. None → "") is left out."""
    if record.history_type != "~" or older is None:
        return []
    model = _instance_model(type(record))
    formatters = getattr(model, "history_formatters", {})
    changes = []
    for field in _shown_fields(type(record)):
        old_value, new_value = getattr(older, field.attname, None), getattr(record, field.attname, None)
        if old_value == new_value:
            continue
        name = str(field.verbose_name)
        name = name[:1].upper() + name[1:]
        if field.name in SECRET_FIELDS:
            changes.append({"field": SECRET_FIELDS[field.name], "old": "", "new": "", "note": True})
            continue
        if field.name in formatters:
            old_text, new_text = (_empty(v) or formatters[field.name](v) for v in (old_value, new_value))
        elif field.is_relation:
            lookup = (names or {}).get(field.attname, {})
            old_text, new_text = (
                _empty(v) or lookup.get(v, "a deleted item") for v in (old_value, new_value)
            )
        else:
            old_text, new_text = _show(field, old_value), _show(field, new_value)
        if old_text != new_text:
            changes.append({"field": name, "old": old_text, "new": new_text})
    return changes


def _empty(value) -> str | None:
    return "—" if value is None or value == "" else None


def _show(field, value) -> str:
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(value, date):
        return formats.date_format(value, "Y-m-d")
    text = str(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def _label(record) -> str:
    for attr in ("name", "title", "email"):
        if getattr(record, attr, None):
            return getattr(record, attr)
    return str(record.id)
