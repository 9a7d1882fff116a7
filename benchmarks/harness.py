"""In-process measurement: every case's URL is called through Django's WSGI handler (the whole
middleware stack, as gunicorn would call it), interleaved with its raw-SQL floor, for three targets:
the same small practice in the small and the large world, and the Big practice.

Timings are wall-clock per request, from the WSGI call to the last byte of the body (and the
`request_finished` signal, which is where a connection is closed when CONN_MAX_AGE is 0).
"""

import copy
import gc
import hashlib
import json
import re
import statistics
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.handlers.wsgi import WSGIHandler
from django.db import connections
from django.db.utils import load_backend
from django.test import RequestFactory

from .floor import FLOORS, rows_as_json
from .registry import Case, Target
from .worlds import World

TX_CONTROL = re.compile(r"^\s*(BEGIN|START TRANSACTION|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)\b", re.I)
SET_CONFIG = re.compile(r"\bset_config\s*\(", re.I)
BIG = "Big"


class Databases:
    """One Django connection per world; `use(world)` makes it the default connection."""

    def __init__(self, worlds: tuple[World, ...]):
        base = connections.settings["default"]
        self.wrappers = {}
        for world in worlds:
            config = copy.deepcopy(base)
            config["OPTIONS"] = {**config.get("OPTIONS", {}), "options": f"-c search_path={world.schema}"}
            self.wrappers[world.key] = load_backend(config["ENGINE"]).DatabaseWrapper(config, "default")

    def use(self, world_key: str) -> None:
        connections["default"] = self.wrappers[world_key]

    def close(self) -> None:
        for wrapper in self.wrappers.values():
            wrapper.close()


@dataclass
class Point:
    """One measured target: a practice in a world, with the credentials of its owner."""

    label: str  # "among 10", "among 200", "Big"
    world: str  # World.key
    target: Target
    cookie: str = ""
    api_key: str = ""

    def headers(self, case: Case) -> dict:
        if case.api:
            return {"Authorization": f"Api-Key {self.api_key}"}
        return {"Cookie": self.cookie}


def make_point(label: str, world: World, slug: str) -> Point:
    """Sign the practice's owner in (a session in this world's database) and give it an API key."""
    from importlib import import_module

    from accounts.models import Membership, Practice

    practice = Practice.objects.get(slug=slug)
    owner = Membership.objects.for_practice(practice).select_related("user").get(role="owner").user
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = owner._meta.pk.value_to_string(owner)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = owner.get_session_auth_hash()
    store.save()
    point = Point(
        label, world.key, Target(practice, owner), f"{settings.SESSION_COOKIE_NAME}={store.session_key}"
    )
    point.api_key = benchmark_key(practice, owner, world)
    return point


def benchmark_key(practice, owner, world: World) -> str:
    """The practice's read-only benchmark API key: the same in every run (derived from the world and
    the practice), inserted without audit rows — so the benchmark leaves the practice's data (its
    API keys page, its history) as seeded, the same in both worlds."""
    from accounts.api_auth import KEY_PREFIX, hash_key
    from accounts.models import ApiKey

    seed = hashlib.sha256(f"vcio-benchmark:{world.schema}:{practice.slug}".encode()).hexdigest()
    prefix, raw = seed[:8], f"{KEY_PREFIX}_{seed[:8]}_{seed[8:56]}"
    if not ApiKey.objects.filter(key_hash=hash_key(raw)).exists():
        ApiKey.objects.for_practice(practice).filter(name="benchmark").delete()
        ApiKey.objects.bulk_create(
            [
                ApiKey(
                    practice=practice,
                    name="benchmark",
                    prefix=prefix,
                    key_hash=hash_key(raw),
                    read_only=True,
                    created_by=owner,
                )
            ]
        )
    ApiKey.history.filter(practice_id=practice.pk, name="benchmark").delete()  # what earlier versions left
    return raw


