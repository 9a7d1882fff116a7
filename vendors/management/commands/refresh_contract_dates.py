"""`manage.py refresh_contract_dates`: roll every practice's stored renewal dates forward now — what the
hourly task does (`vendors.services.refresh_contract_dates_all_practices`); run it after upgrading to
stamp existing contracts at once instead of at the next hour."""

from django.core.management.base import BaseCommand

from vendors import services


class Command(BaseCommand):
    help = "Roll stored contract renewal dates forward in every practice (the hourly task's work)."

    def handle(self, *args, **options):
        count = services.refresh_contract_dates_all_practices()
        self.stdout.write(f"Restamped {count} contract{'s' if count != 1 else ''}.")
