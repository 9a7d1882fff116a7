"""What a budget's generated lines say, from their sources — pure: no database.

- an **initiative** (`roadmaps.selectors.initiative_year_costs`, the roadmap's one cost rule): its
  one-time cost in the first month of its start quarter, its recurring monthly cost every month from
  then (from month 1 when it started in an earlier year) to the end of the year;
- a **contract** (`vendors.selectors.fiscal_year_billing`, the vendors' billing rule): what it bills,
  month by month, as one line at its billing frequency (`phasing.terms_from_charges`).

Each spec is keyed by its source — `("initiative", id, "one_time" | "recurring")` or
`("contract", id, "")` — the key the build matches existing lines on (a unique constraint in the
database too), so nothing is ever duplicated.
"""

from dataclasses import dataclass
from decimal import Decimal

from . import phasing

# roadmaps.models.Category -> budget category (values, so this module imports no model)
INITIATIVE_CATEGORY = {
    "infrastructure": "hardware",
    "network": "hardware",
    "end_user_devices": "hardware",
    "security": "security",
    "cloud": "cloud",
    "data_backup": "cloud",
    "software": "software",
    "staffing": "staff",
    "compliance": "projects",
    "process": "projects",
    "other": "projects",
}
# A one-time cost of these is a purchase (capex); everything else is an expense (opex).
CAPEX_INITIATIVE_CATEGORIES = {"infrastructure", "network", "end_user_devices"}

# vendors.models.VendorCategory -> budget category
VENDOR_CATEGORY = {
    "isp": "telecom",
    "telecom": "telecom",
    "saas": "software",
    "software": "software",
    "cloud": "cloud",
    "hardware": "hardware",
    "security": "security",
    "msp": "managed_services",
    "other": "other",
}

# vendors.renewals billing frequencies -> line recurrences (the same words)
BILLING_RECURRENCE = {
    "monthly": phasing.MONTHLY,
    "quarterly": phasing.QUARTERLY,
    "annual": phasing.ANNUAL,
    "one_time": phasing.ONE_TIME,
}

# The fields of a generated line its source decides (building again refreshes them); category,
# capex/opex and notes are set when the line is made and are the consultant's to change after.
SOURCE_FIELDS = ("name", "recurrence", "amount", "first_month", "months", "vendor_id")


@dataclass(frozen=True)
class LineSpec:
    key: tuple
    name: str
    category: str
    expense_type: str
    recurrence: str
    amount: Decimal
    first_month: int
    months: int | None
    vendor_id: object = None
    initiative_id: object = None
    contract_id: object = None

    @property
    def source(self) -> str:
        return self.key[0]

    @property
    def source_part(self) -> str:
        return self.key[2]


def initiative_specs(cost) -> list[LineSpec]:
    """The lines of one `roadmaps.selectors.InitiativeYearCost`: a one-time line when its one-time
    cost falls in the year, a monthly line when it has a recurring cost."""
    initiative = cost.initiative
    category = INITIATIVE_CATEGORY.get(initiative.category, "projects")
    title = initiative.title
    found = []
    if cost.one_time and cost.one_time_month:
        found.append(
            LineSpec(
                key=("initiative", initiative.pk, "one_time"),
                name=title,
                category=category,
                expense_type="capex" if initiative.category in CAPEX_INITIATIVE_CATEGORIES else "opex",
                recurrence=phasing.ONE_TIME,
                amount=phasing.money(cost.one_time),
                first_month=cost.one_time_month,
                months=None,
                initiative_id=initiative.pk,
            )
        )
    if cost.monthly:
        found.append(
            LineSpec(
                key=("initiative", initiative.pk, "recurring"),
                name=title,
                category=category,
                expense_type="opex",
                recurrence=phasing.MONTHLY,
                amount=phasing.money(cost.monthly),
                first_month=cost.recurring_from,
                months=None,
                initiative_id=initiative.pk,
            )
        )
    return found


def contract_spec(contract, charges: list[Decimal], *, runs_on: bool) -> LineSpec | None:
    """The line of a contract that bills `charges` (its 12 fiscal months) in the year; `runs_on`:
    it still runs after the year ends."""
    recurrence = BILLING_RECURRENCE.get(contract.billing_frequency, phasing.MONTHLY)
    terms = phasing.terms_from_charges(charges, recurrence, runs_on=runs_on)
    if terms is None:
        return None
    vendor_category = getattr(contract.vendor, "category", "other")
    category = VENDOR_CATEGORY.get(vendor_category, "other")
    capex = recurrence == phasing.ONE_TIME and category == "hardware"
    return LineSpec(
        key=("contract", contract.pk, ""),
        name=contract.name,
        category=category,
        expense_type="capex" if capex else "opex",
        recurrence=terms.recurrence,
        amount=terms.amount,
        first_month=terms.first_month,
        months=terms.months,
        vendor_id=contract.vendor_id,
        contract_id=contract.pk,
    )


def line_key(line) -> tuple | None:
    """The source key of an existing generated line (None for a manual line, or one whose source
    was deleted)."""
    if line.initiative_id:
        return ("initiative", line.initiative_id, line.source_part)
    if line.contract_id:
        return ("contract", line.contract_id, "")
    return None
