"""`python manage.py send_reminders --practice SLUG [--date YYYY-MM-DD]`

Runs the reminder digest of one practice now, in this process — the same job the hourly worker task
runs at the practice's local morning (`qbr.reminders.send_digests`), for the practice's local today or
the given date — and prints how many reminders were sent and how many had already been sent.
Running it again sends nothing twice.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Practice
from qbr import reminders
from qbr.dashboard import practice_today


class Command(BaseCommand):
    help = "Send a practice's reminder digests now; prints how many were sent and already sent."

    def add_arguments(self, parser):
        parser.add_argument("--practice", required=True, help="The practice's slug (/p/SLUG/).")
        parser.add_argument("--date", help="The practice's local day (YYYY-MM-DD; default: today there).")

    def handle(self, *args, practice, date=None, **options):
        found = Practice.objects.filter(slug=practice).first()
        if found is None:
            raise CommandError(f"No practice with the slug “{practice}”.")
        try:
            day = _parse(date) if date else practice_today(found)
        except ValueError as exc:
            raise CommandError(f"--date: {exc}") from exc
        result = reminders.send_digests(practice_id=found.pk, day=day)
        self.stdout.write(
            f"{found.name} on {day.isoformat()}: {result.sent} reminder{'s' if result.sent != 1 else ''} sent "
            f"to {result.recipients} member{'s' if result.recipients != 1 else ''}, "
            f"{result.already} already sent."
        )


def _parse(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"“{text}” is not a date like 2026-11-26.") from None
