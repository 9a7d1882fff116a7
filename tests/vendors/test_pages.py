"""The vendors pages: directory, vendor detail and its log, the client's Vendors tab, contract forms
and actions, the renewals calendar — access, isolation, bad input, highlights and query counts."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.factories import ClientFactory, ContractFactory, InteractionFactory, VendorFactory
from tests.vendors.conftest import HTMX, due_in, url
from vendors.models import Contract, Interaction, Vendor
from vendors.selectors import practice_today

pytestmark = pytest.mark.django_db

PRACTICE_PAGES = ["directory", "create", "renewals", "import", "import_template"]
VENDOR_PAGES = ["detail", "edit"]
CLIENT_PAGES = ["client_contracts", "contract_create", "client_import", "client_import_template"]
CONTRACT_PAGES = ["contract_detail", "contract_edit"]
CONTRACT_POSTS = ["contract_cancel", "contract_reactivate", "contract_delete"]


def csv_rows(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_every_page_renders_without_other_practices_or_clients_data(as_owner_a, client_a1, world):
    v, c = world["vendor"], world["a1"]
    pages = [url(n) for n in PRACTICE_PAGES]
    pages += [url(n, v.pk) for n in VENDOR_PAGES]
    pages += [url(n, client_a1.pk) for n in CLIENT_PAGES]
    pages += [url(n, client_a1.pk, c.pk) for n in CONTRACT_PAGES]
    for page in pages:
        response = as_owner_a.get(page)
        assert response.status_code == 200, page
        body = response.content if hasattr(response, "content") else b"".join(response.streaming_content)
        assert b"CANARY" not in body, page
    tab = as_owner_a.get(url("client_contracts", client_a1.pk)).content.decode()
    assert "Alpha fiber" in tab and "A2-only" not in tab


def test_another_practices_objects_are_404_everywhere(as_owner_a, client_a1, canary_client_b, world):
    b_vendor, b_contract, b_log = world["b_vendor"], world["b_contract"], world["b_log"]
    for name in VENDOR_PAGES:
        assert as_owner_a.get(url(name, b_vendor.pk)).status_code == 404, name
    assert as_owner_a.post(url("delete", b_vendor.pk)).status_code == 404
    assert as_owner_a.post(url("edit", b_vendor.pk), {"name": "x", "category": "isp"}).status_code == 404
    assert as_owner_a.post(url("interaction_create", b_vendor.pk), {"summary": "x"}).status_code == 404
    assert as_owner_a.post(url("interaction_delete", b_log.pk)).status_code == 404
    for name in CLIENT_PAGES:  # B's client under A's slug
        assert as_owner_a.get(url(name, canary_client_b.pk)).status_code == 404, name
    for client in (client_a1, canary_client_b):  # B's contract under A's client and under B's
        for name in CONTRACT_PAGES:
            assert as_owner_a.get(url(name, client.pk, b_contract.pk)).status_code == 404, name
        for name in CONTRACT_POSTS:
            assert as_owner_a.post(url(name, client.pk, b_contract.pk)).status_code == 404, name
    # B's slug is a 404 for A's owner, whatever follows
    assert as_owner_a.get(url("directory", practice="bravo")).status_code == 404
    assert as_owner_a.get(url("detail", b_vendor.pk, practice="bravo")).status_code == 404
    b_contract.refresh_from_db()
    assert b_contract.status == "active" and Vendor.objects.filter(pk=b_vendor.pk).exists()
    assert Interaction.objects.filter(pk=b_log.pk).exists()


def test_practice_b_member_gets_404_on_practice_a_pages(as_owner_b, client_a1, world):
    for name in PRACTICE_PAGES:
        assert as_owner_b.get(url(name)).status_code == 404, name
    assert as_owner_b.get(url("detail", world["vendor"].pk)).status_code == 404
    assert as_owner_b.get(url("client_contracts", client_a1.pk)).status_code == 404
    assert as_owner_b.post(url("contract_cancel", client_a1.pk, world["a1"].pk)).status_code == 404
    assert Contract.objects.get(pk=world["a1"].pk).status == "active"


def test_another_clients_contract_is_404_under_this_client(as_owner_a, client_a1, world):
    a2 = world["a2"]
    for name in CONTRACT_PAGES:
        assert as_owner_a.get(url(name, client_a1.pk, a2.pk)).status_code == 404, name
    for name in CONTRACT_POSTS:
        assert as_owner_a.post(url(name, client_a1.pk, a2.pk)).status_code == 404, name
    assert as_owner_a.post(url("contract_edit", client_a1.pk, a2.pk), {"name": "x"}).status_code == 404
    assert Contract.objects.get(pk=a2.pk).status == "active"


def test_viewers_read_but_may_not_write(as_viewer_a, client_a1, world):
    v, c, log = world["vendor"], world["a1"], world["a1_log"]
    assert as_viewer_a.get(url("directory")).status_code == 200
    assert as_viewer_a.get(url("detail", v.pk)).status_code == 200
    assert as_viewer_a.get(url("client_contracts", client_a1.pk)).status_code == 200
    assert as_viewer_a.get(url("contract_detail", client_a1.pk, c.pk)).status_code == 200
    assert "New contract" not in as_viewer_a.get(url("client_contracts", client_a1.pk)).content.decode()
    for page in (
        url("create"),
        url("edit", v.pk),
        url("contract_create", client_a1.pk),
        url("contract_edit", client_a1.pk, c.pk),
    ):
        assert as_viewer_a.get(page).status_code == 403, page
    posts = [
        (url("create"), {"name": "New", "category": "isp"}),
        (url("edit", v.pk), {"name": "Renamed", "category": "isp"}),
        (url("delete", v.pk), {}),
        (url("interaction_create", v.pk), {"date": "2026-01-01", "kind": "call", "summary": "x"}),
        (url("interaction_delete", log.pk), {}),
        (url("contract_create", client_a1.pk), {"name": "x"}),
        *[(url(n, client_a1.pk, c.pk), {}) for n in CONTRACT_POSTS],
    ]
    for page, data in posts:
        assert as_viewer_a.post(page, data).status_code == 403, page
    assert Vendor.objects.get(pk=v.pk).name == "Metro Fiber"
    assert Contract.objects.get(pk=c.pk).status == "active"
    assert Interaction.objects.filter(pk=log.pk).exists() and Vendor.objects.count() == 2


def test_anonymous_is_sent_to_login(client, client_a1):
    response = client.get(url("client_contracts", client_a1.pk))
    assert response.status_code == 302 and "login" in response["Location"]


# --- the directory -------------------------------------------------------------------------------------


def test_directory_lists_clients_contracts_and_annual_spend(
    as_consultant_a, practice_a, client_a1, client_a2
):
    contoso = VendorFactory(practice=practice_a, name="Contoso CSP", category="cloud")
    VendorFactory(practice=practice_a, name="Idle Vendor", category="isp")
    ContractFactory(client=client_a1, vendor=contoso, cost=Decimal("22.00"), quantity=40)
    ContractFactory(client=client_a2, vendor=contoso, billing_frequency="annual", cost=Decimal("500.00"))
    page = as_consultant_a.get(url("directory")).content.decode()
    assert "$11,060.00" in page and client_a1.name in page and client_a2.name in page
    # search, category filter, sort by spend, CSV
    assert "Idle Vendor" not in as_consultant_a.get(url("directory") + "?q=contoso").content.decode()
    assert "Contoso" not in as_consultant_a.get(url("directory") + "?category=isp").content.decode()
    by_spend = as_consultant_a.get(url("directory") + "?sort=-spend").content.decode()
    assert by_spend.index("Contoso CSP") < by_spend.index("Idle Vendor")
    rows = csv_rows(as_consultant_a.get(url("directory") + "?format=csv"))
    assert rows[0][0] == "Name" and rows[1][:2] == ["Contoso CSP", "Cloud"] and rows[1][9] == "11060.00"


def test_directory_ignores_bad_filters_and_sorts(as_consultant_a):
    for query in ("?category=nope", "?sort=;drop", "?page=999", "?q=" + "x" * 500):
        assert as_consultant_a.get(url("directory") + query).status_code == 200, query


def test_vendor_create_edit_and_field_errors(as_consultant_a, practice_a):
    response = as_consultant_a.post(
        url("create"), {"name": "", "category": "isp", "website": "not a url", "account_manager_email": "x"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"name", "website", "account_manager_email"} <= set(errors)
    assert not Vendor.objects.exists()

    response = as_consultant_a.post(
        url("create"), {"name": "Metro Fiber", "category": "isp", "website": "metrofiber.example.com"}
    )
    vendor = Vendor.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", vendor.pk)
    assert vendor.practice_id == practice_a.pk and vendor.website == "https://metrofiber.example.com"

    duplicate = as_consultant_a.post(url("create"), {"name": "METRO FIBER", "category": "isp"})
    assert "already has a vendor" in duplicate.content.decode() and Vendor.objects.count() == 1

    as_consultant_a.post(url("edit", vendor.pk), {"name": "Metro Fiber Networks", "category": "isp"})
    vendor.refresh_from_db()
    assert vendor.name == "Metro Fiber Networks"


def test_deleting_a_vendor_with_contracts_is_refused_with_a_clear_message(as_consultant_a, world):
    vendor = world["vendor"]
    response = as_consultant_a.post(url("delete", vendor.pk), follow=True)
    assert Vendor.objects.filter(pk=vendor.pk).exists()
    assert "still has 2 contracts (2 clients)" in response.content.decode()
    empty = VendorFactory(practice=vendor.practice, name="Empty")
    assert as_consultant_a.post(url("delete", empty.pk)).status_code == 302
    assert not Vendor.objects.filter(pk=empty.pk).exists()


def test_log_an_interaction_inline_with_htmx(as_consultant_a, consultant_a, client_a1, world):
    vendor, contract = world["vendor"], world["a1"]
    data = {
        "date": "2026-03-02",
        "kind": "escalation",
        "client": client_a1.pk,
        "contract": contract.pk,
        "who": consultant_a.pk,
        "summary": "Outage at the main clinic",
    }

    response = as_consultant_a.post(url("interaction_create", vendor.pk), data, **HTMX)

    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="log"' in body and "Outage at the main clinic" in body and "<html" not in body
    entry = Interaction.objects.get(summary="Outage at the main clinic")
    assert (entry.vendor, entry.client, entry.contract, entry.practice_id) == (
        vendor,
        client_a1,
        contract,
        vendor.practice_id,
    )
    # field errors come back in the card, nothing saved
    bad = as_consultant_a.post(
        url("interaction_create", vendor.pk), {"date": "yesterday", "kind": "call", "summary": ""}, **HTMX
    )
    assert bad.status_code == 200 and "Enter a valid date" in bad.content.decode()
    assert Interaction.objects.count() == 3
    # without htmx: a redirect, or the page with the errors
    assert (
        as_consultant_a.post(
            url("interaction_create", vendor.pk), {**data, "summary": "Plain post"}
        ).status_code
        == 302
    )
    assert (
        as_consultant_a.post(url("interaction_create", vendor.pk), {**data, "summary": ""}).status_code == 400
    )


def test_a_log_entry_cannot_name_another_practices_client_or_another_vendors_contract(
    as_consultant_a, practice_a, client_a1, canary_client_b, world
):
    vendor = world["vendor"]
    other = ContractFactory(client=client_a1, vendor=VendorFactory(practice=practice_a))
    for extra in (
        {"client": canary_client_b.pk},
        {"contract": other.pk},
        {"contract": world["b_contract"].pk},
    ):
        data = {"date": "2026-03-02", "kind": "call", "summary": "x", **extra}
        response = as_consultant_a.post(url("interaction_create", vendor.pk), data, **HTMX)
        assert "Select a valid choice" in response.content.decode(), extra
    assert Interaction.objects.count() == 2


# --- the client's Vendors tab -----------------------------------------------------------------------------


def test_the_tab_sorts_by_notice_deadline_and_highlights_the_notice_window(
    as_consultant_a, practice_a, client_a1
):
    vendor = VendorFactory(practice=practice_a, name="Metro Fiber")
    later = ContractFactory(client=client_a1, vendor=vendor, name="Later", **due_in(practice_a, 150))
    urgent = ContractFactory(client=client_a1, vendor=vendor, name="Urgent", **due_in(practice_a, 45))
    open_ended = ContractFactory(
        client=client_a1, vendor=vendor, name="Open-ended", auto_renew=False, term_months=None
    )
    cancelled = ContractFactory(
        client=client_a1, vendor=vendor, name="Cancelled", status="cancelled", **due_in(practice_a, 40)
    )

    response = as_consultant_a.get(url("client_contracts", client_a1.pk))

    rows = response.context["page"].object_list
    assert [c.name for c in rows] == ["Urgent", "Later", "Open-ended"]  # active by default
    body = response.content.decode()
    deadline = practice_today(practice_a) + timedelta(days=15)
    assert f'class="in-notice-window" data-contract="{urgent.pk}"' in body
    assert f"Give notice by {deadline.day} {deadline:%b %Y}" in body
    assert f'class="" data-contract="{later.pk}"' in body
    assert open_ended.pk and cancelled.pk
    everything = (
        as_consultant_a.get(url("client_contracts", client_a1.pk) + "?state=all").context["page"].object_list
    )
    assert [c.name for c in everything][-1] == "Cancelled"
    cancelled_only = as_consultant_a.get(url("client_contracts", client_a1.pk) + "?state=cancelled")
    assert [c.name for c in cancelled_only.context["page"].object_list] == ["Cancelled"]
    assert "Give notice" not in cancelled_only.content.decode()  # cancelled contracts never warn
    assert as_consultant_a.get(url("client_contracts", client_a1.pk) + "?state=bogus").status_code == 200


def test_the_tab_pages_its_contracts_25_at_a_time_and_sums_them_all(as_consultant_a, practice_a, client_a1):
    """Pages of 25 rows, as every list; the summary above them still counts every contract."""
    vendor = VendorFactory(practice=practice_a)
    for days in range(30):
        ContractFactory(
            client=client_a1, vendor=vendor, name=f"Line {days:02d}", **due_in(practice_a, 60 + days)
        )
    first = as_consultant_a.get(url("client_contracts", client_a1.pk))
    assert [c.name for c in first.context["page"].object_list] == [f"Line {d:02d}" for d in range(25)]
    assert first.context["summary"].active == 30
    second = as_consultant_a.get(url("client_contracts", client_a1.pk) + "?page=2")
    assert [c.name for c in second.context["page"].object_list] == [f"Line {d:02d}" for d in range(25, 30)]


def test_tab_csv_export(as_consultant_a, practice_a, client_a1, world):
    rows = csv_rows(as_consultant_a.get(url("client_contracts", client_a1.pk) + "?format=csv"))
    assert rows[0][:2] == ["Vendor", "Contract"] and len(rows) == 2
    renew = practice_today(practice_a) + timedelta(days=40)
    assert rows[1][:2] == ["Metro Fiber", "Alpha fiber"] and rows[1][10] == renew.isoformat()
    assert rows[1][11] == (renew - timedelta(days=30)).isoformat()


def test_create_a_contract_through_the_form(as_consultant_a, consultant_a, client_a1, world):
    data = {
        "vendor": world["vendor"].pk,
        "name": "Business Fiber 1 Gbps",
        "contract_type": "service",
        "start_date": "2026-01-31",
        "term_months": "1",
        "auto_renew": "on",
        "renewal_term_months": "1",
        "notice_days": "30",
        "billing_frequency": "monthly",
        "cost": "389.00",
        "quantity": "2",
        "owner": consultant_a.pk,
    }
    response = as_consultant_a.post(url("contract_create", client_a1.pk), data)
    contract = Contract.objects.get(name="Business Fiber 1 Gbps")
    assert response.status_code == 302 and response["Location"] == url(
        "contract_detail", client_a1.pk, contract.pk
    )
    assert contract.client == client_a1 and contract.term_end == date(2026, 2, 28)
    assert contract.annual_cost == Decimal("9336.00")


def test_a_vendor_of_another_practice_cannot_be_attached_through_the_form(as_consultant_a, client_a1, world):
    data = {
        "vendor": world["b_vendor"].pk,
        "name": "Sneaky",
        "contract_type": "service",
        "start_date": "2026-01-01",
        "notice_days": "30",
        "billing_frequency": "monthly",
        "cost": "1",
        "quantity": "1",
    }
    response = as_consultant_a.post(url("contract_create", client_a1.pk), data)
    assert response.status_code == 200
    assert "Select a valid choice" in str(response.context["form"].errors["vendor"])
    assert not Contract.objects.filter(name="Sneaky").exists()
    assert "CANARY" not in response.content.decode()


def test_contract_form_field_errors_never_500(as_consultant_a, client_a1, world):
    bad = {
        "vendor": "not-a-uuid",
        "name": "",
        "contract_type": "rental",
        "start_date": "31/01/2026",
        "end_date": "2020-13-01",
        "term_months": "-1",
        "notice_days": "99999",
        "billing_frequency": "weekly",
        "cost": "-3",
        "quantity": "0",
        "document_url": "javascript:alert(1)",
    }
    response = as_consultant_a.post(url("contract_create", client_a1.pk), bad)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(bad) - {"end_date"} <= set(errors) | {"end_date"}
    assert {"vendor", "name", "start_date", "cost", "quantity", "document_url", "billing_frequency"} <= set(
        errors
    )
    # the model's rules arrive as field errors too
    both = {
        "vendor": world["vendor"].pk,
        "name": "X",
        "contract_type": "service",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "term_months": "12",
        "notice_days": "30",
        "billing_frequency": "monthly",
        "cost": "1",
        "quantity": "1",
    }
    response = as_consultant_a.post(url("contract_create", client_a1.pk), both)
    assert "not both" in str(response.context["form"].errors["term_months"])
    assert Contract.objects.count() == 3


def test_cancel_and_reactivate(as_consultant_a, client_a1, world):
    contract = world["a1"]
    detail = as_consultant_a.get(url("contract_detail", client_a1.pk, contract.pk)).content.decode()
    assert 'data-confirm-title="Cancel this contract?"' in detail
    response = as_consultant_a.post(url("contract_cancel", client_a1.pk, contract.pk), follow=True)
    contract.refresh_from_db()
    assert contract.status == "cancelled" and "will not renew" in response.content.decode()
    assert "Give notice" not in response.content.decode()
    as_consultant_a.post(url("contract_cancel", client_a1.pk, contract.pk))  # twice: a message, no error
    as_consultant_a.post(url("contract_reactivate", client_a1.pk, contract.pk))
    contract.refresh_from_db()
    assert contract.status == "active"
    as_consultant_a.post(url("contract_delete", client_a1.pk, contract.pk))
    assert not Contract.objects.filter(pk=contract.pk).exists()


def test_overview_panel_and_history(as_consultant_a, client_a1, world):
    overview = as_consultant_a.get(f"/p/alpha/clients/{client_a1.pk}/").content.decode()
    assert (
        'id="notice-deadlines-panel"' in overview and "Alpha fiber" in overview and "A2-only" not in overview
    )
    as_consultant_a.post(url("contract_cancel", client_a1.pk, world["a1"].pk))
    history = as_consultant_a.get(f"/p/alpha/clients/{client_a1.pk}/history/").content.decode()
    assert "Contract" in history and "Alpha fiber" in history and "Cancelled" in history
    assert "CANARY" not in history and "A2-only" not in history


# --- the renewals calendar -------------------------------------------------------------------------------


def test_calendar_groups_twelve_months_and_filters(
    as_consultant_a, practice_a, client_a1, client_a2, consultant_a, world
):
    response = as_consultant_a.get(url("renewals"))
    cal = response.context["calendar"]
    today = practice_today(practice_a)
    assert len(cal.months) == 12 and cal.months[0].first == today.replace(day=1)
    kinds = {(e.contract.name, e.event.kind) for e in cal.entries}
    assert kinds == {
        ("Alpha fiber", "notice"),
        ("Alpha fiber", "renewal"),
        ("A2-only contract", "notice"),
        ("A2-only contract", "renewal"),
    }
    body = response.content.decode()
    assert "in-notice-window" in body and "CANARY" not in body
    only_a2 = as_consultant_a.get(url("renewals") + f"?client={client_a2.pk}").context["calendar"]
    assert {e.contract.name for e in only_a2.entries} == {"A2-only contract"}
    # B's client or vendor as a filter is ignored (not a choice), never shown
    foreign = as_consultant_a.get(
        url("renewals") + f"?client={world['b_contract'].client_id}&vendor={world['b_vendor'].pk}"
    )
    assert foreign.status_code == 200 and len(foreign.context["calendar"].entries) == 4
    # consultant: the contract's owner, else the client's primary consultant
    world["a2"].owner = consultant_a
    world["a2"].save()
    mine = as_consultant_a.get(url("renewals") + f"?consultant={consultant_a.pk}").context["calendar"]
    assert {e.contract.name for e in mine.entries} == {"A2-only contract"}
    rows = csv_rows(as_consultant_a.get(url("renewals") + "?format=csv"))
    assert rows[0][:3] == ["Date", "Event", "Client"] and len(rows) == 5


def test_a_busy_calendar_pages_its_dates_and_the_csv_has_them_all(as_consultant_a, practice_a, client_a1):
    vendor = VendorFactory(practice=practice_a)
    for _ in range(70):  # 70 notice deadlines and 70 renewals in the same month
        ContractFactory(client=client_a1, vendor=vendor, **due_in(practice_a, 45))
    response = as_consultant_a.get(url("renewals"))
    body = response.content.decode()
    cal = response.context["calendar"]
    notices, renewals_month = [m for m in cal.months if m.count]  # deadlines 15 days out, renewals 45
    assert (notices.count, notices.notices, renewals_month.count) == (70, 70, 70)
    assert cal.total == 140 and cal.pages == 3
    assert body.count('class="cal-entry') == len(cal.entries) == 50
    assert f"{notices.label} continues on the" in body and "1–50 of 140" in body
    last = as_consultant_a.get(url("renewals") + "?page=3")
    assert len(last.context["calendar"].entries) == 40 and "(continued)" in last.content.decode()
    # a page past the end shows the last; an unreadable one the first
    assert as_consultant_a.get(url("renewals") + "?page=99").context["calendar"].page == 3
    assert as_consultant_a.get(url("renewals") + "?page=x").context["calendar"].page == 1
    # a month's chip links to the page of its first date
    assert f'href="?page=1#{notices.anchor}"' in body and f'href="?page=2#{renewals_month.anchor}"' in body
    rows = csv_rows(as_consultant_a.get(url("renewals") + "?format=csv"))
    assert len(rows) - 1 == 140
    seen = [
        e.contract.pk
        for p in (1, 2, 3)
        for e in as_consultant_a.get(url("renewals") + f"?page={p}").context["calendar"].entries
    ]
    assert len(seen) == 140 and len(set(seen)) == 70  # every date once, each contract twice


# --- query counts --------------------------------------------------------------------------------------------


def _grow(practice, clients, n):
    vendors = [VendorFactory(practice=practice) for _ in range(3)]
    for k in range(n):
        ContractFactory(
            client=clients[k % len(clients)], vendor=vendors[k % 3], **due_in(practice, 10 + k % 300)
        )
    InteractionFactory(vendor=vendors[0], client=clients[0])


@pytest.mark.parametrize("page", ["directory", "client_contracts", "renewals", "detail"])
def test_page_queries_do_not_grow(page, as_consultant_a, practice_a, client_a1, django_assert_num_queries):
    clients = [client_a1, ClientFactory(practice=practice_a)]
    _grow(practice_a, clients, 10)
    vendor = Vendor.objects.for_practice(practice_a).first()
    target = {
        "directory": url("directory"),
        "renewals": url("renewals"),
        "client_contracts": url("client_contracts", client_a1.pk),
        "detail": url("detail", vendor.pk),
    }[page]
    as_consultant_a.get(target)  # warm the session: the first page after login writes it once
    with django_assert_num_queries(40, exact=False) as small:
        assert as_consultant_a.get(target).status_code == 200
    _grow(practice_a, clients, 300)
    Contract.objects.filter(vendor__in=Vendor.objects.for_practice(practice_a)[:1]).update(vendor=vendor)
    with django_assert_num_queries(len(small.captured_queries)):
        assert as_consultant_a.get(target).status_code == 200
