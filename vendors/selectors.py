"""Reads of the vendors app. Each takes the practice (or client, vendor) explicitly, does its joins
here, and returns querysets or plain data a template loops over without touching the database again.
Every subquery and prefetch over a tenant table names the practice.

Renewal figures come from `vendors.renewals` (the one rule), computed in Python on rows loaded in
one query; later apps call the public selectors below:

- `upcoming_renewals(practice=, client=None, within_days=, today=None)` (QBR report, dashboard);
- `contract_billing(contract=, first=, last=)` and `contracts_billing(client=, first=, last=)`,
  `fiscal_year_billing(client=, fiscal_year=)` (budgets: charges per month).
"""

import zoneinfo
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
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
    Value,
    When,
)
from django.utils import timezone

from accounts.models import Membership, User
from accounts.selectors import practice_member_users
from clients.models import Client
from vcio.fiscal import fiscal_year_range
from vcio.history import HistorySource, merged_history
from vcio.kept import kept_instances, kept_rows
from vcio.tenancy import activate_practice, all_practices

from . import renewals
from .models import CalendarFeed, Contract, ContractStatus, Interaction, InteractionKind, Vendor
from .tokens import hash_token, token_matches

ZERO = Decimal("0.00")
PAGE_HISTORY_LIMIT = 50


def practice_today(practice) -> date:
    """Today in the practice's time zone — the "today" of every renewal rule."""
    try:
        tz = zoneinfo.ZoneInfo(practice.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, AttributeError):
        tz = zoneinfo.ZoneInfo("UTC")
    return timezone.now().astimezone(tz).date()


def running(today: date) -> Q:
    """Contracts still running on `today`, in SQL — `renewals.state(...) == "active"`: active, and
    renewing, open-ended, or within their first term."""
    return Q(status=ContractStatus.ACTIVE) & (
        Q(auto_renew=True) | Q(term_end__isnull=True) | Q(term_end__gte=today)
    )


def fresh_dates(today: date) -> Q:
    """Contracts whose stored renewal dates (`Contract.key_date`, `notice_date`) are exact on `today`:
    stamped on or before it, and their key date not yet passed (or none, which stays none)."""
    return Q(dates_as_of__lte=today) & (Q(key_date__gte=today) | Q(key_date__isnull=True))


def stale_dates(today: date) -> Q:
    """The others (`~fresh_dates`): their picture on `today` is computed from their terms."""
    return Q(dates_as_of__isnull=True) | Q(dates_as_of__gt=today) | Q(key_date__lt=today)


def annual_cost_expression():
    """`renewals.annual_cost` in SQL (cost × quantity × periods per year), for sums and sorting."""
    factor = Case(
        *[When(billing_frequency=k, then=Value(v)) for k, v in renewals.ANNUAL_FACTOR.items()],
        default=Value(0),
        output_field=IntegerField(),
    )
    return ExpressionWrapper(
        F("cost") * F("quantity") * factor, output_field=DecimalField(max_digits=20, decimal_places=2)
    )


def with_renewal(contracts, today: date) -> list[Contract]:
    """The contracts (read from the database) with `.info` (their `renewals.Renewal` on `today`) set."""
    rows = list(contracts)
    for contract in rows:
        contract.info = renewals.contract_renewal(contract, today)
    return rows


# --- vendors (the directory and the vendors list's totals: vendors/directory_selectors.py) -----------


def vendor_contracts(*, vendor: Vendor, today: date) -> list[Contract]:
    """Every contract with the vendor, across clients, running ones first by notice deadline."""
    rows = with_renewal(
        Contract.objects.for_practice(vendor.practice_id)
        .filter(vendor=vendor)
        .select_related("client", "owner"),
        today,
    )
    return sorted(rows, key=lambda c: (c.info.state != renewals.ACTIVE, c.info.sort_key, c.name))


def vendor_interactions(*, vendor: Vendor, limit: int = 50) -> list[Interaction]:
    return list(
        Interaction.objects.for_practice(vendor.practice_id)
        .filter(vendor=vendor)
        .select_related("client", "contract", "who")
        .order_by("-date", "-created_at")[:limit]
    )


def vendor_choices(*, practice) -> QuerySet[Vendor]:
    return Vendor.objects.for_practice(practice).order_by("name", "pk")


def vendor_by_name(*, practice) -> dict[str, Vendor]:
    """Lower-cased name -> vendor (names are unique per practice, whatever their case)."""
    return {v.name.strip().lower(): v for v in vendor_choices(practice=practice)}


