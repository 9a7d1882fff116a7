"""What the portal shows: every section with the client's data in the practice's branding, the
executive's own action items, sections the practice hides (neither linked nor reachable), never an
internal field (in any page or PDF), and a dashboard whose query count does not grow."""

import re
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from portal.models import PortalSettings
from portal.services import portal_settings_update
from qbr import advisory_services
from qbr import services as qbr_services
from qbr.models import ReportStatus
from tests.factories import ContactFactory, QBRReportFactory
from tests.portal.conftest import EXEC_EMAIL, fill_client, generate_report, portal_url

pytestmark = pytest.mark.django_db

SECTIONS = ["roadmap", "budget", "compliance", "renewals", "meetings", "reports", "advisories"]
MARKER = "INTERNALMARKER7Q"


def pages_of(client, made=None):
    urls = [portal_url(name, client) for name in ["dashboard", *SECTIONS]]
    if made:
        urls.append(portal_url("meeting", client, made["meeting"].pk))
        urls.append(portal_url("budget", client) + f"?year={made['budget'].fiscal_year}")
        urls.append(portal_url("roadmap", client) + "?shift=-4")
    return urls


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(BytesIO(data)).pages)


def test_every_section_shows_the_clients_data_in_the_practice_branding(
    as_executive, client_a1, owner_a, practice_a
):
    practice_a.brand_colour = "#aa3377"
    practice_a.save()
    made = fill_client(client_a1, owner_a)
    report = QBRReportFactory(client=client_a1, ready=True)
    advisory = advisory_services.advisory_create(
        practice=practice_a,
        actor=owner_a,
        title="Enforce MFA for admins",
        body="Use **phishing-resistant** keys. <script>alert(1)</script>",
        category="security",
        severity="critical",
        targeting="all",
    )
    advisory_services.advisory_publish(advisory=advisory, actor=owner_a)
    draft = advisory_services.advisory_create(
        practice=practice_a, actor=owner_a, title="Unpublished draft", category="other", targeting="all"
    )
    expected = {
        "dashboard": ["Goal 0", "Budget FY", "Next QBR", "Baseline 1", "Your open action items"],
        "roadmap": ["Initiative 0", "Timeline", "Goal 0"],
        "budget": ["Budget vs actual", "Forecast", "Training", "<svg"],
        "compliance": ["Baseline 1", "Open gaps", "Standard 0"],
        "renewals": ["Internet 0", "Vendor 1"],
        "meetings": ["Quarterly review", "Action 0"],
        "reports": [report.period_label, portal_url("report_pdf", client_a1, report.pk)],
        "advisories": ["Enforce MFA for admins", "<strong>phishing-resistant</strong>", "Critical"],
    }
    for name, needles in expected.items():
        response = as_executive.get(portal_url(name, client_a1))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert "--vcio-accent: #aa3377" in html, name
        assert 'name="viewport"' in html
        for needle in needles:
            assert needle in html, (name, needle)
        for other in SECTIONS:  # the navigation links every visible section
            assert portal_url(other, client_a1) in html
    advisories = as_executive.get(portal_url("advisories", client_a1)).content.decode()
    assert draft.title not in advisories and "<script>alert" not in advisories
    meeting = as_executive.get(portal_url("meeting", client_a1, made["meeting"].pk)).content.decode()
    assert "Agenda point 0" in meeting and "Action 1" in meeting and "Quarterly review" in meeting


def test_the_dashboard_lists_open_action_items_assigned_to_the_executive(
    as_executive, executive, client_a1, owner_a
):
    made = fill_client(client_a1, owner_a)
    mine = ContactFactory(client=client_a1, name="Same person", email=EXEC_EMAIL.upper())
    meeting = made["meeting"]
    qbr_services.action_item_create(
        meeting=meeting, actor=owner_a, description="Sign the MSA", owner_contact=mine
    )
    done = qbr_services.action_item_create(
        meeting=meeting, actor=owner_a, description="Old task done", owner_contact=mine
    )
    qbr_services.action_item_set_status(item=done, actor=owner_a, status="done")
    qbr_services.action_item_create(
        meeting=meeting, actor=owner_a, description="Consultant's own task", owner_member=owner_a
    )
    html = as_executive.get(portal_url("dashboard", client_a1)).content.decode()
    card = html.split('id="card-my-actions"')[1]
    assert "Sign the MSA" in card
    assert "Old task done" not in card and "Consultant&#x27;s own task" not in card and "Action 0" not in card


