"""Scale data of the budgets app (`vcio.scale`): the practice's budget settings and, for every client,
its budget of the current fiscal year (about forty lines, times the factor: one per contract, the
roadmap's costs, lines added by hand) and about sixty actuals over the last twelve months (times the
factor). Audit rows for the settings and the budgets, not for each line and actual: they would
double the seeding time of the largest tables and no measured page reads them. Registered in
`BudgetsConfig.ready()`, after vendors: it reads `batch.extra["initiatives"]` and each practice's `extra["contracts"]`."""

from datetime import timedelta
from decimal import Decimal
from functools import partial

from vcio.fiscal import fiscal_year
from vcio.scale import ScaleBatch

from .demo import MANUAL, UNPLANNED
from .models import (
    Actual,
    ActualSource,
    Budget,
    BudgetCategory,
    BudgetLine,
    BudgetSettings,
    BudgetStatus,
    ExpenseType,
    LineSource,
    MonthlySpend,
    Recurrence,
    SourcePart,
)
from .planned import figures as planned_figures

LINES_PER_CLIENT = 40
ACTUALS_PER_CLIENT = 60
CENT = Decimal("0.01")
RECURRENCE_OF_BILLING = {
    "monthly": Recurrence.MONTHLY,
    "quarterly": Recurrence.QUARTERLY,
    "annual": Recurrence.ANNUAL,
    "one_time": Recurrence.ONE_TIME,
}
CATEGORY_OF_VENDOR = {
    "isp": BudgetCategory.TELECOM,
    "telecom": BudgetCategory.TELECOM,
    "saas": BudgetCategory.SOFTWARE,
    "cloud": BudgetCategory.CLOUD,
    "hardware": BudgetCategory.HARDWARE,
    "software": BudgetCategory.SOFTWARE,
    "security": BudgetCategory.SECURITY,
    "msp": BudgetCategory.MANAGED,
    "other": BudgetCategory.OTHER,
}
CATEGORY_OF_INITIATIVE = {
    "infrastructure": BudgetCategory.HARDWARE,
    "security": BudgetCategory.SECURITY,
    "cloud": BudgetCategory.CLOUD,
    "software": BudgetCategory.SOFTWARE,
    "data_backup": BudgetCategory.CLOUD,
    "network": BudgetCategory.HARDWARE,
    "end_user_devices": BudgetCategory.HARDWARE,
    "compliance": BudgetCategory.PROJECTS,
    "process": BudgetCategory.PROJECTS,
    "staffing": BudgetCategory.STAFF,
    "other": BudgetCategory.OTHER,
}


def _add_line(lines, budget, **fields) -> None:
    line = BudgetLine(practice=budget.practice, budget=budget, **fields)
    lines.append(line)


def _money(value) -> Decimal:
    return Decimal(value).quantize(CENT)


