"""The initiative library as CSV: the export's columns, the import's parser and its preview.

An import is read in full and checked before anything is written: every problem is reported with its
row (as a spreadsheet numbers it, the header being row 1) and its column, and the file is imported
all or nothing (`library_services.templates_import`). The export's columns are the import's, so a
library exported from one practice imports into another (or back, to update it).
"""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from .library_services import TEMPLATE_FIELDS, normalise_tags
from .models import Category, InitiativeTemplate, Priority

COLUMNS = [
    ("title", "Title"),
    ("category", "Category"),
    ("priority", "Priority"),
    ("one_time_cost", "Typical one-time cost"),
    ("recurring_monthly_cost", "Typical monthly cost"),
    ("effort_hours", "Effort (hours)"),
    ("tags", "Tags"),
    ("description", "Description"),
    ("business_impact", "Business impact"),
    ("risk_if_not_done", "Risk if not done"),
]
LABELS = dict(COLUMNS)
HEADER = [label for _, label in COLUMNS]
MAX_BYTES = 1_000_000
MAX_ROWS = 1_000
SAMPLE_ROWS = [
    [
        "Roll out multi-factor authentication",
        "Security",
        "Critical",
        "2500",
        "6",
        "24",
        "security, insurance, identity",
        "Require MFA for e-mail, VPN and admin accounts; number matching in the authenticator app.",
        "Stops most account-takeover attacks; insurers ask for it.",
        "A phished password opens the mailbox and the way to ransomware.",
    ],
    [
        "Laptop refresh",
        "End-user devices",
        "Medium",
        "1450",
        "0",
        "40",
        "lifecycle, hardware",
        "Replace laptops older than four years; image with Autopilot.",
        "Fewer help-desk tickets; supported, encrypted devices.",
        "Ageing devices fail during busy season and miss security updates.",
    ],
]

_AMOUNT = re.compile(r"^[0-9]{1,12}(\.[0-9]{1,2})?$")


def export_rows(templates):
    """The CSV rows of templates (no header), in the export's column order."""
    for t in templates:
        yield [
            t.title,
            t.get_category_display(),
            t.get_priority_display(),
            t.one_time_cost,
            t.recurring_monthly_cost,
            t.effort_hours if t.effort_hours is not None else "",
            t.tags,
            t.description,
            t.business_impact,
            t.risk_if_not_done,
        ]


@dataclass
class ImportRow:
    number: int  # the spreadsheet's row number (the header is row 1)
    values: dict  # field -> the text as written in the file
    data: dict = field(default_factory=dict)  # field -> the parsed value (when valid)
    errors: list = field(default_factory=list)  # [(column label, message)]
    updates: bool = False  # a template with this title is already in the library

    @property
    def title(self) -> str:
        return self.values.get("title", "")


@dataclass
class ImportPreview:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # about the whole file
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def row_errors(self) -> list[str]:
        return [f"Row {r.number}, {column}: {message}" for r in self.rows for column, message in r.errors]

    @property
    def valid(self) -> bool:
        return bool(self.rows) and not self.errors and not any(r.errors for r in self.rows)

    @property
    def new_count(self) -> int:
        return sum(1 for r in self.rows if not r.updates)

    @property
    def update_count(self) -> int:
        return sum(1 for r in self.rows if r.updates)

    def service_rows(self) -> list[tuple[int, dict]]:
        return [(r.number, r.data) for r in self.rows]


