"""The REST API of the clients app and the foundation under it: isolation between practices, roles
and API keys, the error format, pagination, filtering, ordering, query counts, `/api/v1/me/`."""

import json
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone

from accounts.models import ApiKey
from clients.models import Client, ClientStatus, Contact

from ..factories import ClientFactory, ContactFactory
from ..rls_support import rls_statements

pytestmark = pytest.mark.django_db

CLIENTS = "/api/v1/clients/"
CONTACTS = "/api/v1/contacts/"
ME = "/api/v1/me/"


def client_url(pk):
    return f"{CLIENTS}{pk}/"


def contact_url(pk):
    return f"{CONTACTS}{pk}/"


def post_json(http, url, data, method="post"):
    return getattr(http, method)(url, json.dumps(data), content_type="application/json")


class TestIsolation:
    def test_a_key_of_practice_a_gets_404_for_practice_b_objects_and_changes_nothing(
        self, api, api_key_a, canary_client_b
    ):
        http = api(api_key_a[1])
        contact_b = canary_client_b.contacts.get()
        assert http.get(client_url(canary_client_b.pk)).status_code == 404
        assert http.get(contact_url(contact_b.pk)).status_code == 404
        assert (
            post_json(http, client_url(canary_client_b.pk), {"name": "Hijacked"}, "patch").status_code == 404
        )
        assert post_json(http, client_url(canary_client_b.pk), {"name": "Hijacked"}, "put").status_code == 404
        assert post_json(http, contact_url(contact_b.pk), {"name": "Hijacked"}, "patch").status_code == 404
        assert http.delete(client_url(canary_client_b.pk)).status_code == 404
        assert http.delete(contact_url(contact_b.pk)).status_code == 404
        canary_client_b.refresh_from_db()
        contact_b.refresh_from_db()
        assert canary_client_b.name == "CANARY-Bravo-Client"
        assert canary_client_b.status == ClientStatus.ACTIVE
        assert contact_b.name == "CANARY-Bravo-Contact"

    def test_the_404_for_another_practice_is_the_same_as_for_an_id_that_does_not_exist(
        self, api, api_key_a, canary_client_b
    ):
        http = api(api_key_a[1])
        theirs = http.get(client_url(canary_client_b.pk))
        missing = http.get(client_url("00000000-0000-4000-8000-000000000000"))
        assert (
            (theirs.status_code, theirs.json())
            == (missing.status_code, missing.json())
            == (
                404,
                {"detail": "Not found."},
            )
        )

    def test_no_canary_of_practice_b_appears_in_any_answer_to_practice_a(
        self, api, api_key_a, client_a1, canary_client_b
    ):
        ContactFactory(client=client_a1, name="Alpha Contact")
        http = api(api_key_a[1])
        urls = [
            CLIENTS,
            CLIENTS + "?status=archived",
            CLIENTS + "?search=CANARY",
            CLIENTS + "?name__icontains=canary",
            CLIENTS + "?page_size=200&ordering=-name",
            CONTACTS,
            CONTACTS + "?search=CANARY",
            CONTACTS + "?page_size=200",
            ME,
        ]
        for url in urls:
            response = http.get(url)
            assert response.status_code == 200, url
            assert b"CANARY" not in response.content, url
        names = [c["name"] for c in http.get(CLIENTS).json()["results"]]
        assert names == ["Acme Dental"]

    def test_filtering_by_another_practice_client_is_refused_like_an_unknown_id(
        self, api, api_key_a, canary_client_b
    ):
        http = api(api_key_a[1])
        theirs = http.get(f"{CONTACTS}?client={canary_client_b.pk}")
        missing = http.get(f"{CONTACTS}?client=00000000-0000-4000-8000-000000000000")
        assert theirs.status_code == missing.status_code == 400
        assert theirs.json() == missing.json()
        assert list(theirs.json()) == ["client"]
        assert b"CANARY" not in theirs.content

    def test_contact_created_with_another_practice_client_is_400_and_saves_nothing(
        self, api, api_key_a, client_a1, canary_client_b
    ):
        before = Contact.objects.count()
        response = post_json(
            api(api_key_a[1]), CONTACTS, {"client": str(canary_client_b.pk), "name": "Sneaky Contact"}
        )
        assert response.status_code == 400
        assert list(response.json()) == ["client"]
        assert Contact.objects.count() == before
        assert not Contact.objects.filter(name="Sneaky Contact").exists()

    def test_a_contact_cannot_be_moved_to_another_practice_client(
        self, api, api_key_a, client_a1, canary_client_b
    ):
        contact = ContactFactory(client=client_a1)
        response = post_json(
            api(api_key_a[1]), contact_url(contact.pk), {"client": str(canary_client_b.pk)}, "patch"
        )
        assert response.status_code == 400
        contact.refresh_from_db()
        assert contact.client_id == client_a1.pk

    def test_a_member_of_another_practice_cannot_be_primary_consultant(
        self, api, api_key_a, client_a1, owner_a, owner_b
    ):
        http = api(api_key_a[1])
        response = post_json(http, client_url(client_a1.pk), {"primary_consultant": str(owner_b.pk)}, "patch")
        assert response.status_code == 400
        assert list(response.json()) == ["primary_consultant"]
        client_a1.refresh_from_db()
        assert client_a1.primary_consultant_id is None
        ok = post_json(http, client_url(client_a1.pk), {"primary_consultant": str(owner_a.pk)}, "patch")
        assert ok.status_code == 200
        assert ok.json()["primary_consultant"] == str(owner_a.pk)

    def test_a_session_user_gets_404_for_a_practice_they_are_not_a_member_of(
        self, as_owner_a, practice_b, canary_client_b
    ):
        response = as_owner_a.get(CLIENTS, HTTP_X_PRACTICE=practice_b.slug)
        assert response.status_code == 404
        assert b"CANARY" not in response.content


