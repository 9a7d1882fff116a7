from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vcio import rls


class Command(BaseCommand):
    help = (
        "Create or update the PostgreSQL role the application connects as (LOGIN, NOSUPERUSER, NOBYPASSRLS, "
        "owning no tables) and grant it data rights on every table and sequence, now and for tables created "
        "later. Idempotent. Run as the tables' owner."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--name", default=settings.DATABASE_APP_ROLE, help="Role name (default: %(default)s)."
        )
        parser.add_argument("--password", default=None, help="Set (or change) its password.")
        parser.add_argument(
            "--database",
            default="owner" if "owner" in settings.DATABASES else "default",
            help="Alias to connect with, as the owner (default: %(default)s).",
        )

    def handle(self, *args, name, password, database, **options):
        if not name:
            raise CommandError("Give the role a name (--name).")
        try:
            result = rls.create_app_role(name, password, using=database)
        except rls.AppRoleError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Application role {name} {result}: LOGIN, NOSUPERUSER, NOBYPASSRLS, owns nothing.")
