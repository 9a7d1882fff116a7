"""`python manage.py load_frameworks [paths…]`: load the shipped framework catalogs (or the given
files) into the global catalog tables.

Every file is validated whole before anything is written, and all of them are written in one
transaction: a malformed file writes nothing and the command says why (every problem, with the
file and the item). Loading a catalog that is already loaded as it is changes nothing.
"""

from django.core.management.base import BaseCommand, CommandError

from compliance.catalog import shipped_catalog_paths
from compliance.catalog_services import CatalogLoadFailed, load_catalog_files

MAX_PROBLEMS_SHOWN = 50


class Command(BaseCommand):
    help = "Load framework catalogs (default: the ones shipped in compliance/catalogs/). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="Catalog JSON files (default: every shipped catalog).")

    def handle(self, *args, paths, **options):
        paths = paths or shipped_catalog_paths()
        try:
            results = load_catalog_files(paths)
        except CatalogLoadFailed as exc:
            lines = [f"{error.source}: {problem}" for error in exc.errors for problem in error.problems]
            shown = lines[:MAX_PROBLEMS_SHOWN]
            if len(lines) > MAX_PROBLEMS_SHOWN:
                shown.append(f"… and {len(lines) - MAX_PROBLEMS_SHOWN} more problems")
            raise CommandError("Nothing was loaded:\n  " + "\n  ".join(shown)) from None
        for result in results:
            if result.unchanged:
                self.stdout.write(f"{result.slug}: unchanged ({result.items} items)")
            else:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{result.slug}: {result.items} items — {result.created} added, "
                        f"{result.updated} updated, {result.deleted} removed"
                    )
                )
