"""CSV import of contracts: parse a file, validate every row exactly as the contract form would (the
same service), and report what would be created and every error as (row, column, message).

Nothing here writes: `services.contracts_import` writes all rows or none, after the whole file has
validated again. Rows are numbered as in a spreadsheet: the header is row 1, the first contract row 2.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from accounts.models import User
from accounts.selectors import practice_member_users
from clients.models import Client

from . import renewals, selectors
from .models import BillingFrequency, ContractType
from .services import validate_contract

MAX_BYTES = 512 * 1024
MAX_ROWS = 1_000


@dataclass(frozen=True)
class Column:
    name: str
    field: str | None  # the contract field it fills (None: looked up, e.g. the client)
    required: bool
    help: str
    example: str


COLUMNS = [
    Column(
        "client",
        None,
        True,
        "The client's name (only when importing for the whole practice).",
        "Harbor Family Dental",
    ),
    Column("vendor", "vendor", True, "A vendor of your directory, by name.", "Contoso Cloud Solutions"),
    Column("name", "name", True, "The product or contract.", "Microsoft 365 Business Premium"),
    Column(
        "type",
        "contract_type",
        False,
        "subscription, licence, support, lease or service (default subscription).",
        "subscription",
    ),
    Column("start_date", "start_date", True, "YYYY-MM-DD.", "2025-07-01"),
    Column(
        "end_date", "end_date", False, "YYYY-MM-DD, the last day of the first term. Or give term_months.", ""
    ),
    Column("term_months", "term_months", False, "Whole months, instead of an end date.", "12"),
    Column("auto_renew", "auto_renew", False, "yes or no (default yes).", "yes"),
    Column(
        "renewal_term_months", "renewal_term_months", False, "Months of each renewal (default: the term).", ""
    ),
    Column("notice_days", "notice_days", False, "Days of notice before the renewal (default 30).", "30"),
    Column(
        "billing_frequency",
        "billing_frequency",
        False,
        "monthly, quarterly, annual or one-time (default monthly).",
        "monthly",
    ),
    Column(
        "cost", "cost", True, "Cost per billing period (per seat when quantity > 1), e.g. 22.00.", "22.00"
    ),
    Column("quantity", "quantity", False, "Seats or units (default 1).", "40"),
    Column("owner_email", "owner", False, "E-mail of the practice member who looks after it.", ""),
    Column("document_url", "document_url", False, "Link to the signed contract.", ""),
    Column("notes", "notes", False, "Anything else.", "Billed through the CSP"),
]
FIELD_COLUMN = {c.field: c.name for c in COLUMNS if c.field}
ALIASES = {
    "product": "name",
    "contract": "name",
    "contract_type": "type",
    "start": "start_date",
    "end": "end_date",
    "term": "term_months",
    "renewal_term": "renewal_term_months",
    "notice": "notice_days",
    "notice_period_days": "notice_days",
    "billing": "billing_frequency",
    "seats": "quantity",
    "owner": "owner_email",
    "document": "document_url",
}
TRUE = {"yes", "y", "true", "1"}
FALSE = {"no", "n", "false", "0"}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class PreviewRow:
    row: int
    client: Client
    contract: object  # an unsaved, validated Contract with `.info`
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
        return len({e.row for e in self.errors})

    def service_rows(self) -> list[dict]:
        return [{"client": r.client, **r.data} for r in self.rows]


def columns_for(client_level: bool) -> list[Column]:
    return [c for c in COLUMNS if not (client_level and c.name == "client")]


def template_rows(client_level: bool) -> tuple[list[str], list[str]]:
    columns = columns_for(client_level)
    return [c.name for c in columns], [c.example for c in columns]


def decode(raw: bytes) -> str:
    """The file's text; ValidationError for a file too large or not UTF-8 text."""
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


def _header_name(raw: str) -> str:
    name = re.sub(r"[\s\-/]+", "_", (raw or "").strip().lower()).strip("_")
    return ALIASES.get(name, name)


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError("Write a date as YYYY-MM-DD, e.g. 2026-01-31.") from None


def _parse_int(value: str, lo: int, hi: int) -> int:
    if not re.fullmatch(r"\d{1,7}", value):
        raise ValueError(f"Write a whole number from {lo} to {hi}.")
    number = int(value)
    if not lo <= number <= hi:
        raise ValueError(f"Write a whole number from {lo} to {hi}.")
    return number


def _parse_money(value: str) -> Decimal:
    cleaned = value.replace(",", "").replace(" ", "").lstrip("$€£")
    if not re.fullmatch(r"\d{1,12}(\.\d{1,2})?", cleaned):
        raise ValueError("Write an amount like 1234.50 (no more than two decimals, not negative).")
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern already refuses it
        raise ValueError("Write an amount like 1234.50.") from None


def _parse_bool(value: str) -> bool:
    lowered = value.lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise ValueError("Write yes or no.")


def _parse_choice(value: str, choices, what: str) -> str:
    lowered = value.lower().replace("-", "_").replace(" ", "_")
    for key, label in choices:
        if lowered in (key, str(label).lower().replace("-", "_").replace(" ", "_")):
            return key
    if lowered == "license":
        return ContractType.LICENCE
    raise ValueError(f"Choose {what}: {', '.join(str(label).lower() for _, label in choices)}.")


