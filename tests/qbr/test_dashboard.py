"""The practice dashboard (the practice's home), its one rule of what is due (`qbr.dashboard.due_items`),
its API, and the client list's columns from other apps."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from budgets import actual_services
from budgets import services as budget_services
from compliance import services as compliance_services
from compliance.models import Response
from qbr import dashboard
from qbr.models import ActionItem, ReminderKind
from tests.factories import (
    ActionItemFactory,
    ClientFactory,
    ContractFactory,
    InitiativeFactory,
    MeetingFactory,
    compliance_assessment,
)
from vcio.fiscal import fiscal_quarter
from vendors.renewals import add_months

pytestmark = pytest.mark.django_db

DASH = "/p/alpha/dashboard/"


def local_today(practice):
    return dashboard.practice_today(practice)


def due_world(client, *, tag: str, light: bool = False):
    """One of each due kind for `client`, named by `tag`; and things that are not due."""
    today = local_today(client.practice)
    now = timezone.now()
    # a contract whose notice deadline is in 10 days (renews in 40, 30 days' notice)
    ContractFactory(
        client=client,
        name=f"{tag} contract",
        start_date=add_months(today + timedelta(days=40), -12),
        notice_days=30,
    )
    ContractFactory(
        client=client, name=f"{tag} far contract", start_date=add_months(today + timedelta(days=200), -12)
    )
    # an initiative whose target quarter has ended, not done; a done one; one far ahead
    month = client.fiscal_year_start_month
    last_quarter = fiscal_quarter(today, month).previous()
    InitiativeFactory(
        client=client,
        title=f"{tag} initiative",
        status="approved",
        target_start=last_quarter.key,
        target_end=last_quarter.key,
    )
    InitiativeFactory(
        client=client,
        title=f"{tag} done initiative",
        status="done",
        target_start=last_quarter.key,
        target_end=last_quarter.key,
    )
    later = fiscal_quarter(today + timedelta(days=400), month)
    InitiativeFactory(
        client=client,
        title=f"{tag} later initiative",
        status="approved",
        target_start=later.key,
        target_end=later.key,
    )
    # a meeting in two days, one in a month; a QBR held 200 days ago (cadence 3 months: overdue)
    MeetingFactory(client=client, title=f"{tag} meeting", scheduled_at=now + timedelta(days=2))
    MeetingFactory(client=client, title=f"{tag} far meeting", scheduled_at=now + timedelta(days=40))
    held = MeetingFactory(
        client=client, title=f"{tag} old QBR", status="held", scheduled_at=now - timedelta(days=200)
    )
    ActionItemFactory(meeting=held, description=f"{tag} action", due_date=today - timedelta(days=1))
    ActionItemFactory(meeting=held, description=f"{tag} done action", status="done", done_at=now)
    if not light:
        _, _, responses = compliance_assessment(client, items=3, title=f"{tag} baseline")
        Response.objects.filter(pk=responses[0].pk).update(due_date=today + timedelta(days=5))
        Response.objects.filter(pk=responses[1].pk).update(due_date=today + timedelta(days=60))


def titles(items):
    return {i.title for i in items}


def test_due_items_has_each_kind_and_nothing_that_is_not_due(client_a1, consultant_a):
    client_a1.primary_consultant = consultant_a
    client_a1.save()
    due_world(client_a1, tag="A1")
    items = dashboard.due_items(practice=client_a1.practice, user=consultant_a)
    kinds = {i.kind: i for i in items}
    assert set(kinds) == set(ReminderKind.values)
    found = titles(items)
    assert (
        "Give notice on " in kinds[ReminderKind.NOTICE].title
        and "A1 contract" in kinds[ReminderKind.NOTICE].title
    )
    assert {"A1 initiative", "A1 meeting", "A1 action"} <= found
    assert not found & {"A1 done initiative", "A1 later initiative", "A1 far meeting", "A1 done action"}
    assert not any("far contract" in t for t in found)
    assert [i.kind for i in items if i.kind == ReminderKind.COMPLIANCE] == [
        ReminderKind.COMPLIANCE
    ]  # not the 60-day one
    assert kinds[ReminderKind.INITIATIVE].overdue and kinds[ReminderKind.ACTION_ITEM].overdue
    assert kinds[ReminderKind.QBR_OVERDUE].client_id == client_a1.pk
    today = local_today(client_a1.practice)
    assert kinds[ReminderKind.NOTICE].due_date == today + timedelta(days=10)


def test_my_clients_and_all_clients_and_never_another_practice(
    client_a1, client_a2, canary_client_b, consultant_a, owner_a, as_consultant_a
):
    client_a1.primary_consultant = consultant_a
    client_a1.save()
    client_a2.primary_consultant = owner_a
    client_a2.save()
    due_world(client_a1, tag="Mine")
    due_world(client_a2, tag="Theirs", light=True)
    due_world(canary_client_b, tag="CANARY-Bravo", light=True)

    mine = as_consultant_a.get(DASH).content.decode()
    assert "Mine initiative" in mine and "Theirs initiative" not in mine
    every = as_consultant_a.get(DASH + "?clients=all").content.decode()
    assert "Mine initiative" in every and "Theirs initiative" in every
    for html in (mine, every):
        assert "CANARY-Bravo" not in html and "Bravo" not in html
    # every row links to its object
    contract = client_a1.contracts.get(name="Mine contract")
    assert reverse("vendors:contract_detail", args=["alpha", client_a1.pk, contract.pk]) in mine
    initiative = client_a1.initiatives.get(title="Mine initiative")
    assert reverse("roadmaps:detail", args=["alpha", client_a1.pk, initiative.pk]) in mine
    answer = Response.objects.filter(client=client_a1, due_date__isnull=False).order_by("due_date").first()
    assert (
        reverse("compliance:response", args=["alpha", client_a1.pk, answer.assessment_id, answer.pk]) in mine
    )
    # archived clients drop out
    client_a2.status = "archived"
    client_a2.save()
    assert "Theirs initiative" not in as_consultant_a.get(DASH + "?clients=all").content.decode()


def test_the_practice_home_is_the_dashboard_and_the_client_list_has_its_own_entry(as_consultant_a):
    response = as_consultant_a.get("/p/alpha/")
    assert response.status_code == 302 and response["Location"] == DASH
    page = as_consultant_a.get(DASH).content.decode()
    assert 'href="/p/alpha/clients/"' in page and ">Dashboard" in page.replace("</i> ", ">")


def test_viewers_read_the_dashboard_without_edit_controls(as_viewer_a, client_a1):
    due_world(client_a1, tag="A1", light=True)
    html = as_viewer_a.get(DASH + "?clients=all").content.decode()
    assert "A1 initiative" in html and "New client" not in html and "Add the first client" not in html


def test_empty_states(as_consultant_a, as_owner_a, practice_a):
    for scope in ("", "?clients=all"):  # a new practice: no clients at all
        html = as_owner_a.get(DASH + scope).content.decode()
        assert "No clients yet" in html and "Add the first client" in html
    ClientFactory(practice=practice_a)  # someone else's client
    assert "not the primary consultant of any active client" in as_consultant_a.get(DASH).content.decode()


def test_spend_across_the_book_uses_each_clients_own_fiscal_year(client_a1, client_a2, owner_a, as_owner_a):
    client_a2.fiscal_year_start_month = 7
    client_a2.save()
    today = local_today(client_a1.practice)
    for client in (client_a1, client_a2):
        year = fiscal_quarter(today, client.fiscal_year_start_month).year
        budget = budget_services.budget_create(client=client, actor=owner_a, fiscal_year=year)
        budget_services.line_create(
            budget=budget,
            actor=owner_a,
            name="Licences",
            category="software",
            expense_type="opex",
            recurrence="one_time",
            amount=Decimal("1200.00"),
            first_month=1,
            months=None,
        )
        actual_services.actual_create(
            client=client, actor=owner_a, date=today, amount=Decimal("100.00"), category="software"
        )
    board = dashboard.dashboard(practice=client_a1.practice, user=None)
    assert board.spend.planned_total == Decimal("2400.00")
    assert board.spend.actual_ytd == Decimal("200.00")
    assert board.spend.budgets == 2
    html = as_owner_a.get(DASH + "?clients=all").content.decode()
    assert "2,400.00" in html


def test_compliance_score_changes_since_the_last_assessment(client_a1, owner_a, as_owner_a):
    adoption, first, responses = compliance_assessment(client_a1, items=2, title="Baseline")
    compliance_services.response_update(response=responses[0], actor=owner_a, status="implemented")
    compliance_services.assessment_complete(assessment=first, actor=owner_a)
    second = compliance_services.assessment_start(adoption=adoption, actor=owner_a, title="Second")
    for r in Response.objects.filter(assessment=second):
        compliance_services.response_update(response=r, actor=owner_a, status="implemented")
    compliance_services.assessment_complete(assessment=second, actor=owner_a)
    (change,) = dashboard.dashboard(practice=client_a1.practice).score_changes
    assert change.latest.percent == Decimal("100.0") and change.change == Decimal("50.0")
    # the client list's column: the latest score (not the first, not the mean of both); a second
    # framework half done averages in; an assessment in progress counts for nothing
    other, third, more = compliance_assessment(client_a1, items=2, title="Second framework")
    compliance_services.response_update(response=more[0], actor=owner_a, status="implemented")
    compliance_services.assessment_complete(assessment=third, actor=owner_a)
    compliance_services.assessment_start(adoption=other, actor=owner_a, title="Next")
    scores = dashboard.compliance_values(client_a1.practice, [client_a1])
    latest = [c.latest.percent for c in dashboard.dashboard(practice=client_a1.practice).score_changes]
    assert scores == {client_a1.pk: Decimal("75.0")} == {client_a1.pk: sum(latest) / len(latest)}
    html = as_owner_a.get(DASH + "?clients=all").content.decode()
    assert "+50.0" in html and "Baseline" in html


def test_score_changes_are_the_latest_assessed_first_bounded_and_counted(
    client_a1, client_a2, owner_a, as_owner_a
):
    """The dashboard shows the most recently assessed frameworks first, at most its limit, says how
    many there are, and compares each latest score with the one just before it (not the first)."""
    adoption, first, responses = compliance_assessment(client_a1, items=2, title="Baseline")
    compliance_services.assessment_complete(assessment=first, actor=owner_a)  # 0 %
    for statuses, title in ((("implemented", "implemented"), "Second"), (("not_implemented",), "Third")):
        nxt = compliance_services.assessment_start(adoption=adoption, actor=owner_a, title=title)
        rows = Response.objects.filter(assessment=nxt).order_by("created_at")
        for r, status in zip(rows, statuses, strict=False):  # 100 %, then one undone: 50 %
            compliance_services.response_update(response=r, actor=owner_a, status=status)
        compliance_services.assessment_complete(assessment=nxt, actor=owner_a)
    names = []
    for n, client in enumerate([client_a2, client_a1, client_a2]):
        other, assessment, _ = compliance_assessment(client, items=1, title=f"Framework {n}")
        compliance_services.assessment_complete(assessment=assessment, actor=owner_a)
        names.append(other.name)
    compliance_assessment(client_a2, items=1, title="Never completed")

    board = dashboard.dashboard(practice=client_a1.practice, limit=2)
    assert [c.adoption.name for c in board.score_changes] == names[::-1][:2]  # latest first
    assert board.score_change_count == 4
    everything = dashboard.dashboard(practice=client_a1.practice, limit=None)
    assert [c.adoption.name for c in everything.score_changes] == [*names[::-1], adoption.name]
    (baseline,) = [c for c in everything.score_changes if c.adoption == adoption]
    assert (baseline.latest.percent, baseline.change) == (Decimal("50.0"), Decimal("-50.0"))
    html = as_owner_a.get(DASH + "?clients=all").content.decode()
    assert "Baseline" in html and "-50.0" in html
    assert "most recently assessed" not in html  # four fit in the page's ten


def _grow(practice, consultant, n):
    for k in range(n):
        client = ClientFactory(practice=practice, name=f"Grown {k}", primary_consultant=consultant)
        due_world(client, tag=f"Grown {k}", light=k > 2)


@pytest.mark.parametrize("path", [DASH, DASH + "?clients=all"])
def test_the_dashboard_runs_the_same_queries_for_5_and_200_clients(
    path, practice_a, consultant_a, as_consultant_a, django_assert_num_queries
):
    _grow(practice_a, consultant_a, 5)
    as_consultant_a.get(path)  # warm-up: the session's first write
    with django_assert_num_queries(40, exact=False) as small:
        assert as_consultant_a.get(path).status_code == 200
    _grow(practice_a, consultant_a, 195)
    with django_assert_num_queries(len(small.captured_queries)):
        response = as_consultant_a.get(path)
    assert response.status_code == 200
    assert "10 of 200 shown" in response.content.decode()


# --- the client list's columns ----------------------------------------------------------------------


def test_the_client_list_sorts_by_next_qbr_planned_spend_and_compliance(
    client_a1, client_a2, owner_a, as_owner_a
):
    now = timezone.now()
    MeetingFactory(client=client_a1, scheduled_at=now + timedelta(days=30))
    MeetingFactory(client=client_a2, scheduled_at=now + timedelta(days=3))
    today = local_today(client_a1.practice)
    budget = budget_services.budget_create(
        client=client_a1,
        actor=owner_a,
        fiscal_year=fiscal_quarter(today, client_a1.fiscal_year_start_month).year,
    )
    budget_services.line_create(
        budget=budget,
        actor=owner_a,
        name="Licences",
        category="software",
        expense_type="opex",
        recurrence="monthly",
        amount=Decimal("100.00"),
        first_month=1,
        months=None,
    )
    adoption, assessment, responses = compliance_assessment(client_a2, items=2)
    compliance_services.response_update(response=responses[0], actor=owner_a, status="implemented")
    compliance_services.assessment_complete(assessment=assessment, actor=owner_a)

    def order(sort):
        html = as_owner_a.get(f"/p/alpha/clients/?sort={sort}").content.decode()
        return [name for name in ("Acme Dental", "Apex Legal") if name in html], html

    assert order("next_qbr")[0] == ["Acme Dental", "Apex Legal"]  # both present
    html = as_owner_a.get("/p/alpha/clients/?sort=next_qbr").content.decode()
    assert html.index("Apex Legal") < html.index("Acme Dental")  # sooner QBR first
    html = as_owner_a.get("/p/alpha/clients/?sort=-next_qbr").content.decode()
    assert html.index("Acme Dental") < html.index("Apex Legal")
    html = as_owner_a.get("/p/alpha/clients/?sort=-planned_fy").content.decode()
    assert "1,200.00" in html and html.index("Acme Dental") < html.index("Apex Legal")
    html = as_owner_a.get("/p/alpha/clients/?sort=-compliance").content.decode()
    assert "50.0%" in html and html.index("Apex Legal") < html.index("Acme Dental")
    # the CSV export carries the three columns too: ISO dates, plain amounts, one-decimal percentages
    response = as_owner_a.get("/p/alpha/clients/?format=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][-3:] == ["Next QBR", f"Planned this FY ({client_a1.practice.currency})", "Compliance"]
    by_name = {row[0]: row for row in rows[1:]}
    acme, apex = by_name["Acme Dental"], by_name["Apex Legal"]
    assert acme[-2:] == ["1200.00", ""] and apex[-2:] == ["", "50.0"]
    assert acme[-3] > apex[-3] and len(apex[-3]) == 10  # YYYY-MM-DD, the sooner QBR is Apex's


@pytest.mark.parametrize("sort", ["name", "next_qbr", "-planned_fy", "compliance"])
def test_the_client_list_columns_cost_no_query_per_row(
    sort, practice_a, owner_a, as_owner_a, django_assert_num_queries
):
    def grow(n, start):
        today = local_today(practice_a)
        for k in range(start, start + n):
            client = ClientFactory(practice=practice_a, name=f"Client {k:03d}")
            MeetingFactory(client=client, scheduled_at=timezone.now() + timedelta(days=k + 1))
            budget = budget_services.budget_create(
                client=client,
                actor=owner_a,
                fiscal_year=fiscal_quarter(today, client.fiscal_year_start_month).year,
            )
            budget_services.line_create(
                budget=budget,
                actor=owner_a,
                name="Support",
                category="software",
                expense_type="opex",
                recurrence="monthly",
                amount=Decimal(10 + k),
                first_month=1,
                months=None,
            )
            if k % 5 == 0:
                compliance_assessment(client, items=1)

    path = f"/p/alpha/clients/?sort={sort}"
    grow(3, 0)
    as_owner_a.get(path)
    with django_assert_num_queries(30, exact=False) as small:
        assert as_owner_a.get(path).status_code == 200
    grow(30, 3)
    with django_assert_num_queries(len(small.captured_queries)):
        assert as_owner_a.get(path).status_code == 200


# --- the API ----------------------------------------------------------------------------------------


def test_the_dashboard_api_gives_the_same_items_and_the_read_only_key_may_read(
    client_a1, canary_client_b, read_only_key_a, api
):
    due_world(client_a1, tag="A1")
    due_world(canary_client_b, tag="CANARY-Bravo", light=True)
    response = api(read_only_key_a[1]).get("/api/v1/dashboard/")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["scope"] == "all"
    items = [i for b in data["blocks"] for i in b["items"]]
    expected = dashboard.due_items(practice=client_a1.practice)
    assert [(i["kind"], i["object_id"]) for i in items] == [(i.kind, str(i.object_id)) for i in expected]
    assert "CANARY" not in response.content.decode()
    assert {"planned_total", "actual_ytd", "variance_ytd"} <= set(data["spend"])


def test_the_demo_has_a_lively_dashboard_and_a_few_notifications(db):
    from accounts.demo import seed_practice
    from qbr.models import Notification

    world, _ = seed_practice("Demo Dashboard Practice")
    practice = world.practice
    board = dashboard.dashboard(practice=practice)
    counts = {b.kind: b.total for b in board.blocks}
    assert counts[ReminderKind.MEETING] >= 3 and counts[ReminderKind.NOTICE] >= 3
    assert counts[ReminderKind.COMPLIANCE] >= 1 and counts[ReminderKind.ACTION_ITEM] >= 5
    assert board.overdue_count >= 1 and board.spend.planned_total > 0 and board.score_changes
    for user in [world.owner, *world.consultants]:
        mine = Notification.objects.filter(practice=practice, recipient=user)
        assert mine.count() >= 3 and mine.filter(read_at__isnull=True).exists()


def test_the_dashboard_shows_the_latest_published_advisories_not_drafts_nor_other_practices(
    as_consultant_a, practice_a, practice_b, owner_a, owner_b, client_a1
):
    from qbr import advisory_services

    html = as_consultant_a.get(DASH + "?clients=all").content.decode()
    assert "No advisory published yet" in html
    for k in range(7):
        a = advisory_services.advisory_create(
            practice=practice_a, actor=owner_a, title=f"Advice {k}", category="security", targeting="all"
        )
        advisory_services.advisory_publish(advisory=a, actor=owner_a)
    advisory_services.advisory_create(
        practice=practice_a, actor=owner_a, title="Still a draft", category="other", targeting="all"
    )
    foreign = advisory_services.advisory_create(
        practice=practice_b, actor=owner_b, title="CANARY advisory", category="other", targeting="all"
    )
    advisory_services.advisory_publish(advisory=foreign, actor=owner_b)
    html = as_consultant_a.get(DASH + "?clients=all").content.decode()
    assert html.count("Advice ") == 5 and "Still a draft" not in html and "CANARY" not in html


def test_a_bounded_block_is_the_head_of_the_full_list_with_the_full_count(client_a1, client_a2):
    """The dashboard reads a few rows per kind and counts the rest in the database: what it shows
    must be exactly the first rows of `due_items` (the digest's list), and its totals their counts."""
    ClientFactory(practice=client_a1.practice, name="Zeta Freight")
    for n, client in enumerate([client_a1, client_a2]):
        due_world(client, tag=f"T{n}")
        held = MeetingFactory(client=client, status="held", scheduled_at=timezone.now() - timedelta(days=9))
        ActionItemFactory(meeting=held, description=f"T{n} undated action", due_date=None)
    # raised three weeks ago without a due date: due since then, the first of its kind
    ActionItem.objects.filter(description="T1 undated action").update(
        created_at=timezone.now() - timedelta(days=21)
    )
    practice = client_a1.practice
    full = dashboard.due_items(practice=practice)
    board = dashboard.dashboard(practice=practice, limit=1)
    for block in board.blocks:
        mine = [i for i in full if i.kind == block.kind]
        assert block.total == len(mine), block.kind
        assert [i.object_id for i in block.items] == [i.object_id for i in mine[:1]], block.kind
    blocks = {b.kind: b for b in board.blocks}
    assert blocks[ReminderKind.ACTION_ITEM].total == 4
    assert [i.title for i in blocks[ReminderKind.ACTION_ITEM].items] == ["T1 undated action"]


def test_qbr_overdue_counts_from_each_clients_latest_held_qbr(client_a1, client_a2):
    """Overdue when the latest *held* QBR is longer ago than the cadence: an older held QBR, a newer
    held meeting of another kind or a planned QBR do not count."""
    now = timezone.now()
    for client in (client_a1, client_a2):
        client.qbr_cadence_months = 3
        client.save()
    MeetingFactory(client=client_a1, status="held", scheduled_at=now - timedelta(days=400))
    recent = MeetingFactory(client=client_a1, status="held", scheduled_at=now - timedelta(days=30))
    MeetingFactory(client=client_a2, status="held", scheduled_at=now - timedelta(days=400))
    last = MeetingFactory(client=client_a2, status="held", scheduled_at=now - timedelta(days=200))
    MeetingFactory(client=client_a2, kind="strategy", status="held", scheduled_at=now - timedelta(days=5))
    MeetingFactory(client=client_a2, status="planned", scheduled_at=now + timedelta(days=3))
    assert recent.scheduled_at > last.scheduled_at

    items = dashboard.due_items(practice=client_a1.practice)
    overdue = [i for i in items if i.kind == ReminderKind.QBR_OVERDUE]
    assert [i.client_id for i in overdue] == [client_a2.pk]
    since = timezone.localtime(last.scheduled_at, dashboard.practice_zone(client_a1.practice)).date()
    assert overdue[0].detail == f"Last QBR {since:%-d %b %Y}"
    assert overdue[0].due_date == add_months(since, 3)
