"""Scale data of the clients app (`vcio.scale`): every practice's clients and their contacts, with the
audit rows the History tab reads. Registered in `ClientsConfig.ready()` (runs right after the people)."""

from django.utils.text import slugify

from vcio.scale import ScaleBatch

from .demo import CONTACTS, FIRST, LAST
from .models import Client, ClientStatus, Contact, Industry

PLACES = [
    "Harbor",
    "Keystone",
    "Brightwater",
    "Summit",
    "Ridgeline",
    "Cedar",
    "Hope",
    "Lakeside",
    "Granite",
    "Maple",
    "Riverside",
    "Northgate",
    "Bluewater",
    "Oakridge",
    "Silverline",
    "Pinecrest",
]
KINDS = {
    Industry.HEALTHCARE: "Family Dental",
    Industry.LEGAL: "Legal Group",
    Industry.FINANCE: "Credit Union",
    Industry.MANUFACTURING: "Precision Manufacturing",
    Industry.CONSTRUCTION: "Construction",
    Industry.RETAIL: "Outfitters",
    Industry.NONPROFIT: "Community Services",
    Industry.EDUCATION: "Academy",
    Industry.PROFESSIONAL: "Accounting Partners",
    Industry.LOGISTICS: "Freight",
}
NOTES = [
    "HIPAA audit expected next year; practice-management software is on-premises.",
    "Document management migration to the cloud under way.",
    "Board wants a three-year technology plan.",
    "Field crews on tablets; connectivity at job sites is the main pain point.",
    "Tight budget; strong interest in nonprofit licensing.",
]


def seed_clients_at_scale(batch: ScaleBatch) -> None:
    clients, contacts, client_history, contact_history = [], [], [], []
    industries = list(KINDS)
    for item in batch.practices:
        rng, practice, editors = item.rng, item.practice, item.editors
        count = batch.spec.clients_per_practice * item.factor
        for n in range(count):
            industry = rng.choice(industries)
            name = f"{PLACES[n % len(PLACES)]} {KINDS[industry]} {n + 1:04d}"
            client = Client(
                practice=practice,
                name=name,
                industry=industry,
                headcount=rng.randint(10, 400),
                locations=rng.randint(1, 8),
                fiscal_year_start_month=rng.choice([1, 1, 1, 4, 7, 10]),
                qbr_cadence_months=rng.choice([3, 3, 4, 6]),
                primary_consultant=editors[n % len(editors)],
                status=ClientStatus.ARCHIVED if rng.random() < 0.08 else ClientStatus.ACTIVE,
                notes=rng.choice(NOTES),
            )
            clients.append(client)
            item.clients.append(client)
            created = batch.past(rng)
            client_history.append({"obj": client, "type": "+", "date": created, "user": item.owner})
            if rng.random() < 0.4:  # an edit: the headcount grew
                client_history[-1]["values"] = {"headcount": max(1, client.headcount - rng.randint(1, 9))}
                client_history.append(
                    {
                        "obj": client,
                        "type": "~",
                        "date": batch.after(rng, created),
                        "user": rng.choice(editors),
                    }
                )
            website = slugify(name).replace("-", "")[:20]
            for k in range(rng.randint(2, 4) * item.factor):
                title, executive = CONTACTS[k % len(CONTACTS)]
                first, last = rng.choice(FIRST), rng.choice(LAST)
                contact = Contact(
                    practice=practice,
                    client=client,
                    name=f"{first} {last}",
                    title=title,
                    email=f"{first.lower()}.{last.lower()}{k}@{website}.example.com",
                    phone=f"+1 555 01{rng.randint(10, 99)}",
                    is_executive=executive,
                )
                contacts.append(contact)
                contact_history.append(
                    {"obj": contact, "type": "+", "date": created, "user": rng.choice(editors)}
                )
    batch.insert(Client, clients)
    batch.insert(Contact, contacts)
    batch.history(Client, client_history)
    batch.history(Contact, contact_history)
    batch.extra["contacts"] = contacts  # sponsors of the roadmaps' initiatives
