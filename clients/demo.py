"""Demo data. `seed_demo` builds a practice with this module; each later app registers a seeder that
adds its own realistic data for every demo client (in its `AppConfig.ready()`)."""

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from . import services
from .models import Client, Industry, Membership, PortalAccess, Practice, Role, User

DEMO_PASSWORD = "vcio-demo-2026!"


@dataclass
class DemoWorld:
    practice: Practice
    users: dict[str, list[User]] = field(default_factory=dict)  # role -> users
    clients: list[Client] = field(default_factory=list)
    rng: random.Random = field(default_factory=lambda: random.Random(2026))

    @property
    def owner(self) -> User:
        return self.users[Role.OWNER][0]

    @property
    def consultants(self) -> list[User]:
        return self.users[Role.CONSULTANT]


_SEEDERS: list[tuple[int, Callable[[DemoWorld], None]]] = []


def register_demo_seeder(fn: Callable[[DemoWorld], None], order: int = 50) -> None:
    if all(f is not fn for _, f in _SEEDERS):
        _SEEDERS.append((order, fn))


PEOPLE = {
    Role.OWNER: [("Olivia", "Grant")],
    Role.CONSULTANT: [("Marcus", "Webb"), ("Priya", "Raman")],
    Role.VIEWER: [("Vincent", "Hale")],
}

CLIENTS = [
    # name, industry, headcount, locations, fiscal-year start month, cadence, notes
    (
        "Harbor Family Dental",
        Industry.HEALTHCARE,
        42,
        3,
        1,
        3,
        "Three clinics; HIPAA audit expected next year. Practice-management software is on-premises.",
    ),
    (
        "Keystone Legal Group",
        Industry.LEGAL,
        65,
        2,
        1,
        3,
        "Document management migration to the cloud under way. Partners sensitive to downtime during trials.",
    ),
    (
        "Brightwater Credit Union",
        Industry.FINANCE,
        180,
        6,
        7,
        3,
        "Regulated by NCUA; annual IT exam in spring. Board wants a 3-year technology plan.",
    ),
    (
        "Summit Precision Manufacturing",
        Industry.MANUFACTURING,
        240,
        2,
        10,
        3,
        "OT network on the shop floor is flat; CMMC questions from a defence customer.",
    ),
    (
        "Ridgeline Construction",
        Industry.CONSTRUCTION,
        95,
        5,
        4,
        6,
        "Field crews on tablets; job-site connectivity is the main pain point.",
    ),
    (
        "Cedar & Pine Outfitters",
        Industry.RETAIL,
        58,
        4,
        2,
        6,
        "Four stores and a web shop. PCI DSS scope to reduce.",
    ),
    (
        "Hope Harbor Community Services",
        Industry.NONPROFIT,
        33,
        1,
        7,
        6,
        "Grant-funded; tight budget, strong interest in Microsoft nonprofit licensing.",
    ),
    (
        "Lakeside Academy",
        Industry.EDUCATION,
        120,
        1,
        7,
        4,
        "K-12 private school; Chromebook refresh and E-rate filing each winter.",
    ),
]

CONTACTS = [
    ("Chief Executive Officer", True),
    ("Chief Financial Officer", True),
    ("Operations Manager", False),
    ("Office Manager", False),
]
FIRST = [
    "Alex",
    "Jordan",
    "Taylor",
    "Morgan",
    "Casey",
    "Riley",
    "Jamie",
    "Avery",
    "Quinn",
    "Drew",
    "Sam",
    "Robin",
]
LAST = [
    "Nguyen",
    "Patel",
    "Garcia",
    "Okafor",
    "Schmidt",
    "Rossi",
    "Kim",
    "Larsen",
    "Dubois",
    "Cohen",
    "Silva",
]


def _email_domain(practice: Practice) -> str:
    return f"{practice.slug}.example.com"


@transaction.atomic
def seed_practice(name: str) -> tuple[DemoWorld, list[tuple[str, str, str]]]:
    """Create a demo practice called `name` with its people, clients and every app's data.

    Returns the world and the logins `(role, email, password)`. Running it again for an existing
    name changes nothing and returns the same logins.
    """
    from django.utils.text import slugify

    existing = Practice.objects.filter(slug=slugify(name)[:50]).first()
    if existing is not None:
        return DemoWorld(practice=existing), _logins(existing)

    owner_first, owner_last = PEOPLE[Role.OWNER][0]
    slug = slugify(name)[:50] or "demo"
    owner = _user(f"{owner_first.lower()}@{slug}.example.com", owner_first, owner_last)
    practice = services.practice_create(
        name=name, owner=owner, currency="USD", time_zone="America/New_York", fiscal_year_start_month=1
    )
    world = DemoWorld(practice=practice, users={Role.OWNER: [owner]})
    domain = _email_domain(practice)
    for role in (Role.CONSULTANT, Role.VIEWER):
        for first, last in PEOPLE[role]:
            user = _user(f"{first.lower()}@{domain}", first, last)
            Membership.objects.create(practice=practice, user=user, role=role)
            world.users.setdefault(role, []).append(user)

    rng = world.rng
    for i, (cname, industry, headcount, locations, fy, cadence, notes) in enumerate(CLIENTS):
        client = services.client_create(
            practice=practice,
            actor=owner,
            name=cname,
            industry=industry,
            headcount=headcount,
            locations=locations,
            fiscal_year_start_month=fy,
            qbr_cadence_months=cadence,
            primary_consultant=world.consultants[i % len(world.consultants)],
            notes=notes,
        )
        world.clients.append(client)
        website = slugify(cname).replace("-", "")[:20]
        for title, executive in CONTACTS[: 2 + i % 3]:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            services.contact_create(
                client=client,
                actor=owner,
                name=f"{first} {last}",
                title=title,
                email=f"{first.lower()}.{last.lower()}@{website}.example.com",
                phone=f"+1 555 01{rng.randint(10, 99)}",
                is_executive=executive,
            )
    for _, seeder in sorted(_SEEDERS, key=lambda s: s[0]):
        seeder(world)
    return world, _logins(practice)


def _user(email: str, first: str, last: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, first_name=first, last_name=last)
        _verify_email(user)
    return user


def _verify_email(user: User) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def demo_logins(name: str) -> list[tuple[str, str, str]]:
    """The logins of an existing demo practice called `name`, or [] when there is none."""
    from django.utils.text import slugify

    practice = Practice.objects.filter(slug=slugify(name)[:50] or "demo").first()
    return _logins(practice) if practice else []


def _logins(practice: Practice) -> list[tuple[str, str, str]]:
    order = {Role.OWNER: 0, Role.ADMIN: 1, Role.CONSULTANT: 2, Role.VIEWER: 3}
    members = Membership.objects.for_practice(practice).select_related("user")
    rows = sorted(members, key=lambda m: (order[m.role], m.user.email))
    logins = [(m.role.upper(), m.user.email, DEMO_PASSWORD) for m in rows]
    portal = PortalAccess.objects.for_practice(practice).select_related("user").order_by("user__email")
    return logins + [("PORTAL", a.user.email, DEMO_PASSWORD) for a in portal]
