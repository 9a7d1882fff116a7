"""Every write of the vendors app: keyword-only, transactional, validated; `practice` always comes
from the parent (the practice for a vendor, the client for a contract, the vendor for an interaction),
never from input."""

import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Practice, User
from accounts.services import check_member
from clients.models import Client
from vcio.services import apply_fields, audit
from vcio.tenancy import all_practices, practice_context

from .models import DERIVED_FIELDS, CalendarFeed, Contract, ContractStatus, Interaction, Vendor, stamp_day
from .selectors import practice_today
from .tokens import feed_token, hash_token

VENDOR_FIELDS = (
    "name",
    "website",
    "category",
    "account_manager_name",
    "account_manager_email",
    "account_manager_phone",
    "support_contact",
    "notes",
)
CONTRACT_FIELDS = (
    "vendor",
    "name",
    "contract_type",
    "start_date",
    "end_date",
    "term_months",
    "auto_renew",
    "renewal_term_months",
    "notice_days",
    "billing_frequency",
    "cost",
    "quantity",
    "owner",
    "document_url",
    "notes",
)
INTERACTION_FIELDS = ("client", "contract", "date", "kind", "summary", "who")


# --- vendors ------------------------------------------------------------------------------------------


def _check_vendor_name(vendor: Vendor) -> None:
    name = (vendor.name or "").strip()
    clash = Vendor.objects.for_practice(vendor.practice_id).filter(name__iexact=name).exclude(pk=vendor.pk)
    if name and clash.exists():
        raise ValidationError({"name": f"The practice already has a vendor called “{name}”."})


@transaction.atomic
def vendor_create(*, practice: Practice, actor: User | None, **data) -> Vendor:
    vendor = Vendor(practice_id=getattr(practice, "pk", practice))
    apply_fields(vendor, data, VENDOR_FIELDS)
    vendor.name = (vendor.name or "").strip()
    _check_vendor_name(vendor)
    vendor.full_clean()
    audit(vendor, actor)
    vendor.save()
    return vendor


@transaction.atomic
def vendor_update(*, vendor: Vendor, actor: User | None, **data) -> Vendor:
    apply_fields(vendor, data, VENDOR_FIELDS)
    vendor.name = (vendor.name or "").strip()
    _check_vendor_name(vendor)
    vendor.full_clean()
    audit(vendor, actor)
    vendor.save()
    return vendor


@transaction.atomic
def vendor_delete(*, vendor: Vendor, actor: User | None) -> None:
    """Delete a vendor and its relationship log. Refused while any contract (of any status) names it:
    contracts are the clients' records and never disappear with a directory entry."""
    contracts = Contract.objects.for_practice(vendor.practice_id).filter(vendor=vendor)
    count = contracts.count()
    if count:
        clients = contracts.values("client_id").distinct().count()
        raise ValidationError(
            f"“{vendor.name}” still has {count} contract{'s' if count != 1 else ''} "
            f"({clients} client{'s' if clients != 1 else ''}). Delete them or give them another vendor "
            "first; cancelled contracts count too."
        )
    audit(vendor, actor)
    vendor.delete()


# --- contracts ----------------------------------------------------------------------------------------


def _check_contract(contract: Contract, client: Client) -> None:
    vendor = contract.vendor if contract.vendor_id else None
    if vendor is not None and vendor.practice_id != client.practice_id:
        raise ValidationError({"vendor": "Choose a vendor of this practice."})


def _check_same_client(contract: Contract, client: Client | None) -> None:
    if client is not None and client.pk != contract.client_id:
        raise ValidationError({"client": "A contract cannot move to another client."})


def _set_status(contract: Contract, status: str | None) -> None:
    """Cancelling or expiring records the day (the practice's); back to active clears it."""
    if status is None or status == contract.status:
        return
    if status not in ContractStatus.values:
        raise ValidationError({"status": "Choose active, cancelled or expired."})
    contract.status = status
    contract.ended_on = None if status == ContractStatus.ACTIVE else practice_today(contract.practice)


def validate_contract(*, client: Client, **data) -> Contract:
    """An unsaved contract of `client` built and validated exactly as `contract_create` would (the
    CSV import previews with it); raises ValidationError."""
    contract = Contract(practice_id=client.practice_id, client=client)
    apply_fields(contract, data, CONTRACT_FIELDS)
    _check_contract(contract, client)
    check_member(client.practice_id, contract.owner, "owner", editors_only=True)
    contract.full_clean()
    return contract


