"""The Markdown report: one row per case, the targets of issue 9 checked, misses listed."""

import os
import platform
from dataclasses import dataclass

from .harness import BIG, Measured
from .load import LoadResult
from .registry import ENDPOINT, LIST_ENDPOINT, LIST_PAGE, OVERHEAD, PAGE

TARGETS = {
    "independence": 1.1,  # every page and endpoint: same practice among 200 / among 10
    "big": 1.3,  # every page: Big practice / small practice
    "floor_list_endpoint": 3.0,
    "floor_list_page": 4.0,
    "overhead_queries": 4,
    "client_page_p95_ms": 100.0,
}


@dataclass
class Row:
    m: Measured
    load: LoadResult | None


def _ms(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1000:.1f}"


def _fmt(value: float | None, limit: float | None = None) -> str:
    if value is None:
        return "—"
    text = f"{value:.2f}"
    return f"**{text}** ✗" if limit is not None and value > limit else text


def _rows(small: int | None, big: int | None) -> str:
    """Rows shown to the small practice and to Big (a page's table rows, an API list's results)."""
    if small is None and big is None:
        return "—"
    return f"{small if small is not None else '—'}/{big if big is not None else '—'}"


def table(rows: list[Row], small: str, large: str) -> tuple[str, list[str]]:
    """The Markdown table and the list of targets missed."""
    head = (
        f"| Page or endpoint | Kind | Queries | Median ms | p95 ms | Floor ms | × floor | SQL floor ms | Big/small "
        f"| Rows small/Big | {large.split()[-1]}/{small.split()[-1]} | SQL {large.split()[-1]}/{small.split()[-1]} "
        f"| KB | Load p50 ms | Load p95 ms | Load req/s |"
    )
    lines = [head, "|" + "---|" * 16]
    misses = []
    for row in rows:
        m, case = row.m, row.m.case
        data, tx, set_config = m.counts(large)
        big_data = m.counts(BIG)[0]
        queries = str(data) + (f" (Big {big_data})" if big_data != data else "")
        extra = [f"{tx} tx"] if tx else []
        extra += [f"{set_config} set_config"] if set_config else []
        if extra:
            queries += " + " + ", ".join(extra)
        median, floor = m.median(large), m.median(large, "floor_times")
        x_floor = m.paired(large, large, "times", "floor_times")
        floor_limit = {
            LIST_ENDPOINT: TARGETS["floor_list_endpoint"],
            LIST_PAGE: TARGETS["floor_list_page"],
        }.get(case.kind)
        big = m.paired(BIG, large)
        big_limit = TARGETS["big"] if case.kind in (PAGE, LIST_PAGE) else None
        independence = m.paired(large, small)
        sql_independence = m.paired(large, small, "db_times", "db_times")
        load = row.load
        p95_limit = TARGETS["client_page_p95_ms"] if case.client_page else None
        load_p95 = "—"
        if load:
            load_p95 = f"{load.p95 * 1000:.1f}"
            if p95_limit and load.p95 * 1000 >= p95_limit:
                load_p95 = f"**{load_p95}** ✗"
                misses.append(f"{case.name}: load p95 {load.p95 * 1000:.0f} ms ≥ {p95_limit:.0f} ms")
        if case.kind == OVERHEAD and data > TARGETS["overhead_queries"]:
            queries = f"**{queries}** ✗"
            misses.append(f"{case.name}: {data} data queries > {TARGETS['overhead_queries']}")
        for label, value, limit in (
            ("× floor", x_floor, floor_limit),
            ("Big/small", big, big_limit),
            ("tenant independence", independence, TARGETS["independence"]),
        ):
            if value is not None and limit is not None and value > limit:
                misses.append(f"{case.name}: {label} {value:.2f} > {limit}")
        lines.append(
            "| "
            + " | ".join(
                [
                    case.name,
                    case.kind,
                    queries,
                    _ms(median),
                    _ms(m.p95(large)),
                    _ms(floor),
                    _fmt(x_floor, floor_limit),
                    _ms(m.median(large, "sql_floor_times")),
                    _fmt(big, big_limit),
                    _rows(m.rows.get(large), m.rows.get(BIG)),
                    _fmt(independence, TARGETS["independence"]),
                    _fmt(sql_independence),
                    f"{m.sizes.get(large, 0) / 1024:.0f}",
                    f"{load.p50 * 1000:.1f}" if load else "—",
                    load_p95,
                    f"{load.rps:.0f}" if load else "—",
                ]
            )
            + " |"
        )
    return "\n".join(lines), misses


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(next(line.split()[1] for line in f if line.startswith("MemTotal")))
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}"


def kinds_legend() -> str:
    return (
        f"Kinds and their targets: *{PAGE}* (Big/small ≤ {TARGETS['big']}), *{LIST_PAGE}* (and ≤ "
        f"{TARGETS['floor_list_page']}× its floor), *{ENDPOINT}*, *{LIST_ENDPOINT}* (≤ "
        f"{TARGETS['floor_list_endpoint']}× its floor), *{OVERHEAD}* (≤ {TARGETS['overhead_queries']} data "
        f"queries); every one: tenant independence ≤ {TARGETS['independence']}; a client's pages: load p95 < "
        f"{TARGETS['client_page_p95_ms']:.0f} ms at concurrency 1."
    )
