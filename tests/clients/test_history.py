"""Audit history: who changed what and when, with the changed fields, filterable by user and date."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import member_services
from accounts import services as account_services
from accounts.models import Membership, Role
from clients import portal_services, services
from clients.models import Client, PortalAccess
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def history_url(client_obj, **params):
    from urllib.parse import urlencode

    base = reverse("clients:history", kwargs={"practice_slug": "alpha", "client_pk": client_obj.pk})
    return f"{base}?{urlencode(params)}" if params else base


def client_form_data(client_obj, **changes):
    data = {
        "name": client_obj.name,
        "industry": client_obj.industry,
        "headcount": client_obj.headcount,
        "locations": client_obj.locations,
        "fiscal_year_start_month": client_obj.fiscal_year_start_month,
        "qbr_cadence_months": client_obj.qbr_cadence_months,
        "primary_consultant": "",
        "notes": client_obj.notes,
    }
    data.update(changes)
    return data


def rows(html: str) -> list[str]:
    if 'id="history-table"' not in html:
        return []
    body = html.split('id="history-table"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return body.split("<tr>")[1:]


def test_history_shows_who_changed_which_field(as_owner_a, owner_a, client_a1):
    edit = reverse("clients:edit", kwargs={"practice_slug": "alpha", "client_pk": client_a1.pk})
    response = as_owner_a.post(edit, client_form_data(client_a1, name="Acme Dental Group", headcount=40))
    assert response.status_code == 302

    html = as_owner_a.get(history_url(client_a1)).content.decode()

    newest = rows(html)[0]
    assert owner_a.display_name in newest
    assert "Changed" in newest
    assert "Name" in newest and "Acme Dental" in newest and "Acme Dental Group" in newest
    assert "Headcount" in newest and "40" in newest
    assert "Updated at" not in html  # bookkeeping fields are not "changes"


def test_history_filters_by_user(as_owner_a, owner_a, consultant_a, client_a1, login):
    services.contact_create(client=client_a1, actor=consultant_a, name="Zed Consultant-Made")
    edit = reverse("clients:edit", kwargs={"practice_slug": "alpha", "client_pk": client_a1.pk})
    as_owner_a.post(edit, client_form_data(client_a1, notes="Owner was here"))

    only_owner = as_owner_a.get(history_url(client_a1, user=owner_a.pk)).content.decode()
    only_consultant = as_owner_a.get(history_url(client_a1, user=consultant_a.pk)).content.decode()

    assert "Zed Consultant-Made" not in only_owner
    assert "Owner was here" in only_owner
    assert "Zed Consultant-Made" in only_consultant
    assert "Owner was here" not in only_consultant


def test_history_filters_by_date(as_owner_a, client_a1):
    client_a1.name = "Renamed Today"
    client_a1.save()
    today = timezone.localdate()

    in_range = as_owner_a.get(history_url(client_a1, date_from=today.isoformat())).content.decode()
    before = as_owner_a.get(
        history_url(client_a1, date_to=(today - timedelta(days=1)).isoformat())
    ).content.decode()

    assert "Renamed Today" in in_range
    assert "No changes match these filters." in before


def test_history_user_filter_only_offers_members_of_the_practice(as_owner_a, owner_b, client_a1):
    html = as_owner_a.get(history_url(client_a1)).content.decode()
    assert owner_b.email not in html
    response = as_owner_a.get(history_url(client_a1, user=owner_b.pk))
    assert response.status_code == 200  # an invalid filter is ignored, never a 500


def test_portal_access_changes_appear_in_the_client_history(as_owner_a, practice_a, owner_a, client_a1):
    ceo = UserFactory(email="ceo@acme.example.com")
    access = PortalAccess.objects.create(practice=practice_a, client=client_a1, user=ceo)
    portal_services.portal_access_remove(access=access, actor=owner_a)

    html = as_owner_a.get(history_url(client_a1)).content.decode()

    assert "Portal access" in html
    assert "ceo@acme.example.com" in html
    assert "Portal access removed" in html


def test_members_page_history_shows_role_changes_and_removals(
    as_owner_a, practice_a, owner_a, consultant_a, viewer_a
):
    m = Membership.objects.get(practice=practice_a, user=consultant_a)
    member_services.membership_change_role(membership=m, actor=owner_a, role=Role.ADMIN)
    member_services.membership_remove(
        membership=Membership.objects.get(practice=practice_a, user=viewer_a), actor=owner_a
    )
    member_services.invitation_create(
        practice=practice_a, actor=owner_a, email="new@example.com", role=Role.VIEWER
    )

    html = as_owner_a.get(reverse("accounts:members", kwargs={"practice_slug": "alpha"})).content.decode()
    entries = rows(html)

    role_row = next(r for r in entries if consultant_a.email in r and "Changed" in r)
    assert owner_a.display_name in role_row
    assert "Role" in role_row and "Consultant" in role_row and "Admin" in role_row
    removed_row = next(r for r in entries if viewer_a.email in r and "Deleted" in r)
    assert "Removed from the practice" in removed_row
    assert any("new@example.com" in r and "Created" in r for r in entries)


def test_the_team_history_as_it_opens_is_kept_and_answers_as_the_orm(
    practice_a, practice_b, owner_a, consultant_a, viewer_a, owner_b
):
    """The members page's history, as it opens, reads each source's newest versions through a
    statement kept for any practice: for either practice and any page size, the entries the ORM path
    gives, and only the practice's own."""
    from accounts import member_selectors
    from vcio import history, kept

    member_services.membership_change_role(
        membership=Membership.objects.get(practice=practice_a, user=consultant_a),
        actor=owner_a,
        role=Role.ADMIN,
    )
    member_services.membership_remove(
        membership=Membership.objects.get(practice=practice_a, user=viewer_a), actor=owner_a
    )
    member_services.invitation_create(
        practice=practice_a, actor=owner_a, email="new@alpha.example.com", role=Role.VIEWER
    )
    member_services.invitation_create(
        practice=practice_b, actor=owner_b, email="new@bravo.example.com", role=Role.VIEWER
    )
    # a second person's change: the page reads both users
    member_services.invitation_create(
        practice=practice_a, actor=consultant_a, email="more@alpha.example.com", role=Role.VIEWER
    )
    sources = (member_selectors.MEMBERSHIP_HISTORY, member_selectors.INVITATION_HISTORY)
    kept.KEPT.clear()
    for limit in (25, 2):
        for practice in (practice_a, practice_b, practice_a):
            ours = member_selectors.team_history(practice=practice, limit=limit)
            theirs = history.merged_history([(s, s.rows(practice)) for s in sources], limit=limit)
            assert list(ours) == list(theirs) and ours.older == theirs.older
            shown = " ".join(str(e["object"]) for e in ours)
            assert ("bravo" in shown) == (practice == practice_b) and ("alpha" in shown) == (
                practice == practice_a
            )
    newest = [v for k, v in kept.KEPT.items() if k[0] == "history.newest"]
    assert len(newest) == 4 and None not in newest  # two sources, two page sizes: kept, and used
    everyone = member_selectors.team_history(practice=practice_a)
    assert {e["user"] for e in everyone} >= {owner_a, consultant_a}
    filtered = member_selectors.team_history(practice=practice_a, user_id=owner_a.pk)
    assert filtered and {e["user"] for e in filtered} == {owner_a} != {e["user"] for e in everyone}