def test_a_hidden_section_is_neither_linked_nor_reachable(as_executive, client_a1, owner_a):
    fill_client(client_a1, owner_a)
    QBRReportFactory(client=client_a1, ready=True)
    for hidden in SECTIONS:
        portal_settings_update(client=client_a1, actor=owner_a, hidden_sections=[hidden])
        for url in pages_of(client_a1):
            if url == portal_url(hidden, client_a1):
                assert as_executive.get(url).status_code == 404, hidden
                continue
            html = as_executive.get(url).content.decode()
            assert portal_url(hidden, client_a1) not in html, (hidden, url)
    portal_settings_update(client=client_a1, actor=owner_a, hidden_sections=["budget", "compliance"])
    dashboard = as_executive.get(portal_url("dashboard", client_a1)).content.decode()
    assert 'id="card-budget"' not in dashboard and 'id="card-compliance"' not in dashboard
    assert 'id="card-goals"' in dashboard
    portal_settings_update(client=client_a1, actor=owner_a, hidden_sections=["reports"])
    report = QBRReportFactory(client=client_a1, ready=True)
    assert as_executive.get(portal_url("report_pdf", client_a1, report.pk)).status_code == 404
    portal_settings_update(client=client_a1, actor=owner_a, hidden_sections=["meetings"])
    from qbr.models import Meeting

    meeting = Meeting.objects.for_client(client_a1).first()
    assert as_executive.get(portal_url("meeting", client_a1, meeting.pk)).status_code == 404


def test_internal_fields_never_reach_a_portal_page_or_pdf(as_executive, client_a1, owner_a):
    made = fill_client(client_a1, owner_a, marker=MARKER)
    report = generate_report(client_a1, owner_a)
    assert report.status == ReportStatus.DONE
    for url in pages_of(client_a1, made) + [portal_url("report_pdf", client_a1, report.pk)]:
        response = as_executive.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if url.endswith("/pdf/"):
            assert body.startswith(b"%PDF-")
            text = pdf_text(body)
            assert client_a1.name in text  # the control: the text is readable
        else:
            text = body.decode()
            assert client_a1.name in text  # the control: the client's own page
        assert MARKER.lower() not in text.lower(), url
        # The rejected initiative's costs (987,654.32 and 8,765.43) are internal too.
        assert not re.search(r"987[,. ]?654|8[,. ]?765\.43", text), url


def test_the_markers_are_really_planted(client_a1, owner_a):
    """The control of the test above: every internal field holds the marker."""
    made = fill_client(client_a1, owner_a, marker=MARKER)
    client_a1.refresh_from_db()
    made["meeting"].refresh_from_db()
    made["budget"].refresh_from_db()
    assert MARKER in client_a1.notes and MARKER in made["meeting"].notes and MARKER in made["budget"].notes
    assert MARKER in made["rejected"].title
    from compliance.models import Response

    assert Response.objects.filter(notes__contains=MARKER).exists()


