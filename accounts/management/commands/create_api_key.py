"""python manage.py create_api_key --practice SLUG --name NAME [--read-only] [--expires YYYY-MM-DD]

Creates a practice API key through the same service as the settings page and prints the key (the
only time it is shown; only its hash is stored)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.apikey_services import api_key_create, expiry_day_error, expiry_from_date
from accounts.models import Practice
from vcio.tenancy import practice_context


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--expires must be a date like 2027-01-31, not “{value}”.") from None


class Command(BaseCommand):
    help = "Create an API key for a practice and print it (it is shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("--practice", required=True, help="The practice's slug (as in /p/<slug>/).")
        parser.add_argument("--name", required=True, help="What will use the key, e.g. “PSA sync”.")
        parser.add_argument(
            "--read-only", action="store_true", help="Read-only key (default: read-write, like a consultant)."
        )
        parser.add_argument(
            "--expires", type=_date, help="Last day the key works (YYYY-MM-DD, practice time zone)."
        )

    def handle(self, *args, practice, name, read_only, expires, **options):
        found = Practice.objects.filter(slug=practice).first()
        if found is None:
            raise CommandError(
                f"No practice with the slug “{practice}”. The slug is the part after /p/ in its URLs."
            )
        if expires and (error := expiry_day_error(expires, found.time_zone)):
            raise CommandError(error)
        try:
            with practice_context(found.pk):  # the practice's transaction (row-level security)
                key, raw = api_key_create(
                    practice=found,
                    actor=None,
                    name=name,
                    read_only=read_only,
                    expires_at=expiry_from_date(expires, found.time_zone) if expires else None,
                )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        access = "read-only" if key.read_only else "read-write"
        expiry = f", expires {key.expires_at:%Y-%m-%d %H:%M %Z}" if key.expires_at else ""
        self.stderr.write(f"Created {access} API key “{key.name}” for {found.name}{expiry}.")
        self.stderr.write("Copy it now: it is not stored and cannot be shown again.")
        self.stdout.write(raw)
