"""The benchmark's databases: two worlds in one PostgreSQL database, one schema each.

- the small world: 10 practices (`scale-0001` … `scale-0010`);
- the large world: 200 practices and the Big one (`scale-big`).

`seed_scale` gives each practice its own random generator seeded by its slug, so `scale-0001` holds
the same data in both worlds; measuring it in one and then the other, request by request, gives the
tenant-independence ratio (how much slower the same practice is among 200 than among 10) with
both worlds equally warm and equally disturbed by whatever else the machine does.
"""

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/vcio_bench"
# The PostgreSQL settings recommended for SSD storage (README, "Performance"; docker-compose.yml):
# set on the benchmark database so that its plans are the ones production makes.
SSD_SETTINGS = {"random_page_cost": "1.1", "effective_io_concurrency": "200"}


@dataclass(frozen=True)
class World:
    key: str  # "small" or "large"
    schema: str
    practices: int
    clients_per_practice: int
    big_factor: int

    @property
    def label(self) -> str:
        return f"among {self.practices}"


FULL = (World("small", "among_10", 10, 25, 0), World("large", "among_200", 200, 25, 10))
QUICK = (World("small", "quick_2", 2, 3, 0), World("large", "quick_4", 4, 3, 2))


def base_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)


def database_url(world: World) -> str:
    return f"{base_url()}?options={quote(f'-c search_path={world.schema}')}"


def database_name() -> str:
    return urlsplit(base_url()).path.lstrip("/")


def _admin_connection(dbname: str):
    import psycopg2

    parts = urlsplit(base_url())
    conn = psycopg2.connect(urlunsplit(parts._replace(path=f"/{dbname}")))
    conn.autocommit = True
    return conn


def ensure_database() -> None:
    """Create the benchmark database if needed, with the SSD planner settings."""
    name = database_name()
    conn = _admin_connection("postgres")
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cur.fetchone() is None:
                cur.execute(f'CREATE DATABASE "{name}"')
            for setting, value in SSD_SETTINGS.items():
                cur.execute(f'ALTER DATABASE "{name}" SET {setting} = {value}')
    finally:
        conn.close()


def scale_practice_count(world: World) -> int | None:
    """Scale practices in the world's schema (None: the schema has no tables yet)."""
    conn = _admin_connection(database_name())
    try:
        with conn.cursor() as cur:
            cur.execute(f"SET search_path = {world.schema}")
            cur.execute("SELECT to_regclass('accounts_practice')")
            if cur.fetchone()[0] is None:
                return None
            cur.execute("SELECT count(*) FROM accounts_practice WHERE slug LIKE 'scale-%%'")
            return cur.fetchone()[0]
    finally:
        conn.close()


def prepare(world: World, env: dict, *, reseed: bool = False) -> None:
    """Create the world's schema, migrate it and seed what is missing (`--reseed`: from scratch)."""
    conn = _admin_connection(database_name())
    try:
        with conn.cursor() as cur:
            if reseed:
                cur.execute(f"DROP SCHEMA IF EXISTS {world.schema} CASCADE")
            cur.execute(f"CREATE SCHEMA IF NOT EXISTS {world.schema}")
    finally:
        conn.close()
    world_env = {**env, "DATABASE_URL": database_url(world)}
    manage(["migrate", "--noinput", "-v0"], world_env)
    wanted = world.practices + (1 if world.big_factor else 0)
    if scale_practice_count(world) != wanted:
        print(f"Seeding {world.label} ({world.schema}) …", file=sys.stderr, flush=True)
        manage(
            [
                "seed_scale",
                f"--practices={world.practices}",
                f"--clients-per-practice={world.clients_per_practice}",
                f"--big-factor={world.big_factor}",
            ],
            world_env,
            quiet=True,
        )
    # What the hourly task does: stored renewal dates stamped (a world seeded before they existed)
    # and rolled forward to today, so the pages read them as a deployment would.
    manage(["refresh_contract_dates"], world_env, quiet=True)
    # What the README says to run after upgrading: budgets' planned months stored (a world seeded
    # before they were; seed_scale stores them).
    manage(["replan_budgets"], world_env, quiet=True)
    conn = _admin_connection(database_name())
    try:
        with conn.cursor() as cur:  # fresh statistics of what they stamped (autovacuum would, later)
            cur.execute(f"ANALYZE {world.schema}.vendors_contract")
            cur.execute(f"ANALYZE {world.schema}.budgets_budget")
            cur.execute(f"ANALYZE {world.schema}.budgets_monthlyspend")  # summed by its migration
    finally:
        conn.close()


def manage(args: list[str], env: dict, quiet: bool = False) -> None:
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )
