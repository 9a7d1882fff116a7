"""Every read of a tenant table — the table itself, each join, prefetch and subquery — names the
practice (`<table or alias>."practice_id"`), so PostgreSQL reads one practice's rows through the
practice-led indexes and a page's cost does not depend on how many other practices there are.

The only reads across practices are named below (the user's own memberships for the practice
switcher; an API key found by its hash). Add a page or endpoint to PAGES / ENDPOINTS when you add one.
"""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Practice
from budgets import actual_services, phasing
from budgets import services as budget_services
from roadmaps import services as roadmap_services
from vcio.api_urls import router
from vcio.fiscal import fiscal_quarter

from .factories import (
    ActionItemFactory,
    ContactFactory,
    ContractFactory,
    GoalFactory,
    InitiativeFactory,
    InteractionFactory,
    MeetingFactory,
    VendorFactory,
    compliance_assessment,
)

pytestmark = pytest.mark.django_db

# Deliberate reads across practices (each one's reason is in its module).
ACROSS_PRACTICES = [
    re.compile(r'FROM "accounts_membership" .*WHERE \("accounts_membership"\."user_id" = '),  # the switcher
    re.compile(r'WHERE "accounts_apikey"\."key_hash" = '),  # API authentication
    re.compile(r'EXISTS\(SELECT 1 AS "a" FROM "accounts_membership" U0 .*"require_two_factor"'),  # 2FA rule
]
TABLE_REFERENCE = re.compile(
    r'\b(?P<how>FROM|LEFT OUTER JOIN|JOIN)\s+"(?P<table>\w+)"(?:\s+(?P<alias>[A-Z]\d+))?'
)


def tenant_tables() -> set[str]:
    """Tables whose rows belong to one practice: every model with a `practice` foreign key (tenant
    models, their through tables and their audit-history tables)."""
    return {
        model._meta.db_table
        for model in apps.get_models()
        if any(f.name == "practice" and f.related_model is Practice for f in model._meta.fields)
    }


def unscoped(sql: str, tables: set[str]) -> list[str]:
    """The tenant tables `sql` reads without naming their practice. A table read (FROM) or inner-joined
    needs a condition on its `practice_id` (compared with = or IN): a selected column, as
    select_related adds, does not count — an inner join on it let the planner scan every tenant's
    rows (the API's responses joined every practice's assessments). A left outer join (select_related
    of an optional reference: one row by its primary key) needs its practice column named."""
    if not sql.lstrip().upper().startswith("SELECT") or any(p.search(sql) for p in ACROSS_PRACTICES):
        return []
    missing = []
    for ref in TABLE_REFERENCE.finditer(sql):
        if ref["table"] in tables:
            name = re.escape(ref["alias"] or f'"{ref["table"]}"')
            if ref["how"] == "LEFT OUTER JOIN":
                named = re.search(rf'{name}\."practice_id"', sql)
            else:
                named = re.search(rf'{name}\."practice_id"\)?\s*(=|IN\b)|=\s*\(?{name}\."practice_id"', sql)
            if not named:
                missing.append(ref["table"])
    return missing


@pytest.fixture
def busy_client(client_a1, consultant_a, owner_a):
    """A client with contacts, goals, initiatives through the workflow, links and history — and a
    row of every other app's lists (an assessment, a contract with a log entry, a meeting with an
    action item, a budget with a line, an actual), so each list query runs (an empty page skips it)."""
    compliance_assessment(client_a1)
    vendor = VendorFactory(practice=client_a1.practice)
    InteractionFactory(
        vendor=vendor, client=client_a1, contract=ContractFactory(client=client_a1, vendor=vendor)
    )
    ActionItemFactory(meeting=MeetingFactory(client=client_a1))
    budget = budget_services.budget_create(
        client=client_a1,
        actor=owner_a,
        fiscal_year=phasing.fiscal_year(date.today(), client_a1.fiscal_year_start_month),
        build=False,
    )
    budget_services.line_create(
        budget=budget,
        actor=owner_a,
        name="Firewall",
        category="other",
        expense_type="opex",
        recurrence="monthly",
        amount=Decimal("100.00"),
        first_month=1,
        months=None,
    )
    actual_services.actual_create(
        client=client_a1, actor=owner_a, date=date.today(), amount=Decimal("42.00"), category="other"
    )
    contact = ContactFactory(client=client_a1, is_executive=True)
    goals = [GoalFactory(client=client_a1) for _ in range(3)]
    start = fiscal_quarter(contact.created_at.date(), client_a1.fiscal_year_start_month)
    for n in range(6):
        initiative = InitiativeFactory(client=client_a1, owner=consultant_a, sponsor=contact)
        initiative.goal_links.create(practice=client_a1.practice, goal=goals[n % 3])
        roadmap_services.initiative_update(initiative=initiative, actor=owner_a, title=f"Renamed {n}")
        roadmap_services.initiative_transition(
            initiative=initiative, actor=owner_a, to="approved", target_start=start.add(1)
        )
    return client_a1


