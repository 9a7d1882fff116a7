"""The figures of a budget — pure: no database, no clock. Selectors load the rows and call these; the
pages, the API, the exports and the QBR report all show what they return.

- `plan_of(lines)`: the lines grouped by category with their 12 fiscal months, totals, and the
  summary (total, capex, opex, one-time, recurring, change against last year);
- `variance_of(...)`: budget vs actual by month and category, with variance and year-to-date;
- `forecast_of(...)`: three fiscal years — the budget, then its recurring lines carried forward with
  the practice's inflation rate plus the roadmap's later initiatives;
- `compare_of(...)`: a budget and its scenarios side by side.

**Variance** is actual − planned: above zero is over plan (overspent), below zero under plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from . import phasing
from .phasing import ZERO, add, cumulative, line_months, subtract, sum_months, zeros

CENT = Decimal("0.01")
HUNDRED = Decimal("100")


def pct(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole in percent, one decimal (None when whole is 0)."""
    if not whole:
        return None
    return (part * HUNDRED / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- the plan ---------------------------------------------------------------------------------------


@dataclass
class LineRow:
    line: object
    months: list[Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.months, ZERO)


@dataclass
class CategoryGroup:
    key: str
    label: str
    rows: list[LineRow] = field(default_factory=list)  # every line, or (`plan_from_figures`) those shown
    months: list[Decimal] = field(default_factory=zeros)
    count: int = 0  # how many lines the category has

    @property
    def total(self) -> Decimal:
        return sum(self.months, ZERO)


@dataclass
class PlanSummary:
    total: Decimal = ZERO
    capex: Decimal = ZERO
    opex: Decimal = ZERO
    one_time: Decimal = ZERO
    recurring: Decimal = ZERO
    previous_total: Decimal | None = None

    @property
    def change(self) -> Decimal | None:
        return None if self.previous_total is None else self.total - self.previous_total

    @property
    def change_pct(self) -> Decimal | None:
        return None if self.previous_total is None else pct(self.change, self.previous_total)


@dataclass
class Plan:
    groups: list[CategoryGroup]
    months: list[Decimal]
    summary: PlanSummary
    line_count: int

    @property
    def total(self) -> Decimal:
        return sum(self.months, ZERO)

    def by_category(self) -> dict[str, list[Decimal]]:
        return {g.key: g.months for g in self.groups}


# What `plan_of` reads of a line: its category, its months (`phasing.line_months`) and the summary's
# kinds. A line's kept figures (`Budget.plan_figures`) change when one of these does.
FIGURE_FIELDS = ("category", "expense_type", "recurrence", "amount", "first_month", "months", "dropped")


def plan_of(
    lines: Iterable, categories: Sequence[tuple[str, str]], previous_total: Decimal | None = None
) -> Plan:
    """`categories`: (key, label) in display order; lines of another category go to the last one.
    `previous_total`: what the plan is compared with (None: nothing)."""
    order = {key: i for i, (key, _) in enumerate(categories)}
    groups = {key: CategoryGroup(key, label) for key, label in categories}
    fallback = categories[-1][0]
    summary = PlanSummary()
    count = 0
    for line in lines:
        count += 1
        months = line_months(line)
        total = sum(months, ZERO)
        group = groups[line.category if line.category in groups else fallback]
        group.rows.append(LineRow(line, months))
        group.count += 1
        group.months = add(group.months, months)
        summary.total += total
        if line.expense_type == "capex":
            summary.capex += total
        else:
            summary.opex += total
        if line.recurrence == phasing.ONE_TIME:
            summary.one_time += total
        else:
            summary.recurring += total
    summary.previous_total = previous_total
    shown = sorted((g for g in groups.values() if g.rows), key=lambda g: order[g.key])
    return Plan(
        groups=shown,
        months=sum_months(g.months for g in shown),
        summary=summary,
        line_count=count,
    )


def figures_of(plan: Plan) -> dict:
    """What `plan_from_figures` needs of a plan besides the lines it shows, as JSON (money as exact
    decimal text): each category's line count and months, and the summary — kept per budget
    (`Budget.plan_figures`, `budgets.planned.replan`)."""
    summary = plan.summary
    return {
        "groups": {g.key: {"count": g.count, "months": phasing.as_text(g.months)} for g in plan.groups},
        **{name: str(getattr(summary, name)) for name in ("total", "capex", "opex", "one_time", "recurring")},
    }


def plan_from_figures(
    figures: dict,
    categories: Sequence[tuple[str, str]],
    shown: Iterable,
    previous_total: Decimal | None = None,
) -> Plan:
    """The plan `plan_of` makes of every line, from its kept `figures` (`figures_of`) and the lines
    shown (`shown`, in the plan's order): each category's count, months and the summary come from
    the figures, its `rows` are the shown lines only."""
    groups = {key: CategoryGroup(key, label) for key, label in categories}
    fallback = categories[-1][0]
    for key, kept in figures["groups"].items():
        group = groups[key if key in groups else fallback]
        group.count += kept["count"]
        group.months = add(group.months, [phasing.money(v) for v in kept["months"]])
    for line in shown:
        groups[line.category if line.category in groups else fallback].rows.append(
            LineRow(line, line_months(line))
        )
    order = {key: i for i, (key, _) in enumerate(categories)}
    present = sorted((g for g in groups.values() if g.count), key=lambda g: order[g.key])
    money = {
        name: phasing.money(figures[name]) for name in ("total", "capex", "opex", "one_time", "recurring")
    }
    return Plan(
        groups=present,
        months=sum_months(g.months for g in present),
        summary=PlanSummary(**money, previous_total=previous_total),
        line_count=sum(g.count for g in present),
    )


# --- budget vs actual -----------------------------------------------------------------------------------


@dataclass
class VarianceRow:
    key: str
    label: str
    planned: list[Decimal]
    actual: list[Decimal]
    elapsed: int

    @property
    def variance(self) -> list[Decimal]:
        return subtract(self.actual, self.planned)

    @property
    def planned_total(self) -> Decimal:
        return sum(self.planned, ZERO)

    @property
    def actual_total(self) -> Decimal:
        return sum(self.actual, ZERO)

    @property
    def variance_total(self) -> Decimal:
        return self.actual_total - self.planned_total

    @property
    def planned_ytd(self) -> Decimal:
        return sum(self.planned[: self.elapsed], ZERO)

    @property
    def actual_ytd(self) -> Decimal:
        return sum(self.actual[: self.elapsed], ZERO)

    @property
    def variance_ytd(self) -> Decimal:
        return self.actual_ytd - self.planned_ytd

    @property
    def used_pct(self) -> Decimal | None:
        """Share of the year's plan spent so far."""
        return pct(self.actual_ytd, self.planned_total)

    @property
    def cells(self) -> list[tuple[Decimal, Decimal, Decimal]]:
        return list(zip(self.planned, self.actual, self.variance, strict=True))


@dataclass
class Variance:
    rows: list[VarianceRow]  # by category (those with a plan or an actual)
    total: VarianceRow
    elapsed: int  # fiscal months begun (the current one counts): the year-to-date window
    month_labels: list[str]

    @property
    def by_month(self) -> list[dict]:
        t = self.total
        cum_planned, cum_actual = cumulative(t.planned), cumulative(t.actual)
        return [
            {
                "label": label,
                "month": i + 1,
                "planned": t.planned[i],
                "actual": t.actual[i],
                "variance": t.actual[i] - t.planned[i],
                "cum_planned": cum_planned[i],
                "cum_actual": cum_actual[i],
                "past": i < self.elapsed,
            }
            for i, label in enumerate(self.month_labels)
        ]

    @property
    def year_gone_pct(self) -> Decimal:
        return (Decimal(self.elapsed) * HUNDRED / 12).quantize(Decimal("1"), rounding=ROUND_HALF_UP)

    @property
    def spent_pct(self) -> Decimal | None:
        return self.total.used_pct

    @property
    def over(self) -> list[VarianceRow]:
        return [r for r in self.rows if r.variance_ytd > 0]


def variance_of(
    *,
    planned: dict[str, list[Decimal]],
    actual: dict[str, list[Decimal]],
    categories: Sequence[tuple[str, str]],
    elapsed: int,
    month_labels: list[str],
) -> Variance:
    rows = [
        VarianceRow(key, label, planned.get(key, zeros()), actual.get(key, zeros()), elapsed)
        for key, label in categories
        if key in planned or key in actual
    ]
    total = VarianceRow(
        "total",
        "Total",
        sum_months(r.planned for r in rows),
        sum_months(r.actual for r in rows),
        elapsed,
    )
    return Variance(rows=rows, total=total, elapsed=elapsed, month_labels=month_labels)


# --- the three-year forecast --------------------------------------------------------------------------


@dataclass
class ForecastYear:
    year: int
    carried: Decimal = ZERO  # the budget's recurring lines, with inflation (the budget year: its total)
    new_one_time: Decimal = ZERO
    new_recurring: Decimal = ZERO
    by_category: dict[str, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return self.carried + self.new_one_time + self.new_recurring


@dataclass
class Forecast:
    years: list[ForecastYear]
    rate: Decimal
    categories: list[tuple[str, str]]

    @property
    def rows(self) -> list[dict]:
        """One row per category with a figure in any year: {"key", "label", "values": [per year]}."""
        found = []
        for key, label in self.categories:
            values = [y.by_category.get(key, ZERO) for y in self.years]
            if any(values):
                found.append({"key": key, "label": label, "values": values})
        return found


def forecast_of(
    *,
    lines: Iterable,
    fiscal_year: int,
    rate: Decimal,
    later_costs: dict[int, list[tuple[str, object]]],
    categories: Sequence[tuple[str, str]],
    years: int = 3,
) -> Forecast:
    """Year 1 is the budget as planned. In each later year: every recurring line that runs to the end
    of the budget year, a whole year of it (amount × occurrences per year), grown by `rate` percent a
    year; plus the roadmap's initiatives starting after the budget year (`later_costs`: year ->
    [(category, InitiativeYearCost)]), at their estimates — one-time costs in their start year,
    recurring costs from their start month on. One-time lines are not carried forward."""
    lines = list(lines)
    growth = Decimal(1) + Decimal(rate) / HUNDRED
    first = ForecastYear(fiscal_year)
    for line in lines:
        total = phasing.line_total(line)
        first.carried += total
        first.by_category[line.category] = first.by_category.get(line.category, ZERO) + total
    found = [first]
    for k in range(1, years):
        year = ForecastYear(fiscal_year + k)
        factor = growth**k
        for line in lines:
            base = phasing.annualized(line)
            if not base:
                continue
            value = (base * factor).quantize(CENT, rounding=ROUND_HALF_UP)
            year.carried += value
            year.by_category[line.category] = year.by_category.get(line.category, ZERO) + value
        for category, cost in later_costs.get(fiscal_year + k, []):
            year.new_one_time += cost.one_time
            year.new_recurring += cost.recurring
            year.by_category[category] = year.by_category.get(category, ZERO) + cost.total
        found.append(year)
    return Forecast(years=found, rate=Decimal(rate), categories=list(categories))


# --- scenarios side by side ---------------------------------------------------------------------------


@dataclass
class CompareRow:
    label: str
    values: list[Decimal]  # the base first, then each scenario

    @property
    def diffs(self) -> list[Decimal]:
        base = self.values[0]
        return [v - base for v in self.values[1:]]

    @property
    def cells(self) -> list[tuple[Decimal, Decimal | None]]:
        """(value, difference from the base — None for the base itself)."""
        return [(self.values[0], None)] + list(zip(self.values[1:], self.diffs, strict=True))

    @property
    def changed(self) -> bool:
        return any(self.diffs)


@dataclass
class Comparison:
    columns: list  # the budgets compared, the base first
    categories: list[CompareRow]
    months: list[CompareRow]
    total: CompareRow


def compare_of(
    columns: list, plans: list[Plan], categories: Sequence[tuple[str, str]], month_labels: list[str]
) -> Comparison:
    by_cat = [p.by_category() for p in plans]
    cat_rows = [
        CompareRow(label, [sum(b.get(key, zeros()), ZERO) for b in by_cat])
        for key, label in categories
        if any(key in b for b in by_cat)
    ]
    month_rows = [CompareRow(label, [p.months[i] for p in plans]) for i, label in enumerate(month_labels)]
    return Comparison(
        columns=columns,
        categories=cat_rows,
        months=month_rows,
        total=CompareRow("Total", [p.total for p in plans]),
    )


# --- the API's summary -----------------------------------------------------------------------------------


def _s(value: Decimal) -> str:
    return str(phasing.money(value))


def summary_data(
    *, plan: Plan, variance: Variance, categories: Sequence[tuple[str, str]], month_starts: list
) -> dict:
    """Totals by category and by fiscal month, planned vs actual and variance, as Decimal strings."""
    rows = {r.key: r for r in variance.rows}
    total = variance.total
    return {
        "months": [d.isoformat() for d in month_starts],
        "month_labels": list(variance.month_labels),
        "months_elapsed": variance.elapsed,
        "planned": {"total": _s(total.planned_total), "by_month": [_s(v) for v in total.planned]},
        "actual": {"total": _s(total.actual_total), "by_month": [_s(v) for v in total.actual]},
        "variance": {"total": _s(total.variance_total), "by_month": [_s(v) for v in total.variance]},
        "year_to_date": {
            "planned": _s(total.planned_ytd),
            "actual": _s(total.actual_ytd),
            "variance": _s(total.variance_ytd),
        },
        "plan": {
            "capex": _s(plan.summary.capex),
            "opex": _s(plan.summary.opex),
            "one_time": _s(plan.summary.one_time),
            "recurring": _s(plan.summary.recurring),
        },
        "categories": [
            {
                "category": key,
                "label": label,
                "planned": _s(rows[key].planned_total),
                "actual": _s(rows[key].actual_total),
                "variance": _s(rows[key].variance_total),
                "planned_by_month": [_s(v) for v in rows[key].planned],
                "actual_by_month": [_s(v) for v in rows[key].actual],
                "variance_by_month": [_s(v) for v in rows[key].variance],
            }
            for key, label in categories
            if key in rows
        ],
    }
