"""The QBR report's budget, compliance, renewals and advisories sections: their key figures in the
PDF's text for a demo-like client, their empty states, no evidence notes, and a gathering that runs
the same number of queries for a small and a large client."""

from datetime import timedelta
from decimal import Decimal

import pytest

from budgets import actual_services
from budgets import services as budget_services
from budgets.selectors import current_fiscal_year
from qbr import advisory_services
from qbr.models import ReportStatus
from qbr.rendering import report_html, report_scope
from qbr.report_sections import gather_report, report_sections
from qbr.sections_advisories import gather_advisories
from qbr.sections_budget import gather_budget
from qbr.sections_compliance import gather_compliance
from qbr.sections_renewals import gather_renewals
from tests.compliance.conftest import answer, answers, standards, start
from tests.factories import ClientFactory, ContractFactory, VendorFactory
from tests.vendors.conftest import due_in
from vcio.fiscal import fiscal_quarter
from vendors.selectors import practice_today

from .test_reports import generate, pdf_text

pytestmark = pytest.mark.django_db

SECRET = "SECRET-EVIDENCE-NOTE"


def demo_like(client, owner, n=1):
    """A client with a budget (n monthly lines of 1,000 and an actual of 600 this month), a
    compliance assessment (2n weighted standards, half not implemented), n contracts renewing within
    180 days (the first inside its notice window) and a published advisory for its industry."""
    practice = client.practice
    today = practice_today(practice)
    year = current_fiscal_year(client, today)
    budget = budget_services.budget_create(client=client, actor=owner, fiscal_year=year)
    for k in range(n):
        budget_services.line_create(
            budget=budget,
            actor=owner,
            name=f"Managed services {k}",
            category="managed_services",
            expense_type="opex",
            recurrence="monthly",
            amount=Decimal("1000.00"),
            first_month=1,
            months=None,
        )
    actual_services.actual_create(
        client=client, actor=owner, date=today, amount=Decimal("600.00"), category="managed_services"
    )
    framework = standards(practice, [(f"S{k}", "high") for k in range(2 * n)], name=f"Baseline {client.name}")
    _, assessment, _ = start(client, framework, owner)
    answer(assessment, {f"S{k}": ("implemented" if k % 2 == 0 else "not_implemented") for k in range(2 * n)})
    from compliance import services as compliance_services

    compliance_services.response_update(response=answers(assessment)["S1"], actor=owner, notes=SECRET)
    vendor = VendorFactory(practice=practice, name=f"Vendor of {client.name}")
    for k in range(n):
        ContractFactory(
            client=client,
            vendor=vendor,
            name="Microsoft 365 Business Premium" if k == 0 else f"Contract {k}",
            **due_in(practice, 40 + k * 10),
        )
    advisory = advisory_services.advisory_create(
        practice=practice,
        actor=owner,
        title="Backups: test restores quarterly, keep one immutable copy",
        body="- Test a **restore** every quarter\n- <script>alert(1)</script>",
        category="security",
        severity="important",
        targeting="industries",
        industries=[client.industry],
    )
    advisory_services.advisory_publish(advisory=advisory, actor=owner, on=today - timedelta(days=1))
    for k in range(1, n):
        chosen = advisory_services.advisory_create(
            practice=practice,
            actor=owner,
            title=f"Advisory {k} for {client.name}",
            category="cloud",
            severity="info",
            targeting="clients",
            clients=[client],
        )
        advisory_services.advisory_publish(advisory=chosen, actor=owner, on=today)
    return {"year": year}


def test_the_sections_are_registered_in_order():
    keys = [s.key for s in report_sections()]
    for key in ("budget", "compliance", "renewals", "advisories"):
        assert key in keys
    assert keys.index("roadmap") < keys.index("budget") < keys.index("compliance") < keys.index("renewals")
    assert keys.index("renewals") < keys.index("advisories") < keys.index("action_items")


def test_the_pdf_holds_each_sections_key_figures(client_a1, owner_a):
    info = demo_like(client_a1, owner_a)
    report = generate(client_a1, owner_a)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    text = pdf_text(report.pdf.read())
    # budget: the headline, the year's plan and the actual spend to date
    assert "Budget spent" in text and f"FY{info['year']}" in text
    assert "$12,000.00" in text and "$600.00" in text and "5.0%" in text
    # compliance: the score of the framework and its top gap; never the evidence notes
    assert "Compliance score" in text and "50.0%" in text
    assert "S1 Standard S1" in text and SECRET not in text
    # renewals: the contract renewing within 180 days and the headline
    assert "Microsoft 365 Business Premium" in text and "Renewals, next 180 days" in text
    # advisories: the published advisory for the client's industry, its Markdown rendered inert
    assert "Backups: test restores quarterly" in text and "Test a restore every quarter" in text
    assert "<script>" in text or "alert(1)" in text  # shown as text, never run


def test_empty_states(practice_a, owner_a):
    client = ClientFactory(practice=practice_a, name="Empty Co")
    today = practice_today(practice_a)
    scope = report_scope(practice=practice_a, client=client, period=fiscal_quarter(today, 1), today=today)
    html = report_html(gather_report(scope))
    assert "No budget for FY" in html
    assert "No compliance framework adopted yet" in html
    assert "No contract renews, ends or reaches a notice deadline in the next 180 days" in html
    assert "No advisory for this period" in html
    assert ' style="' not in html.split("<body", 1)[1]  # no inline styles in the sections


def test_drafts_other_industries_and_other_practices_are_left_out(practice_a, practice_b, owner_a, client_a1):
    today = practice_today(practice_a)
    for practice, title, kw, publish in [
        (practice_a, "Draft advisory", {}, False),
        (practice_a, "Legal advisory", {"targeting": "industries", "industries": ["legal"]}, True),
        (practice_b, "CANARY-Bravo-Advisory", {}, True),
        (practice_a, "For everyone", {}, True),
    ]:
        a = advisory_services.advisory_create(
            practice=practice, actor=None, title=title, category="other", severity="info", **kw
        )
        if publish:
            advisory_services.advisory_publish(advisory=a, actor=None, on=today)
    scope = report_scope(practice=practice_a, client=client_a1, period=fiscal_quarter(today, 1), today=today)
    assert [r["title"] for r in gather_advisories(scope)["rows"]] == ["For everyone"]


@pytest.mark.parametrize("gather", [gather_budget, gather_compliance, gather_renewals, gather_advisories])
def test_gathering_runs_the_same_number_of_queries_for_a_small_and_a_large_client(
    gather, practice_a, owner_a, django_assert_num_queries
):
    small = ClientFactory(practice=practice_a, name="Small")
    large = ClientFactory(practice=practice_a, name="Large")
    demo_like(small, owner_a, n=1)
    demo_like(large, owner_a, n=8)
    today = practice_today(practice_a)

    def scope(client):
        return report_scope(practice=practice_a, client=client, period=fiscal_quarter(today, 1), today=today)

    small_scope, large_scope = scope(small), scope(large)
    with django_assert_num_queries(12, exact=False) as few:
        small_data = gather(small_scope)
    with django_assert_num_queries(len(few.captured_queries)):
        large_data = gather(large_scope)
    assert small_data != large_data
    assert SECRET not in repr(large_data)
