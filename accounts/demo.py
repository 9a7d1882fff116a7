"""Demo data: `seed_demo` builds a practice with its people here, then runs every app's registered
seeder (`vcio.demo`): clients, roadmaps, and each later app's realistic data."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from vcio.demo import DEMO_PASSWORD, DemoWorld, extra_logins, run_seeders
from vcio.services import audit
from vcio.tenancy import practice_context

from . import services
from .member_services import INVITATION_VALID_FOR, hash_token
from .models import Invitation, Membership, Practice, Role, User

PEOPLE = {
    Role.OWNER: [("Olivia", "Grant")],
    Role.CONSULTANT: [("Marcus", "Webb"), ("Priya", "Raman")],
    Role.VIEWER: [("Vincent", "Hale")],
}


def demo_slug(name: str) -> str:
    return slugify(name)[:50] or "demo"


@transaction.atomic
def seed_practice(name: str) -> tuple[DemoWorld, list[tuple[str, str, str]]]:
    """Create a demo practice called `name` with its people and every app's data.

    Returns the world and the logins `(ROLE, email, password)` — only logins whose password this
    run set (an existing account keeps its own password and is not listed). Running it again for an
    existing name changes nothing and returns the same logins.

    Seeding spans no practices: `practice_create` makes the new practice the transaction's practice
    (row-level security), and every seeder writes that practice's rows only.
    """
    existing = Practice.objects.filter(slug=demo_slug(name)).first()
    if existing is not None:
        return DemoWorld(practice=existing), demo_logins(name)

    slug = demo_slug(name)
    owner_first, owner_last = PEOPLE[Role.OWNER][0]
    owner = demo_user(f"{owner_first.lower()}@{slug}.example.com", owner_first, owner_last)
    practice = services.practice_create(
        name=name, owner=owner, currency="USD", time_zone="America/New_York", fiscal_year_start_month=1
    )
    world = DemoWorld(practice=practice, users={Role.OWNER: [owner]})
    for role in (Role.CONSULTANT, Role.VIEWER):
        for first, last in PEOPLE[role]:
            user = demo_user(f"{first.lower()}@{slug}.example.com", first, last)
            Membership.objects.create(practice=practice, user=user, role=role)
            world.users.setdefault(role, []).append(user)
    _pending_invitation(world)
    run_seeders(world)
    return world, demo_logins(name)


def _pending_invitation(world: DemoWorld) -> None:
    """A pending invitation on the Members page. Created directly (no e-mail while seeding); the link
    is never shown, so it cannot be used."""
    practice, owner = world.practice, world.owner
    invitation = Invitation(
        practice=practice,
        email=f"nina.ortiz@{practice.slug}.example.com",
        role=Role.CONSULTANT,
        token_hash=hash_token(secrets.token_urlsafe(32)),
        invited_by=owner,
        expires_at=timezone.now() + INVITATION_VALID_FOR,
    )
    audit(invitation, owner)
    invitation.save()


def demo_user(email: str, first: str, last: str) -> User:
    """The demo person with this address, created with the demo password (and a verified address)
    unless the account already exists."""
    from allauth.account.models import EmailAddress

    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, first_name=first, last_name=last, name=f"{first} {last}"
        )
        user.demo_password_set = True
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
    return user


def demo_logins(name: str) -> list[tuple[str, str, str]]:
    """The logins of an existing demo practice called `name` whose password is still the demo one,
    or [] when there is no such practice."""
    practice = Practice.objects.filter(slug=demo_slug(name)).first()
    if practice is None:
        return []
    order = {Role.OWNER: 0, Role.ADMIN: 1, Role.CONSULTANT: 2, Role.VIEWER: 3}
    with practice_context(practice.pk):  # the demo practice's rows (row-level security)
        members = Membership.objects.for_practice(practice).select_related("user")
        rows = sorted(members, key=lambda m: (order[m.role], m.user.email))
        logins = [(m.role.upper(), m.user.email, DEMO_PASSWORD) for m in rows]
        logins += extra_logins(practice)
    users = {u.email: u for u in User.objects.filter(email__in=[email for _, email, _ in logins])}
    return [login for login in logins if login[1] in users and users[login[1]].check_password(DEMO_PASSWORD)]