@transaction.atomic
def contract_create(*, client: Client, actor: User | None, status: str | None = None, **data) -> Contract:
    contract = validate_contract(client=client, **data)
    contract.practice = client.practice
    _set_status(contract, status)
    audit(contract, actor)
    contract.save()
    return contract


@transaction.atomic
def contract_update(*, contract: Contract, actor: User | None, status: str | None = None, **data) -> Contract:
    """Change a contract; it belongs to one client for good (naming another client is refused)."""
    _check_same_client(contract, data.pop("client", None))
    owner_before = contract.owner_id
    apply_fields(contract, data, CONTRACT_FIELDS)
    _check_contract(contract, contract.client)
    if contract.owner_id != owner_before:  # an unchanged owner stays valid (see member removal)
        check_member(contract.practice_id, contract.owner, "owner", editors_only=True)
    _set_status(contract, status)
    contract.full_clean()
    audit(contract, actor)
    contract.save()
    return contract


@transaction.atomic
def contract_cancel(*, contract: Contract, actor: User | None) -> Contract:
    """Cancel: notice has been given. It stops renewing and never warns again; it runs (and bills)
    until the end of the term in force today."""
    if contract.status == ContractStatus.CANCELLED:
        raise ValidationError({"status": "The contract is already cancelled."})
    _set_status(contract, ContractStatus.CANCELLED)
    audit(contract, actor, "Cancelled")
    contract.save()
    return contract


@transaction.atomic
def contract_reactivate(*, contract: Contract, actor: User | None) -> Contract:
    if contract.status == ContractStatus.ACTIVE:
        raise ValidationError({"status": "The contract is already active."})
    _set_status(contract, ContractStatus.ACTIVE)
    audit(contract, actor, "Reactivated")
    contract.save()
    return contract


@transaction.atomic
def contract_delete(*, contract: Contract, actor: User | None) -> None:
    """Delete a contract entered by mistake (its log entries stay with the vendor)."""
    audit(contract, actor)
    contract.delete()


@transaction.atomic
def contracts_import(*, rows: Iterable[dict], actor: User | None) -> list[Contract]:
    """Create every row's contract (each row: `client` plus the contract's fields), all or nothing:
    one refused row rolls back the rows before it."""
    return [contract_create(actor=actor, **row) for row in rows]


def clear_member_assignments(*, practice_id, user: User, actor: User | None) -> int:
    """A member leaves: they no longer own the practice's contracts, and their calendar links stop
    working. Returns how many contracts changed."""
    contracts = list(Contract.objects.for_practice(practice_id).filter(owner=user))
    for contract in contracts:
        contract.owner = None
        audit(contract, actor, f"{user.display_name} left the practice")
        contract.save(update_fields=["owner", "updated_at"])
    for feed in CalendarFeed.objects.for_practice(practice_id).filter(user=user, revoked_at__isnull=True):
        feed.revoked_at = timezone.now()
        audit(feed, actor, f"{user.display_name} left the practice")
        feed.save(update_fields=["revoked_at", "updated_at"])
    return len(contracts)


# --- the relationship log -------------------------------------------------------------------------------


def _check_interaction(interaction: Interaction) -> None:
    vendor = interaction.vendor
    client = interaction.client if interaction.client_id else None
    contract = interaction.contract if interaction.contract_id else None
    if client is not None and client.practice_id != vendor.practice_id:
        raise ValidationError({"client": "Choose a client of this practice."})
    if contract is not None:
        if contract.practice_id != vendor.practice_id or contract.vendor_id != vendor.pk:
            raise ValidationError({"contract": "Choose a contract with this vendor."})
        if client is not None and contract.client_id != client.pk:
            raise ValidationError({"contract": "Choose a contract of the chosen client."})
        interaction.client = contract.client


@transaction.atomic
def interaction_create(*, vendor: Vendor, actor: User | None, **data) -> Interaction:
    interaction = Interaction(practice_id=vendor.practice_id, vendor=vendor)
    apply_fields(interaction, data, INTERACTION_FIELDS)
    _check_interaction(interaction)
    check_member(vendor.practice_id, interaction.who, "who")
    interaction.summary = (interaction.summary or "").strip()
    interaction.full_clean()
    audit(interaction, actor)
    interaction.save()
    return interaction


