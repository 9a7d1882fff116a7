"""Budgets benchmarks (not part of the test run):

    python benchmarks/budgets.py [--runs 20]

On a throw-away test database (SQLite by default, or the test copy of DATABASE_URL's database) it
measures, each against a floor measured in the same run:

1. building the budget of a client with 200 initiatives and 60 contracts (`services.budget_build` on a
   fresh budget: about 450 lines written with their history) — target under 1 s; floor: the same
   initiatives and contracts read with raw SQL and the same number of lines inserted with one bulk
   INSERT (no rules, no history);
2. the Budget tab of a 500-line budget, rendered through the full request stack — target under
   150 ms at the median; floor: the same 500 rows read with raw SQL and returned as JSON by a bare
   view.

Prints a Markdown table (median, p95, floor, ratio, target).
"""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vcio.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client as HttpClient  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

FY = 2027


def timed(fn, runs, setup=None):
    if setup:
        setup()
    fn()  # warm up
    samples = []
    for _ in range(runs):
        if setup:
            setup()
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(int(len(samples) * 0.95) - 1, 0)]


def build_world():
    from accounts.models import Role
    from tests.factories import (
        ClientFactory,
        ContractFactory,
        InitiativeFactory,
        MembershipFactory,
        PracticeFactory,
        UserFactory,
        VendorFactory,
    )

    practice = PracticeFactory(name="Bench", slug="bench")
    user = UserFactory(email="bench@example.com")
    MembershipFactory(practice=practice, user=user, role=Role.CONSULTANT)
    client = ClientFactory(practice=practice, name="Bench client", fiscal_year_start_month=7)
    statuses = ["approved", "in_progress", "done", "approved"]
    for n in range(200):
        quarter = 20261 + (n % 12) // 4 * 10 + n % 4  # FY2026..FY2028, every quarter
        InitiativeFactory(
            client=client,
            status=statuses[n % 4],
            target_start=quarter,
            target_end=quarter,
            category=["security", "infrastructure", "cloud", "software"][n % 4],
            one_time_cost=Decimal(1000 + n * 10),
            recurring_monthly_cost=Decimal(n % 5 * 25),
        )
    vendors = [
        VendorFactory(practice=practice, name=f"Vendor {k}", category=["saas", "cloud", "isp", "msp"][k % 4])
        for k in range(12)
    ]
    for n in range(60):
        ContractFactory(
            client=client,
            vendor=vendors[n % 12],
            name=f"Contract {n}",
            start_date=date(2025, 1 + n % 12, 1 + n % 27),
            term_months=12,
            billing_frequency=["monthly", "quarterly", "annual", "monthly"][n % 4],
            cost=Decimal(50 + n),
            quantity=1 + n % 10,
        )
    big = ClientFactory(practice=practice, name="Big budget client", fiscal_year_start_month=1)
    return practice, user, client, big


FLOOR_SQL = [
    "SELECT id, title, category, status, target_start, one_time_cost, recurring_monthly_cost FROM roadmaps_initiative "
    "WHERE practice_id = %s AND client_id = %s AND target_start <= %s",
    "SELECT id, name, vendor_id, start_date, end_date, term_months, auto_renew, billing_frequency, cost, quantity, status "
    "FROM vendors_contract WHERE practice_id = %s AND client_id = %s",
]
PAGE_SQL = (
    "SELECT id, name, category, expense_type, recurrence, amount, first_month, months, vendor_id, source "
    "FROM budgets_budgetline WHERE practice_id = %s AND budget_id = %s ORDER BY category, name"
)


def uuid_arg(value):
    return value.hex if connection.vendor == "sqlite" else value


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from budgets import services
        from budgets.models import Budget, BudgetLine

        practice, user, client, big = build_world()
        state = {}

        def fresh_budget():
            Budget.objects.filter(client=client).delete()
            state["budget"] = services.budget_create(client=client, actor=user, fiscal_year=FY)

        def build():
            services.budget_build(budget=state["budget"], actor=user)

        fresh_budget()
        build()
        line_count = BudgetLine.objects.filter(budget=state["budget"]).count()

        def build_floor():
            with connection.cursor() as cursor:
                cursor.execute(FLOOR_SQL[0], [uuid_arg(practice.pk), uuid_arg(client.pk), FY * 10 + 4])
                cursor.fetchall()
                cursor.execute(FLOOR_SQL[1], [uuid_arg(practice.pk), uuid_arg(client.pk)])
                cursor.fetchall()
            BudgetLine.objects.bulk_create(
                [
                    BudgetLine(
                        practice_id=practice.pk,
                        budget=state["budget"],
                        name=f"Line {k}",
                        amount=Decimal(k),
                        first_month=1,
                    )
                    for k in range(line_count)
                ],
                batch_size=500,
            )

        # the 500-line budget of the Budget tab
        budget = services.budget_create(client=big, actor=user, fiscal_year=FY)
        services.budget_create(client=big, actor=user, fiscal_year=FY - 1)
        BudgetLine.objects.bulk_create(
            BudgetLine(
                practice_id=practice.pk,
                budget=budget,
                name=f"Line {k} of the big budget",
                category=["hardware", "software", "cloud", "managed_services", "telecom"][k % 5],
                recurrence=["monthly", "quarterly", "one_time", "annual"][k % 4],
                amount=Decimal(100 + k),
                first_month=k % 12 + 1,
            )
            for k in range(500)
        )
        http = HttpClient()
        http.force_login(user)
        page = f"/p/{practice.slug}/clients/{big.pk}/budget/{budget.pk}/"
        assert http.get(page).status_code == 200

        def tab():
            assert http.get(page).status_code == 200

        from django.http import HttpResponse

        def tab_floor():
            with connection.cursor() as cursor:
                cursor.execute(PAGE_SQL, [uuid_arg(practice.pk), uuid_arg(budget.pk)])
                rows = cursor.fetchall()
            HttpResponse(json.dumps(rows, default=str))

        rows = []
        for label, fn, floor, target, setup in (
            (
                f"build: 200 initiatives + 60 contracts → {line_count} lines",
                build,
                build_floor,
                1000,
                fresh_budget,
            ),
            ("Budget tab: 500 lines × 12 fiscal months", tab, tab_floor, 150, None),
        ):
            median, p95 = timed(fn, runs, setup)
            floor_median, _ = timed(floor, runs, setup)
            rows.append((label, median, p95, floor_median, median / floor_median, target))
        print(f"\nBudgets benchmarks ({connection.vendor}, {runs} runs, DEBUG off)\n")
        print("| what | median ms | p95 ms | floor ms | ratio | target | |")
        print("|---|---:|---:|---:|---:|---:|---|")
        for label, median, p95, floor_median, ratio, target in rows:
            ok = "ok" if median < target else "MISSED"
            print(
                f"| {label} | {median:.1f} | {p95:.1f} | {floor_median:.2f} | {ratio:.1f}× | < {target} ms | {ok} |"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
