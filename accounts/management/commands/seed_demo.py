from django.core.management.base import BaseCommand

from accounts.demo import demo_logins, seed_practice


class Command(BaseCommand):
    help = "Create a realistic demo practice (people, clients, and every app's data); prints ROLE EMAIL PASSWORD."

    def add_arguments(self, parser):
        parser.add_argument(
            "--practice", default="Northwind vCIO Partners", help="Name of the demo practice."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Seed only when the database has no practice (still prints the demo logins if the demo exists).",
        )

    def handle(self, *args, practice, if_empty, **options):
        from accounts.models import Practice

        if if_empty and Practice.objects.exists():
            logins = demo_logins(practice)
            if not logins:
                self.stderr.write("The database already has data; no demo seeded.")
            for role, email, password in logins:
                self.stdout.write(f"{role} {email} {password}")
            return
        world, logins = seed_practice(practice)
        self.stderr.write(f"Demo practice: {world.practice.name} (/p/{world.practice.slug}/)")
        for role, email, password in logins:
            self.stdout.write(f"{role} {email} {password}")