class TestKeysAndRoles:
    def test_a_read_only_key_reads_but_every_write_is_403_and_changes_nothing(
        self, api, read_only_key_a, client_a1
    ):
        contact = ContactFactory(client=client_a1, name="Original Name")
        http = api(read_only_key_a[1])
        assert http.get(CLIENTS).status_code == 200
        assert http.get(contact_url(contact.pk)).status_code == 200
        writes = [
            post_json(http, CLIENTS, {"name": "New Client"}),
            post_json(http, CONTACTS, {"client": str(client_a1.pk), "name": "New Contact"}),
            post_json(http, client_url(client_a1.pk), {"name": "Renamed"}, "patch"),
            post_json(http, client_url(client_a1.pk), {"name": "Renamed"}, "put"),
            post_json(http, contact_url(contact.pk), {"name": "Renamed"}, "patch"),
            http.delete(client_url(client_a1.pk)),
            http.delete(contact_url(contact.pk)),
        ]
        assert [r.status_code for r in writes] == [403] * len(writes)
        assert all("detail" in r.json() for r in writes)
        client_a1.refresh_from_db()
        contact.refresh_from_db()
        assert (client_a1.name, client_a1.status) == ("Acme Dental", ClientStatus.ACTIVE)
        assert contact.name == "Original Name"
        assert Client.objects.count() == 1
        assert Contact.objects.count() == 1

    def test_a_read_write_key_creates_updates_and_archives(self, api, api_key_a, client_a1):
        http = api(api_key_a[1])
        created = post_json(
            http, CLIENTS, {"name": "Northside Vet", "industry": "healthcare", "headcount": 12}
        )
        assert created.status_code == 201
        new = Client.objects.get(pk=created.json()["id"])
        assert (new.name, new.headcount, new.practice_id) == ("Northside Vet", 12, api_key_a[0].practice_id)
        assert post_json(http, client_url(new.pk), {"headcount": 14}, "patch").json()["headcount"] == 14
        assert http.delete(client_url(new.pk)).status_code == 204
        new.refresh_from_db()
        assert new.status == ClientStatus.ARCHIVED

    def test_a_change_made_with_a_key_names_the_key_in_the_history(self, api, api_key_a, client_a1):
        response = post_json(api(api_key_a[1]), client_url(client_a1.pk), {"notes": "Synced"}, "patch")
        assert response.status_code == 200
        record = client_a1.history.latest("history_date")
        assert record.notes == "Synced"
        assert record.history_user is None
        assert record.history_change_reason == "API key “Alpha PSA sync”"

    @pytest.mark.parametrize(
        "change",
        [{"revoked_at": timezone.now}, {"expires_at": lambda: timezone.now() - timedelta(minutes=1)}],
    )
    def test_a_revoked_or_expired_key_gets_401(self, api, api_key_a, client_a1, change):
        key, raw = api_key_a
        assert api(raw).get(CLIENTS).status_code == 200
        ApiKey.objects.filter(pk=key.pk).update(**{field: make() for field, make in change.items()})
        for response in (
            api(raw).get(CLIENTS),
            api(raw).get(ME),
            post_json(api(raw), CLIENTS, {"name": "X"}),
        ):
            assert response.status_code == 401
            assert "detail" in response.json()
            assert response.has_header("WWW-Authenticate")
        assert not Client.objects.filter(name="X").exists()

    def test_unknown_malformed_or_missing_credentials_are_refused(self, client, api, practice_a, client_a1):
        assert api("vcio_deadbeef_not-a-real-key").get(CLIENTS).status_code == 401
        assert client.get(CLIENTS, HTTP_AUTHORIZATION="Api-Key ").status_code == 401
        anonymous = client.get(CLIENTS)
        assert anonymous.status_code in (401, 403)
        assert b"Acme" not in anonymous.content
        assert client.get(ME).status_code in (401, 403)
        assert post_json(client, CLIENTS, {"name": "Anonymous"}).status_code in (401, 403)
        assert not Client.objects.filter(name="Anonymous").exists()

    def test_bearer_works_too(self, client, api_key_a):
        response = client.get(ME, HTTP_AUTHORIZATION=f"Bearer {api_key_a[1]}")
        assert response.status_code == 200
        assert response.json()["api_key"]["name"] == "Alpha PSA sync"

    def test_last_used_time_is_recorded(self, api, api_key_a):
        key, raw = api_key_a
        assert key.last_used_at is None
        before = timezone.now()
        assert api(raw).get(ME).status_code == 200
        key.refresh_from_db()
        assert key.last_used_at is not None and key.last_used_at >= before

    def test_a_session_viewer_may_read_but_not_write(self, as_viewer_a, client_a1):
        assert as_viewer_a.get(CLIENTS).status_code == 200
        response = post_json(as_viewer_a, CLIENTS, {"name": "Viewer Client"})
        assert response.status_code == 403
        assert (
            post_json(as_viewer_a, client_url(client_a1.pk), {"name": "Renamed"}, "patch").status_code == 403
        )
        assert not Client.objects.filter(name="Viewer Client").exists()
        client_a1.refresh_from_db()
        assert client_a1.name == "Acme Dental"

    def test_a_session_consultant_may_write(self, as_consultant_a, practice_a):
        response = post_json(as_consultant_a, CLIENTS, {"name": "Consultant Client"})
        assert response.status_code == 201
        assert Client.objects.get(name="Consultant Client").practice == practice_a

    def test_session_writes_need_the_csrf_token(self, owner_a, practice_a):
        from django.test import Client as HttpClient

        http = HttpClient(enforce_csrf_checks=True)
        http.force_login(owner_a)
        assert post_json(http, CLIENTS, {"name": "Forged"}).status_code == 403
        assert not Client.objects.filter(name="Forged").exists()

    def test_a_practice_that_requires_two_factor_refuses_session_api_use_without_it(
        self, as_owner_a, owner_a, practice_a, client_a1, api, api_key_a
    ):
        practice_a.require_two_factor = True
        practice_a.save()
        response = as_owner_a.get(CLIENTS)
        assert response.status_code == 403
        assert b"Acme" not in response.content
        Authenticator.objects.create(user=owner_a, type=Authenticator.Type.TOTP, data={"secret": "x"})
        assert as_owner_a.get(CLIENTS).status_code == 200
        assert api(api_key_a[1]).get(CLIENTS).status_code == 200  # keys are not people: no 2FA