class Caller:
    """Calls a URL through the WSGI handler like a server would."""

    def __init__(self):
        self.handler = WSGIHandler()
        self.factory = RequestFactory()

    def environ(self, url: str, headers: dict) -> dict:
        return self.factory.get(url, headers=headers).environ

    def __call__(self, environ: dict) -> tuple[int, int]:
        status = []
        response = self.handler(environ, lambda s, h, exc_info=None: status.append(s))
        size = sum(len(chunk) for chunk in response)
        response.close()  # fires request_finished (closes the connection when CONN_MAX_AGE is 0)
        return int(status[0].split()[0]), size

    def rows(self, environ: dict) -> int | None:
        """How many rows an answer shows: a page's table rows (`<tr`, headers included), an API
        list's `results`; None for anything else."""
        response = self.handler(environ, lambda s, h, exc_info=None: None)
        body = b"".join(response)
        response.close()
        if body.lstrip().startswith((b"{", b"[")):
            try:
                data = json.loads(body)
            except ValueError:
                return None
            results = data.get("results") if isinstance(data, dict) else data
            return len(results) if isinstance(results, list) else None
        return body.count(b"<tr") or None


class SqlTimer:
    """An execute wrapper: time spent in the database and the statements run."""

    def __init__(self):
        self.seconds = 0.0
        self.statements: list[str] = []
        self.recording = False

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            if self.recording:
                self.statements.append(sql)


@dataclass
class Measured:
    case: Case
    url: dict[str, str] = field(default_factory=dict)  # point label -> url
    times: dict[str, list[float]] = field(default_factory=dict)  # point label -> seconds
    db_times: dict[str, list[float]] = field(default_factory=dict)
    floor_times: dict[str, list[float]] = field(default_factory=dict)  # the served floor
    sql_floor_times: dict[str, list[float]] = field(default_factory=dict)  # its statement alone
    sizes: dict[str, int] = field(default_factory=dict)
    rows: dict[str, int | None] = field(default_factory=dict)  # point label -> rows shown
    statuses: dict[str, int] = field(default_factory=dict)
    queries: dict[str, list[str]] = field(default_factory=dict)  # point label -> statements of one request

    def paired(self, a: str, b: str, which_a: str = "times", which_b: str = "times") -> float | None:
        """The median over rounds of a/b, each round's two values measured back to back — a ratio
        that a busy moment of the machine, slowing both, does not move."""
        xs, ys = getattr(self, which_a).get(a), getattr(self, which_b).get(b)
        if not xs or not ys:
            return None
        return statistics.median(x / y for x, y in zip(xs, ys, strict=False) if y)

    def median(self, label: str, which: str = "times") -> float | None:
        values = getattr(self, which).get(label)
        return statistics.median(values) if values else None

    def p95(self, label: str) -> float | None:
        values = sorted(self.times.get(label, []))
        return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))] if values else None

    def counts(self, label: str) -> tuple[int, int, int]:
        """(data queries, transaction control, set_config) of one request."""
        statements = self.queries.get(label, [])
        tx = sum(1 for s in statements if TX_CONTROL.match(s))
        set_config = sum(1 for s in statements if SET_CONFIG.search(s) and not TX_CONTROL.match(s))
        return len(statements) - tx - set_config, tx, set_config


def run_floor(sql: str, params: list) -> int:
    return len(rows_as_json(sql, params))


