"""Reads of the budgets app. Each takes the client (or budget, practice) explicitly, does its joins
here, and returns querysets or plain data (`budgets.reports`) a template loops over without touching
the database again. Every query over a tenant table names the practice.

Costs come from the one rule of each source: initiatives through
`roadmaps.selectors.initiative_year_costs` (the rule of `initiative_cost_rollups`), contracts through
`vendors.selectors.fiscal_year_billing`; the fiscal calendar from `vcio.fiscal` (`budgets.phasing`).
Later apps (QBR, portal) call `budget_of`, `plan`, `variance`, `forecast` and `summary`. The
actual-spend lists (a client's, a year's, the practice's) and the lines a payment may pay are in
`budgets.actual_selectors`.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import partial

from django.db.models import (
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Greatest, Least, TruncMonth

from clients.models import Client
from roadmaps.models import Status as InitiativeStatus
from roadmaps.selectors import DEFAULT_ROLLUP_STATUSES, initiative_year_costs
from vcio.fiscal import fiscal_year, fiscal_year_range
from vcio.kept import kept_instances, kept_rows
from vendors import renewals
from vendors.selectors import fiscal_year_billing
from vendors.selectors import practice_today as vendors_practice_today

from . import phasing, reports, sources
from .models import (
    Actual,
    Budget,
    BudgetCategory,
    BudgetLine,
    BudgetSettings,
    BudgetStatus,
    LineSource,
    MonthlySpend,
)

CATEGORIES = list(BudgetCategory.choices)
CATEGORY_KEYS = frozenset(key for key, _ in CATEGORIES)
ZERO = phasing.ZERO
# Initiatives a budget is built from: approved work, under way or delivered (its money was committed).
BUILD_STATUSES = (InitiativeStatus.APPROVED, InitiativeStatus.IN_PROGRESS, InitiativeStatus.DONE)
# Initiatives a forecast counts in later years: the roadmap's plan (every status but rejected).
FORECAST_STATUSES = DEFAULT_ROLLUP_STATUSES
LINE_COLUMNS = (
    "id",
    "practice_id",
    "budget_id",
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
    "copied_from",
    "notes",
    "updated_at",
)


def practice_today(practice) -> date:
    """Today in the practice's time zone (the year-to-date window, the default fiscal year)."""
    return vendors_practice_today(practice)


def current_fiscal_year(client: Client, today: date | None = None) -> int:
    return fiscal_year(today or practice_today(client.practice), client.fiscal_year_start_month)


def budget_settings(*, practice) -> BudgetSettings:
    """The practice's budget settings (an unsaved row with the defaults when none was saved)."""
    found = BudgetSettings.objects.for_practice(practice).first()
    return found or BudgetSettings(practice_id=getattr(practice, "pk", practice))


# --- budgets ----------------------------------------------------------------------------------------------


def budgets_of_practice(*, practice, related: bool = True) -> QuerySet[Budget]:
    """Every budget of the practice (not scenarios), for the API, with its client and approver
    joined in — unless `related` is false (the list: a row shows them by id)."""
    budgets = Budget.objects.for_practice(practice).filter(
        scenario_of__isnull=True, client__practice_id=getattr(practice, "pk", practice)
    )
    return budgets.select_related("client", "approved_by") if related else budgets


def scenarios_of_practice(*, practice) -> QuerySet[Budget]:
    """Every scenario of the practice, joined for a row (the API's list): each join names the
    practice, so the planner reads the practice's budgets and clients only."""
    practice_id = getattr(practice, "pk", practice)
    return (
        Budget.objects.for_practice(practice)
        .filter(scenario_of__practice_id=practice_id, client__practice_id=practice_id)
        .select_related("client", "scenario_of")
    )


def budget_of(*, client: Client, fiscal_year: int) -> Budget | None:
    """The client's budget for a fiscal year (not a scenario), or None (a statement kept for any
    client and year: `vcio.kept`)."""
    found = kept_instances(("budgets.budget-of",), client, _budget_of_year, [fiscal_year])
    return found[0] if found else None


def _budget_of_year(client: Client, fiscal_year: int) -> QuerySet[Budget]:
    qs = (
        Budget.objects.for_client(client)
        .filter(fiscal_year=fiscal_year, scenario_of__isnull=True)
        .select_related("approved_by")
    )
    return (qs if qs.ordered else qs.order_by("pk"))[:1]  # as `.first()`


