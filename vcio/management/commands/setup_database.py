from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from vcio import rls
from vcio.registry import setup_steps


class Command(BaseCommand):
    help = (
        "Bring the database up to date before the app starts: migrations (as the owner, DATABASE_OWNER_URL), "
        "the application role of DATABASE_URL with its grants (PostgreSQL), then every app's load-time steps."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-owner",
            action="store_true",
            help="On PostgreSQL without DATABASE_OWNER_URL, migrate as DATABASE_URL's user anyway (the app then "
            "connects as the tables' owner: row-level security is no backstop for it).",
        )

    def handle(self, *args, allow_owner, **options):
        default = settings.DATABASES["default"]
        if "owner" in settings.DATABASES:
            using = "owner"
        else:
            using = "default"
            if rls.is_postgresql() and not allow_owner:
                raise CommandError(
                    "DATABASE_URL is PostgreSQL but DATABASE_OWNER_URL is not set. Give the tables' owner as "
                    "DATABASE_OWNER_URL and the application role (created by this command) as DATABASE_URL, "
                    "e.g. DATABASE_OWNER_URL=postgres://postgres@127.0.0.1/vcio "
                    "DATABASE_URL=postgres://vcio_app:secret@127.0.0.1/vcio — or pass --allow-owner."
                )
        call_command("migrate", database=using, interactive=False, verbosity=options["verbosity"])
        if using == "owner" and rls.is_postgresql(using):
            role = default.get("USER") or settings.DATABASE_APP_ROLE
            try:
                result = rls.create_app_role(role, default.get("PASSWORD") or None, using=using)
            except rls.AppRoleError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(
                f"Application role {role} {result} (owns no tables; row-level security applies)."
            )
        elif rls.is_postgresql():
            self.stderr.write(
                "Warning: the app connects as the tables' owner; row-level security is enforced for it only "
                "if that role is no superuser. Set DATABASE_OWNER_URL to run the app as a role owning nothing."
            )
        missing = [row.table for row in rls.status(using) if not row.ok]
        if missing:
            raise CommandError(f"Row-level security is missing on: {', '.join(missing)} (see rls_status).")
        for step in setup_steps():
            self.stdout.write(f"Setup step: {step.name}")
            step.run(using=using, stdout=self.stdout)
