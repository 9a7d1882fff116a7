"""Every write of the budgets app: keyword-only, transactional, validated; `practice` always comes from
the parent (the client for a budget and an actual, the budget for a line), never from input.

The rules:
- **Build** (`budget_build`) makes the generated lines what the roadmap and the contracts say
  (`selectors.generated_line_specs`): it adds a line for a new source, updates one whose source
  changed, removes one whose source no longer counts, never touches a manual line, and keeps the
  numbers of a line changed by hand (`adjusted`) or left out (`dropped`). Lines are keyed by their
  source (a unique constraint too), so building twice changes nothing.
- **Approval** freezes a budget: build, line changes and the budget's own fields are refused until it
  is reopened. Proposing, approving and reopening are recorded in its history.
- **Scenarios** are copies of a budget whose lines change freely (never built, never approved);
  promoting one makes its lines the budget's, all or nothing.
- **Actuals** are written by `budgets.actual_services`.
- **Stored months**: every write of lines ends with `planned.replan`, which keeps the budget's
  `planned_months` (its lines' phased fiscal months) so pages listing many budgets read 12 numbers a
  budget instead of every line. A line saved outside the services clears them (`BudgetLine.save`);
  readers then sum that budget's lines (`selectors._planned_sums`).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import Practice, User
from clients.models import Client
from vcio.services import apply_fields, audit

from . import selectors, sources
from .models import (
    Budget,
    BudgetLine,
    BudgetSettings,
    BudgetStatus,
    LineSource,
    SourcePart,
)
from .planned import figures as planned_figures
from .planned import replan

BUDGET_FIELDS = ("notes",)
SCENARIO_FIELDS = ("name", "notes")
LINE_FIELDS = (
    "name",
    "category",
    "expense_type",
    "recurrence",
    "amount",
    "first_month",
    "months",
    "vendor",
    "notes",
    "dropped",
)
# What a generated line's source decides: changing one by hand marks the line `adjusted`.
SOURCE_OWNED = ("name", "recurrence", "amount", "first_month", "months", "vendor")
COPIED = (
    "name",
    "category",
    "expense_type",
    "recurrence",
    "amount",
    "first_month",
    "months",
    "vendor_id",
    "source",
    "source_part",
    "initiative_id",
    "contract_id",
    "adjusted",
    "dropped",
    "notes",
)
BUILD_REASON = "Built from the roadmap and contracts"
MAX_SCENARIOS = 20


def actor_or_none(actor):
    return actor if getattr(actor, "pk", None) else None


def _locked(budget: Budget) -> Budget:
    """The budget row, locked for the rest of the transaction (status read under the lock)."""
    fresh = Budget.objects.for_practice(budget.practice_id).select_for_update().get(pk=budget.pk)
    budget.status = fresh.status
    return budget


def check_open(budget: Budget) -> None:
    if budget.status == BudgetStatus.APPROVED:
        raise ValidationError(
            {"budget": f"The {budget.label} is approved and frozen: reopen it to change it."}
        )


# --- budgets -------------------------------------------------------------------------------------------


def _check_unique(budget: Budget) -> None:
    clash = (
        Budget.objects.for_practice(budget.practice_id)
        .filter(client_id=budget.client_id, fiscal_year=budget.fiscal_year, scenario_of__isnull=True)
        .exclude(pk=budget.pk)
    )
    if clash.exists():
        raise ValidationError(
            {"fiscal_year": f"{budget.client.name} already has a budget for FY{budget.fiscal_year}."}
        )


@transaction.atomic
def budget_create(
    *, client: Client, actor: User | None, fiscal_year: int, notes: str = "", build: bool = False
) -> Budget:
    """A new, draft budget of the client for a fiscal year (`build`: and build it at once)."""
    budget = Budget(
        practice_id=client.practice_id,
        client=client,
        fiscal_year=fiscal_year,
        notes=notes or "",
    )
    budget.planned_months, budget.plan_figures = planned_figures([])  # no lines yet
    budget.full_clean(exclude=["client"], validate_constraints=False)
    _check_unique(budget)
    budget.full_clean()
    audit(budget, actor)
    budget.save()
    if build:
        budget_build(budget=budget, actor=actor)
    return budget


@transaction.atomic
def budget_update(*, budget: Budget, actor: User | None, **data) -> Budget:
    """Change a budget's notes (a scenario's name and notes)."""
    _locked(budget)
    check_open(budget)
    data.pop("client", None)
    data.pop("fiscal_year", None)
    apply_fields(budget, data, SCENARIO_FIELDS if budget.is_scenario else BUDGET_FIELDS)
    if budget.is_scenario:
        budget.name = (budget.name or "").strip()
        _check_scenario_name(budget)
    budget.full_clean(validate_constraints=False)
    audit(budget, actor)
    budget.save()
    return budget


@transaction.atomic
def budget_delete(*, budget: Budget, actor: User | None) -> None:
    """Delete a budget with its lines and scenarios (actual spend stays, unlinked). An approved budget
    must be reopened first."""
    _locked(budget)
    check_open(budget)
    audit(budget, actor)
    budget.delete()


TRANSITIONS = {
    BudgetStatus.PROPOSED: ({BudgetStatus.DRAFT}, "Proposed to the client"),
    BudgetStatus.APPROVED: ({BudgetStatus.DRAFT, BudgetStatus.PROPOSED}, "Approved"),
    BudgetStatus.DRAFT: ({BudgetStatus.PROPOSED, BudgetStatus.APPROVED}, "Reopened"),
}


@transaction.atomic
def budget_transition(*, budget: Budget, actor: User | None, to: str, note: str = "") -> Budget:
    """Propose, approve (freezes it) or reopen (back to draft) a budget; recorded in its history."""
    _locked(budget)
    if budget.is_scenario:
        raise ValidationError({"status": "A scenario is never approved: promote it to be the budget."})
    if to not in TRANSITIONS:
        raise ValidationError({"status": "Choose draft, proposed or approved."})
    allowed, reason = TRANSITIONS[to]
    if budget.status not in allowed:
        current = BudgetStatus(budget.status).label.lower()
        raise ValidationError({"status": f"A {current} budget cannot be {reason.lower()}."})
    budget.status = to
    if to == BudgetStatus.APPROVED:
        budget.approved_by, budget.approved_at = actor_or_none(actor), timezone.now()
    audit(budget, actor, f"{reason}: {note}" if note else reason)
    budget.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    return budget


def budget_approve(*, budget: Budget, actor: User | None, note: str = "") -> Budget:
    return budget_transition(budget=budget, actor=actor, to=BudgetStatus.APPROVED, note=note)


def budget_reopen(*, budget: Budget, actor: User | None, note: str = "") -> Budget:
    return budget_transition(budget=budget, actor=actor, to=BudgetStatus.DRAFT, note=note)


def budget_propose(*, budget: Budget, actor: User | None, note: str = "") -> Budget:
    return budget_transition(budget=budget, actor=actor, to=BudgetStatus.PROPOSED, note=note)


# --- build ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuildResult:
    created: int = 0
    updated: int = 0
    removed: int = 0
    kept: int = 0  # changed by hand or dropped: their numbers left alone
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)

    def describe(self) -> str:
        if not self.changed:
            text = "Already up to date with the roadmap and contracts"
        else:
            parts = [
                f"{n} line{'s' if n != 1 else ''} {what}"
                for n, what in ((self.created, "added"), (self.updated, "updated"), (self.removed, "removed"))
                if n
            ]
            text = ", ".join(parts)
        if self.kept:
            text += f"; {self.kept} changed by hand kept as they are"
        return text + "."


def _line_from_spec(budget: Budget, spec: sources.LineSpec) -> BudgetLine:
    return BudgetLine(
        practice_id=budget.practice_id,
        budget=budget,
        name=spec.name[:200],
        category=spec.category,
        expense_type=spec.expense_type,
        recurrence=spec.recurrence,
        amount=spec.amount,
        first_month=spec.first_month,
        months=spec.months,
        vendor_id=spec.vendor_id,
        source=spec.source,
        source_part=spec.source_part or SourcePart.NONE,
        initiative_id=spec.initiative_id,
        contract_id=spec.contract_id,
    )


@transaction.atomic
def budget_build(*, budget: Budget, actor: User | None) -> BuildResult:
    """Make the budget's generated lines follow the roadmap and the contracts (see the module's rules).
    Idempotent; refused for an approved budget and for a scenario."""
    _locked(budget)
    if budget.is_scenario:
        raise ValidationError({"budget": "A scenario is not built: change its lines, or build the budget."})
    check_open(budget)
    wanted = selectors.generated_line_specs(budget=budget)
    existing = selectors.generated_lines(budget=budget)
    to_create, to_update, to_remove = [], [], []
    kept = unchanged = 0
    for key, spec in wanted.items():
        line = existing.get(key)
        if line is None:
            to_create.append(_line_from_spec(budget, spec))
            continue
        if line.adjusted or line.dropped:
            kept += 1
            continue
        changed = False
        for field in sources.SOURCE_FIELDS:
            value = getattr(spec, field)
            if field == "name":
                value = value[:200]
            if getattr(line, field) != value:
                setattr(line, field, value)
                changed = True
        if changed:
            to_update.append(line)
        else:
            unchanged += 1
    for key, line in existing.items():
        if key not in wanted:
            to_remove.append(line)
    user = actor_or_none(actor)
    if to_create:
        bulk_create_with_history(
            to_create, BudgetLine, batch_size=500, default_user=user, default_change_reason=BUILD_REASON
        )
    if to_update:
        _touch(to_update)
        BudgetLine.objects.bulk_update(
            to_update, [*_attnames(sources.SOURCE_FIELDS), "updated_at"], batch_size=500
        )
        BudgetLine.history.bulk_history_create(
            to_update, update=True, default_user=user, default_change_reason=BUILD_REASON, batch_size=500
        )
    for line in to_remove:
        audit(line, actor, BUILD_REASON)
        line.delete()
    result = BuildResult(len(to_create), len(to_update), len(to_remove), kept, unchanged)
    budget.built_at = timezone.now()
    audit(budget, actor, f"{BUILD_REASON}: {result.describe()}")
    budget.save(update_fields=["built_at", "updated_at"])
    replan(budget)
    return result


def _touch(lines) -> None:
    now = timezone.now()
    for line in lines:
        line.updated_at = now


# --- lines ---------------------------------------------------------------------------------------------


def check_vendor(budget_or_client, vendor) -> None:
    if vendor is not None and vendor.practice_id != budget_or_client.practice_id:
        raise ValidationError({"vendor": "Choose a vendor of this practice."})


@transaction.atomic
def line_create(*, budget: Budget, actor: User | None, **data) -> BudgetLine:
    """A manual line of a budget or scenario."""
    _locked(budget)
    check_open(budget)
    data.pop("budget", None)
    line = BudgetLine(practice_id=budget.practice_id, budget=budget, source=LineSource.MANUAL)
    apply_fields(line, data, LINE_FIELDS)
    line.name = (line.name or "").strip()
    check_vendor(budget, line.vendor)
    line.full_clean(validate_constraints=False)
    audit(line, actor)
    line.save()
    replan(budget)
    return line


@transaction.atomic
def line_update(*, line: BudgetLine, actor: User | None, **data) -> BudgetLine:
    """Change a line. Changing what a generated line's source decides (description, amount, timing,
    vendor) marks it adjusted: building again keeps those numbers."""
    budget = _locked(line.budget)
    check_open(budget)
    moved = data.pop("budget", None)
    if moved is not None and moved.pk != line.budget_id:
        raise ValidationError({"budget": "A line cannot move to another budget."})
    before = {f: getattr(line, f) for f in SOURCE_OWNED}
    apply_fields(line, data, LINE_FIELDS)
    line.name = (line.name or "").strip()
    check_vendor(budget, line.vendor)
    if line.is_generated and any(getattr(line, f) != before[f] for f in SOURCE_OWNED):
        line.adjusted = True
    line.full_clean(validate_constraints=False)
    audit(line, actor)
    line.save()
    replan(budget)
    return line


@transaction.atomic
def line_drop(*, line: BudgetLine, actor: User | None, dropped: bool = True) -> BudgetLine:
    """Leave a line out (it costs nothing; a rebuild does not bring it back), or take it back in."""
    budget = _locked(line.budget)
    check_open(budget)
    line.dropped = dropped
    audit(line, actor, "Dropped" if dropped else "Taken back in")
    line.save(update_fields=["dropped", "updated_at"])
    replan(budget)
    return line


@transaction.atomic
def line_delete(*, line: BudgetLine, actor: User | None) -> None:
    """Delete a manual line. A generated line is dropped instead (deleted, the next build would make
    it again)."""
    budget = _locked(line.budget)
    check_open(budget)
    if line.initiative_id or line.contract_id:
        raise ValidationError(
            {"line": "This line comes from the roadmap or a contract: drop it instead, or change its source."}
        )
    audit(line, actor)
    line.delete()
    replan(budget)


@transaction.atomic
def line_reset(*, line: BudgetLine, actor: User | None) -> BudgetLine:
    """Follow the source again: clear "changed by hand" and "dropped", then build the budget."""
    budget = _locked(line.budget)
    if budget.is_scenario or not line.is_generated:
        raise ValidationError({"line": "Only a generated line of a budget follows its source."})
    check_open(budget)
    line.adjusted = line.dropped = False
    audit(line, actor, "Follows its source again")
    line.save(update_fields=["adjusted", "dropped", "updated_at"])
    budget_build(budget=budget, actor=actor)
    line.refresh_from_db()
    return line


# --- scenarios -----------------------------------------------------------------------------------------


def _check_scenario_name(scenario: Budget) -> None:
    if not scenario.name:
        raise ValidationError({"name": "Name the scenario."})
    clash = (
        Budget.objects.for_practice(scenario.practice_id)
        .filter(scenario_of_id=scenario.scenario_of_id, name__iexact=scenario.name)
        .exclude(pk=scenario.pk)
    )
    if clash.exists():
        raise ValidationError({"name": f"There is already a scenario called “{scenario.name}”."})


def _copy_lines(source: Budget, target: Budget, actor, reason: str) -> list[BudgetLine]:
    copies = []
    for line in BudgetLine.objects.for_practice(source.practice_id).filter(budget=source).order_by("pk"):
        copy = BudgetLine(practice_id=target.practice_id, budget=target, copied_from=line.pk)
        for field in COPIED:
            setattr(copy, field, getattr(line, field))
        copies.append(copy)
    if copies:
        bulk_create_with_history(
            copies,
            BudgetLine,
            batch_size=500,
            default_user=actor_or_none(actor),
            default_change_reason=reason,
        )
    return copies


@transaction.atomic
def scenario_create(*, budget: Budget, actor: User | None, name: str, notes: str = "") -> Budget:
    """A named copy of a budget, every line included, to change and compare."""
    base = _locked(budget)
    if base.is_scenario:
        raise ValidationError({"budget": "Copy the budget itself, not one of its scenarios."})
    if selectors.scenarios_of(budget=base).count() >= MAX_SCENARIOS:
        raise ValidationError({"name": f"A budget has at most {MAX_SCENARIOS} scenarios; delete one first."})
    scenario = Budget(
        practice_id=base.practice_id,
        client_id=base.client_id,
        fiscal_year=base.fiscal_year,
        scenario_of=base,
        name=(name or "").strip(),
        notes=notes or "",
    )
    _check_scenario_name(scenario)
    scenario.full_clean(validate_constraints=False)
    audit(scenario, actor, f"Copied from the FY{base.fiscal_year} budget")
    scenario.save()
    _copy_lines(base, scenario, actor, f"Copied from the FY{base.fiscal_year} budget")
    replan(scenario)
    return scenario


@transaction.atomic
def scenario_promote(*, scenario: Budget, actor: User | None) -> Budget:
    """Make the scenario's lines the budget's — all or nothing. Lines the scenario copied from the
    budget are updated in place (actual spend stays linked to them), new ones are added, the budget's
    lines the scenario no longer has are removed. The scenario stays, for the record."""
    if not scenario.is_scenario:
        raise ValidationError({"budget": "Only a scenario can be promoted to be the budget."})
    base = _locked(scenario.scenario_of)
    check_open(base)
    reason = f"Promoted scenario “{scenario.name}”"
    theirs = list(
        BudgetLine.objects.for_practice(scenario.practice_id).filter(budget=scenario).order_by("pk")
    )
    ours = {line.pk: line for line in BudgetLine.objects.for_practice(base.practice_id).filter(budget=base)}
    keep = {line.copied_from for line in theirs if line.copied_from in ours}
    for pk, line in ours.items():
        if pk not in keep:
            audit(line, actor, reason)
            line.delete()
    updated, created = [], []
    for line in theirs:
        target = ours.get(line.copied_from) if line.copied_from in keep else None
        if target is None:
            target = BudgetLine(practice_id=base.practice_id, budget=base)
            created.append((line, target))
        else:
            updated.append(target)
        for field in COPIED:
            setattr(target, field, getattr(line, field))
    if updated:
        _touch(updated)
        BudgetLine.objects.bulk_update(updated, [*_attnames(COPIED), "updated_at"], batch_size=500)
        BudgetLine.history.bulk_history_create(
            updated,
            update=True,
            default_user=actor_or_none(actor),
            default_change_reason=reason,
            batch_size=500,
        )
    if created:
        bulk_create_with_history(
            [t for _, t in created],
            BudgetLine,
            batch_size=500,
            default_user=actor_or_none(actor),
            default_change_reason=reason,
        )
        for line, target in created:  # the scenario's new lines now have a twin in the budget
            line.copied_from = target.pk
        BudgetLine.objects.bulk_update([line for line, _ in created], ["copied_from"], batch_size=500)
    audit(base, actor, reason)
    base.save(update_fields=["updated_at"])
    replan(base)
    return base


def _attnames(fields) -> list[str]:
    return [f[:-3] if f.endswith("_id") else f for f in fields]


# --- settings ------------------------------------------------------------------------------------------


@transaction.atomic
def budget_settings_update(*, practice: Practice, actor: User | None, **data) -> BudgetSettings:
    settings = BudgetSettings.objects.for_practice(practice).select_for_update().first()
    if settings is None:
        settings = BudgetSettings(practice_id=practice.pk)
    apply_fields(settings, data, ("inflation_rate",))
    settings.full_clean(validate_constraints=False)
    audit(settings, actor)
    settings.save()
    return settings
