"""Client pages: isolation between practices, roles, validation, query counts, CSV, archive/restore."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.models import Practice
from clients.models import Client, ClientStatus, Contact

from ..factories import ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Northside Veterinary",
    "industry": "healthcare",
    "headcount": "30",
    "locations": "2",
    "fiscal_year_start_month": "7",
    "qbr_cadence_months": "3",
    "notes": "",
}


def url(name, practice, *args):
    namespace = "accounts" if name in ("settings", "practice_delete", "members", "apikeys") else "clients"
    return reverse(f"{namespace}:{name}", args=[practice.slug, *args])


def client_urls(practice, client, contact):
    """Every page of one client (GET) and every write on it (POST)."""
    return {
        "overview": url("overview", practice, client.pk),
        "edit": url("edit", practice, client.pk),
        "contacts": url("contacts", practice, client.pk),
        "contact_create": url("contact_create", practice, client.pk),
        "contact_edit": url("contact_edit", practice, client.pk, contact.pk),
        "history": url("history", practice, client.pk),
    }, {
        "edit": url("edit", practice, client.pk),
        "archive": url("archive", practice, client.pk),
        "restore": url("restore", practice, client.pk),
        "contact_create": url("contact_create", practice, client.pk),
        "contact_edit": url("contact_edit", practice, client.pk, contact.pk),
        "contact_delete": url("contact_delete", practice, client.pk, contact.pk),
    }


class TestIsolation:
    def test_every_client_page_of_practice_b_is_404_for_a_member_of_a(
        self, as_owner_a, practice_a, practice_b, canary_client_b
    ):
        contact_b = canary_client_b.contacts.get()
        gets, posts = client_urls(practice_b, canary_client_b, contact_b)
        for name, target in gets.items():
            assert as_owner_a.get(target).status_code == 404, name
        for name, target in posts.items():
            assert as_owner_a.post(target, VALID).status_code == 404, name
        # B's client under A's slug is 404 too (the object is looked up in A's practice only).
        gets_a, posts_a = client_urls(practice_a, canary_client_b, contact_b)
        for name, target in {**gets_a, **posts_a}.items():
            assert as_owner_a.get(target).status_code in (404, 405), name
            assert as_owner_a.post(target, VALID).status_code == 404, name
        canary_client_b.refresh_from_db()
        assert canary_client_b.status == ClientStatus.ACTIVE
        assert Contact.objects.filter(pk=contact_b.pk).exists()

    def test_a_contact_of_another_client_is_404(self, as_owner_a, practice_a, client_a1, client_a2):
        contact = ContactFactory(client=client_a2)
        assert as_owner_a.get(url("contact_edit", practice_a, client_a1.pk, contact.pk)).status_code == 404
        assert as_owner_a.post(url("contact_delete", practice_a, client_a1.pk, contact.pk)).status_code == 404
        assert Contact.objects.filter(pk=contact.pk).exists()

    def test_no_name_of_practice_b_appears_in_practice_a_pages(
        self, as_owner_a, practice_a, client_a1, canary_client_b
    ):
        ContactFactory(client=client_a1)
        pages = [
            url("list", practice_a),
            url("list", practice_a) + "?status=all",
            url("list", practice_a) + "?q=Client&status=all",
            url("list", practice_a) + "?format=csv&status=all",
            url("overview", practice_a, client_a1.pk),
            url("contacts", practice_a, client_a1.pk),
            url("contacts", practice_a, client_a1.pk) + "?format=csv",
            url("history", practice_a, client_a1.pk),
            url("create", practice_a),
            url("settings", practice_a),
        ]
        for page in pages:
            response = as_owner_a.get(page)
            assert response.status_code == 200, page
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert b"CANARY" not in body, page
            assert b"Bravo" not in body, page

    def test_a_practice_the_user_is_not_a_member_of_is_404(self, as_owner_a, practice_b):
        assert as_owner_a.get(url("list", practice_b)).status_code == 404
        assert as_owner_a.get(url("settings", practice_b)).status_code == 404

    def test_anonymous_users_are_sent_to_log_in(self, client, practice_a, client_a1):
        response = client.get(url("overview", practice_a, client_a1.pk))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


class TestRoles:
    def test_viewer_cannot_create_or_edit_and_nothing_changes(self, as_viewer_a, practice_a, client_a1):
        before = Client.objects.count()
        assert as_viewer_a.post(url("create", practice_a), VALID).status_code == 403
        assert as_viewer_a.post(url("edit", practice_a, client_a1.pk), VALID).status_code == 403
        assert as_viewer_a.post(url("archive", practice_a, client_a1.pk)).status_code == 403
        assert (
            as_viewer_a.post(url("contact_create", practice_a, client_a1.pk), {"name": "X"}).status_code
            == 403
        )
        assert Client.objects.count() == before
        client_a1.refresh_from_db()
        assert client_a1.name == "Acme Dental"
        assert client_a1.status == ClientStatus.ACTIVE
        assert not client_a1.contacts.exists()

    def test_viewer_sees_no_edit_buttons(self, as_viewer_a, practice_a, client_a1):
        ContactFactory(client=client_a1)
        listing = as_viewer_a.get(url("list", practice_a)).content.decode()
        assert "New client" not in listing
        overview = as_viewer_a.get(url("overview", practice_a, client_a1.pk)).content.decode()
        assert url("edit", practice_a, client_a1.pk) not in overview
        assert url("archive", practice_a, client_a1.pk) not in overview
        contacts = as_viewer_a.get(url("contacts", practice_a, client_a1.pk)).content.decode()
        assert "New contact" not in contacts and "/delete/" not in contacts

    def test_viewer_may_read(self, as_viewer_a, practice_a, client_a1):
        assert as_viewer_a.get(url("overview", practice_a, client_a1.pk)).status_code == 200
        assert as_viewer_a.get(url("contacts", practice_a, client_a1.pk)).status_code == 200
        assert (
            as_viewer_a.get(url("create", practice_a)).status_code == 403
        )  # no form a viewer could not send
        assert as_viewer_a.get(url("edit", practice_a, client_a1.pk)).status_code == 403
        assert as_viewer_a.get(url("settings", practice_a)).status_code == 403

    def test_consultant_creates_and_edits(self, as_consultant_a, practice_a, consultant_a):
        response = as_consultant_a.post(
            url("create", practice_a), {**VALID, "primary_consultant": consultant_a.pk}
        )
        created = Client.objects.get(name="Northside Veterinary")
        assert response.status_code == 302
        assert response["Location"] == url("overview", practice_a, created.pk)
        assert created.practice == practice_a
        assert created.primary_consultant == consultant_a
        assert created.fiscal_year_start_month == 7
        response = as_consultant_a.post(url("edit", practice_a, created.pk), {**VALID, "headcount": "45"})
        assert response.status_code == 302
        created.refresh_from_db()
        assert created.headcount == 45

    def test_consultant_cannot_change_practice_settings(self, as_consultant_a, practice_a):
        response = as_consultant_a.post(url("settings", practice_a), {"name": "Hijacked", "currency": "EUR"})
        assert response.status_code == 403
        practice_a.refresh_from_db()
        assert practice_a.name == "Alpha Advisors"


class TestValidation:
    @pytest.mark.parametrize(
        "field,value,message",
        [
            ("name", "", "This field is required."),
            ("headcount", "-5", "Ensure this value is greater than or equal to 1."),
            ("name", "x" * 10_000, "Ensure this value has at most 200 characters"),
            ("fiscal_year_start_month", "13", "Select a valid choice."),
            ("qbr_cadence_months", "0", "Ensure this value is greater than or equal to 1."),
            ("headcount", "lots", "Enter a whole number."),
        ],
    )
    def test_invalid_client_input_shows_field_errors_and_saves_nothing(
        self, as_owner_a, practice_a, client_a1, field, value, message
    ):
        before = Client.objects.count()
        response = as_owner_a.post(url("create", practice_a), {**VALID, field: value})
        assert response.status_code == 200
        assert message in response.content.decode()
        assert response.context["form"].errors[field]
        assert Client.objects.count() == before
        response = as_owner_a.post(url("edit", practice_a, client_a1.pk), {**VALID, field: value})
        assert response.status_code == 200
        assert response.context["form"].errors[field]
        client_a1.refresh_from_db()
        assert client_a1.name == "Acme Dental"

    def test_primary_consultant_of_another_practice_is_refused(self, as_owner_a, practice_a, owner_b):
        response = as_owner_a.post(url("create", practice_a), {**VALID, "primary_consultant": owner_b.pk})
        assert response.status_code == 200
        assert "primary_consultant" in response.context["form"].errors
        assert not Client.objects.filter(name=VALID["name"]).exists()

    def test_invalid_contact_email(self, as_owner_a, practice_a, client_a1):
        response = as_owner_a.post(
            url("contact_create", practice_a, client_a1.pk), {"name": "Dana", "email": "nope"}
        )
        assert response.status_code == 200
        assert "Enter a valid email address." in response.content.decode()
        assert not client_a1.contacts.exists()

    def test_unknown_currency_and_bad_colour_in_settings(self, as_owner_a, practice_a):
        response = as_owner_a.post(
            url("settings", practice_a),
            {
                "name": "Alpha",
                "currency": "XYZ",
                "brand_colour": "red",
                "time_zone": "Mars/Base",
                "fiscal_year_start_month": "13",
            },
        )
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert set(errors) >= {"currency", "brand_colour", "time_zone", "fiscal_year_start_month"}
        practice_a.refresh_from_db()
        assert practice_a.name == "Alpha Advisors" and practice_a.currency == "USD"


class TestClientList:
    def test_search_filter_sort_and_paginate(self, as_owner_a, practice_a):
        ClientFactory(practice=practice_a, name="Zeta Health", industry="healthcare", headcount=10)
        ClientFactory(practice=practice_a, name="Beta Law", industry="legal", headcount=90)
        ClientFactory(practice=practice_a, name="Old Co", status=ClientStatus.ARCHIVED)
        names = lambda r: [c.name for c in r.context["page"].object_list]  # noqa: E731
        assert names(as_owner_a.get(url("list", practice_a))) == ["Beta Law", "Zeta Health"]
        assert names(as_owner_a.get(url("list", practice_a) + "?q=zeta")) == ["Zeta Health"]
        assert names(as_owner_a.get(url("list", practice_a) + "?industry=legal")) == ["Beta Law"]
        assert names(as_owner_a.get(url("list", practice_a) + "?status=archived")) == ["Old Co"]
        assert names(as_owner_a.get(url("list", practice_a) + "?sort=-headcount")) == [
            "Beta Law",
            "Zeta Health",
        ]
        assert names(as_owner_a.get(url("list", practice_a) + "?sort=bogus")) == ["Beta Law", "Zeta Health"]
        ClientFactory.create_batch(30, practice=practice_a)
        page2 = as_owner_a.get(url("list", practice_a) + "?page=2")
        assert page2.context["page"].number == 2 and len(page2.context["page"].object_list) == 7
        assert as_owner_a.get(url("list", practice_a) + "?page=999").status_code == 200

    def test_search_keeps_contact_counts_right(self, as_owner_a, practice_a):
        client = ClientFactory(practice=practice_a, name="Anchor Health")
        for name in ("Ann Lee", "Dan Ames", "Bo Chan"):
            ContactFactory(client=client, name=name)
        page = as_owner_a.get(url("list", practice_a) + "?q=an").context["page"]
        assert [(c.name, c.contact_count) for c in page.object_list] == [("Anchor Health", 3)]
        by_contact = as_owner_a.get(url("list", practice_a) + "?q=ames").context["page"]
        assert [(c.name, c.contact_count) for c in by_contact.object_list] == [("Anchor Health", 3)]

    def test_csv_export_has_the_filtered_rows(self, as_owner_a, practice_a):
        ClientFactory(practice=practice_a, name="=HYPERLINK(evil)", industry="legal")
        ClientFactory(practice=practice_a, name="Zeta Health", industry="healthcare")
        response = as_owner_a.get(url("list", practice_a) + "?format=csv&industry=legal")
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        assert rows[0][0] == "Name"
        assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(evil)"]  # formula neutralised

    def test_empty_state_invites_the_first_client(self, as_owner_a, practice_a):
        body = as_owner_a.get(url("list", practice_a)).content.decode()
        assert "No clients yet" in body and "Add the first client" in body

    def test_query_count_does_not_grow_with_clients(
        self, as_owner_a, practice_a, consultant_a, django_assert_num_queries
    ):
        def make(n):
            for c in ClientFactory.create_batch(n, practice=practice_a, primary_consultant=consultant_a):
                ContactFactory(client=c)

        make(5)
        as_owner_a.get(
            url("list", practice_a)
        )  # warm: the first request after signing in records the practice
        with django_assert_num_queries(20, exact=False) as small:
            assert as_owner_a.get(url("list", practice_a) + "?status=all").status_code == 200
        make(195)
        with django_assert_num_queries(len(small.captured_queries)):
            response = as_owner_a.get(url("list", practice_a) + "?status=all")
        assert response.context["page"].paginator.count == 200


class TestLifecycle:
    def test_archive_then_restore(self, as_consultant_a, practice_a, client_a1):
        response = as_consultant_a.post(url("archive", practice_a, client_a1.pk), follow=True)
        assert "archived" in response.content.decode()
        client_a1.refresh_from_db()
        assert client_a1.status == ClientStatus.ARCHIVED
        listing = as_consultant_a.get(url("list", practice_a)).content.decode()
        assert "Acme Dental" not in listing
        as_consultant_a.post(url("restore", practice_a, client_a1.pk))
        client_a1.refresh_from_db()
        assert client_a1.status == ClientStatus.ACTIVE

    def test_archive_from_the_list_returns_to_the_list_but_never_off_site(
        self, as_consultant_a, practice_a, client_a1
    ):
        listing = url("list", practice_a) + "?industry=healthcare"
        response = as_consultant_a.post(url("archive", practice_a, client_a1.pk), {"next": listing})
        assert response["Location"] == listing
        response = as_consultant_a.post(
            url("restore", practice_a, client_a1.pk), {"next": "https://evil.example.com/"}
        )
        assert response["Location"] == url("overview", practice_a, client_a1.pk)

    def test_archive_is_post_only(self, as_consultant_a, practice_a, client_a1):
        assert as_consultant_a.get(url("archive", practice_a, client_a1.pk)).status_code == 405

    def test_contact_create_edit_delete(self, as_consultant_a, practice_a, client_a1):
        as_consultant_a.post(
            url("contact_create", practice_a, client_a1.pk),
            {"name": "Dana Ruiz", "title": "CFO", "email": "dana@acme.example.com", "is_executive": "on"},
        )
        contact = client_a1.contacts.get()
        assert contact.is_executive and contact.practice == practice_a
        as_consultant_a.post(
            url("contact_edit", practice_a, client_a1.pk, contact.pk), {"name": "Dana R. Ruiz"}
        )
        contact.refresh_from_db()
        assert contact.name == "Dana R. Ruiz" and not contact.is_executive
        as_consultant_a.post(url("contact_delete", practice_a, client_a1.pk, contact.pk))
        assert not client_a1.contacts.exists()

    def test_history_lists_changes_with_their_author(
        self, as_consultant_a, practice_a, client_a1, consultant_a
    ):
        as_consultant_a.post(url("edit", practice_a, client_a1.pk), {**VALID, "name": "Acme Dental Group"})
        body = as_consultant_a.get(url("history", practice_a, client_a1.pk)).content.decode()
        assert "Acme Dental Group" in body and consultant_a.display_name in body and "Changed" in body


class TestSettings:
    def test_owner_updates_settings(self, as_owner_a, practice_a):
        response = as_owner_a.post(
            url("settings", practice_a),
            {
                "name": "Alpha Advisory",
                "currency": "EUR",
                "brand_colour": "#aa3300",
                "time_zone": "Europe/Berlin",
                "fiscal_year_start_month": "4",
            },
        )
        assert response.status_code == 302
        practice_a.refresh_from_db()
        assert (
            practice_a.name,
            practice_a.currency,
            practice_a.time_zone,
            practice_a.fiscal_year_start_month,
        ) == (
            "Alpha Advisory",
            "EUR",
            "Europe/Berlin",
            4,
        )

    def test_logo_must_be_a_small_image(self, as_owner_a, practice_a, settings):
        from django.core.files.uploadedfile import SimpleUploadedFile

        base = {
            "name": "Alpha",
            "currency": "USD",
            "brand_colour": "#112233",
            "time_zone": "UTC",
            "fiscal_year_start_month": "1",
        }
        fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")
        response = as_owner_a.post(url("settings", practice_a), {**base, "logo": fake})
        assert response.status_code == 200 and "logo" in response.context["form"].errors
        settings.LOGO_MAX_BYTES = 50
        png = _png_bytes()
        response = as_owner_a.post(
            url("settings", practice_a), {**base, "logo": SimpleUploadedFile("l.png", png)}
        )
        assert "too large" in response.content.decode()
        settings.LOGO_MAX_BYTES = 1024 * 1024
        response = as_owner_a.post(
            url("settings", practice_a), {**base, "logo": SimpleUploadedFile("l.png", png)}
        )
        assert response.status_code == 302
        practice_a.refresh_from_db()
        assert practice_a.logo.name.startswith("logos/")
        assert Practice.objects.get(pk=practice_a.pk).name == "Alpha"


def _png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "#1f6feb").save(buffer, format="PNG")
    return buffer.getvalue()


class TestTimeZone:
    def test_history_times_are_shown_in_the_practice_time_zone(self, as_owner_a, practice_a, client_a1):
        from datetime import UTC, datetime

        from django.utils import timezone

        practice_a.time_zone = "Asia/Tokyo"  # UTC+9, no daylight saving
        practice_a.save()
        record = client_a1.history.first()
        record.history_date = datetime(2026, 3, 1, 20, 30, tzinfo=UTC)
        record.save()
        body = as_owner_a.get(url("history", practice_a, client_a1.pk)).content.decode()
        assert "2026-03-02 05:30" in body
        assert timezone.get_current_timezone_name() == "UTC"  # reset after the request


def test_selects_have_a_real_placeholder_and_never_offer_a_viewer(
    as_owner_a, practice_a, viewer_a, consultant_a
):
    html = as_owner_a.get(url("create", practice_a)).content.decode()
    assert "---------" not in html
    assert "Choose a primary consultant" in html
    assert viewer_a.display_name not in html
    assert consultant_a.display_name in html


def test_a_viewer_cannot_be_made_primary_consultant(as_owner_a, practice_a, viewer_a):
    from clients.models import Client

    response = as_owner_a.post(
        url("create", practice_a),
        {
            "name": "Viewer Co",
            "industry": "legal",
            "headcount": "3",
            "locations": "1",
            "fiscal_year_start_month": "1",
            "qbr_cadence_months": "3",
            "primary_consultant": str(viewer_a.pk),
        },
    )
    assert response.status_code == 200
    assert not Client.objects.filter(name="Viewer Co").exists()