class TestErrors:
    """400s are `{"field": ["message"]}`, never a 500, whatever the input."""

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"name": ""}, "name"),
            ({"name": "X", "headcount": "many"}, "headcount"),
            ({"name": "X", "headcount": 0}, "headcount"),
            ({"name": "X", "industry": "piracy"}, "industry"),
            ({"name": "X", "fiscal_year_start_month": 13}, "fiscal_year_start_month"),
            ({"name": "X", "primary_consultant": "someone"}, "primary_consultant"),
            ({"name": "X" * 201}, "name"),
            ({"name": ["X"]}, "name"),
        ],
    )
    def test_invalid_client_input_is_400_by_field(self, api, api_key_a, payload, field):
        response = post_json(api(api_key_a[1]), CLIENTS, payload)
        assert response.status_code == 400
        body = response.json()
        assert field in body
        assert all(isinstance(m, str) for m in body[field])
        assert not Client.objects.filter(name__startswith="X").exists()

    def test_invalid_json_and_non_object_bodies_are_400_non_field_errors(self, api, api_key_a):
        http = api(api_key_a[1])
        broken = http.post(CLIENTS, "{not json", content_type="application/json")
        assert broken.status_code == 400
        assert list(broken.json()) == ["non_field_errors"]
        assert "JSON" in broken.json()["non_field_errors"][0]
        listed = http.post(CLIENTS, "[1, 2]", content_type="application/json")
        assert listed.status_code == 400
        assert list(listed.json()) == ["non_field_errors"]

    def test_bad_contact_input_is_400(self, api, api_key_a, client_a1):
        http = api(api_key_a[1])
        for payload, field in [
            ({"client": "not-a-uuid", "name": "A"}, "client"),
            ({"client": str(client_a1.pk), "name": "A", "email": "not-an-email"}, "email"),
            ({"name": "A"}, "client"),
        ]:
            response = post_json(http, CONTACTS, payload)
            assert response.status_code == 400, payload
            assert field in response.json(), payload
        assert Contact.objects.count() == 0

    def test_a_service_refusal_is_a_400_with_the_service_message(self, api, api_key_a, client_a1):
        http = api(api_key_a[1])
        assert http.delete(client_url(client_a1.pk)).status_code == 204
        again = http.delete(client_url(client_a1.pk))
        assert again.status_code == 400
        assert again.json() == {"status": ["This client is already archived."]}

    def test_malformed_ids_and_filters_are_404_or_400_never_500(self, api, api_key_a, client_a1):
        http = api(api_key_a[1])
        assert http.get(client_url("not-a-uuid")).json() == {"detail": "Not found."}
        assert http.get(client_url("not-a-uuid")).status_code == 404
        assert http.get(f"{CONTACTS}?client=not-a-uuid").status_code == 400
        assert http.get(f"{CLIENTS}?status=bogus").status_code == 400
        assert http.get(f"{CLIENTS}?page=abc").status_code == 404
        assert http.get(f"{CLIENTS}?page_size=abc").status_code == 200
        assert http.get(f"{CLIENTS}?ordering=practice__name").status_code == 200  # not an ordering field

    def test_nul_characters_are_refused_or_ignored_not_a_server_error(
        self, api, api_key_a, as_owner_a, client_a1
    ):
        # PostgreSQL refuses NUL in a query (a 500); every path here must answer without reaching it.
        http = api(api_key_a[1])
        assert http.get(f"{CLIENTS}?search=Acme%00").json() == {
            "non_field_errors": ["Null characters are not allowed."]
        }
        assert http.get(f"{CLIENTS}?name__icontains=a%00").status_code == 400
        assert http.get(f"{CLIENTS}?status=%00").status_code == 400
        assert post_json(http, CLIENTS, {"name": "Nul\u0000Client"}).status_code == 400
        assert as_owner_a.get(CLIENTS, HTTP_X_PRACTICE="alpha\x00").status_code == 404
        assert as_owner_a.get(f"{CLIENTS}?practice=%00").status_code == 400  # refused before any lookup


