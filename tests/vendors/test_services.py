"""Services and selectors of the vendors app: the writes' rules, and the reads later apps call."""

from datetime import UTC, date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.member_services import membership_remove
from accounts.models import Membership
from tests.factories import ClientFactory, ContractFactory, InteractionFactory, VendorFactory
from tests.vendors.conftest import due_in
from vendors import directory_selectors, renewals, selectors, services
from vendors.models import CalendarFeed, Contract, Interaction, Vendor

pytestmark = pytest.mark.django_db


def _contract_data(vendor, **kw):
    data = {
        "vendor": vendor,
        "name": "Microsoft 365 Business Premium",
        "contract_type": "subscription",
        "start_date": date(2026, 1, 31),
        "term_months": 12,
        "auto_renew": True,
        "notice_days": 30,
        "billing_frequency": "monthly",
        "cost": Decimal("22.00"),
        "quantity": 40,
    }
    data.update(kw)
    return data


def test_create_a_contract_sets_practice_from_the_client_and_keeps_the_term_end(
    client_a1, owner_a, consultant_a
):
    vendor = VendorFactory(practice=client_a1.practice)
    contract = services.contract_create(
        client=client_a1, actor=owner_a, **_contract_data(vendor, owner=consultant_a)
    )
    assert contract.practice_id == client_a1.practice_id
    assert contract.term_end == date(2027, 1, 31)
    assert contract.annual_cost == Decimal("10560.00")
    assert contract.history.first().history_user == owner_a


def test_a_vendor_of_another_practice_is_refused(client_a1, owner_a, practice_b):
    foreign = VendorFactory(practice=practice_b, name="CANARY-Bravo-Vendor")
    with pytest.raises(ValidationError) as exc:
        services.contract_create(client=client_a1, actor=owner_a, **_contract_data(foreign))
    assert "vendor" in exc.value.message_dict
    contract = ContractFactory(client=client_a1)
    with pytest.raises(ValidationError):
        services.contract_update(contract=contract, actor=owner_a, vendor=foreign)
    assert not Contract.objects.filter(vendor=foreign).exists()


def test_contract_field_rules(client_a1, owner_a, viewer_a):
    vendor = VendorFactory(practice=client_a1.practice)
    cases = [
        ({"end_date": date(2025, 1, 1)}, "end_date"),
        ({"end_date": date(2027, 1, 1), "term_months": 12}, "term_months"),
        ({"cost": Decimal("-1")}, "cost"),
        ({"quantity": 0}, "quantity"),
        ({"notice_days": 731}, "notice_days"),
        ({"owner": viewer_a}, "owner"),
        ({"billing_frequency": "one_time", "term_months": None, "auto_renew": True}, "auto_renew"),
        ({"name": "Line\nbreak"}, "name"),
    ]
    for overrides, field in cases:
        with pytest.raises(ValidationError) as exc:
            services.contract_create(client=client_a1, actor=owner_a, **_contract_data(vendor, **overrides))
        assert field in exc.value.message_dict, overrides
    assert not Contract.objects.exists()


