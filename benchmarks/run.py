"""`python -m benchmarks.run [--quick] [--only clients,roadmaps] [--reseed] [--out FILE]`

Seeds the two worlds when needed (benchmarks/worlds.py), measures every registered case in process
(benchmarks/harness.py), runs the loopback load against gunicorn (benchmarks/load.py) and writes the
Markdown report (benchmarks/RESULTS.md; `--quick`: var/bench-quick.md). Production settings
(benchmarks/settings.py): DEBUG off, Redis cache when one answers, persistent connections as
configured. Exits non-zero when a page or endpoint answers with an unexpected status.
"""

import argparse
import os
import socket
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from .worlds import FULL, QUICK, ROOT, database_url, ensure_database, prepare

DEFAULT_OUT = ROOT / "benchmarks" / "RESULTS.md"
QUICK_OUT = ROOT / "var" / "bench-quick.md"
STATIC_ROOT = ROOT / "var" / "bench-static"


def redis_url() -> str:
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return url
    except OSError:
        return ""  # the local-memory cache


def bench_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CONN_MAX_AGE", "DEBUG"}}
    env.update(
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        DEBUG="False",
        SECRET_KEY="benchmark-only-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="False",  # plain HTTP on the loopback
        REDIS_URL=redis_url(),
        API_THROTTLE_RATE="100000000/hour",  # the benchmark is not an abusive client
        LOG_LEVEL="WARNING",
        STATIC_ROOT=str(STATIC_ROOT),  # empty: no static file is requested (benchmarks/settings.py)
    )
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    return env


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="Tiny worlds, a few requests (CI: it cannot rot)."
    )
    parser.add_argument("--only", default="", help="Comma-separated case modules (e.g. clients,roadmaps).")
    parser.add_argument("--reseed", action="store_true", help="Drop and seed the worlds again.")
    parser.add_argument(
        "--rounds", type=int, help="Timed requests per case and target (default 40; quick 3)."
    )
    parser.add_argument("--load-requests", type=int, help="Requests per case in the load run (default 50).")
    parser.add_argument("--no-load", action="store_true", help="Skip the gunicorn load run.")
    parser.add_argument("--out", type=Path, help="Where to write the Markdown report.")
    parser.add_argument("--show-queries", action="store_true", help="Print every case's SQL statements.")
    parser.add_argument(
        "--explain",
        metavar="CASE",
        help="EXPLAIN ANALYZE each statement of one case in every world, then stop.",
    )
    return parser.parse_args(argv)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse(argv)
    worlds = QUICK if args.quick else FULL
    small, large = worlds
    rounds = args.rounds or (3 if args.quick else 40)
    load_requests = args.load_requests or (3 if args.quick else 50)
    out = args.out or (QUICK_OUT if args.quick else DEFAULT_OUT)
    started = time.monotonic()

    env = bench_env()
    ensure_database()
    for world in worlds:
        prepare(world, env, reseed=args.reseed or args.quick)
    large_env = {**env, "DATABASE_URL": database_url(large)}

    os.environ.update(large_env)
    import django

    django.setup()
    from .harness import BIG, Databases, make_point, measure
    from .registry import discover_cases

    cases = discover_cases({m for m in args.only.split(",") if m} or None)
    dbs = Databases(worlds)
    dbs.use(small.key)
    points = [make_point(small.label, small, "scale-0001")]
    dbs.use(large.key)
    points += [make_point(large.label, large, "scale-0001"), make_point(BIG, large, "scale-big")]
    if args.explain:
        from .harness import explain

        explain(next(c for c in cases if c.name == args.explain), points, dbs, log=print)
        return 0
    print(f"Measuring {len(cases)} cases in process ({rounds} rounds) …", file=sys.stderr, flush=True)
    results = measure(cases, points, dbs, rounds=rounds, warmup=1 if args.quick else 3, log=_log)
    if args.show_queries:
        for m in results:
            print(f"\n== {m.case.name} ({large.label}): {m.counts(large.label)}", file=sys.stderr)
            for sql in m.queries[large.label]:
                print(f"  {sql[:400]}", file=sys.stderr)
    from django.db import connections

    with connections["default"].cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
        cursor.execute(
            "SELECT sum(c.reltuples)::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind = 'r'",
            [large.schema],
        )
        rows_in_large = cursor.fetchone()[0] or 0
        cursor.execute("SHOW random_page_cost")
        random_page_cost = cursor.fetchone()[0]
    dbs.close()

    loads, mixed_runs = {}, []
    if not args.no_load:
        loads, mixed_runs = _load(results, points[1], large_env, load_requests, quick=args.quick)

    bad = [
        f"{m.case.name} ({label}): {status}, expected {m.case.status}"
        for m in results
        for label, status in m.statuses.items()
        if status != m.case.status
    ]
    bad += [f"{name} (load): {r.errors} unexpected answers" for name, r in loads.items() if r.errors]
    report = _report(
        argv, args, results, loads, mixed_runs, small, large, pg_version, rows_in_large, random_page_cost
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report)
    if out == DEFAULT_OUT and not args.only:
        _update_readme(report)
    print(report)
    print(f"Written to {out} in {time.monotonic() - started:.0f} s.", file=sys.stderr)
    for line in bad:
        print(f"UNEXPECTED ANSWER: {line}", file=sys.stderr)
    return 1 if bad else 0


