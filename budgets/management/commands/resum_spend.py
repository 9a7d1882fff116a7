"""`manage.py resum_spend`: sum every client's actual spend by month again from its actuals, in every
practice. The services, the admin and `Actual.save`/`delete` keep it as they write; run this after
changing actuals past the models (raw SQL, a restore of the actuals table alone)."""

from django.core.management.base import BaseCommand

from budgets import spend


class Command(BaseCommand):
    help = "Sum every client's actual spend by month again from its actuals, in every practice."

    def handle(self, *args, **options):
        count = spend.rebuild_all_practices()
        self.stdout.write(f"Stored {count} client month{'s' if count != 1 else ''} of actual spend.")