class _Lookups:
    """The practice's vendors, clients and members, loaded once per file."""

    def __init__(self, practice):
        self.vendors = selectors.vendor_by_name(practice=practice)
        self.clients: dict[str, list[Client]] = {}
        for client in selectors.client_choices(practice=practice):
            self.clients.setdefault(client.name.strip().lower(), []).append(client)
        self.members: dict[str, User] = {u.email.lower(): u for u in practice_member_users(practice=practice)}


def parse(text: str, *, practice, client: Client | None = None) -> ImportPreview:
    """Validate every row of a contracts CSV for `client` (or, without one, for the practice: then each
    row names its client). Never writes."""
    preview = ImportPreview()
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        preview.errors.append(RowError(1, "", "The file is empty. Download the template and fill it in."))
        return preview
    names = [_header_name(h) for h in header]
    known = {c.name: c for c in columns_for(client is not None)}
    for name, raw in zip(names, header, strict=True):
        if name and name not in known:
            hint = " (the client comes from the page you import on)" if name == "client" else ""
            preview.errors.append(
                RowError(1, raw.strip(), f"Unknown column{hint}; use the template's columns.")
            )
    for column in known.values():
        if column.required and column.name not in names:
            preview.errors.append(RowError(1, column.name, "This column is missing."))
    if preview.errors:
        return preview
    lookups = _Lookups(practice)
    today = selectors.practice_today(client.practice if client is not None else practice)
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue  # a blank line
            preview.total += 1
            if preview.total > MAX_ROWS:
                preview.errors.append(RowError(number, "", f"More than {MAX_ROWS} rows; split the file."))
                break
            if len(cells) > len(names):
                preview.errors.append(
                    RowError(number, "", "This row has more cells than the header has columns.")
                )
                continue
            values = dict(
                zip(names, [c.strip() for c in cells] + [""] * (len(names) - len(cells)), strict=True)
            )
            _parse_row(preview, number, values, known, lookups, client, today)
    except csv.Error as exc:
        preview.errors.append(RowError(reader.line_num, "", f"The file is not valid CSV ({exc})."))
    if not preview.total and not preview.errors:
        preview.errors.append(RowError(2, "", "The file has no contract rows."))
    return preview


def _parse_row(preview, number, values, known, lookups, client, today) -> None:
    errors: list[RowError] = []
    data: dict = {}

    def cell(name):
        return values.get(name, "")

    def fail(column, message):
        errors.append(RowError(number, column, message))

    row_client = client
    if client is None:
        name = cell("client")
        matches = lookups.clients.get(name.lower(), []) if name else []
        if not name:
            fail("client", "Name the client.")
        elif not matches:
            fail("client", f"No client called “{name}”.")
        elif len(matches) > 1:
            fail("client", f"Several clients are called “{name}”; rename one first.")
        else:
            row_client = matches[0]

    vendor_name = cell("vendor")
    if not vendor_name:
        fail("vendor", "Name the vendor.")
    elif vendor_name.lower() not in lookups.vendors:
        fail("vendor", f"No vendor called “{vendor_name}” in the directory; add it first.")
    else:
        data["vendor"] = lookups.vendors[vendor_name.lower()]

    data["name"] = cell("name")
    parsers = {
        "type": ("contract_type", lambda v: _parse_choice(v, ContractType.choices, "a type")),
        "start_date": ("start_date", _parse_date),
        "end_date": ("end_date", _parse_date),
        "term_months": ("term_months", lambda v: _parse_int(v, 1, 600)),
        "auto_renew": ("auto_renew", _parse_bool),
        "renewal_term_months": ("renewal_term_months", lambda v: _parse_int(v, 1, 600)),
        "notice_days": ("notice_days", lambda v: _parse_int(v, 0, 730)),
        "billing_frequency": (
            "billing_frequency",
            lambda v: _parse_choice(v, BillingFrequency.choices, "a billing frequency"),
        ),
        "cost": ("cost", _parse_money),
        "quantity": ("quantity", lambda v: _parse_int(v, 1, 1_000_000)),
    }
    for column, (field_name, parser) in parsers.items():
        value = cell(column)
        if not value:
            if known.get(column) and known[column].required:
                fail(column, "This cell is required.")
            continue
        try:
            data[field_name] = parser(value)
        except ValueError as exc:
            fail(column, str(exc))
    email = cell("owner_email")
    if email:
        owner = lookups.members.get(email.lower())
        if owner is None:
            fail("owner_email", f"No member of the practice has the e-mail {email}.")
        else:
            data["owner"] = owner
    for column in ("document_url", "notes"):
        if cell(column):
            data[column] = cell(column)

    if not errors and row_client is not None:
        try:
            contract = validate_contract(client=row_client, **data)
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                for message in messages:
                    fail(FIELD_COLUMN.get(field_name, ""), message)
        else:
            contract.info = renewals.renewal(contract, today)
            preview.rows.append(PreviewRow(number, row_client, contract, data))
    preview.errors.extend(errors)
