"""Every write of the roadmaps app: keyword-only, transactional, validated; `practice` always comes
from the client, never from input. The status workflow lives here (and only here)."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import check_member
from clients.models import Client, Contact
from vcio.fiscal import SUPPORTED_RANGE_TEXT, FiscalQuarter, shifted
from vcio.services import apply_fields, audit

from .models import Goal, Initiative, InitiativeGoal, InitiativeStatusChange, Status

INITIATIVE_FIELDS = (
    "title",
    "description",
    "category",
    "priority",
    "owner",
    "sponsor",
    "one_time_cost",
    "recurring_monthly_cost",
    "effort_hours",
    "business_impact",
    "risk_if_not_done",
)
GOAL_FIELDS = ("title", "description", "fiscal_year", "status", "order")

# The whole workflow: from-status -> the statuses it may move to. Everything else is forbidden.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.PROPOSED: frozenset({Status.APPROVED, Status.DEFERRED, Status.REJECTED}),
    Status.APPROVED: frozenset({Status.IN_PROGRESS, Status.DONE, Status.DEFERRED, Status.REJECTED}),
    Status.IN_PROGRESS: frozenset({Status.DONE, Status.DEFERRED}),
    Status.DEFERRED: frozenset({Status.APPROVED, Status.PROPOSED, Status.REJECTED}),
    Status.DONE: frozenset(),
    Status.REJECTED: frozenset({Status.PROPOSED}),
}


def can_transition(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())


def allowed_transitions(from_status: str) -> list[str]:
    """The statuses an initiative in `from_status` may move to, in workflow order."""
    return [s for s in Status.values if can_transition(from_status, s)]


def transition_refusal(from_status: str, to_status: str) -> str | None:
    """Why `from_status` -> `to_status` is forbidden (None when it is allowed)."""
    if to_status not in Status.values:
        return "Choose a valid status."
    if can_transition(from_status, to_status):
        return None
    label = Status(to_status).label.lower()
    if from_status == to_status:
        return f"The initiative is already {label}."
    if from_status == Status.DONE:
        return "A done initiative is closed; it cannot change status."
    if to_status == Status.APPROVED:
        return "Only proposed or deferred initiatives can be approved."
    if to_status == Status.DONE:
        return "Only approved or in-progress initiatives can be marked done."
    if to_status == Status.IN_PROGRESS:
        return "Only approved initiatives can be started."
    if to_status == Status.DEFERRED:
        return "Only proposed, approved or in-progress initiatives can be deferred."
    if to_status == Status.REJECTED:
        return "Only proposed, approved or deferred initiatives can be rejected."
    if to_status == Status.PROPOSED:
        return "Only deferred or rejected initiatives can be proposed again."
    return f"A {Status(from_status).label.lower()} initiative cannot become {label}."  # pragma: no cover


def _check_sponsor(client: Client, sponsor: Contact | None) -> None:
    if sponsor is not None and (sponsor.practice_id != client.practice_id or sponsor.client_id != client.pk):
        raise ValidationError({"sponsor": "Choose a contact of this client."})


def _check_goals(client: Client, goals: Iterable[Goal]) -> list[Goal]:
    goals = list(goals)
    if any(g.practice_id != client.practice_id or g.client_id != client.pk for g in goals):
        raise ValidationError({"goals": "Choose goals of this client."})
    return goals


def _check_same_client(obj, client: Client | None, message: str) -> None:
    if client is not None and client.pk != obj.client_id:
        raise ValidationError({"client": message})


def _set_quarters(
    initiative: Initiative, target_start: FiscalQuarter | None, target_end: FiscalQuarter | None
) -> None:
    if target_start is not None:
        initiative.target_start = target_start.key
    if target_end is not None:
        initiative.target_end = target_end.key
    elif target_start is not None and (not initiative.target_end or initiative.target_end < target_start.key):
        initiative.target_end = target_start.key
    if not initiative.target_start:
        raise ValidationError({"target_start": "Choose the quarter the initiative starts."})
    if initiative.target_end < initiative.target_start:
        raise ValidationError({"target_end": "The end quarter cannot be before the start quarter."})


def _set_goals(initiative: Initiative, goals: list[Goal]) -> None:
    wanted = {g.pk for g in goals}
    InitiativeGoal.objects.for_practice(initiative.practice_id).filter(initiative=initiative).exclude(
        goal_id__in=wanted
    ).delete()
    existing = set(
        InitiativeGoal.objects.for_practice(initiative.practice_id)
        .filter(initiative=initiative)
        .values_list("goal_id", flat=True)
    )
    for goal in goals:
        if goal.pk not in existing:
            InitiativeGoal.objects.create(
                practice_id=initiative.practice_id, initiative=initiative, goal=goal
            )


@transaction.atomic
def initiative_create(
    *,
    client: Client,
    actor: User | None,
    target_start: FiscalQuarter,
    target_end: FiscalQuarter | None = None,
    goals: Iterable[Goal] = (),
    reason: str = "",
    **data,
) -> Initiative:
    """A new initiative of `client`, proposed (`reason`: why, in its history — e.g. the template it
    came from)."""
    initiative = Initiative(practice_id=client.practice_id, client=client, status=Status.PROPOSED)
    apply_fields(initiative, data, INITIATIVE_FIELDS)
    _set_quarters(initiative, target_start, target_end)
    check_member(client.practice_id, initiative.owner, "owner", editors_only=True)
    _check_sponsor(client, initiative.sponsor)
    goals = _check_goals(client, goals)
    initiative.full_clean()
    audit(initiative, actor, reason)
    initiative.save()
    _set_goals(initiative, goals)
    return initiative


@transaction.atomic
def initiative_update(
    *,
    initiative: Initiative,
    actor: User | None,
    target_start: FiscalQuarter | None = None,
    target_end: FiscalQuarter | None = None,
    goals: Iterable[Goal] | None = None,
    **data,
) -> Initiative:
    """Change an initiative's plan. Its status only changes through `initiative_transition`; it belongs
    to one client for good (naming another client is refused)."""
    _check_same_client(initiative, data.pop("client", None), "An initiative cannot move to another client.")
    client = initiative.client
    owner_before = initiative.owner_id
    apply_fields(initiative, data, INITIATIVE_FIELDS)
    if target_start is not None or target_end is not None:
        if target_start is not None and target_end is None:
            target_end = FiscalQuarter.from_key(max(initiative.target_end, target_start.key))
        _set_quarters(initiative, target_start, target_end)
    if initiative.owner_id != owner_before:  # an unchanged owner stays valid (see membership_remove)
        check_member(initiative.practice_id, initiative.owner, "owner", editors_only=True)
    _check_sponsor(client, initiative.sponsor)
    checked = _check_goals(client, goals) if goals is not None else None
    initiative.full_clean()
    audit(initiative, actor)
    initiative.save()
    if checked is not None:
        _set_goals(initiative, checked)
    return initiative


@transaction.atomic
def initiative_delete(*, initiative: Initiative, actor: User | None) -> None:
    audit(initiative, actor)
    initiative.delete()


@transaction.atomic
def initiative_transition(
    *,
    initiative: Initiative,
    actor: User | None,
    to: str,
    note: str = "",
    target_start: FiscalQuarter | None = None,
    target_end: FiscalQuarter | None = None,
) -> Initiative:
    """Move an initiative through the workflow (see TRANSITIONS) and record who, when and why.

    Deferring needs a new target start quarter later than the current one; the end moves with it
    (keeping the duration) unless a new end is given.
    """
    # Lock the row: two people moving the same card at once must not both succeed from one state.
    locked = Initiative.objects.select_for_update().for_practice(initiative.practice_id).get(pk=initiative.pk)
    from_status = locked.status
    refusal = transition_refusal(from_status, to)
    if refusal:
        raise ValidationError({"status": refusal})
    note = (note or "").strip()
    if len(note) > 2_000:
        raise ValidationError({"note": "Keep the note under 2,000 characters."})

    previous_start = locked.target_start
    if to == Status.DEFERRED:
        if target_start is None:
            raise ValidationError({"target_start": "A deferred initiative needs a new target quarter."})
        if target_start.key <= locked.target_start:
            raise ValidationError(
                {
                    "target_start": f"Choose a quarter after {FiscalQuarter.from_key(locked.target_start).label}."
                }
            )
        if target_end is None:
            duration = FiscalQuarter.from_key(locked.target_end) - FiscalQuarter.from_key(locked.target_start)
            target_end = shifted(target_start, duration)  # never raises: None when out of range
            if target_end is None:
                raise ValidationError(
                    {
                        "target_end": "Keeping its length, the initiative would end after the last "
                        f"supported quarter ({SUPPORTED_RANGE_TEXT}): choose the new end quarter."
                    }
                )
        if target_end < target_start:
            raise ValidationError({"target_end": "The end quarter cannot be before the start quarter."})
        locked.target_start, locked.target_end = target_start.key, target_end.key
    elif target_start is not None or target_end is not None:
        _set_quarters(locked, target_start, target_end)

    now = timezone.now()
    locked.status = to
    if to == Status.APPROVED:
        locked.approved_by, locked.approved_at = actor, now
    if to == Status.DONE:
        locked.completed_at = now
    elif from_status == Status.DONE:  # pragma: no cover - done is terminal today
        locked.completed_at = None
    audit(
        locked,
        actor,
        f"Status: {Status(from_status).label} → {Status(to).label}" + (f" — {note}" if note else ""),
    )
    locked.full_clean()
    locked.save()
    InitiativeStatusChange.objects.create(
        practice_id=locked.practice_id,
        initiative=locked,
        from_status=from_status,
        to_status=to,
        changed_by=actor,
        note=note,
        previous_target_start=previous_start,
        new_target_start=locked.target_start if locked.target_start != previous_start else None,
    )
    # Keep the caller's object in step with the database.
    for field in ("status", "target_start", "target_end", "approved_by", "approved_at", "completed_at"):
        setattr(initiative, field, getattr(locked, field))
    initiative.updated_at = locked.updated_at
    return initiative


@transaction.atomic
def goal_create(*, client: Client, actor: User | None, **data) -> Goal:
    goal = Goal(practice_id=client.practice_id, client=client)
    apply_fields(goal, data, GOAL_FIELDS)
    goal.full_clean()
    audit(goal, actor)
    goal.save()
    return goal


@transaction.atomic
def goal_update(*, goal: Goal, actor: User | None, **data) -> Goal:
    """Change a goal; it belongs to one client for good (naming another client is refused)."""
    _check_same_client(goal, data.pop("client", None), "A goal cannot move to another client.")
    apply_fields(goal, data, GOAL_FIELDS)
    goal.full_clean()
    audit(goal, actor)
    goal.save()
    return goal


@transaction.atomic
def goal_delete(*, goal: Goal, actor: User | None) -> None:
    """Delete a goal; its initiatives stay and simply no longer serve it."""
    audit(goal, actor)
    goal.delete()


def clear_member_assignments(*, practice_id, user: User, actor: User | None) -> int:
    """A member leaves: they no longer own the practice's initiatives (the field becomes empty,
    recorded in each initiative's history). Returns how many changed."""
    initiatives = list(Initiative.objects.for_practice(practice_id).filter(owner=user))
    for initiative in initiatives:
        initiative.owner = None
        audit(initiative, actor, f"{user.display_name} left the practice")
        initiative.save(update_fields=["owner", "updated_at"])
    return len(initiatives)