def pages(client, practice="alpha"):
    from roadmaps.models import Goal, Initiative

    initiative = Initiative.objects.for_client(client).first()
    goal = Goal.objects.for_client(client).first()
    c = [practice, client.pk]
    return [
        reverse("practice_home", args=[practice]),
        reverse("clients:list", args=[practice]) + "?sort=contacts",
        reverse("clients:list", args=[practice]) + "?q=a",
        reverse("clients:overview", args=c),
        reverse("clients:contacts", args=c),
        reverse("clients:history", args=c),
        reverse("roadmaps:timeline", args=c),
        reverse("roadmaps:board", args=c),
        reverse("roadmaps:list", args=c) + f"?goal={goal.pk}",
        reverse("roadmaps:detail", args=[*c, initiative.pk]),
        reverse("roadmaps:goals", args=c),
        reverse("roadmaps:goal_detail", args=[*c, goal.pk]),
        reverse("accounts:members", args=[practice]),
        reverse("accounts:settings", args=[practice]),
        reverse("accounts:apikeys", args=[practice]),
        reverse("qbr:dashboard", args=[practice]),
        reverse("qbr:dashboard", args=[practice]) + "?clients=all",
        reverse("clients:list", args=[practice]) + "?sort=-next_qbr",
        reverse("clients:list", args=[practice]) + "?sort=planned_fy",
        reverse("clients:list", args=[practice]) + "?sort=compliance",
        reverse("qbr:notifications", args=[practice]),
        reverse("qbr:notification_count", args=[practice]),
        reverse("qbr:meetings", args=[practice]),
        reverse("qbr:client", args=c),
        reverse("vendors:directory", args=[practice]),
        reverse("vendors:renewals", args=[practice]),
        reverse("vendors:client_contracts", args=c),
        reverse("budgets:budget", args=c),
        reverse("compliance:overview", args=c),
    ]


def endpoints(client):
    from roadmaps.models import Goal, Initiative

    initiative = Initiative.objects.for_client(client).first()
    goal = Goal.objects.for_client(client).first()
    return [
        "/api/v1/me/",
        "/api/v1/clients/",
        f"/api/v1/clients/{client.pk}/",
        "/api/v1/contacts/",
        "/api/v1/goals/",
        "/api/v1/initiatives/",
        f"/api/v1/initiatives/?goal={goal.pk}",
        f"/api/v1/initiatives/{initiative.pk}/",
        "/api/v1/dashboard/",
        "/api/v1/notifications/",
        # and every collection the API routes (each app's API_ROUTES)
        *[f"/api/v1/{prefix}/" for prefix, _, _ in router.registry],
    ]


def test_every_page_reads_tenant_tables_by_practice(busy_client, as_owner_a):
    tables = tenant_tables()
    problems = {}
    for path in pages(busy_client):
        as_owner_a.get(path)
        with CaptureQueriesContext(connection) as ctx:
            assert as_owner_a.get(path).status_code in (200, 302), path
        for query in ctx.captured_queries:
            if missing := unscoped(query["sql"], tables):
                problems.setdefault(path, []).append((missing, query["sql"][:2000]))
    assert not problems, problems


def test_every_endpoint_reads_tenant_tables_by_practice(busy_client, api_key_a, api):
    tables = tenant_tables()
    http = api(api_key_a[1])
    problems = {}
    for path in endpoints(busy_client):
        with CaptureQueriesContext(connection) as ctx:
            assert http.get(path).status_code == 200, path
        for query in ctx.captured_queries:
            if missing := unscoped(query["sql"], tables):
                problems.setdefault(path, []).append((missing, query["sql"][:2000]))
    assert not problems, problems


def test_the_check_sees_a_join_without_the_practice():
    tables = {"roadmaps_goal", "roadmaps_initiativegoal"}
    sql = (
        'SELECT "roadmaps_goal"."id" FROM "roadmaps_goal" INNER JOIN "roadmaps_initiativegoal" ON (x) '
        'WHERE "roadmaps_goal"."practice_id" = 1'
    )
    assert unscoped(sql, tables) == ["roadmaps_initiativegoal"]
    sql_u = 'SELECT 1 FROM "roadmaps_goal" U0 WHERE U0."practice_id" = 1'
    assert unscoped(sql_u, tables) == []
    # a joined table's practice column selected (select_related) is not a condition on it
    selected = (
        'SELECT "roadmaps_goal"."id", "roadmaps_initiativegoal"."practice_id" FROM "roadmaps_goal" '
        'INNER JOIN "roadmaps_initiativegoal" ON (x) WHERE "roadmaps_goal"."practice_id" = 1'
    )
    assert unscoped(selected, tables) == ["roadmaps_initiativegoal"]
    joined = selected.replace(
        "ON (x)", 'ON (x AND "roadmaps_initiativegoal"."practice_id" = ("roadmaps_goal"."practice_id"))'
    )
    assert unscoped(joined, tables) == []


@pytest.mark.parametrize(
    "prefix", ["action-items", "actuals", "assessments", "budget-lines", "contracts", "meetings", "vendors"]
)
def test_lists_that_show_ids_join_nothing(prefix, busy_client, api_key_a, api):
    """A row of these lists shows its related objects by id (and the vendors' totals come from one
    grouped query over the page): their page query reads the one table, with its total."""
    http = api(api_key_a[1])
    with CaptureQueriesContext(connection) as ctx:
        body = http.get(f"/api/v1/{prefix}/").json()
    assert body["count"] >= 1
    pages = [q["sql"] for q in ctx.captured_queries if "_page_total" in q["sql"]]
    assert len(pages) == 1 and " JOIN " not in pages[0], pages


def test_the_budgets_list_selects_no_client_or_approver(busy_client, api_key_a, api):
    """The budgets list shows a budget's client and approver by id: it selects neither's columns
    (the join to the client that names the practice stays)."""
    with CaptureQueriesContext(connection) as ctx:
        body = api(api_key_a[1]).get("/api/v1/budgets/").json()
    assert body["count"] >= 1 and body["results"][0]["client"] == str(busy_client.pk)
    (page,) = [q["sql"] for q in ctx.captured_queries if "_page_total" in q["sql"]]
    assert '"clients_client"."industry"' not in page and '"accounts_user"' not in page, page
