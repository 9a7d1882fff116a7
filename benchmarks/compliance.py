"""Compliance benchmarks (not part of the test run):

    python benchmarks/compliance.py [--runs 30]

On a throw-away test database (SQLite by default, or the test copy of DATABASE_URL's database) it
measures, each against a floor measured in the same run:

1. scores for a client with 3 adopted frameworks and 400 answers (`client_compliance_summary` plus
   `framework_scores` of each assessment) — target under 100 ms; floor: the same rows read with raw
   SQL;
2. the assessment page (the tree) of NIST SP 800-53 low (149 items), rendered through the full
   request stack — target under 200 ms at the median; floor: the same rows read with raw SQL and
   returned as JSON by a bare view.

Prints a Markdown table (median, p95, floor, ratio, target).
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vcio.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client as HttpClient  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def timed(fn, runs):
    fn()  # warm up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(int(len(samples) * 0.95) - 1, 0)]


def build():
    from accounts.models import Role
    from compliance import services, standard_services
    from compliance.models import Framework, Response
    from compliance.models import ResponseStatus as S
    from tests.factories import ClientFactory, MembershipFactory, PracticeFactory, UserFactory

    practice = PracticeFactory(name="Bench", slug="bench")
    user = UserFactory(email="bench@example.com")
    MembershipFactory(practice=practice, user=user, role=Role.CONSULTANT)
    client = ClientFactory(practice=practice, name="Bench client")
    own = standard_services.standard_framework_create(practice=practice, actor=None, name="Bench standards")
    for h in range(5):
        heading = standard_services.standard_create(
            framework=own, actor=None, ref=f"G{h}", title=f"Group {h}"
        )
        for k in range(29):
            standard_services.standard_create(
                framework=own,
                actor=None,
                parent=heading,
                ref=f"G{h}-{k}",
                title=f"Standard {h}.{k}",
                weight=("high", "medium", "low")[k % 3],
            )
    statuses = [S.IMPLEMENTED, S.PARTIAL, S.NOT_IMPLEMENTED, S.NOT_APPLICABLE, S.NOT_ASSESSED]
    assessments = []
    for framework in (
        Framework.objects.get(slug="nist-sp-800-53-r5-low"),
        Framework.objects.get(slug="nist-csf-2-0"),
        own,
    ):
        adoption = services.adoption_create(client=client, actor=None, framework=framework)
        first = services.assessment_start(adoption=adoption, actor=None)
        ids = list(Response.objects.filter(assessment=first).values_list("pk", flat=True))
        services.responses_set(
            assessment=first,
            actor=None,
            answers={
                pk: {"status": statuses[n % 5], "owner": user if n % 4 == 0 else None}
                for n, pk in enumerate(ids)
            },
        )
        services.assessment_complete(assessment=first, actor=None)
        assessments.append(services.assessment_start(adoption=adoption, actor=None))
    total = Response.objects.filter(assessment__in=assessments).count()
    return practice, user, client, assessments, total


FLOOR_SQL_ITEMS = """
    SELECT r.id, r.parent_id, r."order", r.weight, r.assessable, r.ref, r.title
    FROM compliance_requirement r WHERE r.framework_id = %s
"""
FLOOR_SQL_ANSWERS = """
    SELECT a.id, a.requirement_id, a.standard_id, a.status, a.weight, a.owner_id, a.due_date
    FROM compliance_response a WHERE a.practice_id = %s AND a.client_id = %s AND a.assessment_id IN ({})
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from compliance import selectors, summary_selectors
        from compliance.models import StandardFramework

        practice, user, client, assessments, total = build()
        own_id = StandardFramework.objects.get(practice=practice).pk

        def scores():
            summary_selectors.client_compliance_summary(client=client)
            for a in assessments:
                selectors.framework_scores(assessment=a)

        def scores_floor():
            with connection.cursor() as cursor:
                for a in assessments:
                    fid = a.adoption.framework_id
                    if fid:
                        cursor.execute(FLOOR_SQL_ITEMS, [fid.hex if connection.vendor == "sqlite" else fid])
                    else:
                        cursor.execute(
                            'SELECT id, parent_id, "order", weight, ref, title FROM compliance_standard WHERE practice_id = %s AND framework_id = %s',
                            [p.hex if connection.vendor == "sqlite" else p for p in (practice.pk, own_id)],
                        )
                    cursor.fetchall()
                ids = [a.pk.hex if connection.vendor == "sqlite" else a.pk for a in assessments]
                args = [
                    practice.pk.hex if connection.vendor == "sqlite" else practice.pk,
                    client.pk.hex if connection.vendor == "sqlite" else client.pk,
                ]
                cursor.execute(FLOOR_SQL_ANSWERS.format(",".join(["%s"] * len(ids))), [*args, *ids])
                cursor.fetchall()

        http = HttpClient()
        http.force_login(user)
        tree = assessments[0]  # NIST SP 800-53 low: 149 items
        page = f"/p/{practice.slug}/clients/{client.pk}/compliance/assessments/{tree.pk}/"
        assert http.get(page).status_code == 200

        def tree_page():
            assert http.get(page).status_code == 200

        from django.http import HttpResponse

        def tree_floor():
            with connection.cursor() as cursor:
                fid = tree.adoption.framework_id
                cursor.execute(FLOOR_SQL_ITEMS, [fid.hex if connection.vendor == "sqlite" else fid])
                items = cursor.fetchall()
                args = [
                    x.hex if connection.vendor == "sqlite" else x for x in (practice.pk, client.pk, tree.pk)
                ]
                cursor.execute(FLOOR_SQL_ANSWERS.format("%s"), args)
                answers = cursor.fetchall()
            HttpResponse(json.dumps([items, answers], default=str))

        rows = []
        for label, fn, floor, target in (
            (f"scores: 3 frameworks, {total} answers", scores, scores_floor, 100),
            ("assessment tree page: NIST SP 800-53 low (149 items)", tree_page, tree_floor, 200),
        ):
            median, p95 = timed(fn, runs)
            floor_median, _ = timed(floor, runs)
            rows.append((label, median, p95, floor_median, median / floor_median, target))
        print(f"\nCompliance benchmarks ({connection.vendor}, {runs} runs, DEBUG off)\n")
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
