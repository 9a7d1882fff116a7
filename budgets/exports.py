"""CSV and XLSX exports of a budget: the same figures as the pages (`budgets.reports`).

CSV goes through `vcio.listing.csv_response` (a byte-order mark, formula-safe cells). XLSX is written
with openpyxl: a sheet per view (summary, plan, budget vs actual, forecast, actuals), numbers as
numbers with the practice's currency format, text always stored as text (never a formula).
"""

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from vcio.templatetags.vcio_tags import CURRENCY_SYMBOLS, ZERO_DECIMAL

from . import phasing

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill("solid", fgColor="F3F4F6")
BOLD = Font(bold=True)


def currency_format(currency: str) -> str:
    """An Excel number format showing the practice's currency: `"$"#,##0.00` or `#,##0.00 "CHF"`."""
    places = "" if currency in ZERO_DECIMAL else ".00"
    symbol = (CURRENCY_SYMBOLS.get(currency) or "").strip()
    code = "".join(ch for ch in (currency or "") if ch.isalpha())[:3] or "USD"
    if symbol and not symbol.isalpha():
        body = f'"{symbol}"#,##0{places}'
        return f"{body};-{body}"
    return f'#,##0{places} "{symbol or code}";-#,##0{places} "{symbol or code}"'


def month_headers(budget) -> list[str]:
    starts = phasing.month_starts(budget.fiscal_year, budget.client.fiscal_year_start_month)
    return [f"{d:%b %Y}" for d in starts]


# --- CSV rows ------------------------------------------------------------------------------------------


def plan_rows(budget, plan) -> tuple[list[str], list[list]]:
    header = [
        "Category",
        "Description",
        "Source",
        "Vendor",
        "Capex/opex",
        "Recurrence",
        "Amount per occurrence",
        "First fiscal month",
        "Months",
        *month_headers(budget),
        "Total",
        "Changed by hand",
        "Dropped",
    ]
    rows = []
    for group in plan.groups:
        for row in group.rows:
            line = row.line
            rows.append(
                [
                    group.label,
                    line.name,
                    line.get_source_display(),
                    line.vendor.name if line.vendor_id else "",
                    line.get_expense_type_display(),
                    line.get_recurrence_display(),
                    line.amount,
                    line.first_month,
                    line.months or "",
                    *row.months,
                    row.total,
                    "yes" if line.adjusted else "no",
                    "yes" if line.dropped else "no",
                ]
            )
    return header, rows


def variance_rows(budget, variance) -> tuple[list[str], list[list]]:
    header = ["Category", "Month", "Planned", "Actual", "Variance"]
    starts = phasing.month_starts(budget.fiscal_year, budget.client.fiscal_year_start_month)
    rows = []
    for row in [*variance.rows, variance.total]:
        for i, (planned, actual, diff) in enumerate(row.cells):
            rows.append([row.label, f"{starts[i]:%Y-%m}", planned, actual, diff])
    return header, rows


def forecast_rows(forecast) -> tuple[list[str], list[list]]:
    header = ["Category", *[f"FY{y.year}" for y in forecast.years]]
    rows = [[r["label"], *r["values"]] for r in forecast.rows]
    rows.append(["Recurring (carried forward)", *[y.carried for y in forecast.years]])
    rows.append(["New initiatives, one-time", *[y.new_one_time for y in forecast.years]])
    rows.append(["New initiatives, recurring", *[y.new_recurring for y in forecast.years]])
    rows.append(["Total", *[y.total for y in forecast.years]])
    return header, rows


def actual_rows(actuals) -> tuple[list[str], list[list]]:
    header = ["Date", "Amount", "Category", "Vendor", "Description", "Budget line", "Source"]
    rows = [
        [
            a.date.isoformat(),
            a.amount,
            a.get_category_display(),
            a.vendor.name if a.vendor_id else "",
            a.description,
            a.budget_line.name if a.budget_line_id else "",
            a.get_source_display(),
        ]
        for a in actuals
    ]
    return header, rows


