import sys

from django.core.management.base import BaseCommand

from vcio import rls


class Command(BaseCommand):
    help = (
        "PostgreSQL row-level security: list every table with a practice_id column and whether RLS, FORCE "
        "and its policies are in place. Exits 1 if any is missing."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="Database alias (default: default).")

    def handle(self, *args, database, **options):
        if not rls.is_postgresql(database):
            self.stdout.write(
                "Not PostgreSQL: row-level security does not apply (SQLite, the embedded default)."
            )
            return
        rows = rls.status(database)
        mark = {True: "yes", False: "NO", None: "-"}
        self.stdout.write(f"{'table':<44} {'model':<36} rls force policy user-policy")
        for row in rows:
            self.stdout.write(
                f"{row.table:<44} {row.label:<36} {mark[row.rls]:<3} {mark[row.force]:<5} "
                f"{mark[row.policy]:<6} {mark[row.user_policy]}"
            )
        missing = [row.table for row in rows if not row.ok]
        if missing:
            self.stderr.write(
                f"Row-level security is missing on {len(missing)} table(s): {', '.join(missing)}"
            )
            sys.exit(1)
        self.stdout.write(
            self.style.SUCCESS(f"Row-level security in place on all {len(rows)} tenant tables.")
        )
