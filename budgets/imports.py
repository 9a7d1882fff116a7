"""CSV import of actual spend: read a file, map its columns to the fields (date, amount, category,
vendor, description), validate every row exactly as the form would (the same service), and report
what would be created and every error as (row, column, message).

Nothing here writes: `actual_services.actuals_import` writes all rows or none, after the whole file has been
validated again. Rows are numbered as in a spreadsheet: the header is row 1, the first payment row 2;
a column is named by the file's own header.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from clients.models import Client
from vendors.selectors import vendor_by_name

from .actual_services import validate_actual
from .models import BudgetCategory

MAX_BYTES = 512 * 1024
MAX_ROWS = 5_000


@dataclass(frozen=True)
class Target:
    name: str
    label: str
    required: bool
    help: str
    example: str
    aliases: tuple[str, ...] = ()


TARGETS = [
    Target(
        "date",
        "Date",
        True,
        "The day it was paid.",
        "2026-03-31",
        ("paid", "paid_on", "posted", "transaction_date"),
    ),
    Target(
        "amount",
        "Amount",
        True,
        "e.g. 1234.50 or -25.00 for a credit (a currency symbol and thousands separators are fine).",
        "1234.50",
        ("total", "value", "cost", "spend", "debit"),
    ),
    Target(
        "category",
        "Category",
        True,
        "hardware, software & saas, cloud, managed services, projects, security, telecom, training, "
        "staff or other.",
        "cloud",
        ("budget_category", "type"),
    ),
    Target(
        "vendor",
        "Vendor",
        False,
        "A vendor of your directory, by name (or leave it empty).",
        "Contoso Cloud Solutions (Microsoft CSP)",
        ("supplier", "payee", "merchant"),
    ),
    Target(
        "description",
        "Description",
        False,
        "What it was for.",
        "Azure consumption, March",
        ("memo", "note", "notes", "details", "item"),
    ),
]
TARGET_NAMES = [t.name for t in TARGETS]
DATE_FORMATS = [
    ("iso", "YYYY-MM-DD (2026-03-31)"),
    ("us", "MM/DD/YYYY (03/31/2026)"),
    ("eu", "DD/MM/YYYY (31/03/2026)"),
]
_PATTERNS = {"iso": "%Y-%m-%d", "us": "%m/%d/%Y", "eu": "%d/%m/%Y"}
_CATEGORY_WORDS = {
    "software": BudgetCategory.SOFTWARE,
    "saas": BudgetCategory.SOFTWARE,
    "software & saas": BudgetCategory.SOFTWARE,
    "software and saas": BudgetCategory.SOFTWARE,
    "managed services": BudgetCategory.MANAGED,
    "managed service": BudgetCategory.MANAGED,
    "msp": BudgetCategory.MANAGED,
    "project": BudgetCategory.PROJECTS,
}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class PreviewRow:
    row: int
    actual: object  # an unsaved, validated Actual
    data: dict


@dataclass
class ImportPreview:
    rows: list[PreviewRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors if e.row > 1})

    @property
    def amount(self) -> Decimal:
        return sum((r.actual.amount for r in self.rows), Decimal("0.00"))

    def service_rows(self) -> list[dict]:
        return [r.data for r in self.rows]


def decode(raw: bytes) -> str:
    """The file's text; ValidationError for a file too large, or not UTF-8 text."""
    if len(raw) > MAX_BYTES:
        raise ValidationError(f"The file is larger than {MAX_BYTES // 1024} KB; split it into smaller files.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            "The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again."
        ) from None
    if "\x00" in text:
        raise ValidationError("The file is not a CSV text file.")
    return text