class TestLists:
    def test_pagination_defaults_to_50_and_caps_page_size_at_200(self, api, api_key_a, practice_a):
        ClientFactory.create_batch(210, practice=practice_a)
        http = api(api_key_a[1])
        default = http.get(CLIENTS).json()
        assert (default["count"], len(default["results"])) == (210, 50)
        assert default["next"] and default["previous"] is None
        assert len(http.get(CLIENTS + "?page_size=10").json()["results"]) == 10
        assert len(http.get(CLIENTS + "?page_size=100000").json()["results"]) == 200

    def test_ordering_and_filters(self, api, api_key_a, practice_a):
        ClientFactory(practice=practice_a, name="Big", headcount=500, industry="legal")
        ClientFactory(practice=practice_a, name="Small", headcount=5, industry="legal")
        ClientFactory(practice=practice_a, name="Gone", headcount=50, status=ClientStatus.ARCHIVED)
        http = api(api_key_a[1])
        names = lambda url: [c["name"] for c in http.get(url).json()["results"]]  # noqa: E731
        assert names(CLIENTS) == ["Big", "Gone", "Small"]
        assert names(CLIENTS + "?ordering=-headcount") == ["Big", "Gone", "Small"]
        assert names(CLIENTS + "?ordering=headcount") == ["Small", "Gone", "Big"]
        assert names(CLIENTS + "?status=archived") == ["Gone"]
        assert names(CLIENTS + "?industry=legal&ordering=name") == ["Big", "Small"]
        assert names(CLIENTS + "?search=sma") == ["Small"]

    @pytest.mark.parametrize("ordering", ["", "headcount", "-headcount"])
    def test_paging_through_ties_gives_every_row_once(self, api, api_key_a, practice_a, ordering):
        """Rows that tie on the chosen order (30 clients, one headcount) come in one order from page
        to page: the primary key ends every ordering, the caller's (`?ordering=`) and the default."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        made = {
            str(c.pk) for c in ClientFactory.create_batch(30, practice=practice_a, headcount=40, name="Twin")
        }
        http = api(api_key_a[1])
        seen = []
        with CaptureQueriesContext(connection) as queries:
            for page in range(1, 6):
                body = http.get(f"{CLIENTS}?page_size=7&page={page}&ordering={ordering}").json()
                seen += [c["id"] for c in body["results"]]
        assert len(seen) == 30 and set(seen) == made
        listed = [q["sql"] for q in queries if "LIMIT 7" in q["sql"]]
        assert listed and all('"clients_client"."id" ' in q.rsplit("ORDER BY", 1)[1] for q in listed)

    def test_contacts_filter_by_client(self, api, api_key_a, client_a1, client_a2):
        ContactFactory(client=client_a1, name="Ann")
        ContactFactory(client=client_a2, name="Bob")
        response = api(api_key_a[1]).get(f"{CONTACTS}?client={client_a2.pk}")
        assert [c["name"] for c in response.json()["results"]] == ["Bob"]

    @pytest.mark.parametrize("url", [CLIENTS + "?page_size=100", CONTACTS + "?page_size=100"])
    def test_list_queries_do_not_grow_with_rows(
        self, api, api_key_a, practice_a, owner_a, django_assert_num_queries, url
    ):
        http = api(api_key_a[1])
        http.get(ME)  # last_used_at is written at most once a minute: keep it out of the counts

        def add(n):
            for _ in range(n):
                client = ClientFactory(practice=practice_a, primary_consultant=owner_a)
                ContactFactory(client=client)

        add(5)
        # the key, and the page with its count (one statement)
        with django_assert_num_queries(2 + rls_statements("api_key")) as small:
            response = http.get(url)
        assert response.json()["count"] >= 5
        add(55)
        with django_assert_num_queries(len(small.captured_queries)):
            response = http.get(url)
        assert len(response.json()["results"]) >= 60


class TestMe:
    def test_me_with_a_key(self, api, read_only_key_a, practice_a):
        key, raw = read_only_key_a
        response = api(raw).get(ME)
        assert response.status_code == 200
        assert response.json() == {
            "practice": {
                "id": str(practice_a.pk),
                "slug": "alpha",
                "name": "Alpha Advisors",
                "currency": practice_a.currency,
                "time_zone": practice_a.time_zone,
            },
            "role": "viewer",
            "user": None,
            "api_key": {"name": "Alpha reporting", "prefix": key.prefix, "read_only": True},
        }

    def test_me_with_a_read_write_key_acts_as_a_consultant(self, api, api_key_a):
        assert api(api_key_a[1]).get(ME).json()["role"] == "consultant"

    def test_me_with_a_session(self, as_owner_a, owner_a, practice_a):
        body = as_owner_a.get(ME).json()
        assert body["practice"]["slug"] == "alpha"
        assert body["role"] == "owner"
        assert body["user"] == {"id": str(owner_a.pk), "email": owner_a.email, "name": owner_a.display_name}
        assert body["api_key"] is None

    def test_me_with_a_session_chooses_the_practice(self, login, owner_a, practice_a, practice_b):
        from accounts.models import Membership, Role

        Membership.objects.create(practice=practice_b, user=owner_a, role=Role.VIEWER)
        http = login(owner_a)
        assert http.get(ME, HTTP_X_PRACTICE="bravo").json()["role"] == "viewer"
        assert http.get(ME + "?practice=alpha").json()["role"] == "owner"
        assert http.get(ME, HTTP_X_PRACTICE="nowhere").status_code == 404


class TestTimeZone:
    def test_api_requests_run_in_the_practice_time_zone(self, api, api_key_a, practice_a, client_a1):
        from datetime import UTC, datetime

        practice_a.time_zone = "Asia/Tokyo"
        practice_a.save()
        client_a1.__class__.objects.filter(pk=client_a1.pk).update(
            updated_at=datetime(2026, 3, 1, 20, 30, tzinfo=UTC)
        )
        body = api(api_key_a[1]).get(client_url(client_a1.pk)).json()
        assert body["updated_at"] == "2026-03-02T05:30:00+09:00"
