"""Demo roadmaps: every demo client gets 3-5 goals and 12-20 initiatives spread over statuses,
categories and the next 8 fiscal quarters (registered with `vcio.demo.register_demo_seeder`)."""

from decimal import Decimal

from django.utils import timezone

from clients.models import Contact
from vcio.demo import DemoWorld
from vcio.fiscal import fiscal_quarter

from . import services
from .models import Category, GoalStatus, Priority, Status

GOALS = [
    ("Protect client and patient data", "Close the gaps an auditor or insurer would find first."),
    ("Support growth without adding IT headcount", "Systems that scale with new staff and sites."),
    ("Cut unplanned downtime in half", "Fewer outages, faster recovery, tested backups."),
    ("Move to the cloud where it pays off", "Retire ageing servers and the closet they live in."),
    ("Pass the next compliance audit cleanly", "Evidence ready, policies written, controls tested."),
    ("Give executives clear IT spend visibility", "One budget, no surprises, quarterly reviews."),
]

# title, category, priority, one-time cost, recurring monthly cost, effort hours, duration (quarters)
INITIATIVES = [
    ("Replace end-of-life firewalls", Category.NETWORK, Priority.HIGH, "18500", "320", 60, 1),
    (
        "Roll out multi-factor authentication everywhere",
        Category.SECURITY,
        Priority.CRITICAL,
        "4200",
        "180",
        40,
        1,
    ),
    ("Migrate file shares to SharePoint Online", Category.CLOUD, Priority.MEDIUM, "12800", "0", 120, 2),
    (
        "Immutable off-site backups with quarterly restore tests",
        Category.DATA_BACKUP,
        Priority.CRITICAL,
        "6500",
        "450",
        30,
        1,
    ),
    ("Laptop refresh — 2019 fleet", Category.END_USER, Priority.MEDIUM, "38000", "0", 80, 2),
    ("Security awareness training programme", Category.SECURITY, Priority.HIGH, "1500", "220", 16, 4),
    ("Endpoint detection and response (EDR)", Category.SECURITY, Priority.HIGH, "2500", "640", 24, 1),
    ("Wi-Fi 6 upgrade in all locations", Category.NETWORK, Priority.MEDIUM, "14200", "90", 50, 2),
    (
        "Retire the on-premises domain controller",
        Category.INFRASTRUCTURE,
        Priority.MEDIUM,
        "7800",
        "0",
        70,
        2,
    ),
    (
        "Written incident response plan and tabletop exercise",
        Category.COMPLIANCE,
        Priority.HIGH,
        "5200",
        "0",
        32,
        1,
    ),
    ("Line-of-business application upgrade", Category.SOFTWARE, Priority.MEDIUM, "22000", "850", 140, 3),
    ("Microsoft 365 licence right-sizing", Category.PROCESS, Priority.LOW, "900", "0", 12, 1),
    ("Documented onboarding and offboarding runbook", Category.PROCESS, Priority.MEDIUM, "1800", "0", 20, 1),
    ("Hire a part-time IT coordinator", Category.STAFFING, Priority.LOW, "0", "3200", 10, 2),
    ("Server room power and cooling remediation", Category.INFRASTRUCTURE, Priority.HIGH, "9600", "0", 24, 1),
    ("Data classification and retention policy", Category.COMPLIANCE, Priority.MEDIUM, "3400", "0", 28, 2),
    ("SD-WAN between locations", Category.NETWORK, Priority.LOW, "16500", "780", 90, 3),
    (
        "Mobile device management for phones and tablets",
        Category.END_USER,
        Priority.MEDIUM,
        "2100",
        "260",
        30,
        1,
    ),
    ("Disaster recovery site in Azure", Category.CLOUD, Priority.HIGH, "11500", "1150", 100, 2),
    ("Password manager for all staff", Category.SECURITY, Priority.MEDIUM, "600", "140", 10, 1),
    ("Vendor risk review of critical SaaS providers", Category.COMPLIANCE, Priority.LOW, "2400", "0", 24, 1),
    (
        "Replace the ageing phone system with Teams Phone",
        Category.SOFTWARE,
        Priority.MEDIUM,
        "6800",
        "410",
        45,
        1,
    ),
]