def read(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(header, [(row number, cells)]) — blank lines skipped; ValidationError when it is not CSV."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise ValidationError("The file is empty. Download the template and fill it in.") from None
    except csv.Error as exc:
        raise ValidationError(f"The file is not valid CSV ({exc}).") from None
    rows = []
    number = 1
    try:
        for number, cells in enumerate(reader, start=2):  # noqa: B007 - the last number is reported
            if any(cell.strip() for cell in cells):
                rows.append((number, cells))
    except csv.Error as exc:
        raise ValidationError(f"Row {number + 1}: the file is not valid CSV ({exc}).") from None
    if not any(header):
        raise ValidationError("The first row must name the columns.")
    return header, rows


def _normal(name: str) -> str:
    return re.sub(r"[\s\-/]+", "_", (name or "").strip().lower()).strip("_")


def guess_mapping(header: list[str]) -> dict[str, int | None]:
    """Target -> the index of the file's column that most likely holds it (by name or alias)."""
    found: dict[str, int | None] = {}
    names = [_normal(h) for h in header]
    for target in TARGETS:
        wanted = (target.name, *target.aliases)
        found[target.name] = next((i for i, n in enumerate(names) if n in wanted), None)
    return found


def _parse_date(value: str, date_format: str) -> date:
    pattern = _PATTERNS.get(date_format, _PATTERNS["iso"])
    try:
        day = datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a calendar date, no time
    except ValueError:
        example = dict(DATE_FORMATS).get(date_format, DATE_FORMATS[0][1])
        raise ValueError(f"“{value}” is not a date written as {example}.") from None
    if not 2000 <= day.year <= 2100:
        raise ValueError("Give a date from 2000 to 2100.")
    return day


def _parse_amount(value: str) -> Decimal:
    text = value.strip()
    negative = text.startswith("(") and text.endswith(")")
    cleaned = text.strip("()").replace(",", "").replace(" ", "").replace("\u00a0", "")
    cleaned = re.sub(r"^([+-]?)[$€£¥]|^[$€£¥]([+-]?)", r"\1\2", cleaned)
    if not re.fullmatch(r"[+-]?\d{1,12}(\.\d{1,2})?", cleaned):
        raise ValueError(f"“{value}” is not an amount; write it like 1234.50 (at most two decimals).")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern already refuses it
        raise ValueError(f"“{value}” is not an amount.") from None
    return -amount if negative else amount


def _parse_category(value: str) -> str:
    lowered = " ".join(value.lower().replace("_", " ").split())
    for key, label in BudgetCategory.choices:
        if lowered in (key.replace("_", " "), str(label).lower()):
            return key
    if lowered in _CATEGORY_WORDS:
        return _CATEGORY_WORDS[lowered]
    choices = ", ".join(str(label).lower() for _, label in BudgetCategory.choices)
    raise ValueError(f"Unknown category “{value}”: choose {choices}.")


def parse(
    text: str, *, client: Client, mapping: dict[str, int | None], date_format: str = "iso"
) -> ImportPreview:
    """Validate every row with the given column mapping (target -> column index). Never writes."""
    preview = ImportPreview()
    try:
        header, rows = read(text)
    except ValidationError as exc:
        preview.errors.append(RowError(1, "", " ".join(exc.messages)))
        return preview
    for target in TARGETS:
        index = mapping.get(target.name)
        if index is not None and not 0 <= index < len(header):
            preview.errors.append(RowError(1, target.label, "Choose one of the file's columns."))
        elif target.required and index is None:
            preview.errors.append(
                RowError(1, target.label, f"Choose the column that holds the {target.label.lower()}.")
            )
    used = [i for i in mapping.values() if i is not None]
    if len(used) != len(set(used)):
        preview.errors.append(RowError(1, "", "Each column of the file can fill one field only."))
    if preview.errors:
        return preview
    if not rows:
        preview.errors.append(RowError(2, "", "The file has no rows after its header."))
        return preview
    if len(rows) > MAX_ROWS:
        preview.errors.append(RowError(MAX_ROWS + 2, "", f"More than {MAX_ROWS} rows; split the file."))
        return preview
    vendors = vendor_by_name(practice=client.practice_id)
    column_name = {
        t.name: (header[mapping[t.name]] or t.label) for t in TARGETS if mapping.get(t.name) is not None
    }
    for number, cells in rows:
        preview.total += 1
        _parse_row(preview, number, cells, mapping, column_name, vendors, client, date_format)
    return preview


def _parse_row(preview, number, cells, mapping, column_name, vendors, client, date_format) -> None:
    errors: list[RowError] = []
    data: dict = {}

    def cell(target: str) -> str:
        index = mapping.get(target)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def fail(target: str, message: str) -> None:
        errors.append(RowError(number, column_name.get(target, target), message))

    parsers = {
        "date": lambda v: _parse_date(v, date_format),
        "amount": _parse_amount,
        "category": _parse_category,
    }
    for target, parser in parsers.items():
        value = cell(target)
        if not value:
            fail(target, "This cell is required.")
            continue
        try:
            data[target] = parser(value)
        except ValueError as exc:
            fail(target, str(exc))
    vendor_name = cell("vendor")
    if vendor_name:
        vendor = vendors.get(vendor_name.lower())
        if vendor is None:
            fail(
                "vendor",
                f"No vendor called “{vendor_name}” in the directory; add it first or leave the cell empty.",
            )
        else:
            data["vendor"] = vendor
    description = cell("description")
    if len(description) > 300:
        fail("description", "At most 300 characters.")
    else:
        data["description"] = " ".join(description.split())
    if not errors:
        try:
            actual = validate_actual(client=client, **data)
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                for message in messages:
                    fail(field_name if field_name in column_name else "", message)
        else:
            preview.rows.append(PreviewRow(number, actual, data))
    preview.errors.extend(errors)


def template_rows() -> tuple[list[str], list[str]]:
    return [t.name for t in TARGETS], [t.example for t in TARGETS]