def decode(raw: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252 (Excel's "CSV" on Windows)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _choice(text: str, choices, column: str, default: str):
    text = text.strip()
    if not text:
        return default
    for value, label in choices:
        if text.lower() in (value.lower(), label.lower()):
            return value
    labels = ", ".join(label for _, label in choices)
    raise ValidationError(f"“{text[:40]}” is not a {column.lower()}; use one of: {labels}.")


def _amount(text: str, decimal_comma: bool = False) -> Decimal:
    """ "1,200.50", "$1200" -> 1200.50; with `decimal_comma` (a semicolon-separated file, as Excel
    writes it where the comma is the decimal mark) "1.200,50" -> 1200.50."""
    cleaned = re.sub(r"[\s$€£¥]", "", text)
    thousands, decimal = (".", ",") if decimal_comma else (",", ".")
    cleaned = cleaned.replace(thousands, "").replace(decimal, ".")
    if not cleaned:
        return Decimal("0")
    if cleaned.startswith("-"):
        raise ValidationError("An amount cannot be negative.")
    if not _AMOUNT.match(cleaned):
        raise ValidationError("Write an amount like 1200 or 1,200.50.")
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        raise ValidationError("Write an amount like 1200 or 1,200.50.") from None


def _hours(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise ValidationError("Write a whole number of hours, like 40.")
    return int(text)


PARSERS = {
    "category": lambda t: _choice(t, Category.choices, "Category", Category.OTHER),
    "priority": lambda t: _choice(t, Priority.choices, "Priority", Priority.MEDIUM),
    "one_time_cost": _amount,
    "recurring_monthly_cost": _amount,  # (both get `decimal_comma` in `_check_row`)
    "effort_hours": _hours,
    "tags": normalise_tags,
}


def _header_field(name: str) -> str | None:
    key = " ".join(name.replace("\ufeff", "").split()).lower()
    for fname, label in COLUMNS:
        if key in (fname, label.lower(), fname.replace("_", " ")):
            return fname
    aliases = {
        "one-time cost": "one_time_cost",
        "monthly cost": "recurring_monthly_cost",
        "effort": "effort_hours",
    }
    return aliases.get(key)


def parse(raw: bytes | str, *, practice) -> ImportPreview:
    """Read and check a whole CSV file of templates for `practice`; writes nothing."""
    preview = ImportPreview()
    if isinstance(raw, bytes):
        if len(raw) > MAX_BYTES:
            preview.errors.append(f"The file is larger than {MAX_BYTES // 1_000_000} MB; split it.")
            return preview
        raw = decode(raw)
    text = raw.replace("\x00", "")
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader, None)
        if not header:
            preview.errors.append("The file is empty. Download the sample file to see the columns.")
            return preview
        positions: dict[str, int] = {}
        for index, name in enumerate(header):
            fname = _header_field(name)
            if fname is None:
                if name.strip():
                    preview.ignored_columns.append(name.strip()[:60])
            elif fname in positions:
                preview.errors.append(f"The column “{LABELS[fname]}” appears twice.")
            else:
                positions[fname] = index
        if "title" not in positions:
            preview.errors.append(
                "The file has no “Title” column. Download the sample file to see the columns."
            )
            return preview
        records = list(reader)
    except csv.Error as exc:
        preview.errors.append(f"The file is not a readable CSV file ({exc}).")
        return preview
    if len(records) > MAX_ROWS:
        preview.errors.append(f"The file has {len(records)} rows; import at most {MAX_ROWS} at a time.")
        return preview

    existing = {
        t.lower() for t in InitiativeTemplate.objects.for_practice(practice).values_list("title", flat=True)
    }
    seen: dict[str, int] = {}
    for offset, record in enumerate(records):
        if not any(cell.strip() for cell in record):
            continue  # a blank line
        row = ImportRow(
            number=offset + 2,
            values={f: record[i].strip() if i < len(record) else "" for f, i in positions.items()},
        )
        preview.rows.append(row)
        _check_row(row, practice, decimal_comma=dialect.delimiter == ";")
        key = row.title.lower()
        if key in seen:
            row.errors.append((LABELS["title"], f"The same title is on row {seen[key]}."))
        elif key:
            seen[key] = row.number
            row.updates = key in existing
    if not preview.rows and not preview.errors:
        preview.errors.append("The file has a header but no rows.")
    return preview


def _check_row(row: ImportRow, practice, decimal_comma: bool = False) -> None:
    data = {}
    for fname, text in row.values.items():
        parser = PARSERS.get(fname)
        try:
            if parser is _amount:
                data[fname] = _amount(text, decimal_comma)
            else:
                data[fname] = parser(text) if parser else text
        except ValidationError as exc:
            row.errors.append((LABELS[fname], " ".join(exc.messages)))
    if row.errors:
        return
    template = InitiativeTemplate(practice_id=getattr(practice, "pk", practice), **data)
    errors = {}
    try:
        template.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors = exc.message_dict
    for fname in TEMPLATE_FIELDS:  # TextField lengths are not checked by full_clean()
        limit = InitiativeTemplate._meta.get_field(fname).max_length
        if limit and fname in data and isinstance(data[fname], str) and len(data[fname]) > limit:
            errors.setdefault(fname, [f"Keep it under {limit:,} characters."])
    for fname, messages in errors.items():
        column = LABELS.get(fname, "Row")
        for message in messages:
            row.errors.append((column, message))
    if not errors:
        row.data = data
