"""Stored renewal dates (`Contract.key_date`, `notice_date`, `rolling`, `dates_as_of`): exact from the
day they were stamped through their key date, stamped on every save, rolled forward by the hourly
task — and the calendar and the dashboard, which read them, give what the renewal rule computes from
the terms whether a contract's stored dates are fresh, stale or were never stamped."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest

from qbr import dashboard
from qbr.models import ReminderKind
from tests.factories import ClientFactory, ContractFactory, VendorFactory
from tests.vendors.conftest import due_in
from vendors import renewal_calendar, renewals, selectors, services
from vendors.models import DERIVED_FIELDS, Contract, stamp_day
from vendors.selectors import practice_today

pytestmark = pytest.mark.django_db


def _terms():
    """A spread of terms: fixed ends, terms in months, open-ended; renewing yearly, quarterly or
    monthly, or not at all; month-end dates; notice periods from none to 90 days; every status."""
    starts = [date(2023, 1, 31), date(2024, 2, 29), date(2025, 6, 15)]
    for start, shape, auto, renewal_term, notice, status in itertools.product(
        starts, ["end", "term", "open"], [True, False], [None, 1, 3], [0, 30, 90], ["active", "cancelled"]
    ):
        yield renewals.Terms(
            start_date=start,
            end_date=start + timedelta(days=400) if shape == "end" else None,
            term_months=24 if shape == "term" else None,
            auto_renew=auto,
            renewal_term_months=renewal_term,
            notice_days=notice,
            billing_frequency="annual",
            cost=Decimal("100.00"),
            status=status,
            ended_on=date(2025, 1, 1) if status == "cancelled" else None,
        )


def test_stored_dates_stay_exact_from_the_stamp_day_through_the_key_date():
    checked = 0
    for terms in _terms():
        for as_of in (date(2024, 12, 31), date(2025, 7, 1), date(2026, 2, 28)):
            key, notice, rolling = renewals.stored_dates(terms, as_of)
            assert rolling == renewals.is_rolling(terms)
            last = key or as_of + timedelta(days=800)  # no key date: none on any later day either
            for today in {as_of, as_of + timedelta(days=1), last - timedelta(days=1), last}:
                if not as_of <= today <= last:
                    continue
                info = renewals.renewal(terms, today)
                assert (info.key_date, info.notice_deadline) == (key, notice), (terms, as_of, today)
                checked += 1
    assert checked > 1000


def test_the_picture_read_from_stored_dates_is_the_rules_on_every_day_fresh_or_stale():
    """Pages and the API read a contract's renewal picture from its stored dates while they are exact
    (`renewals.stored_renewal`): on every day of the span it is what `renewal` computes from the
    terms, and on the days around it (stale) it is computed."""
    read = 0
    for terms in _terms():
        for as_of in (date(2024, 12, 31), date(2025, 7, 1), date(2026, 2, 28)):
            stored = renewals.Stored(*renewals.stored_dates(terms, as_of), as_of)
            last = stored.key_date or as_of + timedelta(days=800)
            days = {as_of - timedelta(days=1), as_of, as_of + timedelta(days=1), last - timedelta(days=1)}
            for today in days | {last, last + timedelta(days=1), last + timedelta(days=400)}:
                assert renewals.stored_renewal(terms, stored, today) == renewals.renewal(terms, today), (
                    terms,
                    as_of,
                    today,
                )
                read += terms.status == "active" and stored.key_date is not None and as_of <= today <= last
    assert read > 300  # the stored dates answered, not only the rule


def test_the_api_and_the_contracts_tab_show_the_rules_dates_when_stored_dates_are_stale(
    api, read_only_key_a, practice_a, client_a1
):
    today = practice_today(practice_a)
    start = renewals.add_months(today + timedelta(days=40), -36)  # renews yearly, next in 40 days
    contract = ContractFactory(client=client_a1, **due_in(practice_a, 40, notice=30, start_date=start))
    expected = renewals.renewal(contract, today)
    # stamped 400 days ago: its stored key date has passed, the rule rolls the renewal forward
    contract.stamp_dates(today - timedelta(days=400))
    Contract.objects.bulk_update([contract], DERIVED_FIELDS)
    contract.refresh_from_db()
    assert contract.key_date < today < expected.next_renewal
    body = api(read_only_key_a[1]).get(f"/api/v1/contracts/{contract.pk}/").json()
    assert (body["next_renewal"], body["notice_deadline"]) == (
        expected.next_renewal.isoformat(),
        expected.notice_deadline.isoformat(),
    )
    listed = api(read_only_key_a[1]).get("/api/v1/contracts/").json()["results"]
    assert [(r["next_renewal"], r["in_notice_window"]) for r in listed] == [
        (expected.next_renewal.isoformat(), expected.in_notice_window)
    ]
    (row,) = selectors.client_contract_terms(client=client_a1)
    assert row.info == expected
    # fresh again: the same dates, read from the stored ones
    contract.save()
    (row,) = selectors.client_contract_terms(client=client_a1)
    assert row.info == expected and selectors.with_renewal([contract], today)[0].info == expected


def test_every_save_stamps_the_dates_and_a_cancelled_contract_has_none(practice_a, client_a1):
    contract = ContractFactory(client=client_a1, **due_in(practice_a, 40, notice=60))
    contract.refresh_from_db()
    info = contract.renewal(stamp_day())
    assert contract.dates_as_of == stamp_day()
    assert (contract.key_date, contract.notice_date) == (info.next_renewal, info.notice_deadline)
    services.contract_update(contract=contract, actor=None, status="cancelled")
    contract.refresh_from_db()
    assert contract.key_date is None and contract.notice_date is None


def _book(practice, client_a1):
    """Contracts of every kind the calendar shows or leaves out, over two clients."""
    clients = [client_a1, ClientFactory(practice=practice, name="Zephyr Dental")]
    vendor = VendorFactory(practice=practice)
    made = []
    for k in range(24):
        days = 5 + k * 17  # spread over the year, some deadlines already passed this month
        kw = due_in(practice, days, notice=(0, 30, 60)[k % 3])
        if k % 5 == 0:
            kw["auto_renew"] = False  # it ends instead
        if k % 7 == 0:
            kw.update(auto_renew=True, renewal_term_months=1, billing_frequency="monthly")  # rolling
        made.append(ContractFactory(client=clients[k % 2], vendor=vendor, name=f"Contract {k:02}", **kw))
    ContractFactory(client=client_a1, vendor=vendor, status="cancelled", **due_in(practice, 20))
    made.append(ContractFactory(client=client_a1, vendor=vendor, name="Window", **due_in(practice, 45)))
    return made


def _paged(practice, page_size=7, **kw):
    first = renewal_calendar.renewal_calendar(practice=practice, page_size=page_size, **kw)
    rows = []
    for page in range(1, first.pages + 1):
        cal = renewal_calendar.renewal_calendar(practice=practice, page_size=page_size, page=page, **kw)
        rows += [(e.event.day, e.event.kind, e.contract.pk) for e in cal.entries]
    return first, rows


def _reference(practice, **kw):
    return [
        (e.event.day, e.event.kind, e.contract.pk)
        for e in renewal_calendar.calendar_entries(practice=practice, **kw)
    ]


def _figures(cal):
    return [(m.first, m.count, m.notices) for m in cal.months], cal.in_notice_window, cal.rolling


def test_the_paged_calendar_equals_the_rule_whether_stored_dates_are_fresh_stale_or_missing(
    practice_a, client_a1
):
    made = _book(practice_a, client_a1)
    expected = _reference(practice_a)
    cal, rows = _paged(practice_a)
    assert rows == expected and cal.total == len(expected) > 14
    fresh_figures = _figures(cal)
    assert cal.rolling == 4 and cal.in_notice_window >= 1
    # stale: never stamped, stamped long ago (key date passed), stamped "after" today
    Contract.objects.filter(pk__in=[c.pk for c in made[0::3]]).update(dates_as_of=None, key_date=None)
    old = made[1::3]
    for contract in old:
        contract.stamp_dates(practice_today(practice_a) - timedelta(days=400))
    Contract.objects.bulk_update(old, DERIVED_FIELDS)
    cal, rows = _paged(practice_a)
    assert rows == expected and _figures(cal) == fresh_figures
    earlier = practice_today(practice_a) - timedelta(days=45)  # every stored date is stamped after it
    cal, rows = _paged(practice_a, today=earlier)
    assert rows == _reference(practice_a, today=earlier) and rows != expected


def test_the_refresh_rolls_stale_dates_forward_in_every_practice(practice_a, client_a1, canary_client_b):
    long_ago = {"start_date": stamp_day() - timedelta(days=800), "term_months": 12, "notice_days": 30}
    mine = ContractFactory(client=client_a1, **long_ago)
    theirs = ContractFactory(client=canary_client_b, **long_ago)
    for contract in (mine, theirs):
        contract.stamp_dates(stamp_day() - timedelta(days=400))
        assert contract.key_date < stamp_day()  # renewed since: stale
    Contract.objects.bulk_update([mine, theirs], DERIVED_FIELDS)
    never = ContractFactory(client=client_a1, **due_in(practice_a, 10))
    Contract.objects.filter(pk=never.pk).update(dates_as_of=None)
    assert services.refresh_contract_dates_all_practices() == 3
    for contract in (mine, theirs, never):
        contract.refresh_from_db()
        info = contract.renewal(stamp_day())
        assert contract.dates_as_of == stamp_day() and contract.key_date == info.key_date >= stamp_day()
    assert services.refresh_contract_dates_all_practices() == 0  # nothing left to roll


def test_the_beat_runs_the_refresh_every_hour():
    from django_celery_beat.models import PeriodicTask

    from qbr.schedules import CONTRACT_DATES_NAME, CONTRACT_DATES_TASK, ensure_schedules
    from vendors.tasks import vendors_refresh_contract_dates_all_practices as task

    ensure_schedules()
    entry = PeriodicTask.objects.get(name=CONTRACT_DATES_NAME)
    assert entry.task == CONTRACT_DATES_TASK == task.name and entry.crontab.hour == "*"
    assert task.apply().get() == 0  # runs (nothing stale here)


def test_the_dashboard_finds_a_deadline_whether_its_dates_are_fresh_or_stale(practice_a, client_a1):
    fresh = ContractFactory(client=client_a1, name="Fresh fiber", **due_in(practice_a, 40))
    stale = ContractFactory(client=client_a1, name="Stale phones", **due_in(practice_a, 45))
    ContractFactory(client=client_a1, name="Later copier", **due_in(practice_a, 200))
    Contract.objects.filter(pk=stale.pk).update(dates_as_of=None, key_date=None, notice_date=None)
    items, total = dashboard.due_by_kind(practice=practice_a, today=practice_today(practice_a), limit=5)[
        ReminderKind.NOTICE
    ]
    assert total == 2 and [i.object_id for i in items] == [fresh.pk, stale.pk]
    assert items[1].title.endswith("Stale phones") and "unless notice is given" in items[1].detail
    items, total = dashboard.due_by_kind(practice=practice_a, today=practice_today(practice_a), limit=1)[
        ReminderKind.NOTICE
    ]
    assert total == 2 and [i.object_id for i in items] == [fresh.pk]