@transaction.atomic
def interaction_update(*, interaction: Interaction, actor: User | None, **data) -> Interaction:
    vendor = data.pop("vendor", None)
    if vendor is not None and vendor.pk != interaction.vendor_id:
        raise ValidationError({"vendor": "A log entry cannot move to another vendor."})
    who_before = interaction.who_id
    apply_fields(interaction, data, INTERACTION_FIELDS)
    _check_interaction(interaction)
    if interaction.who_id != who_before:
        check_member(interaction.practice_id, interaction.who, "who")
    interaction.full_clean()
    audit(interaction, actor)
    interaction.save()
    return interaction


@transaction.atomic
def interaction_delete(*, interaction: Interaction, actor: User | None) -> None:
    audit(interaction, actor)
    interaction.delete()


# --- calendar feeds -------------------------------------------------------------------------------------


def _new_feed(practice_id, user: User, actor: User | None) -> CalendarFeed:
    feed = CalendarFeed(practice_id=practice_id, user=user, salt=secrets.token_hex(32))
    feed.token_hash = hash_token(feed_token(feed))
    audit(feed, actor)
    feed.save()
    return feed


@transaction.atomic
def calendar_feed_create(*, practice: Practice, user: User, actor: User | None) -> CalendarFeed:
    """The member's live feed of the practice, made if they have none."""
    practice_id = getattr(practice, "pk", practice)
    check_member(practice_id, user, "user")
    live = (
        CalendarFeed.objects.for_practice(practice_id)
        .select_for_update()
        .filter(user=user, revoked_at__isnull=True)
        .first()
    )
    return live or _new_feed(practice_id, user, actor)


@transaction.atomic
def calendar_feed_reset(*, practice: Practice, user: User, actor: User | None) -> CalendarFeed:
    """Revoke the member's live feed (its link answers 404 from now on) and make a new one."""
    practice_id = getattr(practice, "pk", practice)
    check_member(practice_id, user, "user")
    now = timezone.now()
    for feed in (
        CalendarFeed.objects.for_practice(practice_id)
        .select_for_update()
        .filter(user=user, revoked_at__isnull=True)
    ):
        feed.revoked_at = now
        audit(feed, actor, "Link reset")
        feed.save(update_fields=["revoked_at", "updated_at"])
    return _new_feed(practice_id, user, actor)


# --- stored renewal dates (Contract.key_date and friends) ---------------------------------------------


def _to_refresh(as_of):
    """Never stamped, or their key date passed before `as_of`: restamping on `as_of` makes them fresh."""
    return Q(dates_as_of__isnull=True) | Q(key_date__lt=as_of)


def refresh_contract_dates(*, practice_id, as_of=None, batch_size: int = 1000) -> int:
    """Roll the practice's stored renewal dates forward to `as_of` (default `stamp_day()`): every
    contract whose key date has passed, or that was never stamped, gets its picture on `as_of`.
    Derived columns only, so no audit entry. Returns how many contracts were restamped."""
    as_of = as_of or stamp_day()
    todo = Contract.objects.for_practice(practice_id).filter(_to_refresh(as_of)).order_by("pk")
    count = 0
    while rows := list(todo[:batch_size]):  # each batch leaves the filter: the loop ends
        for contract in rows:
            contract.stamp_dates(as_of)
        Contract.objects.bulk_update(rows, DERIVED_FIELDS)
        count += len(rows)
    return count


def refresh_contract_dates_all_practices(*, as_of=None) -> int:
    """The hourly beat entry's work: `refresh_contract_dates` in each practice that has any to do."""
    as_of = as_of or stamp_day()
    with all_practices("contracts: find stored renewal dates to roll forward"):
        practice_ids = list(
            Contract.objects.all_practices()
            .filter(_to_refresh(as_of))
            .order_by()
            .values_list("practice_id", flat=True)
            .distinct()
        )
    total = 0
    for practice_id in practice_ids:
        with practice_context(practice_id):
            total += refresh_contract_dates(practice_id=practice_id, as_of=as_of)
    return total