def test_members_history_filter_by_user(as_owner_a, practice_a, owner_a, admin_a, consultant_a, viewer_a):
    member_services.membership_change_role(
        membership=Membership.objects.get(practice=practice_a, user=consultant_a),
        actor=admin_a,
        role=Role.VIEWER,
    )
    member_services.membership_change_role(
        membership=Membership.objects.get(practice=practice_a, user=viewer_a),
        actor=owner_a,
        role=Role.CONSULTANT,
    )
    url = reverse("accounts:members", kwargs={"practice_slug": "alpha"})

    entries = rows(as_owner_a.get(f"{url}?user={admin_a.pk}").content.decode())

    assert entries and all(admin_a.display_name in r for r in entries)
    assert any(consultant_a.email in r for r in entries)
    assert not any(viewer_a.email in r for r in entries)


def test_invitation_history_never_shows_the_token_hash(as_owner_a, practice_a, owner_a):
    invitation, _ = member_services.invitation_create(
        practice=practice_a, actor=owner_a, email="hush@example.com", role=Role.VIEWER
    )
    member_services.invitation_resend(invitation=invitation, actor=owner_a)
    invitation.refresh_from_db()

    html = as_owner_a.get(reverse("accounts:members", kwargs={"practice_slug": "alpha"})).content.decode()

    assert invitation.token_hash not in html
    assert "Invitation link renewed" in html


def test_history_diff_needs_no_query_per_row(
    as_owner_a, client_a1, django_assert_num_queries, django_assert_max_num_queries
):
    for i in range(2):
        Client.objects.filter(pk=client_a1.pk).update()  # no history
        client_a1.name = f"Acme v{i}"
        client_a1.save()
    as_owner_a.get(history_url(client_a1))  # warm: the first request after signing in records the practice
    with django_assert_max_num_queries(40) as small:
        as_owner_a.get(history_url(client_a1))
    for i in range(30):
        client_a1.headcount = 100 + i
        client_a1.save()
    with django_assert_num_queries(len(small.captured_queries)):
        response = as_owner_a.get(history_url(client_a1))
    assert "Headcount" in response.content.decode()


@pytest.mark.parametrize(
    ("time_zone", "params"),
    [
        ("America/New_York", {"date_to": "9999-12-31"}),  # end of day, shifted to UTC: past year 9999
        ("Pacific/Auckland", {"date_from": "0001-01-01"}),  # start of day, shifted to UTC: before year 1
        ("UTC", {"date_from": "1999-12-31"}),
        ("UTC", {"date_to": "2101-01-01"}),
    ],
)
@pytest.mark.parametrize("page", ["client", "members"])
def test_history_dates_out_of_range_are_a_field_error_not_a_500(
    as_owner_a, practice_a, client_a1, time_zone, params, page
):
    practice_a.time_zone = time_zone
    practice_a.save()
    from urllib.parse import urlencode

    url = (
        history_url(client_a1, **params)
        if page == "client"
        else reverse("accounts:members", kwargs={"practice_slug": "alpha"}) + "?" + urlencode(params)
    )

    response = as_owner_a.get(url)

    assert response.status_code == 200
    assert "Enter a date between 2000 and 2100." in response.content.decode()