_VENDOR_HISTORY = HistorySource("Vendor", rows=None)
_CONTRACT_HISTORY = HistorySource("Contract", rows=None)


def interaction_label(record) -> str:
    summary = (record.summary or "").strip().replace("\n", " ")
    return f"{dict(InteractionKind.choices).get(record.kind, record.kind)}: {summary[:50]}{'…' if len(summary) > 50 else ''}"


def vendor_history(*, vendor: Vendor, limit: int = PAGE_HISTORY_LIMIT) -> list[dict]:
    """The vendor's audit history with its log entries', newest first."""
    return merged_history(
        [
            (_VENDOR_HISTORY, Vendor.history.filter(practice_id=vendor.practice_id, id=vendor.pk)),
            (
                HistorySource("Log entry", rows=None, describe=interaction_label),
                Interaction.history.filter(practice_id=vendor.practice_id, vendor_id=vendor.pk),
            ),
        ],
        limit=limit,
    )


# --- contracts ----------------------------------------------------------------------------------------

STATE_FILTERS = [
    ("active", "Active"),
    ("cancelled", "Cancelled"),
    ("expired", "Expired"),
    ("all", "All"),
]


def contracts_of_practice(*, practice) -> QuerySet[Contract]:
    """Every contract of the practice, joined to its client, vendor and owner (the API's detail)."""
    practice_id = getattr(practice, "pk", practice)
    return (
        Contract.objects.for_practice(practice)
        .filter(client__practice_id=practice_id, vendor__practice_id=practice_id)
        .select_related("client", "vendor", "owner")
    )


def client_contracts(
    *, client: Client, state: str = "active", q: str = "", today: date | None = None
) -> list[Contract]:
    """The client's contracts (with `.info`), by notice deadline — the soonest first, then by the next
    renewal or expiry; open-ended, cancelled and expired last. `state`: active, cancelled, expired or
    all (an active contract whose term ended counts as expired)."""
    today = today or practice_today(client.practice)
    qs = (
        Contract.objects.for_client(client)
        .filter(vendor__practice_id=client.practice_id)
        .select_related("vendor", "owner")
    )
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(vendor__name__icontains=q) | Q(notes__icontains=q))
    order = {renewals.ACTIVE: 0, renewals.CANCELLED: 1, renewals.EXPIRED: 2}
    rows = sorted(
        with_renewal(qs, today),
        key=lambda c: (order[c.info.state], c.info.sort_key, c.vendor.name, c.name, str(c.pk)),
    )
    return of_state(rows, state)


@dataclass
class ContractTerms:
    """A contract as its tab's list and summary need it before a page is chosen: its renewal picture
    (`info`, from its terms alone) and what it sorts by. `whole_contracts` reads the shown ones."""

    pk: object
    name: str
    vendor_name: str
    info: renewals.Renewal


def _contract_terms(client: Client) -> QuerySet:
    return (
        Contract.objects.for_client(client)
        .filter(vendor__practice_id=client.practice_id)
        .values_list("pk", "name", "vendor__name", *renewals.Stored.COLUMNS, *TERM_FIELDS)
    )


def client_contract_terms(*, client: Client, today: date | None = None, q: str = "") -> list[ContractTerms]:
    """Every contract of the client (or those matching `q`) in `client_contracts`' order, from one
    query of their terms and names — no model objects (a large client has hundreds)."""
    today = today or practice_today(client.practice)
    if q:
        found = _contract_terms(client).filter(
            Q(name__icontains=q) | Q(vendor__name__icontains=q) | Q(notes__icontains=q)
        )
    else:  # every contract: the statement is kept (`vcio.kept`)
        found = kept_rows(("vendors.contract-terms",), client, _contract_terms)
    n, rows = len(renewals.Stored.COLUMNS), []
    for pk, name, vendor_name, *values in found:
        terms = renewals.Terms(**dict(zip(TERM_FIELDS, values[n:], strict=True)))
        info = renewals.stored_renewal(terms, renewals.Stored(*values[:n]), today)
        rows.append(ContractTerms(pk, name, vendor_name, info))
    order = {renewals.ACTIVE: 0, renewals.CANCELLED: 1, renewals.EXPIRED: 2}
    return sorted(
        rows, key=lambda c: (order[c.info.state], c.info.sort_key, c.vendor_name, c.name, str(c.pk))
    )