def measure(
    cases: list[Case], points: list[Point], dbs: Databases, *, rounds: int, warmup: int, log=print
) -> list[Measured]:
    caller = Caller()
    timers = {key: SqlTimer() for key in dbs.wrappers}
    contexts = [wrapper.execute_wrapper(timers[key]) for key, wrapper in dbs.wrappers.items()]
    for context in contexts:
        context.__enter__()
    results = []
    try:
        for n, case in enumerate(cases):
            m = Measured(case)
            floors, served = {}, {}
            for i, point in enumerate(points):
                dbs.use(point.world)
                m.url[point.label] = case.url(point.target)
                floors[point.label] = case.floor(point.target) if case.floor else None
                if floors[point.label]:
                    FLOORS[f"{n}-{i}"] = floors[point.label]
                    served[point.label] = caller.environ(f"/_bench/floor/{n}-{i}/", {})
            # warm up, check the answer, and record the statements of one request per point
            for point in points:
                dbs.use(point.world)
                environ = caller.environ(m.url[point.label], point.headers(case))
                for _ in range(warmup):
                    caller(dict(environ))
                timer = timers[point.world]
                timer.statements, timer.recording = [], True
                status, size = caller(dict(environ))
                timer.recording = False
                m.statuses[point.label], m.sizes[point.label] = status, size
                m.rows[point.label] = caller.rows(dict(environ))
                m.queries[point.label] = list(timer.statements)
                if floors[point.label]:
                    run_floor(*floors[point.label])
                    floor_status, _ = caller(dict(served[point.label]))
                    assert floor_status == 200, f"{case.name}: the served floor answered {floor_status}"
            # interleaved rounds: each point's page, then its served floor and the floor's statement
            # alone; the order of the points rotates every round
            for r in range(rounds):
                gc.collect()
                for i in range(len(points)):
                    point = points[(i + r) % len(points)]
                    dbs.use(point.world)
                    environ = caller.environ(m.url[point.label], point.headers(case))
                    timer = timers[point.world]
                    timer.seconds = 0.0
                    start = time.perf_counter()
                    caller(environ)
                    m.times.setdefault(point.label, []).append(time.perf_counter() - start)
                    m.db_times.setdefault(point.label, []).append(timer.seconds)
                    if floors[point.label]:
                        start = time.perf_counter()
                        caller(dict(served[point.label]))
                        m.floor_times.setdefault(point.label, []).append(time.perf_counter() - start)
                        start = time.perf_counter()
                        run_floor(*floors[point.label])
                        m.sql_floor_times.setdefault(point.label, []).append(time.perf_counter() - start)
            log(
                f"  {case.name:<28} "
                + "  ".join(f"{p.label}: {m.median(p.label) * 1000:6.1f} ms" for p in points)
            )
            results.append(m)
    finally:
        for context in contexts:
            context.__exit__(None, None, None)
    return results


class _Statements:
    """An execute wrapper keeping each statement with its parameters."""

    def __init__(self):
        self.executed: list[tuple[str, tuple]] = []

    def __call__(self, execute, sql, params, many, context):
        if not many:
            self.executed.append((sql, params))
        return execute(sql, params, many, context)


def explain(case: Case, points: list[Point], dbs: Databases, log=print) -> None:
    """Each statement of one request of `case`, planned and run (EXPLAIN ANALYZE) for every point:
    its execution time per point, and the plan of the slowest among-200/among-10 ratio."""
    caller = Caller()
    plans = {}
    for point in points:
        dbs.use(point.world)
        url = case.url(point.target)
        environ = caller.environ(url, point.headers(case))
        caller(dict(environ))
        recorder = _Statements()
        with connections["default"].execute_wrapper(recorder):
            caller(dict(environ))
        rows = []
        with connections["default"].cursor() as cursor:
            for sql, params in recorder.executed:
                if not sql.lstrip().upper().startswith("SELECT"):
                    rows.append((sql, None, ""))
                    continue
                cursor.execute("EXPLAIN (ANALYZE, FORMAT TEXT) " + sql, params)
                plan = "\n".join(r[0] for r in cursor.fetchall())
                ms = float(plan.rsplit("Execution Time: ", 1)[1].split()[0])
                rows.append((sql, ms, plan))
        plans[point.label] = rows
    labels = [p.label for p in points]
    log(f"== {case.name}: execution time of each statement (ms) — " + " | ".join(labels))
    for i, (sql, _, _) in enumerate(plans[labels[0]]):
        times = []
        for label in labels:
            row = plans[label][i] if i < len(plans[label]) else (None, None, "")
            times.append("—" if row[1] is None else f"{row[1]:.3f}")
        log(f"  {' | '.join(times):<30} {' '.join(sql.split())[:150]}")
    if len(labels) >= 2:
        small, large = labels[0], labels[1]
        ratios = [
            ((b[1] or 0) / a[1] if a[1] else 0, i)
            for i, (a, b) in enumerate(zip(plans[small], plans[large], strict=False))
        ]
        worst = max(ratios, default=(0, None))
        if worst[1] is not None:
            log(f"-- the plan with the largest {large}/{small} ratio ({worst[0]:.2f}), {large}:")
            log(plans[large][worst[1]][2])
