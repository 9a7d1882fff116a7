"""The QBR report's budget section (order 40): the client's budget for the fiscal year of the report's
quarter — planned vs actual year to date by month (the budgets app's paired-bar chart) and by
category, and the forecast for the next years. qbr may import budgets (never the other way round).

Fixed queries whatever the budget's size: the budget, its lines, the actuals by month, the budget
settings and the forecast's later initiatives (two years)."""

from decimal import Decimal

from budgets import selectors as budget_selectors
from vcio import charts
from vcio.templatetags.vcio_tags import format_money

from .report_sections import Headline, ReportScope, register_report_section

ZERO = Decimal("0.00")


def chart_money(currency: str) -> str:
    """The currency's symbol for chart axes ("$"), as the budgets pages show it."""
    return format_money(0, currency).replace("0.00", "").replace("0", "").strip()


def gather_budget(scope: ReportScope) -> dict:
    client, currency = scope.client, scope.currency
    year = scope.period.year
    fy = f"FY{year}"
    budget = budget_selectors.budget_of(client=client, fiscal_year=year)
    if budget is None:
        return {
            "year": year,
            "budget": None,
            "headlines": [Headline("budget", "Budget spent", "—", f"no {fy} budget yet")],
        }
    budget.client = client  # already loaded: no query for it
    lines = list(budget_selectors.budget_lines(budget=budget))
    plan = budget_selectors.plan(budget=budget, lines=lines, with_previous=False)
    variance = budget_selectors.variance(budget=budget, plan_=plan, today=scope.today)
    forecast = budget_selectors.forecast(budget=budget, lines=lines)
    t = variance.total
    prefix = chart_money(currency)
    monthly = charts.grouped_bar_chart(
        [t.planned, [v if i < variance.elapsed else None for i, v in enumerate(t.actual)]],
        variance.month_labels,
        series=["Planned", "Actual"],
        title=f"{fy}: planned and actual spend by month",
        accent=scope.accent,
        prefix=prefix,
    )
    forecast_chart = charts.bar_chart(
        [y.total for y in forecast.years],
        [f"FY{y.year}" for y in forecast.years],
        title=f"Forecast from the {fy} budget",
        accent=scope.accent,
        prefix=prefix,
        height=200,
    )
    if variance.elapsed == 0:
        caption = f"{fy} has not started: {format_money(t.planned_total, currency)} planned."
    elif t.planned_total:
        caption = (
            f"Spent {variance.spent_pct}% of the {fy} budget ({format_money(t.actual_ytd, currency)} of "
            f"{format_money(t.planned_total, currency)}) with {variance.year_gone_pct}% of the year gone."
        )
    else:
        caption = f"Spent {format_money(t.actual_ytd, currency)} in {fy} without a plan."
    rows = [
        {
            "label": r.label,
            "planned": r.planned_total,
            "planned_ytd": r.planned_ytd,
            "actual_ytd": r.actual_ytd,
            "variance_ytd": r.variance_ytd,
        }
        for r in variance.rows
    ]
    spent = f"{variance.spent_pct}%" if variance.spent_pct is not None else "—"
    over = sorted(variance.over, key=lambda r: r.variance_ytd, reverse=True)
    highlights = [caption]
    if over:
        highlights.append(
            f"{over[0].label} is {format_money(over[0].variance_ytd, currency)} over its plan to date."
        )
    return {
        "year": year,
        "budget": {"label": budget.label, "status": budget.get_status_display()},
        "planned_total": t.planned_total,
        "planned_ytd": t.planned_ytd,
        "actual_ytd": t.actual_ytd,
        "variance_ytd": t.variance_ytd,
        "spent": spent,
        "year_gone": variance.year_gone_pct,
        "rows": rows,
        "chart": monthly,
        "caption": caption,
        "forecast": [{"year": y.year, "total": y.total} for y in forecast.years],
        "forecast_chart": forecast_chart,
        "forecast_rate": forecast.rate.normalize(),
        "headlines": [
            Headline("budget", "Budget spent", spent, f"of {fy}, {variance.year_gone_pct}% of the year gone")
        ],
        "highlights": highlights,
    }


def register() -> None:
    register_report_section(
        key="budget", title="Budget", order=40, gather=gather_budget, template="pdf/qbr/sections/budget.html"
    )
