"""Scale data of the roadmaps app (`vcio.scale`): every client's goals and initiatives, spread over
statuses, categories and quarters like the demo, with the status changes and audit rows the pages
read (an initiative's history shows how it got to its status). Registered in `RoadmapsConfig.ready()`."""

from decimal import Decimal

from vcio.fiscal import fiscal_quarter
from vcio.scale import ScaleBatch

from .demo import NOTES, PATHS, STATUS_MIX
from .demo_content import PLANS
from .models import Goal, GoalStatus, Initiative, InitiativeGoal, InitiativeStatusChange, Status

SCALES = [Decimal("0.8"), Decimal("1"), Decimal("1"), Decimal("1.2"), Decimal("1.5")]
# The demo's industry plans, flattened: the scale data reads like the demo.
GOALS = [goal for plan in PLANS.values() for goal in plan.goals]
INITIATIVES = [
    (idea.title, idea.category, idea.priority, idea.one_time, idea.monthly, idea.effort, idea.quarters)
    for plan in PLANS.values()
    for idea in plan.ideas
]


def _numbered(title: str, k: int) -> str:
    return title if k == 0 else f"{title} — phase {k + 1}"


def seed_roadmaps_at_scale(batch: ScaleBatch) -> None:
    goals, initiatives, links, changes = [], [], [], []
    goal_history, initiative_history, link_history = [], [], []
    contacts_by_client: dict = {}
    for contact in batch.extra.get("contacts", []):
        contacts_by_client.setdefault(contact.client_id, []).append(contact)
    for item in batch.practices:
        rng, practice, factor = item.rng, item.practice, item.factor
        consultants = item.consultants
        for client in item.clients:
            current = fiscal_quarter(batch.today, client.fiscal_year_start_month)
            client_goals = []
            for n in range(rng.randint(3, 5) * factor):
                title, description = GOALS[n % len(GOALS)]
                goal = Goal(
                    practice=practice,
                    client=client,
                    title=_numbered(title, n // len(GOALS)),
                    description=description,
                    fiscal_year=current.year + (n % 3),
                    status=GoalStatus.ACTIVE if rng.random() < 0.85 else GoalStatus.ACHIEVED,
                    order=n,
                )
                client_goals.append(goal)
                goal_history.append({"obj": goal, "type": "+", "date": batch.past(rng), "user": item.owner})
            goals.extend(client_goals)
            sponsors = contacts_by_client.get(client.pk, [])
            for n in range(rng.randint(12, 20) * factor):
                title, category, priority, one_time, recurring, effort, duration = INITIATIVES[
                    rng.randrange(len(INITIATIVES))
                ]
                status = STATUS_MIX[n % len(STATUS_MIX)]
                if status == Status.DONE:
                    start = current.add(rng.choice([-2, -1]))
                elif status == Status.IN_PROGRESS:
                    start = current.add(rng.choice([-1, 0]))
                else:
                    start = current.add(rng.randint(0, 6))
                scale = rng.choice(SCALES)
                created = batch.past(rng)
                initiative = Initiative(
                    practice=practice,
                    client=client,
                    title=_numbered(title, n // len(INITIATIVES)),
                    description=f"{title} for {client.name}.",
                    category=category,
                    priority=priority,
                    status=Status.PROPOSED,
                    target_start=start.key,
                    target_end=start.add(duration - 1).key,
                    owner=consultants[n % len(consultants)],
                    sponsor=rng.choice(sponsors) if sponsors else None,
                    one_time_cost=(Decimal(one_time) * scale).quantize(Decimal("1")),
                    recurring_monthly_cost=(Decimal(recurring) * scale).quantize(Decimal("1")),
                    effort_hours=effort,
                    business_impact="Lower risk of an outage or breach, and time back for staff.",
                    risk_if_not_done="Exposure to ransomware, failed audits or costly emergency fixes.",
                )
                initiative_history.append(
                    {"obj": initiative, "type": "+", "date": created, "user": item.owner, "values": {}}
                )
                # Walk the workflow to the wanted status: a status change and an audit row per step.
                when, previous = created, Status.PROPOSED
                for step in PATHS[status]:
                    when = batch.after(rng, when)
                    actor = rng.choice(consultants)
                    previous_start = initiative.target_start
                    if step == Status.DEFERRED:
                        moved = start.add(rng.randint(2, 4))
                        initiative.target_start, initiative.target_end = (
                            moved.key,
                            moved.add(duration - 1).key,
                        )
                    if step == Status.APPROVED:
                        initiative.approved_by, initiative.approved_at = actor, when
                    if step == Status.DONE:
                        initiative.completed_at = when
                    changes.append(
                        InitiativeStatusChange(
                            practice=practice,
                            initiative=initiative,
                            from_status=previous,
                            to_status=step,
                            changed_by=actor,
                            note=NOTES.get(step, ""),
                            previous_target_start=previous_start,
                            new_target_start=initiative.target_start
                            if initiative.target_start != previous_start
                            else None,
                        )
                    )
                    initiative_history.append(
                        {
                            "obj": initiative,
                            "type": "~",
                            "date": when,
                            "user": actor,
                            "reason": f"Status: {Status(previous).label} → {Status(step).label}",
                            "values": {"status": step, "target_start": initiative.target_start},
                        }
                    )
                    previous = step
                initiative.status = status
                # The first audit row is the initiative as it was created (proposed, first quarters).
                initiative_history[-1 - len(PATHS[status])]["values"] = {
                    "status": Status.PROPOSED,
                    "target_start": start.key,
                    "target_end": start.add(duration - 1).key,
                    "approved_by_id": None,
                    "approved_at": None,
                    "completed_at": None,
                }
                initiatives.append(initiative)
                for goal in rng.sample(client_goals, min(len(client_goals), rng.randint(1, 2))):
                    link = InitiativeGoal(practice=practice, initiative=initiative, goal=goal)
                    links.append(link)
                    link_history.append({"obj": link, "type": "+", "date": created, "user": item.owner})
    batch.insert(Goal, goals)
    batch.insert(Initiative, initiatives)
    batch.insert(InitiativeGoal, links)
    batch.insert(InitiativeStatusChange, changes)
    batch.history(Goal, goal_history)
    batch.history(Initiative, initiative_history)
    batch.history(InitiativeGoal, link_history)
    batch.extra["initiatives"] = initiatives
