"""Demo roadmaps (registered with `vcio.demo.register_demo_seeder`):

- the practice's initiative library: about forty templates a vCIO really recommends;
- every demo client gets the goals of its industry (a credit union's NCUA exam, a dental group's
  HIPAA risk analysis, a manufacturer's CMMC readiness, …) and a roadmap written for it: the
  industry's initiatives plus a few recommendations every client gets, costed by its headcount and
  locations, spread over the last and the next quarters and moved to their statuses through the
  workflow, so their history exists.

The words live in `demo_content`.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from clients.models import Contact
from vcio.demo import DemoWorld
from vcio.fiscal import fiscal_quarter

from . import library_services, services
from .demo_content import COMMON, LIBRARY, PLANS, Idea
from .models import PRIORITY_RANK, GoalStatus, Status

# How the demo statuses are reached through the workflow (the history is recorded on the way).
PATHS = {
    Status.PROPOSED: [],
    Status.APPROVED: [Status.APPROVED],
    Status.IN_PROGRESS: [Status.APPROVED, Status.IN_PROGRESS],
    Status.DONE: [Status.APPROVED, Status.IN_PROGRESS, Status.DONE],
    Status.DEFERRED: [Status.DEFERRED],
    Status.REJECTED: [Status.REJECTED],
}
# Assigned in order of priority: the most urgent work is done or under way, the least is rejected.
STATUS_MIX = [
    Status.DONE,
    Status.IN_PROGRESS,
    Status.DONE,
    Status.IN_PROGRESS,
    Status.APPROVED,
    Status.APPROVED,
    Status.APPROVED,
    Status.PROPOSED,
    Status.PROPOSED,
    Status.PROPOSED,
    Status.PROPOSED,
    Status.DEFERRED,
    Status.PROPOSED,
    Status.DEFERRED,
    Status.REJECTED,
    Status.PROPOSED,
]
NOTES = {
    Status.APPROVED: [
        "Approved by the client at the QBR.",
        "Approved by the CFO after the budget review.",
        "Approved; funded from this year's budget.",
    ],
    Status.IN_PROGRESS: [
        "Kick-off held; work scheduled.",
        "Vendor engaged; first phase under way.",
        "Started with a pilot group.",
    ],
    Status.DONE: [
        "Completed and signed off.",
        "Completed; documentation handed to the client.",
        "Done — closed at the last QBR.",
    ],
    Status.DEFERRED: [
        "Budget moved to next year.",
        "Deferred until the new fiscal year's budget.",
        "Waiting on the vendor's next release.",
    ],
    Status.REJECTED: ["Client chose not to proceed.", "Not a priority for the board this year."],
}
CENT = Decimal("0.01")


def seed_library(world: DemoWorld) -> None:
    """The practice's initiative library."""
    for title, category, priority, one_time, monthly, effort, tags, description, impact, risk in LIBRARY:
        library_services.template_create(
            practice=world.practice,
            actor=world.owner,
            title=title,
            category=category,
            priority=priority,
            one_time_cost=Decimal(one_time),
            recurring_monthly_cost=Decimal(monthly),
            effort_hours=effort,
            tags=tags,
            description=description,
            business_impact=impact,
            risk_if_not_done=risk,
        )


def _units(idea: Idea, client) -> tuple[int, int]:
    """How many units the one-time and the monthly cost are for (see `demo_content.Idea.per`)."""
    one_time, _, monthly = idea.per.partition("+")
    count = {"user": client.headcount or 1, "site": client.locations or 1}
    return count.get(one_time, 1), count.get(monthly or one_time, 1)


def _cost(amount: str, units: int, step: str) -> Decimal:
    """A per-unit amount times the units, rounded to a believable figure (to `step`)."""
    total = Decimal(amount) * units
    step_d = Decimal(step)
    return ((total / step_d).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * step_d).quantize(CENT)


def _text(text: str, client) -> str:
    return text.format(name=client.name, headcount=client.headcount, locations=client.locations)


def seed_roadmaps(world: DemoWorld) -> None:
    rng = world.rng
    today = timezone.localdate()
    consultants = world.consultants or [world.owner]
    for client in world.clients:
        plan = PLANS.get(client.industry)
        if plan is None:  # pragma: no cover - every demo client's industry has a plan
            continue
        current = fiscal_quarter(today, client.fiscal_year_start_month)
        goals = [
            services.goal_create(
                client=client,
                actor=world.owner,
                title=title,
                description=desc,
                fiscal_year=current.year + (1 if i >= 3 else 0),
                status=GoalStatus.ACTIVE,
                order=i,
            )
            for i, (title, desc) in enumerate(plan.goals)
        ]
        # The industry's initiatives and three or four of the common ones, most urgent first.
        common = rng.sample(COMMON, rng.randint(3, 4))
        ideas = [(idea, idea.goals) for idea in plan.ideas] + [
            (idea, () if plan.themes[theme] is None else (plan.themes[theme],)) for theme, idea in common
        ]
        ideas.sort(key=lambda pair: (PRIORITY_RANK[pair[0].priority], rng.random()))
        contacts = list(Contact.objects.for_client(client).order_by("name"))
        executives = [c for c in contacts if c.is_executive] or contacts
        for n, (idea, goal_indexes) in enumerate(ideas):
            status = STATUS_MIX[n % len(STATUS_MIX)]
            # Done and in-progress work sits in the recent past; the rest over the next 7 quarters.
            if status == Status.DONE:
                start = current.add(-idea.quarters - rng.randint(0, 2))
            elif status == Status.IN_PROGRESS:
                start = current.add(rng.choice([-1, 0]))
            else:
                start = current.add(rng.randint(1, 6))
            one_time_units, monthly_units = _units(idea, client)
            initiative = services.initiative_create(
                client=client,
                actor=world.owner,
                title=idea.title,
                description=_text(idea.description, client),
                category=idea.category,
                priority=idea.priority,
                target_start=start,
                target_end=start.add(idea.quarters - 1),
                owner=consultants[n % len(consultants)],
                sponsor=rng.choice(executives) if executives else None,
                goals=[goals[i] for i in goal_indexes if i < len(goals)],
                one_time_cost=_cost(idea.one_time, one_time_units, "50" if one_time_units > 1 else "1"),
                recurring_monthly_cost=_cost(idea.monthly, monthly_units, "5" if monthly_units > 1 else "1"),
                effort_hours=idea.effort,
                business_impact=_text(idea.impact, client),
                risk_if_not_done=_text(idea.risk, client),
            )
            for step in PATHS[status]:
                extra = {}
                if step == Status.DEFERRED:
                    extra = {"target_start": start.add(rng.randint(2, 4))}
                services.initiative_transition(
                    initiative=initiative,
                    actor=rng.choice(consultants),
                    to=step,
                    note=rng.choice(NOTES.get(step, [""])),
                    **extra,
                )