# --- XLSX ----------------------------------------------------------------------------------------------


def _text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _write(ws, row: int, values: list, money_format: str, *, bold: bool = False, money_from: int = 0) -> None:
    for col, value in enumerate(values, start=1):
        if isinstance(value, Decimal):
            cell = ws.cell(row=row, column=col, value=value)
            if col > money_from:
                cell.number_format = money_format
        elif isinstance(value, int | float) and not isinstance(value, bool):
            cell = ws.cell(row=row, column=col, value=value)
        else:
            cell = ws.cell(row=row, column=col, value=_text("" if value is None else str(value)))
            cell.data_type = "s"  # text stays text: "=1+1" is not a formula
        if bold:
            cell.font = BOLD


def _sheet(
    wb, title: str, header: list[str], rows: list[list], money_format: str, *, widths=None, money_from=0
):
    ws = wb.create_sheet(title=title[:31])
    _write(ws, 1, header, money_format, bold=True)
    for cell in ws[1]:
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, values in enumerate(rows, start=2):
        _write(ws, i, values, money_format, money_from=money_from)
    ws.freeze_panes = "B2"
    for col, width in enumerate(widths or [], start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    return ws


def workbook(*, budget, plan, variance, forecast, actuals, currency: str) -> bytes:
    """The budget as an .xlsx file (bytes)."""
    money = currency_format(currency)
    wb = Workbook()
    summary = wb.active
    summary.title = "Summary"
    s = plan.summary
    items = [
        ("Client", budget.client.name),
        ("Budget", budget.label),
        ("Fiscal year", f"FY{budget.fiscal_year}"),
        ("Status", budget.get_status_display()),
        ("Currency", currency),
        ("Total", s.total),
        ("Capex", s.capex),
        ("Opex", s.opex),
        ("One-time", s.one_time),
        ("Recurring", s.recurring),
        ("Last year's budget", s.previous_total if s.previous_total is not None else "—"),
        ("Planned to date", variance.total.planned_ytd),
        ("Actual to date", variance.total.actual_ytd),
        ("Variance to date (actual − planned)", variance.total.variance_ytd),
    ]
    for i, (label, value) in enumerate(items, start=1):
        _write(summary, i, [label, value], money)
        summary.cell(row=i, column=1).font = BOLD
    summary.column_dimensions["A"].width = 36
    summary.column_dimensions["B"].width = 28

    header, rows = plan_rows(budget, plan)
    ws = _sheet(wb, "Plan", header, rows, money, widths=[18, 40, 12, 24, 10, 12, 14, 10, 8], money_from=0)
    total_row = len(rows) + 2
    _write(
        ws, total_row, ["Total", "", "", "", "", "", "", "", "", *plan.months, plan.total], money, bold=True
    )

    header = [
        "Category",
        *[f"{label} planned" for label in variance.month_labels],
        "Year planned",
        "Year actual",
        "Planned to date",
        "Actual to date",
        "Variance to date",
    ]
    rows = []
    for row in [*variance.rows, variance.total]:
        rows.append(
            [
                row.label,
                *row.planned,
                row.planned_total,
                row.actual_total,
                row.planned_ytd,
                row.actual_ytd,
                row.variance_ytd,
            ]
        )
    ws = _sheet(wb, "Budget vs actual", header, rows, money, widths=[22])
    start = len(rows) + 3
    _write(
        ws,
        start,
        ["Month", "Planned", "Actual", "Variance", "Cumulative planned", "Cumulative actual"],
        money,
        bold=True,
    )
    for i, m in enumerate(variance.by_month, start=start + 1):
        _write(
            ws,
            i,
            [m["label"], m["planned"], m["actual"], m["variance"], m["cum_planned"], m["cum_actual"]],
            money,
        )

    header, rows = forecast_rows(forecast)
    _sheet(wb, "Forecast", header, rows, money, widths=[30, 16, 16, 16])

    header, rows = actual_rows(actuals)
    _sheet(wb, "Actuals", header, rows, money, widths=[12, 14, 18, 28, 40, 30, 10])

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