README = ROOT / "README.md"
README_START, README_END = "<!-- benchmark results: start -->", "<!-- benchmark results: end -->"


def _update_readme(report: str) -> None:
    """Copy the report (without its title) between the README's markers, if it has them."""
    text = README.read_text()
    if README_START not in text or README_END not in text:
        return
    body = report.split("\n", 2)[2].strip()
    before, rest = text.split(README_START, 1)
    after = rest.split(README_END, 1)[1]
    README.write_text(f"{before}{README_START}\n{body}\n{README_END}{after}")


def _log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _load(results, point, env, requests, *, quick):
    from .load import Server, mixed, sequential

    print("Load run against gunicorn (2 workers) …", file=sys.stderr, flush=True)
    plan = [(m.case.name, m.url[point.label], point.headers(m.case), m.case.status) for m in results]
    loads = {}
    runs = []
    concurrency, seconds = (2, 2.0) if quick else (4, 20.0)
    with Server(env) as server:
        for name, url, headers, status in plan:
            loads[name] = sequential(server, url, headers, status, requests)
        runs.append(
            ("persistent connections (as configured)", mixed(server, _mix(plan), concurrency, seconds))
        )
    if not quick:
        with Server({**env, "CONN_MAX_AGE": "0"}) as server:
            runs.append(
                (
                    "a new connection per request (CONN_MAX_AGE=0)",
                    mixed(server, _mix(plan), concurrency, seconds),
                )
            )
    return loads, [(label, concurrency, result) for label, result in runs]


def _mix(plan):
    return [(url, headers, status) for _, url, headers, status in plan]


def _report(argv, args, results, loads, mixed_runs, small, large, pg_version, rows, random_page_cost) -> str:
    import django

    from .report import Row, kinds_legend, machine, table

    body, misses = table([Row(m, loads.get(m.case.name)) for m in results], small.label, large.label)
    command = "make bench-quick" if args.quick else "make bench"
    extra = " ".join(a for a in argv if a != "--quick")
    lines = [
        "# Benchmark results",
        "",
        f"- Command: `{command}` (`python -m benchmarks.run{' --quick' if args.quick else ''}"
        f"{' ' + extra if extra else ''}`), {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {machine()}; PostgreSQL {pg_version} (random_page_cost {random_page_cost}) on the same "
        f"machine; Python {sys.version.split()[0]}, Django {django.get_version()}",
        f"- Data: {large.label} = {large.practices} practices × {large.clients_per_practice} clients + the Big "
        f"practice ({large.big_factor}× the clients, each {large.big_factor}× the rows), about {rows:,} rows; "
        f"{small.label} = {small.practices} practices × {small.clients_per_practice} clients. The small practice "
        f"measured is `scale-0001` (identical in both worlds), signed in as its owner.",
        f"- In process: {len(next(iter(results)).times.get(large.label, [])) if results else 0} requests per case "
        f"and target through the WSGI handler, interleaved (among {small.practices}, among {large.practices}, Big) "
        "with each one's floor; times are medians, ratios the median of each round's ratio (both values "
        "measured back to back). *Floor*: a request through the same handler and middleware to a view "
        "that runs one raw SQL statement reading the same rows and answers them as JSON (as issue 9 "
        "measured its floors); *SQL floor*: that statement alone, fetched and encoded in process. "
        "*SQL 200/10*: the same ratio for the time spent in the database. *Rows small/Big*: what the "
        "small practice and Big are shown (a page's table rows, headers included; an API list's results) "
        "— a bounded page whose Big/small exceeds 1.3 with more rows for Big pays for those rows.",
        "",
        kinds_legend(),
        "",
        body,
        "",
    ]
    if mixed_runs:
        lines.append("Mixed load (every case in turn):")
        lines.append("")
        for label, concurrency, r in mixed_runs:
            lines.append(
                f"- {label}, concurrency {concurrency}: {r.rps:.0f} req/s, p50 {r.p50 * 1000:.1f} ms, "
                f"p95 {r.p95 * 1000:.1f} ms ({r.count} requests, {r.errors} unexpected answers)"
            )
        lines.append("")
    lines.append("Targets missed: " + ("none." if not misses else ""))
    lines += [f"- {miss}" for miss in misses]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