def seed_budgets_at_scale(batch: ScaleBatch) -> None:
    settings, budgets, lines, actuals = [], [], [], []
    settings_history, budget_history = [], []
    initiatives_by_client: dict = {}
    for initiative in batch.extra.get("initiatives", []):
        initiatives_by_client.setdefault(initiative.client_id, []).append(initiative)
    for item in batch.practices:
        rng, practice, factor, owner = item.rng, item.practice, item.factor, item.owner
        row = BudgetSettings(practice=practice, inflation_rate=Decimal(rng.choice(["2.50", "3.00", "3.50"])))
        settings.append(row)
        settings_history.append({"obj": row, "type": "+", "date": batch.past(rng), "user": owner})
        contracts_by_client: dict = {}
        for contract in item.extra.get("contracts", []):
            contracts_by_client.setdefault(contract.client_id, []).append(contract)
        for i, client in enumerate(item.clients):
            year = fiscal_year(batch.today, client.fiscal_year_start_month)
            created = batch.past(rng, 300)
            approved = i % 3 != 2
            budget = Budget(
                practice=practice,
                client=client,
                fiscal_year=year,
                status=BudgetStatus.APPROVED if approved else BudgetStatus.DRAFT,
                approved_by=owner if approved else None,
                approved_at=batch.after(rng, created) if approved else None,
                built_at=created,
            )
            budgets.append(budget)
            budget_history.append({"obj": budget, "type": "+", "date": created, "user": owner})
            wanted = rng.randint(LINES_PER_CLIENT - 5, LINES_PER_CLIENT + 5) * factor
            client_lines = []

            add = partial(_add_line, client_lines, budget)

            for contract in contracts_by_client.get(client.pk, []):
                if len(client_lines) >= wanted // 2 or contract.status != "active":
                    continue
                add(
                    name=contract.name[:200],
                    category=CATEGORY_OF_VENDOR.get(contract.vendor.category, BudgetCategory.OTHER),
                    expense_type=ExpenseType.OPEX,
                    recurrence=RECURRENCE_OF_BILLING[contract.billing_frequency],
                    amount=_money(contract.cost * contract.quantity),
                    first_month=rng.randint(1, 12)
                    if contract.billing_frequency in ("annual", "one_time")
                    else 1,
                    vendor=contract.vendor,
                    source=LineSource.CONTRACT,
                    contract=contract,
                )
            for initiative in initiatives_by_client.get(client.pk, []):
                if len(client_lines) >= wanted - 3 * factor or initiative.status == "rejected":
                    continue
                category = CATEGORY_OF_INITIATIVE.get(initiative.category, BudgetCategory.PROJECTS)
                month = rng.randint(1, 12)
                if initiative.one_time_cost:
                    add(
                        name=initiative.title[:200],
                        category=category,
                        expense_type=ExpenseType.CAPEX,
                        recurrence=Recurrence.ONE_TIME,
                        amount=_money(initiative.one_time_cost),
                        first_month=month,
                        source=LineSource.INITIATIVE,
                        source_part=SourcePart.ONE_TIME,
                        initiative=initiative,
                    )
                if initiative.recurring_monthly_cost:
                    add(
                        name=f"{initiative.title} (running cost)"[:200],
                        category=category,
                        expense_type=ExpenseType.OPEX,
                        recurrence=Recurrence.MONTHLY,
                        amount=_money(initiative.recurring_monthly_cost),
                        first_month=month,
                        source=LineSource.INITIATIVE,
                        source_part=SourcePart.RECURRING,
                        initiative=initiative,
                    )
            n = 0
            while len(client_lines) < wanted:  # the consultant's own lines fill the rest
                name, category, kind, recurrence, (per, amount), month = MANUAL[n % len(MANUAL)]
                units = max(client.headcount or 1, 1) if per == "head" else 1
                add(
                    name=name if n < len(MANUAL) else f"{name} ({n // len(MANUAL) + 1})",
                    category=category,
                    expense_type=kind,
                    recurrence=recurrence,
                    amount=_money(Decimal(amount) * units * Decimal(str(round(rng.uniform(0.8, 1.2), 2)))),
                    first_month=month,
                )
                n += 1
            lines.extend(client_lines)
            budget.planned_months, budget.plan_figures = planned_figures(client_lines)
            # Actual spend over the last twelve months: mostly the lines' bills, give or take.
            for _ in range(rng.randint(ACTUALS_PER_CLIENT - 10, ACTUALS_PER_CLIENT + 10) * factor):
                day = batch.today - timedelta(days=rng.randint(0, 364))
                if rng.random() < 0.85:
                    line = rng.choice(client_lines)
                    actual = Actual(
                        practice=practice,
                        client=client,
                        date=day,
                        amount=_money(line.amount * Decimal(str(round(rng.uniform(0.9, 1.1), 3)))),
                        category=line.category,
                        vendor=line.vendor,
                        budget_line=line,
                        description=line.name[:300],
                        source=ActualSource.IMPORT if rng.random() < 0.5 else ActualSource.MANUAL,
                    )
                else:
                    name, category, amount = rng.choice(UNPLANNED)
                    actual = Actual(
                        practice=practice,
                        client=client,
                        date=day,
                        amount=_money(Decimal(amount) * Decimal(str(round(rng.uniform(0.8, 1.3), 2)))),
                        category=category,
                        description=name,
                        source=ActualSource.MANUAL,
                    )
                actuals.append(actual)
    batch.insert(BudgetSettings, settings)
    batch.insert(Budget, budgets)
    batch.insert(BudgetLine, lines)
    batch.insert(Actual, actuals)
    batch.insert(MonthlySpend, _monthly_spend(actuals))
    batch.history(BudgetSettings, settings_history)
    batch.history(Budget, budget_history)


def _monthly_spend(actuals) -> list:
    """What `spend.resum` keeps, for the inserted actuals: each client's sum by month."""
    sums: dict = {}
    for actual in actuals:
        key = (actual.practice_id, actual.client_id, actual.date.replace(day=1))
        sums[key] = sums.get(key, Decimal("0")) + actual.amount
    return [
        MonthlySpend(practice_id=practice_id, client_id=client_id, month=month, amount=amount)
        for (practice_id, client_id, month), amount in sums.items()
    ]