def is_shared(budget: Budget) -> bool:
    """May the client's executives see it (the portal)? Once proposed — a draft is the consultant's."""
    return budget.status != BudgetStatus.DRAFT


def budget_years(*, client: Client, today: date | None = None) -> list[dict]:
    """The fiscal years the selector offers: last year, this year, the next two, and every year with a
    budget — [{"year", "budget": id or None, "status"}], oldest first. One query."""
    current = current_fiscal_year(client, today)
    found = {year: (pk, status) for pk, year, status in kept_rows(("budgets.years",), client, _budget_years)}
    years = sorted(set(found) | {current - 1, current, current + 1, current + 2})
    return [
        {
            "year": y,
            "budget": found[y][0] if y in found else None,
            "status": found[y][1] if y in found else "",
            "current": y == current,
        }
        for y in years
    ]


def _budget_years(client: Client) -> QuerySet:
    return (
        Budget.objects.for_client(client)
        .filter(scenario_of__isnull=True)
        .values_list("id", "fiscal_year", "status")
    )


def scenarios_of(*, budget: Budget) -> QuerySet[Budget]:
    return Budget.objects.for_practice(budget.practice_id).filter(scenario_of=budget).order_by("name", "pk")


def budget_lines(*, budget: Budget) -> QuerySet[BudgetLine]:
    """The budget's lines with their vendor, initiative and contract names (one query)."""
    return (
        BudgetLine.objects.for_practice(budget.practice_id)
        .filter(budget=budget)
        .select_related("vendor", "initiative", "contract")
        .only(
            *LINE_COLUMNS,
            "vendor__id",
            "vendor__practice_id",  # each joined row is read as the practice's (tenant-scoped reads)
            "vendor__name",
            "initiative__id",
            "initiative__practice_id",
            "initiative__title",
            "initiative__client_id",
            "contract__id",
            "contract__practice_id",
            "contract__name",
            "contract__client_id",
        )
        .order_by("category", "name", "pk")
    )


def compared_total(*, budget: Budget) -> Decimal | None:
    """The planned total a budget's plan is compared with: a scenario's, its budget's; a budget's,
    the client's budget of the year before (None when there is none). From that budget's stored
    months (`_planned_sums`: summed by the database only when they are unknown), never its lines:
    one query, two when its months are unknown."""
    budgets = Budget.objects.for_practice(budget.practice_id)
    if budget.is_scenario:
        budgets = budgets.filter(pk=budget.scenario_of_id)
    else:
        budgets = budgets.filter(
            client_id=budget.client_id, fiscal_year=budget.fiscal_year - 1, scenario_of__isnull=True
        )
    other = budgets.only("id", "practice_id", "planned_months").first()
    if other is None:
        return None
    return _planned_sums(budget.practice_id, {other.pk: (other, 12)})[other.pk][0]


def plan(*, budget: Budget, lines=None, with_previous: bool = True) -> reports.Plan:
    """The budget's lines grouped by category with their 12 fiscal months, and the summary (with the
    change against last year's budget; a scenario's against its budget)."""
    rows = list(budget_lines(budget=budget)) if lines is None else lines
    previous = compared_total(budget=budget) if with_previous else None
    return reports.plan_of(rows, CATEGORIES, previous)