# How the demo statuses are reached through the workflow (the history is recorded on the way).
PATHS = {
    Status.PROPOSED: [],
    Status.APPROVED: [Status.APPROVED],
    Status.IN_PROGRESS: [Status.APPROVED, Status.IN_PROGRESS],
    Status.DONE: [Status.APPROVED, Status.IN_PROGRESS, Status.DONE],
    Status.DEFERRED: [Status.DEFERRED],
    Status.REJECTED: [Status.REJECTED],
}
STATUS_MIX = [
    Status.DONE,
    Status.IN_PROGRESS,
    Status.IN_PROGRESS,
    Status.APPROVED,
    Status.APPROVED,
    Status.APPROVED,
    Status.PROPOSED,
    Status.PROPOSED,
    Status.PROPOSED,
    Status.PROPOSED,
    Status.DEFERRED,
    Status.REJECTED,
]
NOTES = {
    Status.APPROVED: "Approved by the client at the QBR.",
    Status.IN_PROGRESS: "Kick-off held; work scheduled.",
    Status.DONE: "Completed and signed off.",
    Status.DEFERRED: "Budget moved to next year.",
    Status.REJECTED: "Client chose not to proceed.",
}


def seed_roadmaps(world: DemoWorld) -> None:
    rng = world.rng
    today = timezone.localdate()
    consultants = world.consultants or [world.owner]
    for client in world.clients:
        current = fiscal_quarter(today, client.fiscal_year_start_month)
        goals = [
            services.goal_create(
                client=client,
                actor=world.owner,
                title=title,
                description=desc,
                fiscal_year=current.year + (i // 3),
                status=GoalStatus.ACTIVE,
                order=i,
            )
            for i, (title, desc) in enumerate(rng.sample(GOALS, rng.randint(3, 5)))
        ]
        contacts = list(Contact.objects.for_client(client))
        chosen = rng.sample(INITIATIVES, rng.randint(12, 20))
        for n, (title, category, priority, one_time, recurring, effort, duration) in enumerate(chosen):
            status = STATUS_MIX[n % len(STATUS_MIX)]
            # Done and in-progress work sits in the recent past; the rest over the next 8 quarters.
            if status == Status.DONE:
                start = current.add(rng.choice([-2, -1]))
            elif status == Status.IN_PROGRESS:
                start = current.add(rng.choice([-1, 0]))
            else:
                start = current.add(rng.randint(0, 6))
            scale = Decimal(rng.choice(["0.8", "1", "1", "1.2", "1.5"]))
            initiative = services.initiative_create(
                client=client,
                actor=world.owner,
                title=title,
                description=f"{title} for {client.name}.",
                category=category,
                priority=priority,
                target_start=start,
                target_end=start.add(duration - 1),
                owner=consultants[n % len(consultants)],
                sponsor=rng.choice(contacts) if contacts else None,
                goals=rng.sample(goals, rng.randint(1, min(2, len(goals)))),
                one_time_cost=(Decimal(one_time) * scale).quantize(Decimal("1")),
                recurring_monthly_cost=(Decimal(recurring) * scale).quantize(Decimal("1")),
                effort_hours=effort,
                business_impact="Lower risk of an outage or breach, and time back for staff.",
                risk_if_not_done="Exposure to ransomware, failed audits or costly emergency fixes.",
            )
            for step in PATHS[status]:
                extra = {}
                if step == Status.DEFERRED:
                    extra = {"target_start": start.add(rng.randint(2, 4))}
                services.initiative_transition(
                    initiative=initiative,
                    actor=rng.choice(consultants),
                    to=step,
                    note=NOTES.get(step, ""),
                    **extra,
                )
