"""Fixtures of the portal tests: an executive of client A1 (a contact with portal access), and a client
with something in every section, written through the apps' services."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from budgets import actual_services
from budgets import selectors as budget_selectors
from budgets import services as budget_services
from clients.models import PortalAccess
from compliance import services as compliance_services
from qbr import advisory_services, report_services
from qbr import services as qbr_services
from roadmaps.services import goal_create, initiative_create, initiative_transition
from tests.factories import ContactFactory, StandardFactory, StandardFrameworkFactory, UserFactory
from vcio.fiscal import FiscalQuarter
from vendors import services as vendor_services

EXEC_EMAIL = "ceo@acme.example.com"


@pytest.fixture
def executive(client_a1):
    """The CEO of client A1: a contact of the client and a user with portal access to it."""
    ContactFactory(client=client_a1, name="Casey Exec", email=EXEC_EMAIL, is_executive=True)
    user = UserFactory(email=EXEC_EMAIL)
    PortalAccess.objects.create(practice=client_a1.practice, client=client_a1, user=user)
    return user


@pytest.fixture
def as_executive(executive, login):
    return login(executive)


def portal_url(name, client, *args):
    return reverse(f"portal:{name}", args=[client.pk, *args])


def fill_client(client, owner, *, marker: str = "", size: int = 1):
    """Something in every portal section for `client`; every internal field carries `marker` (when
    given). `size` multiplies the rows (the query-count tests grow it). Returns what it made."""
    m = marker
    made = {}
    practice = client.practice
    if m:
        client.notes = f"client notes {m}"
        client.save()
    exec_contact = ContactFactory(
        client=client, name=f"Exec {client.name}", email=f"boss{size}@{client.pk}.example.com"
    )
    goals = [
        goal_create(
            client=client, actor=owner, title=f"Goal {n}", description="Grow safely", fiscal_year=2027
        )
        for n in range(2 * size)
    ]
    start = FiscalQuarter.from_key(FiscalQuarter(2026, 1).key)
    today_q = FiscalQuarter(timezone.localdate().year, 1)
    for n in range(3 * size):
        initiative = initiative_create(
            client=client,
            actor=owner,
            target_start=today_q.add(n % 4),
            title=f"Initiative {n}",
            description="Upgrade the network",
            one_time_cost=Decimal("1200.00"),
            recurring_monthly_cost=Decimal("50.00"),
            goals=[goals[n % len(goals)]],
        )
        initiative_transition(initiative=initiative, actor=owner, to="approved", note=f"status note {m}")
    made["rejected"] = initiative_create(
        client=client,
        actor=owner,
        target_start=start,
        title=f"Rejected idea {m}",
        one_time_cost=Decimal("987654.32"),
        recurring_monthly_cost=Decimal("8765.43"),
    )
    initiative_transition(
        initiative=made["rejected"], actor=owner, to="rejected", note=f"rejected because {m}"
    )
    vendor = vendor_services.vendor_create(
        practice=practice, actor=owner, name=f"Vendor {size}", category="isp"
    )
    for n in range(2 * size):
        vendor_services.contract_create(
            client=client,
            actor=owner,
            vendor=vendor,
            name=f"Internet {n}",
            start_date=timezone.localdate() - timedelta(days=300),
            term_months=12,
            auto_renew=True,
            notice_days=30,
            cost=Decimal("100.00"),
            quantity=1,
            notes=f"contract notes {m}",
        )
    year = timezone.localdate().year + (1 if client.fiscal_year_start_month > 1 else 0)
    budget = budget_selectors.budget_of(client=client, fiscal_year=year) or budget_services.budget_create(
        client=client, actor=owner, fiscal_year=year, notes=f"budget notes {m}", build=True
    )
    line = budget_services.line_create(
        budget=budget,
        actor=owner,
        name=f"Training {size}",
        category="training",
        expense_type="opex",
        recurrence="monthly",
        amount=Decimal("100.00"),
        first_month=1,
        months=None,
        notes=f"line notes {m}",
    )
    actual_services.actual_create(
        client=client,
        actor=owner,
        date=timezone.localdate(),
        amount=Decimal("95.00"),
        category="training",
        budget_line=line,
        description=f"actual description {m}",
    )
    budget_services.scenario_create(
        budget=budget, actor=owner, name=f"What-if {size} {m}", notes=f"scenario notes {m}"
    )
    if budget.status == "draft":  # the portal shows a budget once it is proposed
        budget_services.budget_propose(budget=budget, actor=owner)
    framework = StandardFrameworkFactory(practice=practice, name=f"Baseline {size}")
    for n in range(3 * size):
        StandardFactory(framework=framework, title=f"Standard {n}", order=n)
    adoption = compliance_services.adoption_create(
        client=client, actor=owner, framework=framework, scope_note=f"scope note {m}"
    )
    assessment = compliance_services.assessment_start(adoption=adoption, actor=owner, title="First review")
    for n, response in enumerate(assessment.responses.order_by("created_at")):
        compliance_services.response_update(
            response=response,
            actor=owner,
            status=["not_implemented", "partial", "implemented"][n % 3],
            notes=f"evidence notes {m}",
            evidence_links=[(f"https://evidence.example.com/{m.lower() or 'x'}{n}", f"evidence {m}")],
        )
    meeting = qbr_services.meeting_create(
        client=client,
        actor=owner,
        kind="qbr",
        title="Quarterly review",
        scheduled_at=timezone.now() + timedelta(days=10),
        members=[owner],
        contacts=[exec_contact],
        agenda=[f"Agenda point {n}" for n in range(2 * size)],
    )
    qbr_services.meeting_set_notes(meeting=meeting, actor=owner, notes=f"meeting notes {m}")
    for n in range(2 * size):
        qbr_services.action_item_create(
            meeting=meeting,
            actor=owner,
            description=f"Action {n}",
            owner_contact=exec_contact,
            due_date=date.today(),
        )
    for n in range(size):  # published advisories that concern the client: for all, for its industry
        for targeting, industries in (("all", []), ("industries", [client.industry])):
            advisory = advisory_services.advisory_create(
                practice=practice,
                actor=owner,
                title=f"Advisory {targeting} {size}.{n}",
                body=f"Patch **now** ({n}).",
                category="security",
                severity="important",
                targeting=targeting,
                industries=industries,
            )
            advisory_services.advisory_publish(advisory=advisory, actor=owner)
    made.update(meeting=meeting, budget=budget, adoption=adoption, exec_contact=exec_contact)
    return made


def generate_report(client, actor):
    report = report_services.report_request(client=client, actor=actor, enqueue=False)
    report_services.report_generate(practice_id=client.practice_id, report_id=report.pk)
    report.refresh_from_db()
    return report
