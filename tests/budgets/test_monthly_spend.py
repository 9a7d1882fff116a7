"""Each client's actual spend by month (`MonthlySpend`), kept by `budgets.spend` whenever actuals
change: the dashboard's year-to-date spend over every client reads it instead of every actual. Every
way an actual is written keeps it equal to the actuals summed by month; the reader takes it; the
command and the upgrade's migration store it from the actuals."""

import importlib
from collections import defaultdict
from datetime import date
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from budgets import actual_services, selectors, spend
from budgets.models import Actual, MonthlySpend
from tests.factories import ClientFactory, UserFactory
from vcio.tenancy import all_practices

from .conftest import D
from .test_planned_totals import TODAY

pytestmark = pytest.mark.django_db


def summed(*clients) -> dict:
    """What must be stored: {(client id, month): sum} of the clients' actuals, in Python."""
    out = defaultdict(lambda: D("0.00"))
    for actual in Actual.objects.filter(client__in=clients):
        out[(actual.client_id, actual.date.replace(day=1))] += actual.amount
    return dict(out)


def stored(*clients) -> dict:
    return {(m.client_id, m.month): m.amount for m in MonthlySpend.objects.filter(client__in=clients)}


def add(client, owner, day, amount, **kw):
    return actual_services.actual_create(
        client=client, actor=owner, date=day, amount=D(amount), category="security", **kw
    )


def test_every_service_keeps_the_months(july, owner_a):
    steps = []
    first = add(july, owner_a, date(2026, 8, 3), "100.00")
    steps.append("create")
    add(july, owner_a, date(2026, 8, 31), "50.50")
    add(july, owner_a, date(2026, 9, 1), "-20.00", description="Refund")
    assert (
        stored(july)
        == summed(july)
        == {
            (july.pk, date(2026, 8, 1)): D("150.50"),
            (july.pk, date(2026, 9, 1)): D("-20.00"),
        }
    )
    actual_services.actual_update(actual=first, actor=owner_a, amount=D("120.00"))
    assert stored(july)[(july.pk, date(2026, 8, 1))] == D("170.50")
    # moved to another month: the month it left is summed again too
    actual_services.actual_update(actual=first, actor=owner_a, date=date(2026, 10, 15))
    assert stored(july) == summed(july)
    assert stored(july)[(july.pk, date(2026, 8, 1))] == D("50.50")
    assert stored(july)[(july.pk, date(2026, 10, 1))] == D("120.00")
    actual_services.actual_delete(actual=first, actor=owner_a)
    assert stored(july) == summed(july)
    assert (july.pk, date(2026, 10, 1)) not in stored(july)  # no actual left in October: no row

    rows = [
        {
            "date": date(2026, 11, day),
            "amount": D("10.00"),
            "category": "software",
            "description": f"Seat {day}",
        }
        for day in (1, 15, 30)
    ] + [{"date": date(2026, 8, 20), "amount": D("5.00"), "category": "other", "description": "Cable"}]
    actual_services.actuals_import(client=july, actor=owner_a, rows=rows)
    assert stored(july) == summed(july)
    assert stored(july)[(july.pk, date(2026, 11, 1))] == D("30.00")
    assert stored(july)[(july.pk, date(2026, 8, 1))] == D("55.50")


def test_saves_outside_the_services_and_the_admins_bulk_delete_keep_them(
    july, client_a2, owner_a, login, practice_a
):
    made = Actual.objects.create(  # as a shell would
        practice=practice_a, client=july, date=date(2026, 7, 9), amount=D("80.00"), category="other"
    )
    add(july, owner_a, date(2026, 7, 20), "20.00")
    assert stored(july) == {(july.pk, date(2026, 7, 1)): D("100.00")}
    made.client = client_a2  # moved to another client (the admin could): both clients summed again
    made.save()
    assert stored(july, client_a2) == summed(july, client_a2)
    assert stored(client_a2) == {(client_a2.pk, date(2026, 7, 1)): D("80.00")}
    made.delete()
    assert stored(july, client_a2) == summed(july, client_a2) == {(july.pk, date(2026, 7, 1)): D("20.00")}

    doomed = [add(july, owner_a, date(2026, 12, d), "7.00").pk for d in (1, 2)]
    add(july, owner_a, date(2026, 12, 3), "1.00")
    http = login(UserFactory(is_staff=True, is_superuser=True))
    response = http.post(
        reverse("admin:budgets_actual_changelist"),
        {"action": "delete_selected", "_selected_action": [str(pk) for pk in doomed], "post": "yes"},
    )
    assert response.status_code == 302 and not Actual.objects.filter(pk__in=doomed).exists()
    assert stored(july) == summed(july)
    assert stored(july)[(july.pk, date(2026, 12, 1))] == D("1.00")


def test_the_dashboards_spend_reads_the_monthly_spend(july, owner_a):
    add(july, owner_a, date(2026, 8, 3), "100.00")
    add(july, owner_a, date(2026, 11, 30), "10.00")  # this month: in the year to date
    add(july, owner_a, date(2026, 12, 1), "1000.00")  # next month: not yet
    add(july, owner_a, date(2026, 6, 30), "1000.00")  # the fiscal year before
    book = selectors.book_panel_figures(practice=july.practice, clients=[july], today=TODAY)
    assert book[july.pk].actual_ytd == D("110.00")
    # a sentinel stored in a month shows: the reader sums the monthly spend, not the actuals
    MonthlySpend.objects.filter(client=july, month=date(2026, 8, 1)).update(amount=D("1.00"))
    book = selectors.book_panel_figures(practice=july.practice, clients=[july], today=TODAY)
    assert book[july.pk].actual_ytd == D("11.00")


def _spoil(*clients):
    """Monthly spend that no longer matches the actuals: one month dropped, one changed."""
    for client in clients:
        rows = list(MonthlySpend.objects.filter(client=client).order_by("month"))
        rows[0].delete()
        MonthlySpend.objects.filter(pk=rows[1].pk).update(amount=D("999.99"))


def test_resum_spend_stores_every_practice_again(july, owner_a, practice_b, owner_b):
    client_b = ClientFactory(practice=practice_b)
    for client, owner in ((july, owner_a), (client_b, owner_b)):
        for month in (8, 9, 10):
            add(client, owner, date(2026, month, 5), f"{month}0.00")
    expected = summed(july, client_b)
    _spoil(july, client_b)
    assert stored(july, client_b) != expected

    call_command("resum_spend", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert stored(july, client_b) == expected


def test_the_upgrade_migration_sums_the_existing_actuals(july, owner_a, practice_b, owner_b):
    client_b = ClientFactory(practice=practice_b)
    for client, owner in ((july, owner_a), (client_b, owner_b)):
        add(client, owner, date(2026, 8, 5), "12.00")
        add(client, owner, date(2026, 8, 25), "3.00")
        add(client, owner, date(2026, 9, 5), "4.00")
    expected = summed(july, client_b)
    with all_practices("test: the table as the migration finds it, empty"):
        MonthlySpend.objects.all_practices().delete()
    migration = importlib.import_module("budgets.migrations.0003_monthly_spend")
    migration.sum_existing_actuals(apps, SimpleNamespace(connection=connection))
    assert stored(july, client_b) == expected


def test_resum_of_nothing_writes_nothing(django_assert_num_queries, practice_a):
    with django_assert_num_queries(0):
        spend.resum(practice_a.pk, [(None, None)])