def test_the_database_refuses_negative_costs_and_zero_quantities(client_a1):
    contract = ContractFactory(client=client_a1)
    for field, value in (("cost", Decimal("-5")), ("quantity", 0)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Contract.objects.filter(pk=contract.pk).update(**{field: value})


def test_a_contract_cannot_move_to_another_client(client_a1, client_a2, owner_a):
    contract = ContractFactory(client=client_a1)
    with pytest.raises(ValidationError):
        services.contract_update(contract=contract, actor=owner_a, client=client_a2)
    assert Contract.objects.get(pk=contract.pk).client_id == client_a1.pk


def test_cancel_records_the_day_and_stops_warnings(practice_a, client_a1, owner_a):
    contract = ContractFactory(client=client_a1, **due_in(practice_a, 35))
    today = selectors.practice_today(practice_a)
    assert contract.renewal(today).in_notice_window
    services.contract_cancel(contract=contract, actor=owner_a)
    contract.refresh_from_db()
    assert contract.status == "cancelled" and contract.ended_on == today
    assert not contract.renewal(today).warns
    assert contract.history.first().history_change_reason == "Cancelled"
    with pytest.raises(ValidationError):
        services.contract_cancel(contract=contract, actor=owner_a)
    services.contract_reactivate(contract=contract, actor=owner_a)
    contract.refresh_from_db()
    assert contract.status == "active" and contract.ended_on is None


def test_vendor_names_are_unique_per_practice_whatever_the_case(practice_a, practice_b, owner_a):
    services.vendor_create(practice=practice_a, actor=owner_a, name="Metro Fiber", category="isp")
    with pytest.raises(ValidationError) as exc:
        services.vendor_create(practice=practice_a, actor=owner_a, name="metro fiber ", category="isp")
    assert "name" in exc.value.message_dict
    VendorFactory(practice=practice_b, name="Metro Fiber")  # another practice may
    with pytest.raises(IntegrityError), transaction.atomic():
        Vendor.objects.create(practice=practice_a, name="METRO FIBER")


def test_a_vendor_with_contracts_cannot_be_deleted(practice_a, client_a1, owner_a):
    vendor = VendorFactory(practice=practice_a, name="Metro Fiber")
    ContractFactory(client=client_a1, vendor=vendor, status="cancelled")
    InteractionFactory(vendor=vendor)
    with pytest.raises(ValidationError) as exc:
        services.vendor_delete(vendor=vendor, actor=owner_a)
    assert "still has 1 contract" in exc.value.messages[0]
    Contract.objects.all().delete()
    services.vendor_delete(vendor=vendor, actor=owner_a)
    assert not Vendor.objects.exists() and not Interaction.objects.exists()


def test_interaction_rules(practice_a, practice_b, client_a1, client_a2, owner_a, consultant_a):
    vendor = VendorFactory(practice=practice_a)
    other_vendor = VendorFactory(practice=practice_a)
    contract = ContractFactory(client=client_a1, vendor=vendor)
    entry = services.interaction_create(
        vendor=vendor,
        actor=owner_a,
        contract=contract,
        date=date(2026, 3, 1),
        kind="call",
        summary="Pricing",
        who=consultant_a,
    )
    assert entry.client_id == client_a1.pk  # the contract's client
    assert entry.practice_id == practice_a.pk
    refusals = [
        {"contract": ContractFactory(client=client_a1, vendor=other_vendor)},
        {"contract": contract, "client": client_a2},
        {"client": ClientFactory(practice=practice_b)},
        {"summary": ""},
    ]
    for extra in refusals:
        data = {"date": date(2026, 3, 1), "kind": "call", "summary": "x", **extra}
        with pytest.raises(ValidationError):
            services.interaction_create(vendor=vendor, actor=owner_a, **data)
    assert Interaction.objects.count() == 1


def test_a_member_who_leaves_no_longer_owns_contracts_and_their_feed_stops(
    practice_a, client_a1, owner_a, consultant_a
):
    contract = ContractFactory(client=client_a1, owner=consultant_a)
    feed = services.calendar_feed_create(practice=practice_a, user=consultant_a, actor=consultant_a)
    membership_remove(
        membership=Membership.objects.get(practice=practice_a, user=consultant_a), actor=owner_a
    )
    contract.refresh_from_db()
    feed.refresh_from_db()
    assert contract.owner is None and feed.revoked_at is not None


def test_feed_reset_revokes_the_old_link_and_keeps_one_live_link(practice_a, owner_a):
    first = services.calendar_feed_create(practice=practice_a, user=owner_a, actor=owner_a)
    assert services.calendar_feed_create(practice=practice_a, user=owner_a, actor=owner_a) == first
    second = services.calendar_feed_reset(practice=practice_a, user=owner_a, actor=owner_a)
    first.refresh_from_db()
    assert first.revoked_at is not None and second.revoked_at is None
    assert CalendarFeed.objects.filter(revoked_at__isnull=True).count() == 1
    assert second.token_hash != first.token_hash
    # the secret is never stored: neither the salt nor the hash is the token
    from vendors.tokens import feed_token

    token = feed_token(second)
    assert token not in (second.salt, second.token_hash) and len(token) == 64


def test_only_members_get_a_feed(practice_a, owner_b):
    with pytest.raises(ValidationError):
        services.calendar_feed_create(practice=practice_a, user=owner_b, actor=owner_b)


# --- selectors ---------------------------------------------------------------------------------------------


def test_running_in_sql_agrees_with_the_rules(practice_a, client_a1):
    today = selectors.practice_today(practice_a)
    made = [
        ContractFactory(
            client=client_a1, auto_renew=False, start_date=today - timedelta(days=400), term_months=12
        ),
        ContractFactory(
            client=client_a1, auto_renew=False, start_date=today - timedelta(days=100), term_months=12
        ),
        ContractFactory(
            client=client_a1, auto_renew=False, start_date=today - timedelta(days=100), term_months=None
        ),
        ContractFactory(
            client=client_a1, auto_renew=True, start_date=today - timedelta(days=900), term_months=12
        ),
        ContractFactory(client=client_a1, status="cancelled"),
        ContractFactory(client=client_a1, status="expired"),
        ContractFactory(
            client=client_a1, auto_renew=False, start_date=today - timedelta(days=365), end_date=today
        ),
    ]
    in_sql = set(
        Contract.objects.for_practice(practice_a)
        .filter(selectors.running(today))
        .values_list("pk", flat=True)
    )
    by_rule = {c.pk for c in made if renewals.state(c, today) == "active"}
    assert in_sql == by_rule and len(by_rule) == 4


def test_upcoming_renewals_for_reports(practice_a, client_a1, client_a2):
    soon = ContractFactory(client=client_a1, name="Soon", **due_in(practice_a, 20))
    later = ContractFactory(client=client_a2, name="Later", **due_in(practice_a, 80))
    ContractFactory(client=client_a1, name="Far", **due_in(practice_a, 200))
    ContractFactory(client=client_a1, name="Cancelled", status="cancelled", **due_in(practice_a, 10))
    ContractFactory(
        client=client_a1, name="Monthly", term_months=1, renewal_term_months=1, start_date=date(2025, 1, 3)
    )
    rows = selectors.upcoming_renewals(practice=practice_a, within_days=90)
    assert [c.name for c in rows] == ["Soon", "Later"]
    assert rows[0].info.next_renewal == selectors.practice_today(practice_a) + timedelta(days=20)
    assert [
        c.pk for c in selectors.upcoming_renewals(practice=practice_a, client=client_a2, within_days=90)
    ] == [later.pk]
    assert "Monthly" in {
        c.name for c in selectors.upcoming_renewals(practice=practice_a, within_days=90, include_rolling=True)
    }
    assert soon.pk in selectors.contract_ids_renewing_within(practice=practice_a, within_days=30)


def test_practice_today_is_the_practice_local_date(practice_a, monkeypatch):
    from datetime import datetime

    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 3, 1, 2, 30, tzinfo=UTC))
    practice_a.time_zone = "America/Los_Angeles"
    assert selectors.practice_today(practice_a) == date(2026, 2, 28)
    practice_a.time_zone = "Asia/Tokyo"
    assert selectors.practice_today(practice_a) == date(2026, 3, 1)