def test_history_dates_at_the_bounds_are_accepted(as_owner_a, practice_a, client_a1):
    practice_a.time_zone = "Pacific/Kiritimati"  # UTC+14
    practice_a.save()
    response = as_owner_a.get(history_url(client_a1, date_from="2000-01-01", date_to="2100-12-31"))
    assert response.status_code == 200
    assert "Enter a date between" not in response.content.decode()
    assert "Acme Dental" in response.content.decode()


def history_section(html: str) -> list[str]:
    return rows(html.split('id="history"', 1)[1])


def test_contact_edit_page_shows_that_contacts_history(as_owner_a, owner_a, client_a1):
    contact = services.contact_create(client=client_a1, actor=owner_a, name="Dana Scully", title="CFO")
    other = services.contact_create(client=client_a1, actor=owner_a, name="Fox Mulder")
    edit = reverse(
        "clients:contact_edit",
        kwargs={"practice_slug": "alpha", "client_pk": client_a1.pk, "contact_pk": contact.pk},
    )
    as_owner_a.post(edit, {"name": "Dana Scully", "title": "CEO", "email": "", "phone": ""})

    entries = history_section(as_owner_a.get(edit).content.decode())

    assert len(entries) == 2
    assert "Changed" in entries[0] and "Title" in entries[0] and "CFO" in entries[0] and "CEO" in entries[0]
    assert owner_a.display_name in entries[0]
    assert "Created" in entries[1]
    assert not any(other.name in r for r in entries)


def test_practice_settings_page_shows_the_practices_history(as_owner_a, owner_a, practice_a, practice_b):
    data = {
        "name": "Alpha Advisors Ltd",
        "brand_colour": "#112233",
        "currency": "EUR",
        "time_zone": "UTC",
        "fiscal_year_start_month": 1,
    }
    url = reverse("accounts:settings", kwargs={"practice_slug": "alpha"})
    assert as_owner_a.post(url, data).status_code == 302
    account_services.practice_update(practice=practice_b, actor=owner_a, name="CANARY Bravo renamed")

    entries = history_section(as_owner_a.get(url).content.decode())

    changed = entries[0]
    assert owner_a.display_name in changed and "Changed" in changed
    assert "Alpha Advisors</span> → Alpha Advisors Ltd" in changed
    assert "Currency" in changed and "EUR" in changed
    assert not any("CANARY" in r for r in entries)


@pytest.mark.parametrize("page", ["contact", "settings"])
def test_object_history_queries_do_not_grow_with_changes(
    as_owner_a, owner_a, practice_a, client_a1, page, django_assert_max_num_queries, django_assert_num_queries
):
    contact = services.contact_create(client=client_a1, actor=owner_a, name="Dana")
    if page == "contact":
        url = reverse(
            "clients:contact_edit",
            kwargs={"practice_slug": "alpha", "client_pk": client_a1.pk, "contact_pk": contact.pk},
        )

        def change(i):
            services.contact_update(contact=contact, actor=owner_a, title=f"Title {i}")
    else:
        url = reverse("accounts:settings", kwargs={"practice_slug": "alpha"})

        def change(i):
            account_services.practice_update(practice=practice_a, actor=owner_a, name=f"Alpha {i}")

    for i in range(2):
        change(i)
    as_owner_a.get(url)  # warm the session
    with django_assert_max_num_queries(20) as small:
        as_owner_a.get(url)
    for i in range(2, 32):
        change(i)
    with django_assert_num_queries(len(small.captured_queries)):
        response = as_owner_a.get(url)
    from vcio.history import HISTORY_PAGE_SIZE

    assert len(history_section(response.content.decode())) == HISTORY_PAGE_SIZE  # a full page, no more


def test_history_shows_a_page_and_the_older_changes_on_demand(as_owner_a, client_a1, owner_a):
    from vcio.history import HISTORY_PAGE_SIZE

    total = HISTORY_PAGE_SIZE + 12
    for i in range(total - 1):  # and the creation
        services.client_update(client=client_a1, actor=owner_a, headcount=100 + i)

    first = as_owner_a.get(history_url(client_a1))
    html = first.content.decode()
    assert html.count("<tr>") - 1 == HISTORY_PAGE_SIZE  # the header row, then a page of changes
    assert "Show older changes" in html
    cursor = first.context["entries"].older
    assert cursor

    older = as_owner_a.get(history_url(client_a1, before=cursor))
    rest = older.context["entries"]
    assert len(rest) == total - HISTORY_PAGE_SIZE
    assert rest.older is None
    assert "Show older changes" not in older.content.decode()
    assert rest[0]["date"] < first.context["entries"][-1]["date"]
    # a malformed cursor is ignored (the newest page), never an error
    assert as_owner_a.get(history_url(client_a1, before="yesterday")).context["entries"].older == cursor
