"""Demo budgets: for every demo client, this fiscal year's and next year's budgets built from its
roadmap and contracts (through the same build service), a few lines added by hand, believable actual
spend for the months already past — most lines paid close to plan, some over, some under, some
unplanned — and a what-if scenario for a couple of clients. Registered with
`vcio.demo.register_demo_seeder` after roadmaps and vendors."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from simple_history.utils import bulk_create_with_history

from vcio.demo import DemoWorld

from . import phasing, selectors, services, spend
from .models import Actual, ActualSource, BudgetLine, LineSource

CENT = Decimal("0.01")
# Lines a consultant adds by hand: (name, category, capex/opex, recurrence, amount per head or fixed, first month)
MANUAL = [
    ("Security awareness training", "training", "opex", "annual", ("head", "18.00"), 3),
    ("Laptop refresh (a quarter of the fleet)", "hardware", "capex", "one_time", ("head", "325.00"), 5),
    ("IT contingency", "other", "opex", "quarterly", ("fixed", "1500.00"), 1),
]
UNPLANNED = [
    ("Emergency switch replacement", "hardware", "1840.00"),
    ("After-hours incident response", "managed_services", "960.00"),
    ("Extra Microsoft 365 licences", "software", "312.00"),
    ("Conference room display", "hardware", "1290.00"),
]


def _money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def seed_budgets(world: DemoWorld) -> None:
    practice, owner = world.practice, world.owner
    services.budget_settings_update(practice=practice, actor=owner, inflation_rate=Decimal("3.50"))
    today = selectors.practice_today(practice)
    for i, client in enumerate(world.clients):
        year = selectors.current_fiscal_year(client, today)
        current = services.budget_create(client=client, actor=owner, fiscal_year=year, build=True)
        upcoming = services.budget_create(client=client, actor=owner, fiscal_year=year + 1, build=True)
        for n, (name, category, kind, recurrence, (per, amount), month) in enumerate(MANUAL):
            if (i + n) % 3 == 2:
                continue
            units = max(client.headcount or 1, 1) if per == "head" else 1
            services.line_create(
                budget=current,
                actor=owner,
                name=name,
                category=category,
                expense_type=kind,
                recurrence=recurrence,
                amount=_money(Decimal(amount) * units),
                first_month=month,
                months=None,
                notes="",
            )
        _seed_actuals(world, client, current, today)
        if i % 3 != 2:
            services.budget_approve(budget=current, actor=owner, note="Agreed with the client's leadership")
        if i % 2 == 0:
            services.budget_propose(budget=upcoming, actor=owner)
        if i < 2:
            _seed_scenario(world, current, i)


def _seed_actuals(world, client, budget, today) -> None:
    """Payments for every month of the fiscal year already over (and this month's first days): each
    line's planned amount give or take, a few lines clearly over or under, some unplanned spend."""
    rng = world.rng
    start_month = client.fiscal_year_start_month
    elapsed = phasing.months_elapsed(today, budget.fiscal_year, start_month)
    if not elapsed:
        return
    starts = phasing.month_starts(budget.fiscal_year, start_month)
    lines = list(
        BudgetLine.objects.for_practice(client.practice_id).filter(budget=budget).select_related("vendor")
    )
    # A few lines run hot or cold all year: that is what a variance report is for.
    drift = {
        line.pk: rng.choice([Decimal("1.18"), Decimal("1.32"), Decimal("0.72")])
        for line in rng.sample(lines, min(3, len(lines)))
    }
    made = []
    for m in range(elapsed):
        first = starts[m]
        last = date(first.year + first.month // 12, first.month % 12 + 1, 1) - timedelta(days=1)
        if first > today:
            break
        pay_until = min(last, today)
        for line in lines:
            planned = phasing.line_months(line)[m]
            if not planned:
                continue
            bill_day = first + timedelta(days=rng.randint(0, 27))
            if bill_day > pay_until:
                continue  # this month is not over: its later bills are not in yet
            factor = drift.get(line.pk) or Decimal(str(round(rng.uniform(0.94, 1.06), 3)))
            if line.recurrence == phasing.ONE_TIME and line.source == LineSource.INITIATIVE:
                factor = drift.get(line.pk) or Decimal(str(round(rng.uniform(0.85, 1.2), 3)))
            made.append(
                Actual(
                    practice_id=client.practice_id,
                    client=client,
                    date=bill_day,
                    amount=_money(planned * factor),
                    category=line.category,
                    vendor=line.vendor,
                    budget_line=line,
                    description=line.name[:300],
                    source=ActualSource.IMPORT if m % 2 else ActualSource.MANUAL,
                )
            )
        if rng.random() < 0.3:
            name, category, amount = rng.choice(UNPLANNED)
            made.append(
                Actual(
                    practice_id=client.practice_id,
                    client=client,
                    date=first + timedelta(days=rng.randint(0, max((pay_until - first).days, 0))),
                    amount=_money(Decimal(amount) * Decimal(str(round(rng.uniform(0.8, 1.3), 2)))),
                    category=category,
                    description=name,
                    source=ActualSource.MANUAL,
                )
            )
    if made:
        bulk_create_with_history(
            made, Actual, batch_size=500, default_user=world.owner, default_change_reason="Demo data"
        )
        spend.resum(made[0].practice_id, [(actual.client_id, actual.date) for actual in made])


def _seed_scenario(world, budget, index: int) -> None:
    owner = world.owner
    if index == 0:
        scenario = services.scenario_create(
            budget=budget,
            actor=owner,
            name="Defer the biggest project",
            notes="What if the largest one-time project waits until the last month of the year?",
        )
        lines = BudgetLine.objects.for_practice(scenario.practice_id).filter(
            budget=scenario, recurrence=phasing.ONE_TIME
        )
        biggest = lines.order_by("-amount").first()
        if biggest is not None:
            services.line_update(line=biggest, actor=owner, first_month=12)
    else:
        scenario = services.scenario_create(
            budget=budget,
            actor=owner,
            name="Cloud first",
            notes="Drop the hardware purchases and move the workloads to the cloud instead.",
        )
        lines = BudgetLine.objects.for_practice(scenario.practice_id).filter(budget=scenario)
        hardware = list(lines.filter(category="hardware")) or list(
            lines.filter(recurrence=phasing.ONE_TIME).order_by("-amount")[:1]
        )
        saved = Decimal("0.00")
        for line in hardware:
            if line.initiative_id or line.contract_id:
                services.line_drop(line=line, actor=owner)
            else:
                services.line_update(line=line, actor=owner, amount=Decimal("0.00"))
            saved += phasing.line_total(line)
        if saved:
            services.line_create(
                budget=scenario,
                actor=owner,
                name="Cloud hosting instead of new hardware",
                category="cloud",
                expense_type="opex",
                recurrence="monthly",
                amount=_money(saved / 18),
                first_month=4,
                months=None,
                notes="Sized at roughly two thirds of the hardware over the year.",
            )