def whole_contracts(*, client: Client, rows: list[ContractTerms]) -> list[Contract]:
    """The contracts of `rows`, whole (vendor and owner joined), in their order, with `.info` (one
    statement, kept — `vcio.kept` — and bound to the client's and the rows' ids)."""
    found = {
        c.pk: c for c in kept_instances(("vendors.whole",), client, _whole_contracts, [r.pk for r in rows])
    }
    out = []
    for row in rows:
        contract = found.get(row.pk)
        if contract is not None:
            contract.info = row.info
            out.append(contract)
    return out


def _whole_contracts(client: Client, *contract_ids) -> QuerySet[Contract]:
    return (
        Contract.objects.for_client(client)
        .filter(vendor__practice_id=client.practice_id, pk__in=contract_ids)
        .select_related("vendor", "owner")
    )


def of_state(rows: list[Contract], state: str) -> list[Contract]:
    """The contracts (with `.info`) in `state` — active, cancelled or expired; anything else: all."""
    if state in {"active", "cancelled", "expired"}:
        return [c for c in rows if c.info.state == state]
    return rows


def client_contract_rows(*, client: Client, today: date, q: str = "", state: str = "") -> tuple[list, list]:
    """A client's Vendors tab: (every contract's terms — the summary counts them all —, the rows the
    search and state keep, sorted by their renewal dates). Terms only; `whole_contracts` reads the
    page's contracts (the CSV: all of them)."""
    everything = client_contract_terms(client=client, today=today)
    rows = client_contract_terms(client=client, today=today, q=q) if q else everything
    return everything, of_state(rows, state)


@dataclass
class ContractSummary:
    active: int = 0
    annual_cost: Decimal = ZERO
    in_notice_window: int = 0
    expiring: int = 0


def contract_summary(rows: list[Contract]) -> ContractSummary:
    summary = ContractSummary()
    for c in rows:
        if c.info.state == renewals.ACTIVE:
            summary.active += 1
            summary.annual_cost += c.info.annual_cost
            summary.in_notice_window += c.info.in_notice_window
            summary.expiring += c.info.expires_soon
    return summary


def contract_detail(*, client: Client, pk) -> Contract:
    """One contract of the client (raises Contract.DoesNotExist for another client's)."""
    return Contract.objects.for_client(client).select_related("vendor", "owner").get(pk=pk)


def contract_interactions(*, contract: Contract, limit: int = 50) -> list[Interaction]:
    return list(
        Interaction.objects.for_practice(contract.practice_id)
        .filter(contract=contract)
        .select_related("who")
        .order_by("-date", "-created_at")[:limit]
    )


def contract_history(*, contract: Contract, limit: int = PAGE_HISTORY_LIMIT) -> list[dict]:
    return merged_history(
        [(_CONTRACT_HISTORY, Contract.history.filter(practice_id=contract.practice_id, id=contract.pk))],
        limit=limit,
    )


def client_interactions(*, client: Client, limit: int = 10) -> list[Interaction]:
    """The client's latest `limit` interactions (a statement kept per limit: `vcio.kept`)."""
    return kept_instances(("vendors.interactions", limit), client, partial(_latest_interactions, limit))


def _latest_interactions(limit: int, client: Client) -> QuerySet[Interaction]:
    return (
        Interaction.objects.for_client(client)
        .filter(vendor__practice_id=client.practice_id)
        .select_related("vendor", "contract", "who")
        .order_by("-date", "-created_at")[:limit]
    )


# --- renewals -----------------------------------------------------------------------------------------


def upcoming_renewals(
    *,
    practice,
    client: Client | None = None,
    within_days: int,
    today: date | None = None,
    include_rolling: bool = False,
) -> list[Contract]:
    """Running contracts whose next renewal or expiry falls within `within_days` days of today
    (inclusive), with `.info`, soonest notice deadline first. Rolling (month-to-month) contracts are
    left out unless asked for. One query."""
    today = today or practice_today(practice if client is None else client.practice)
    horizon = today + timedelta(days=max(0, int(within_days)))
    practice_id = getattr(practice, "pk", practice)
    qs = (
        Contract.objects.for_practice(practice)
        .filter(running(today), client__practice_id=practice_id, vendor__practice_id=practice_id)
        .select_related("client", "vendor", "owner")
    )
    if client is not None:
        qs = qs.filter(client_id=client.pk)
    rows = [
        c
        for c in with_renewal(qs, today)
        if c.info.key_date is not None
        and today <= c.info.key_date <= horizon
        and (include_rolling or not c.info.rolling)
    ]
    return sorted(rows, key=lambda c: (c.info.sort_key, c.client.name, c.name, str(c.pk)))


