"""`manage.py replan_budgets`: store the planned months of every budget that has none (budgets made
before they were stored, or whose lines were changed outside the services) — run it after upgrading.
Until then those budgets are summed from their lines when read, so nothing shows a wrong figure."""

from django.core.management.base import BaseCommand

from budgets import planned


class Command(BaseCommand):
    help = "Store the planned months of every budget that has none, in every practice."

    def handle(self, *args, **options):
        count = planned.replan_all_practices()
        self.stdout.write(f"Stored the planned months of {count} budget{'s' if count != 1 else ''}.")