def test_the_pdf_is_served_through_the_view_only_when_generated(as_executive, client_a1, owner_a):
    queued = QBRReportFactory(client=client_a1)
    assert as_executive.get(portal_url("report_pdf", client_a1, queued.pk)).status_code == 404
    listing = as_executive.get(portal_url("reports", client_a1)).content.decode()
    assert portal_url("report_pdf", client_a1, queued.pk) not in listing
    ready = QBRReportFactory(client=client_a1, ready=True)
    response = as_executive.get(portal_url("report_pdf", client_a1, ready.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    listing = as_executive.get(portal_url("reports", client_a1)).content.decode()
    assert ready.pdf.name not in listing and "/media/" not in listing


def test_the_dashboard_runs_the_same_queries_for_a_small_and_a_large_client(
    as_executive, client_a1, owner_a, django_assert_num_queries
):
    fill_client(client_a1, owner_a, size=1)
    QBRReportFactory(client=client_a1, ready=True)
    url = portal_url("dashboard", client_a1)
    as_executive.get(url)  # warm-up: the session's first request
    with django_assert_num_queries(40, exact=False) as small:
        assert as_executive.get(url).status_code == 200
    fill_client(client_a1, owner_a, size=6)
    for _ in range(3):
        QBRReportFactory(client=client_a1, ready=True)
    with django_assert_num_queries(len(small.captured_queries)):
        assert as_executive.get(url).status_code == 200


@pytest.mark.parametrize("name", ["roadmap", "meetings", "reports", "renewals", "advisories"])
def test_section_pages_run_the_same_queries_at_two_sizes(
    name, as_executive, client_a1, owner_a, django_assert_num_queries
):
    fill_client(client_a1, owner_a, size=1)
    url = portal_url(name, client_a1)
    as_executive.get(url)
    with django_assert_num_queries(60, exact=False) as small:
        assert as_executive.get(url).status_code == 200
    fill_client(client_a1, owner_a, size=5)
    with django_assert_num_queries(len(small.captured_queries)):
        assert as_executive.get(url).status_code == 200


# --- the practice's side ---------------------------------------------------------------------------


def settings_url(client):
    return reverse("portal_practice:settings", args=[client.practice.slug, client.pk])


def test_the_practice_chooses_the_sections_on_the_clients_page(as_owner_a, client_a1, as_executive):
    page = as_owner_a.get(settings_url(client_a1))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Portal sections" in html and 'value="budget"' in html and "checked" in html
    shown = ["roadmap", "compliance", "renewals", "meetings", "reports", "advisories"]
    response = as_owner_a.post(settings_url(client_a1), {"visible": shown})
    assert response.status_code == 302
    settings = PortalSettings.objects.get(client=client_a1)
    assert settings.hidden_sections == ["budget"]
    assert settings.history.first().history_user is not None
    assert as_executive.get(portal_url("budget", client_a1)).status_code == 404
    as_owner_a.post(settings_url(client_a1), {"visible": [*shown, "budget"]})
    assert as_executive.get(portal_url("budget", client_a1)).status_code == 200


def test_a_viewer_reads_the_sections_but_cannot_change_them(as_viewer_a, client_a1):
    assert as_viewer_a.get(settings_url(client_a1)).status_code == 200
    assert as_viewer_a.post(settings_url(client_a1), {"visible": []}).status_code == 403
    assert not PortalSettings.objects.exists()


def test_unknown_or_unhideable_sections_are_refused(client_a1, owner_a):
    from django.core.exceptions import ValidationError

    for bad in (["dashboard"], ["nope"]):
        with pytest.raises(ValidationError):
            portal_settings_update(client=client_a1, actor=owner_a, hidden_sections=bad)


def test_another_practices_client_settings_are_404(as_owner_b, client_a1):
    assert as_owner_b.get(settings_url(client_a1)).status_code == 404
    assert as_owner_b.post(settings_url(client_a1), {"visible": []}).status_code == 404


def test_the_demo_has_executive_logins_for_two_clients(db):
    from accounts.demo import seed_practice
    from clients.models import PortalAccess

    world, logins = seed_practice("Demo Portal Practice")
    executives = [row for row in logins if row[0] == "EXECUTIVE"]
    assert len(executives) == 2
    clients = {PortalAccess.objects.get(user__email=email).client for _, email, _ in executives}
    assert clients == set(world.clients[:2])
    assert PortalSettings.objects.get(client=world.clients[1]).hidden_sections == ["renewals"]


@pytest.mark.django_db
def test_a_draft_budget_is_not_shown_until_it_is_proposed(client_a1, owner_a, as_executive):
    """A draft is the consultant's work in progress: the portal's budget page and dashboard card say
    there is no budget yet (its lines and total appear nowhere), and its year is not offered."""
    from budgets import selectors as budget_selectors
    from budgets import services as budget_services
    from budgets.models import Budget

    made = fill_client(client_a1, owner_a, marker="")
    budget = made["budget"]
    Budget.objects.filter(pk=budget.pk).update(status="draft")
    page = as_executive.get(portal_url("budget", client_a1)).content.decode()
    dashboard = as_executive.get(portal_url("dashboard", client_a1)).content.decode()
    assert "No budget for FY" in page and "Training" not in page and "Forecast" not in page
    planned = f"{budget_selectors.plan(budget=budget).total:,.2f}"
    assert planned not in dashboard  # the card shows what was spent, against no plan
    current = budget_selectors.current_fiscal_year(
        client_a1, budget_selectors.practice_today(client_a1.practice)
    )
    if budget.fiscal_year != current:
        assert (
            as_executive.get(portal_url("budget", client_a1) + f"?year={budget.fiscal_year}").status_code
            == 404
        )

    budget.refresh_from_db()
    budget_services.budget_propose(budget=budget, actor=owner_a)
    page = as_executive.get(portal_url("budget", client_a1) + f"?year={budget.fiscal_year}").content.decode()
    assert "Training" in page and "Proposed" in page
    assert planned in as_executive.get(portal_url("dashboard", client_a1)).content.decode()
