import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from accounts.scale import seed_scale
from vcio.scale import ScaleSpec


class Command(BaseCommand):
    help = (
        "Fill the database with many practices of realistic, complete data through bulk inserts (every "
        "app's registered scale seeder), for the benchmarks. Existing scale practices are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--practices", type=int, default=200, help="Ordinary practices (scale-0001 …).")
        parser.add_argument("--clients-per-practice", type=int, default=25)
        parser.add_argument(
            "--big-factor",
            type=int,
            default=10,
            help="One more practice (scale-big) with this many times the clients, each with this many "
            "times the rows and the people; 0 for none.",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (same seed, same data).")

    def handle(self, *args, practices, clients_per_practice, big_factor, seed, **options):
        if practices < 0 or clients_per_practice < 1 or big_factor < 0:
            raise CommandError("--practices and --big-factor must be >= 0, --clients-per-practice >= 1.")
        spec = ScaleSpec(practices, clients_per_practice, big_factor, seed)
        bar = ProgressBar(self.stderr._out)
        started = time.monotonic()
        counts = seed_scale(spec, progress=bar.update)
        bar.finish()
        total = sum(counts.values())
        self.stderr.write(f"Inserted {total:,} rows in {time.monotonic() - started:.0f} s.")
        if connection.vendor == "postgresql" and counts:
            # Fresh statistics and visibility maps, as a database in use has them (plans, index-only scans).
            with connection.cursor() as cursor:
                for table in sorted(counts):
                    cursor.execute(f'VACUUM ANALYZE "{table}"')
            self.stderr.write(f"Vacuumed and analysed {len(counts)} tables.")
        for table, n in sorted(counts.items(), key=lambda kv: -kv[1]):
            self.stdout.write(f"{n:>10,}  {table}")


class ProgressBar:
    """`[#########-----------]  45%  roadmaps  0:42` on one line of stderr (a line per 10 % when
    stderr is not a terminal, e.g. in CI logs)."""

    width = 30

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.started = time.monotonic()
        self.last_decile = -1

    def update(self, done: float, total: float, label: str) -> None:
        fraction = min(1.0, done / total) if total else 1.0
        elapsed = int(time.monotonic() - self.started)
        filled = int(self.width * fraction)
        line = (
            f"[{'#' * filled}{'-' * (self.width - filled)}] {fraction:4.0%}  "
            f"{label.split('.')[0]:<10} {elapsed // 60}:{elapsed % 60:02d}"
        )
        if self.tty:
            self.stream.write("\r" + line)
            self.stream.flush()
        elif int(fraction * 10) > self.last_decile:
            self.last_decile = int(fraction * 10)
            self.stream.write(line + "\n")

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\n")