def actual_months(*, client: Client, fiscal_year: int) -> dict[str, list[Decimal]]:
    """Actual spend of the client in a fiscal year by category and fiscal month (one query, summed in
    the database by calendar month)."""
    start_month = client.fiscal_year_start_month
    first, last = fiscal_year_range(fiscal_year, start_month)
    rows = (
        Actual.objects.for_client(client)
        .filter(date__gte=first, date__lte=last)
        .annotate(month=TruncMonth("date"))
        .values("category", "month")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    found: dict[str, list[Decimal]] = {}
    for row in rows:
        month = row["month"]
        if hasattr(month, "date"):  # a datetime on some backends
            month = month.date()
        months = found.setdefault(row["category"], phasing.zeros())
        months[phasing.fiscal_month(month, start_month) - 1] += phasing.money(row["total"])
    return found


def variance(
    *, budget: Budget, plan_: reports.Plan | None = None, today: date | None = None
) -> reports.Variance:
    """Budget vs actual by month and category, the year to date ending with the practice's today."""
    client = budget.client
    plan_ = plan_ or plan(budget=budget, with_previous=False)
    today = today or practice_today(client.practice)
    start_month = client.fiscal_year_start_month
    return reports.variance_of(
        planned=plan_.by_category(),
        actual=actual_months(client=client, fiscal_year=budget.fiscal_year),
        categories=CATEGORIES,
        elapsed=phasing.months_elapsed(today, budget.fiscal_year, start_month),
        month_labels=phasing.month_labels(start_month),
    )


def forecast(*, budget: Budget, lines=None, rate: Decimal | None = None, years: int = 3) -> reports.Forecast:
    """The budget and the next `years - 1` fiscal years (see `reports.forecast_of`). One query per
    later year for the roadmap's initiatives, plus the settings' and the lines' when not given."""
    client = budget.client
    rows = list(budget_lines(budget=budget)) if lines is None else lines
    if rate is None:
        rate = budget_settings(practice=budget.practice_id).inflation_rate
    later = {}
    for k in range(1, years):
        year = budget.fiscal_year + k
        later[year] = [
            (sources.INITIATIVE_CATEGORY.get(cost.initiative.category, "projects"), cost)
            for cost in initiative_year_costs(
                client=client, fiscal_year=year, statuses=FORECAST_STATUSES, started_after=budget.fiscal_year
            )
        ]
    return reports.forecast_of(
        lines=rows,
        fiscal_year=budget.fiscal_year,
        rate=rate,
        later_costs=later,
        categories=CATEGORIES,
        years=years,
    )


def summary(*, budget: Budget, today: date | None = None) -> dict:
    """The API's summary: totals by category and fiscal month, planned vs actual, variance."""
    plan_ = plan(budget=budget, with_previous=False)
    return reports.summary_data(
        plan=plan_,
        variance=variance(budget=budget, plan_=plan_, today=today),
        categories=CATEGORIES,
        month_starts=phasing.month_starts(budget.fiscal_year, budget.client.fiscal_year_start_month),
    )


def comparison(*, budget: Budget, scenarios: list[Budget]) -> reports.Comparison:
    """The budget and its scenarios side by side (one query per budget compared)."""
    columns = [budget, *scenarios]
    plans = [plan(budget=b, with_previous=False) for b in columns]
    return reports.compare_of(
        columns, plans, CATEGORIES, phasing.month_labels(budget.client.fiscal_year_start_month)
    )


# --- what a build would make --------------------------------------------------------------------------


def generated_line_specs(*, budget: Budget) -> dict[tuple, sources.LineSpec]:
    """The lines the roadmap and the contracts say the budget should have, keyed by source. Two
    queries: the initiatives (`initiative_year_costs`) and the contracts (`fiscal_year_billing`)."""
    client = budget.client
    year = budget.fiscal_year
    specs: dict[tuple, sources.LineSpec] = {}
    for cost in initiative_year_costs(client=client, fiscal_year=year, statuses=BUILD_STATUSES):
        for spec in sources.initiative_specs(cost):
            specs[spec.key] = spec
    _, year_end = fiscal_year_range(year, client.fiscal_year_start_month)
    for contract, by_month in fiscal_year_billing(client=client, fiscal_year=year):
        charges = [by_month[day] for day in sorted(by_month)]
        end = renewals.service_end(contract)
        spec = sources.contract_spec(
            contract, charges, runs_on=end is None or end > year_end + timedelta(days=1)
        )
        if spec is not None:
            specs[spec.key] = spec
    return specs


def generated_lines(*, budget: Budget) -> dict[tuple, BudgetLine]:
    """The budget's generated lines by source key (for the build: one query, locked by the caller)."""
    found = {}
    qs = (
        BudgetLine.objects.for_practice(budget.practice_id)
        .filter(budget=budget)
        .exclude(source=LineSource.MANUAL)
    )
    for line in qs.order_by("pk"):
        found[sources.line_key(line) or ("orphan", line.pk, "")] = line
    return found


# --- the overview panel ------------------------------------------------------------------------------------


@dataclass
class PanelFigures:
    year: int
    budget: Budget | None
    planned_total: Decimal
    planned_ytd: Decimal
    actual_ytd: Decimal
    elapsed: int

    @property
    def variance_ytd(self) -> Decimal:
        return self.actual_ytd - self.planned_ytd

    @property
    def spent_pct(self) -> Decimal | None:
        return reports.pct(self.actual_ytd, self.planned_total)

    @property
    def bar_pct(self) -> str:
        """The spent share for an SVG bar: 0-100, a plain number."""
        return str(max(0, min(100, int(self.spent_pct or 0))))

    @property
    def year_gone_pct(self) -> int:
        return round(self.elapsed * 100 / 12)


def panel_figures(*, client: Client, today: date | None = None, shared_only: bool = False) -> PanelFigures:
    """This fiscal year's planned vs actual for the client overview (three queries). `shared_only`
    (the client portal): a draft budget counts as none — it is the consultant's work in progress."""
    today = today or practice_today(client.practice)
    year = current_fiscal_year(client, today)
    budget = budget_of(client=client, fiscal_year=year)
    if shared_only and budget is not None and not is_shared(budget):
        budget = None
    elapsed = phasing.months_elapsed(today, year, client.fiscal_year_start_month)
    planned = phasing.zeros()
    if budget is not None:
        planned = reports.plan_of(
            grouped_terms(client.practice_id, [budget.pk]).get(budget.pk, []), CATEGORIES
        ).months
    actual = phasing.sum_months(actual_months(client=client, fiscal_year=year).values())
    return PanelFigures(
        year=year,
        budget=budget,
        planned_total=sum(planned, ZERO),
        planned_ytd=sum(planned[:elapsed], ZERO),
        actual_ytd=sum(actual[:elapsed], ZERO),
        elapsed=elapsed,
    )


@dataclass(frozen=True)
class GroupedTerms:
    """The lines of a budget that share their terms, summed: phasing is linear in the amount, so the
    group phases to the sum of its lines' months."""

    category: str
    expense_type: str
    recurrence: str
    amount: Decimal
    first_month: int
    months: int | None


def grouped_terms(practice, budget_ids: list) -> dict:
    """{budget id: [GroupedTerms]} of the budgets' lines that are not dropped, summed by the database
    per category, expense type and terms — a budget's plan totals from a few dozen rows, however many
    lines it has (the overview's and the dashboard's figures; the plan page reads the figures kept
    with the budget, `budgets.plan_selectors`)."""
    found: dict = {}
    rows = (
        BudgetLine.objects.for_practice(practice)
        .filter(budget_id__in=budget_ids, dropped=False)
        .values("budget_id", "category", "expense_type", "recurrence", "first_month", "months")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in rows:
        budget_id, total = row.pop("budget_id"), row.pop("total")
        found.setdefault(budget_id, []).append(GroupedTerms(amount=total, **row))
    return found


def _current_budgets(practice, years: dict) -> dict:
    """{client id: its budget (not a scenario) of the fiscal year `years` names for it}: one statement,
    kept (`vcio.kept`) per shape — how many clients each fiscal year has — and bound to the years and
    client ids."""
    by_year: dict = {}
    for pk, year in years.items():
        by_year.setdefault(year, []).append(pk)
    groups = sorted(by_year.items())
    shape = tuple(len(ids) for _, ids in groups)
    values = [value for year, ids in groups for value in (year, *ids)]
    found = kept_instances(("budgets.current", shape), practice, partial(_budgets_of_years, shape), values)
    return {b.client_id: b for b in found if years.get(b.client_id) == b.fiscal_year}


def _budgets_of_years(shape: tuple, practice, *values) -> QuerySet:
    """The budgets (not scenarios) of each year's clients: `values` holds, for each count in `shape`, a
    fiscal year and then that many client ids."""
    wanted, start = Q(pk__in=[]), 0
    for count in shape:
        year, client_ids = values[start], values[start + 1 : start + 1 + count]
        wanted |= Q(fiscal_year=year, client_id__in=client_ids)
        start += 1 + count
    return Budget.objects.for_practice(practice).filter(wanted, scenario_of__isnull=True)


def line_total_expression(upto=None):
    """`phasing.line_total` in SQL: the amount times the number of its occurrences in the year (0 for
    a dropped line) — so totals are summed by the database, not by phasing every line in Python.
    `upto`: an integer expression, the last fiscal month counted (year to date); None: all twelve."""
    first = F("first_month")
    span_end = Case(
        When(months__isnull=True, then=Value(phasing.MONTHS)),
        default=Least(Value(phasing.MONTHS), first + Greatest(F("months"), Value(1)) - Value(1)),
    )
    if upto is not None:
        span_end = Least(span_end, upto)
    occurrences = Case(
        When(dropped=True, then=Value(0)),
        When(first_month__gt=span_end, then=Value(0)),  # it starts after the months counted
        When(recurrence__in=[phasing.ONE_TIME, phasing.ANNUAL], then=Value(1)),
        When(recurrence=phasing.MONTHLY, then=span_end - first + Value(1)),
        When(recurrence=phasing.QUARTERLY, then=(span_end - first) / Value(3) + Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return ExpressionWrapper(
        F("amount") * occurrences, output_field=DecimalField(max_digits=16, decimal_places=2)
    )


def planned_totals(*, practice, clients, today: date | None = None) -> dict:
    """{client id: the planned total of its current fiscal year's budget} (clients without one left
    out) — the same figure as `book_panel_figures(...).planned_total`, from each budget's stored
    months (a budget whose months are not known is summed by the database): one query, two at most,
    whatever the number of lines (the client list's column)."""
    clients = list(clients)
    if not clients:
        return {}
    today = today or practice_today(practice)
    budgets = _current_budgets(practice, {c.pk: current_fiscal_year(c, today) for c in clients})
    sums = _planned_sums(practice, {b.pk: (b, phasing.MONTHS) for b in budgets.values()})
    return {client_id: sums[b.pk][0] for client_id, b in budgets.items()}


def book_panel_figures(*, practice, clients, today: date | None = None) -> dict:
    """`panel_figures` for many clients at once ({client id: PanelFigures}), each in its own fiscal
    year: the same rule, three queries whatever the number of clients (the dashboard, the client
    list). `clients`: Client objects of the practice."""
    clients = list(clients)
    if not clients:
        return {}
    today = today or practice_today(practice)
    years = {c.pk: current_fiscal_year(c, today) for c in clients}
    budgets = _current_budgets(practice, years)
    elapsed = {c.pk: phasing.months_elapsed(today, years[c.pk], c.fiscal_year_start_month) for c in clients}
    planned = _planned_sums(practice, {b.pk: (b, elapsed[client_id]) for client_id, b in budgets.items()})
    ranges = {c.pk: fiscal_year_range(years[c.pk], c.fiscal_year_start_month) for c in clients}
    # Only the year-to-date months are summed — each client's fiscal year start through the current
    # month — from the clients' monthly spend (`MonthlySpend`, kept by `spend.resum`), not from every
    # actual (clients grouped by that window: a few calendars, a few conditions).
    this_month = date(today.year, today.month, 1)
    windows: dict = {}
    for client_id, (start, end) in ranges.items():
        if elapsed[client_id]:
            windows.setdefault((start, min(end.replace(day=1), this_month)), []).append(client_id)
    wanted = Q(pk__in=[])
    for (start, last), ids in windows.items():
        wanted |= Q(client_id__in=ids, month__gte=start, month__lte=last)
    actual_ytd = dict(
        MonthlySpend.objects.for_practice(practice)
        .filter(wanted)
        .values("client_id")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("client_id", "total")
    )
    out = {}
    for client in clients:
        budget = budgets.get(client.pk)
        total, ytd = planned.get(budget.pk, (ZERO, ZERO)) if budget is not None else (ZERO, ZERO)
        out[client.pk] = PanelFigures(
            year=years[client.pk],
            budget=budget,
            planned_total=total,
            planned_ytd=ytd,
            actual_ytd=phasing.money(actual_ytd.get(client.pk) or 0),
            elapsed=elapsed[client.pk],
        )
    return out


def _planned_sums(practice, wanted: dict) -> dict:
    """{budget id: (its planned total, its planned total of its first `months` fiscal months)} for
    `wanted` {budget id: (budget, months)}: from the budget's stored months where they are known
    (`Budget.planned_months`, kept by the services), else summed by the database in one query for all
    the others — never by reading every line."""
    found, unknown = {}, {}
    for budget_id, (budget, months) in wanted.items():
        stored = budget.stored_months()
        if stored is None:
            unknown[budget_id] = months
        else:
            found[budget_id] = (sum(stored, ZERO), sum(stored[:months], ZERO))
    if not unknown:
        return found
    by_months: dict = {}
    for budget_id, months in unknown.items():
        by_months.setdefault(months, []).append(budget_id)
    upto = Case(
        *[When(budget_id__in=ids, then=Value(months)) for months, ids in sorted(by_months.items())],
        default=Value(0),
        output_field=IntegerField(),
    )
    rows = (
        BudgetLine.objects.for_practice(practice)
        .filter(budget_id__in=list(unknown))
        .values("budget_id")
        .annotate(total=Sum(line_total_expression()), ytd=Sum(line_total_expression(upto)))
        .order_by()
    )
    found.update(dict.fromkeys(unknown, (ZERO, ZERO)))
    for row in rows:
        found[row["budget_id"]] = (phasing.money(row["total"] or 0), phasing.money(row["ytd"] or 0))
    return found
