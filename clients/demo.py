"""Demo data of the clients app: the practice's clients, their contacts, and a client executive with
portal access (two clients). Registered as a seeder in `ClientsConfig.ready()` (runs first: later apps build on
`world.clients`)."""

from django.utils.text import slugify

from accounts.demo import demo_user
from vcio.demo import DEMO_PASSWORD, DemoWorld

from . import services
from .models import Contact, Industry, PortalAccess

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


def seed_clients(world: DemoWorld) -> None:
    practice, owner, rng = world.practice, world.owner, world.rng
    consultants = world.consultants or [owner]
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
            primary_consultant=consultants[i % len(consultants)],
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


DEMO_EXECUTIVE_CLIENTS = 2


def seed_portal_access(world: DemoWorld) -> None:
    """The first executive of each of the first two clients can log in to their client portal."""
    for client in world.clients[:DEMO_EXECUTIVE_CLIENTS]:
        executive = (
            Contact.objects.for_client(client)
            .filter(is_executive=True)
            .exclude(email="")
            .order_by("name")
            .first()
        )
        if executive is None:
            continue
        first, _, last = executive.name.partition(" ")
        user = demo_user(executive.email, first, last)
        PortalAccess.objects.get_or_create(practice=world.practice, client=client, user=user)


def portal_logins(practice) -> list[tuple[str, str, str]]:
    accesses = PortalAccess.objects.for_practice(practice).select_related("user").order_by("user__email")
    return [("EXECUTIVE", a.user.email, DEMO_PASSWORD) for a in accesses]