def test_fiscal_year_billing_for_budgets(practice_a, client_a1):
    client_a1.fiscal_year_start_month = 7
    client_a1.save()
    monthly = ContractFactory(
        client=client_a1,
        name="M365",
        start_date=date(2026, 1, 31),
        term_months=12,
        cost=Decimal("22.00"),
        quantity=10,
    )
    ContractFactory(client=client_a1, name="Later", start_date=date(2028, 1, 1))
    rows = selectors.fiscal_year_billing(client=client_a1, fiscal_year=2027)  # 2026-07-01 .. 2027-06-30
    assert [c.pk for c, _ in rows] == [monthly.pk]
    months = rows[0][1]
    assert list(months)[0] == date(2026, 7, 1) and list(months)[-1] == date(2027, 6, 1)
    assert months[date(2027, 2, 1)] == Decimal("220.00")
    assert sum(months.values()) == Decimal("2640.00")


def test_directory_totals_cover_running_contracts_only(practice_a, client_a1, client_a2):
    vendor = VendorFactory(practice=practice_a, name="Contoso")
    ContractFactory(
        client=client_a1, vendor=vendor, billing_frequency="monthly", cost=Decimal("22.00"), quantity=40
    )
    ContractFactory(
        client=client_a2, vendor=vendor, billing_frequency="annual", cost=Decimal("1200.50"), quantity=1
    )
    ContractFactory(client=client_a2, vendor=vendor, status="cancelled", cost=Decimal("999.00"))
    ContractFactory(
        client=client_a2,
        vendor=vendor,
        billing_frequency="one_time",
        auto_renew=False,
        term_months=None,
        cost=Decimal("5000"),
    )
    row = directory_selectors.vendors_with_totals(practice=practice_a).get(pk=vendor.pk)
    assert (row.contract_count, row.client_count) == (3, 2)
    assert row.annual_spend == Decimal("11760.50")


def test_contracts_import_is_all_or_nothing(practice_a, practice_b, client_a1, owner_a):
    vendor = VendorFactory(practice=practice_a)
    rows = [{"client": client_a1, **_contract_data(vendor, name=f"Row {n}")} for n in range(5)]
    rows[3]["vendor"] = VendorFactory(practice=practice_b)  # refused by the service after three writes
    with pytest.raises(ValidationError):
        services.contracts_import(rows=rows, actor=owner_a)
    assert not Contract.objects.exists()
    del rows[3]
    assert len(services.contracts_import(rows=rows, actor=owner_a)) == 4


def test_deleting_the_practice_takes_its_vendors_contracts_logs_and_feeds(
    practice_a, client_a1, owner_a, world
):
    from accounts.services import practice_delete

    services.calendar_feed_create(practice=practice_a, user=owner_a, actor=owner_a)
    ContractFactory(client=client_a1, vendor=world["vendor"], status="cancelled")
    practice_delete(practice=practice_a, actor=owner_a)
    for model in (Vendor, Contract, Interaction, CalendarFeed):
        assert not model.objects.for_practice(practice_a.pk).exists(), model
        assert not model.history.filter(practice_id=practice_a.pk).exists(), model
    assert Contract.objects.filter(name="CANARY-Bravo-Contract").exists()  # another practice's stay
