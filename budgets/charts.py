"""The budget's charts and their captions (server-side SVG through `vcio.charts`): the Budget tab and
the client portal draw the same pictures from the same selectors' results."""

from vcio import charts
from vcio.templatetags.vcio_tags import format_money

from . import reports
from .models import Budget


def _chart_money(currency: str) -> str:
    return format_money(0, currency).replace("0.00", "").replace("0", "").strip()


def category_chart(plan: reports.Plan, *, budget: Budget, accent: str, currency: str):
    """Spend by category (horizontal bars) and the caption that says what matters."""
    groups = sorted(plan.groups, key=lambda g: g.total, reverse=True)
    if not groups or not plan.total:
        return None, ""
    svg = charts.horizontal_bars(
        [g.total for g in groups],
        [g.label for g in groups],
        title=f"{budget.label}: planned spend by category",
        accent=accent,
        width=520,
        label_width=130,
        prefix=_chart_money(currency),
    )
    top = groups[0]
    share = reports.pct(top.total, plan.total)
    caption = f"{top.label} is the largest category: {format_money(top.total, currency)}, {share}% of the {format_money(plan.total, currency)} planned."
    return svg, caption


def monthly_chart(variance: reports.Variance, *, budget: Budget, accent: str, currency: str):
    """Planned vs actual by month (paired bars) and the caption: spent so far against the year gone."""
    t = variance.total
    svg = charts.grouped_bar_chart(
        [t.planned, [v if i < variance.elapsed else None for i, v in enumerate(t.actual)]],
        variance.month_labels,
        series=["Planned", "Actual"],
        title=f"{budget.label}: planned and actual spend by month",
        accent=accent,
        prefix=_chart_money(currency),
        axis_label="",
    )
    fy = f"FY{budget.fiscal_year}"
    if variance.elapsed == 0:
        caption = f"{fy} has not started: {format_money(t.planned_total, currency)} planned."
    elif t.planned_total:
        caption = (
            f"Spent {variance.spent_pct}% of the {fy} budget ({format_money(t.actual_ytd, currency)} of "
            f"{format_money(t.planned_total, currency)}) with {variance.year_gone_pct}% of the year gone."
        )
    else:
        caption = f"Spent {format_money(t.actual_ytd, currency)} in {fy} without a plan."
    return svg, caption


def actual_chart(variance: reports.Variance, *, budget: Budget, accent: str, currency: str):
    rows = [r for r in variance.rows if r.actual_ytd or r.planned_ytd]
    if not rows:
        return None, ""
    svg = charts.horizontal_bars(
        [r.actual_ytd for r in rows],
        [r.label for r in rows],
        title=f"{budget.label}: actual spend to date by category",
        accent=accent,
        width=480,
        label_width=130,
        prefix=_chart_money(currency),
    )
    over = sorted(variance.over, key=lambda r: r.variance_ytd, reverse=True)
    if over:
        caption = f"{over[0].label} is {format_money(over[0].variance_ytd, currency)} over its plan to date."
    else:
        caption = "Every category is within its plan to date."
    return svg, caption


def forecast_chart(forecast: reports.Forecast, *, budget: Budget, accent: str, currency: str):
    """Total per forecast year (bars) and the caption: the last year against the first."""
    totals = [y.total for y in forecast.years]
    svg = charts.bar_chart(
        totals,
        [f"FY{y.year}" for y in forecast.years],
        title=f"Forecast from the {budget.label}",
        accent=accent,
        prefix=_chart_money(currency),
        height=220,
    )
    last, first = forecast.years[-1], forecast.years[0]
    change = reports.pct(last.total - first.total, first.total)
    caption = (
        f"FY{last.year}: {format_money(last.total, currency)}"
        + (f", {'+' if change > 0 else ''}{change}% on FY{first.year}" if change is not None else "")
        + f" — recurring costs grow {forecast.rate.normalize():f}% a year."
    )
    return svg, caption