def upcoming_deadlines(
    *, client: Client, within_days: int = 90, limit: int = 5, today=None
) -> list[Contract]:
    """The client overview's panel: running contracts whose notice deadline (or, when they do not
    renew, expiry) falls within `within_days` days, soonest first. One query."""
    today = today or practice_today(client.practice)
    horizon = today + timedelta(days=within_days)
    qs = (
        Contract.objects.for_client(client)
        .filter(running(today), vendor__practice_id=client.practice_id)
        .select_related("vendor")
    )
    rows = [
        c
        for c in with_renewal(qs, today)
        if not c.info.rolling
        and (c.info.notice_deadline or c.info.expires_on)
        and today <= (c.info.notice_deadline or c.info.expires_on) <= horizon
    ]
    return sorted(rows, key=lambda c: (c.info.sort_key, c.name, str(c.pk)))[:limit]


def contract_ids_renewing_within(*, practice, within_days: int, today: date | None = None) -> list:
    """Ids of the practice's contracts renewing or expiring within `within_days` days (API filter)."""
    return [
        c.pk
        for c in upcoming_renewals(
            practice=practice, within_days=within_days, today=today, include_rolling=True
        )
    ]


TERM_FIELDS = [f.name for f in dataclass_fields(renewals.Terms)]


def consultant_choices(*, practice) -> QuerySet[User]:
    return practice_member_users(practice=practice)


def client_choices(*, practice) -> QuerySet[Client]:
    return Client.objects.for_practice(practice).order_by("name", "pk")


# --- calendar feeds -------------------------------------------------------------------------------------


def live_feed(*, practice, user) -> CalendarFeed | None:
    return (
        CalendarFeed.objects.for_practice(practice)
        .filter(user_id=getattr(user, "pk", user), revoked_at__isnull=True)
        .first()
    )


def feed_for_token_all_practices(token: str) -> CalendarFeed | None:
    """The live feed a secret link names — a lookup across practices by the token's hash (the link is
    all the caller has). None for an unknown or revoked link, or a member who has left."""
    if not isinstance(token, str) or len(token) != 64 or any(ch not in "0123456789abcdef" for ch in token):
        return None
    with all_practices("calendar feed: look up a secret link by its hash"):
        feed = (
            CalendarFeed.objects.all_practices()
            .select_related("practice", "user")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True)
            .first()
        )
    if feed is None or not token_matches(feed, token) or not feed.user.is_active:
        return None
    activate_practice(feed.practice)  # the rest of the request reads this practice only
    if not Membership.objects.for_practice(feed.practice_id).filter(user_id=feed.user_id).exists():
        return None
    return feed


# --- billing (budgets) ----------------------------------------------------------------------------------


def contract_billing(*, contract: Contract, first: date, last: date) -> dict[date, Decimal]:
    """What a contract bills in each month from `first` to `last`: {first day of month: amount}."""
    return renewals.monthly_billing(contract, first, last)


def contracts_billing(
    *, client: Client, first: date, last: date
) -> list[tuple[Contract, dict[date, Decimal]]]:
    """Every contract of the client that bills anything between `first` and `last`, with its charges
    per month (one query; cancelled and expired contracts bill until they stopped running)."""
    qs = (
        Contract.objects.for_client(client)
        .filter(start_date__lte=last)
        .select_related("vendor")
        .order_by("name", "pk")
    )
    found = []
    for contract in qs:
        months = renewals.monthly_billing(contract, first, last)
        if any(months.values()):
            found.append((contract, months))
    return found


def fiscal_year_billing(*, client: Client, fiscal_year: int) -> list[tuple[Contract, dict[date, Decimal]]]:
    """`contracts_billing` over one fiscal year of the client (`vcio.fiscal`: FY2027 with a July start
    is 2026-07-01..2027-06-30)."""
    first, last = fiscal_year_range(fiscal_year, client.fiscal_year_start_month)
    return contracts_billing(client=client, first=first, last=last)


# --- history of a client (registered in VendorsConfig.ready) --------------------------------------------

CLIENT_HISTORY_SOURCES = [
    HistorySource("Contract", lambda c: Contract.history.filter(practice_id=c.practice_id, client_id=c.pk)),
    HistorySource(
        "Vendor log entry",
        lambda c: Interaction.history.filter(practice_id=c.practice_id, client_id=c.pk),
        (),
        interaction_label,
    ),
]
