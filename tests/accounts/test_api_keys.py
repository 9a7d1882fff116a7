"""Practice API keys: the services, the settings page (owners and admins only) and the
`create_api_key` command. A key is shown once and stored only as a hash."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.api_auth import hash_key
from accounts.apikey_services import api_key_create, api_key_revoke, latest_expiry_day
from accounts.models import ApiKey
from vcio.history import HISTORY_PAGE_SIZE

from ..rls_support import rls_statements

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def url(name, practice, *args):
    return reverse(f"accounts:{name}", args=[practice.slug, *args])


def secret_of(raw: str) -> str:
    """The secret part of `vcio_<prefix>_<secret>`: the secret itself may contain "_"."""
    return raw.split("_", 2)[2]


def database_contains(text: str) -> list[str]:
    """Every table and column (text-like) of the whole database in which `text` occurs.

    Compared in Python, not with LIKE: "_" and "%" (which `token_urlsafe` secrets may contain) are
    wildcards there and would match other text."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            for column in connection.introspection.get_table_description(cursor, table):
                quoted_table = connection.ops.quote_name(table)
                quoted_column = connection.ops.quote_name(column.name)
                cursor.execute(f"SELECT CAST({quoted_column} AS TEXT) FROM {quoted_table}")
                if any(value is not None and text in value for (value,) in cursor.fetchall()):
                    found.append(f"{table}.{column.name}")
    return found


def test_secret_of_keeps_underscores_of_the_secret():
    assert secret_of("vcio_0a1b2c3d_ab_c-d_") == "ab_c-d_"


def test_database_contains_treats_wildcards_literally(client_a1):
    assert database_contains("Acme Dental") == ["clients_client.name", "clients_historicalclient.name"]
    assert database_contains("Acme_Dental") == []
    assert database_contains("Acme%Dental") == []


class TestServices:
    def test_create_returns_a_working_key_stored_only_as_a_hash(self, api, practice_a, owner_a):
        key, raw = api_key_create(practice=practice_a, actor=owner_a, name="  PSA sync ", read_only=True)
        assert raw.startswith(f"vcio_{key.prefix}_") and len(raw) > 40
        assert key.name == "PSA sync"
        assert key.key_hash == hash_key(raw) != raw
        assert key.created_by == owner_a
        assert database_contains(secret_of(raw)) == []
        assert api(raw).get(ME).json()["api_key"]["name"] == "PSA sync"

    def test_every_key_is_different(self, practice_a, owner_a):
        raws = {
            api_key_create(practice=practice_a, actor=owner_a, name=f"k{i}", read_only=True)[1]
            for i in range(5)
        }
        assert len(raws) == 5

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"name": "   "}, "name"),
            ({"name": "x" * 101}, "name"),
            ({"name": "Old", "expires_at": timezone.now() - timedelta(seconds=1)}, "expires_at"),
            ({"name": "Far", "expires_at": timezone.now() + timedelta(days=5 * 366 + 2)}, "expires_at"),
        ],
    )
    def test_create_refuses_blank_names_and_past_expiry(self, practice_a, owner_a, kwargs, field):
        with pytest.raises(ValidationError) as exc:
            api_key_create(practice=practice_a, actor=owner_a, read_only=False, **kwargs)
        assert field in exc.value.message_dict
        assert ApiKey.objects.count() == 0

    def test_revoke_stops_the_key_at_once_and_twice_is_refused(self, api, api_key_a, owner_a):
        key, raw = api_key_a
        api_key_revoke(api_key=key, actor=owner_a)
        assert api(raw).get(ME).status_code == 401
        with pytest.raises(ValidationError):
            api_key_revoke(api_key=key, actor=owner_a)


class TestPage:
    def test_owner_sees_keys_with_access_status_and_last_use(
        self, as_owner_a, practice_a, owner_a, api_key_b
    ):
        active, _ = api_key_create(practice=practice_a, actor=owner_a, name="PSA sync", read_only=False)
        revoked, _ = api_key_create(practice=practice_a, actor=owner_a, name="Old script", read_only=True)
        api_key_revoke(api_key=revoked, actor=owner_a)
        expired, _ = api_key_create(practice=practice_a, actor=owner_a, name="Trial BI", read_only=True)
        ApiKey.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
        ApiKey.objects.filter(pk=active.pk).update(last_used_at=timezone.now() - timedelta(hours=2))

        html = as_owner_a.get(url("apikeys", practice_a)).content.decode()

        for text in (
            "PSA sync",
            "Old script",
            "Trial BI",
            f"vcio_{active.prefix}_",
            "Read-write",
            "Read-only",
        ):
            assert text in html
        assert "Active" in html and "Revoked" in html and "Expired" in html
        assert "2\xa0hours ago" in html
        assert owner_a.display_name in html
        assert html.count('data-confirm-title="Revoke this API key?"') == 2  # not for the revoked one
        assert "CANARY" not in html

    def test_empty_state_says_what_to_do(self, as_owner_a, practice_a):
        html = as_owner_a.get(url("apikeys", practice_a)).content.decode()
        assert "No API keys yet" in html
        assert url("apikey_create", practice_a) in html

    def test_settings_navigation_links_to_api_keys_for_owners(self, as_owner_a, practice_a):
        html = as_owner_a.get(url("settings", practice_a)).content.decode()
        assert url("apikeys", practice_a) in html

    def test_create_shows_the_key_once_and_stores_only_its_hash(self, as_admin_a, admin_a, practice_a, api):
        response = as_admin_a.post(
            url("apikey_create", practice_a), {"name": "Power BI", "access": "read_only", "expires_on": ""}
        )
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        key = ApiKey.objects.get(practice=practice_a, name="Power BI")
        assert key.read_only and key.created_by == admin_a and key.expires_at is None
        html = response.content.decode()
        raw = response.context["raw_key"]
        assert f'value="{raw}"' in html
        assert "shown only this once" in html
        assert "API key “Power BI” created" in html  # the toast
        assert key.key_hash == hash_key(raw)
        assert database_contains(secret_of(raw)) == []
        assert api(raw).get(ME).json()["role"] == "viewer"
        listing = as_admin_a.get(url("apikeys", practice_a)).content.decode()
        assert "Power BI" in listing and raw not in listing

    def test_create_read_write_with_expiry(self, as_owner_a, practice_a, api):
        day = timezone.localdate() + timedelta(days=30)
        response = as_owner_a.post(
            url("apikey_create", practice_a),
            {"name": "PSA", "access": "read_write", "expires_on": day.isoformat()},
        )
        key = ApiKey.objects.get(name="PSA")
        assert not key.read_only
        assert key.expires_at.date() == day  # works through the whole day (a UTC practice)
        assert (key.expires_at.hour, key.expires_at.minute) == (23, 59)
        assert api(response.context["raw_key"]).get(ME).json()["role"] == "consultant"

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"name": "", "access": "read_only"}, "This field is required."),
            ({"name": "X", "access": "admin"}, "Select a valid choice."),
            (
                {"name": "X", "access": "read_only", "expires_on": "2001-01-01"},
                "The expiry must be today or later.",
            ),
            ({"name": "X", "access": "read_only", "expires_on": "someday"}, "Enter a valid date."),
            (
                {"name": "X", "access": "read_only", "expires_on": "9999-12-31"},
                "The expiry can be at most 5 years ahead",
            ),
        ],
    )
    def test_create_with_invalid_input_shows_errors_and_creates_nothing(
        self, as_owner_a, practice_a, data, message
    ):
        response = as_owner_a.post(url("apikey_create", practice_a), data)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Please correct the errors below." in html
        assert message in html
        assert ApiKey.objects.count() == 0

    @pytest.mark.parametrize("time_zone", ["UTC", "America/Los_Angeles", "Pacific/Kiritimati"])
    def test_expiry_far_ahead_is_a_field_error_not_a_500(self, as_owner_a, practice_a, time_zone):
        practice_a.time_zone = time_zone
        practice_a.save()
        latest = latest_expiry_day(time_zone)
        for day, ok in ((date(9999, 12, 31), False), (latest + timedelta(days=1), False), (latest, True)):
            response = as_owner_a.post(
                url("apikey_create", practice_a),
                {"name": f"K {day}", "access": "read_only", "expires_on": day.isoformat()},
            )
            assert response.status_code == 200
            assert ("at most 5 years ahead" in response.content.decode()) is not ok
            assert ApiKey.objects.filter(name=f"K {day}").exists() is ok

    def test_revoke(self, as_owner_a, practice_a, api, api_key_a):
        key, raw = api_key_a
        response = as_owner_a.post(url("apikey_revoke", practice_a, key.pk), follow=True)
        assert response.redirect_chain[-1][0] == url("apikeys", practice_a)
        assert "API key “Alpha PSA sync” revoked." in response.content.decode()
        key.refresh_from_db()
        assert key.revoked_at is not None
        assert api(raw).get(ME).status_code == 401

    def test_revoking_another_practice_key_is_404_and_it_keeps_working(
        self, as_owner_a, practice_a, practice_b, api, api_key_b
    ):
        key, raw = api_key_b
        assert as_owner_a.post(url("apikey_revoke", practice_a, key.pk)).status_code == 404
        assert as_owner_a.post(url("apikey_revoke", practice_b, key.pk)).status_code == 404
        key.refresh_from_db()
        assert key.revoked_at is None
        assert api(raw).get(ME).status_code == 200

    @pytest.mark.parametrize("who", ["as_consultant_a", "as_viewer_a"])
    def test_consultants_and_viewers_get_403_and_change_nothing(
        self, request, who, practice_a, api_key_a, api
    ):
        http = request.getfixturevalue(who)
        key, raw = api_key_a
        assert http.get(url("apikeys", practice_a)).status_code == 403
        assert http.get(url("apikey_create", practice_a)).status_code == 403
        assert (
            http.post(url("apikey_create", practice_a), {"name": "Mine", "access": "read_write"}).status_code
            == 403
        )
        assert http.post(url("apikey_revoke", practice_a, key.pk)).status_code == 403
        assert list(ApiKey.objects.values_list("name", flat=True)) == ["Alpha PSA sync"]
        assert api(raw).get(ME).status_code == 200
        settings_html = http.get(reverse("clients:list", args=[practice_a.slug])).content.decode()
        assert url("apikeys", practice_a) not in settings_html

    def test_list_queries_do_not_grow_with_keys(
        self, as_owner_a, practice_a, owner_a, django_assert_num_queries
    ):
        for i in range(3):
            key, _ = api_key_create(practice=practice_a, actor=owner_a, name=f"k{i}", read_only=bool(i % 2))
        api_key_revoke(api_key=key, actor=owner_a)
        as_owner_a.get(url("apikeys", practice_a))  # warm the session
        # 3 for every page, 1 for the keys (the page and its count in one statement), 3 for their
        # history (the versions, the ones before them, who made them); PostgreSQL adds the
        # row-level-security settings
        with django_assert_num_queries(7 + rls_statements("page")) as small:
            as_owner_a.get(url("apikeys", practice_a))
        for i in range(22):
            key, _ = api_key_create(
                practice=practice_a, actor=owner_a, name=f"more{i}", read_only=bool(i % 2)
            )
            if i % 3 == 0:
                api_key_revoke(api_key=key, actor=owner_a)
        with django_assert_num_queries(len(small.captured_queries)):
            response = as_owner_a.get(url("apikeys", practice_a))
        html = response.content.decode()
        assert html.count("Revoke this API key?") == 25 - 1 - 8
        # the history's first page: each revocation among the newest changes, with who did it
        newest = ApiKey.history.filter(practice_id=practice_a.pk).order_by("-history_date")[
            :HISTORY_PAGE_SIZE
        ]
        assert html.count("— Revoked") == sum(1 for h in newest if h.history_change_reason == "Revoked") > 0
        assert html.count("<td>Created") == sum(1 for h in newest if h.history_type == "+")


class TestHistory:
    def test_history_lists_keys_created_and_revoked_with_who_did_it(
        self, as_owner_a, practice_a, owner_a, admin_a, api_key_b
    ):
        key, _ = api_key_create(practice=practice_a, actor=owner_a, name="PSA sync", read_only=True)
        api_key_revoke(api_key=key, actor=admin_a)
        call_command(
            "create_api_key", "--practice=alpha", "--name=Nightly", stdout=io.StringIO(), stderr=io.StringIO()
        )

        html = as_owner_a.get(url("apikeys", practice_a)).content.decode()
        history = html.split('id="history"', 1)[1]

        revoked = next(r for r in history.split("<tr>") if "— Revoked" in r)
        assert admin_a.display_name in revoked and f"PSA sync (vcio_{key.prefix}_…)" in revoked
        assert "Revoked at" in revoked
        created = [r for r in history.split("<tr>") if "<td>Created" in r]
        assert any("PSA sync" in r and owner_a.display_name in r for r in created)
        assert any("Nightly" in r and "System" in r for r in created)  # the command: no person
        assert "CANARY" not in history
        assert key.key_hash not in html


class TestCommand:
    def test_prints_a_working_key(self, practice_a, api):
        out, err = io.StringIO(), io.StringIO()
        call_command(
            "create_api_key", "--practice", "alpha", "--name", "Nightly export", stdout=out, stderr=err
        )
        raw = out.getvalue().strip()
        assert "shown" in err.getvalue() or "cannot be shown again" in err.getvalue()
        key = ApiKey.objects.get(name="Nightly export")
        assert (key.practice, key.read_only, key.created_by, key.expires_at) == (
            practice_a,
            False,
            None,
            None,
        )
        assert key.key_hash == hash_key(raw)
        body = api(raw).get(ME).json()
        assert (body["practice"]["slug"], body["role"]) == ("alpha", "consultant")

    def test_read_only_with_expiry(self, practice_a, api):
        out = io.StringIO()
        day = date.today() + timedelta(days=10)
        call_command(
            "create_api_key",
            "--practice=alpha",
            "--name=BI",
            "--read-only",
            f"--expires={day.isoformat()}",
            stdout=out,
            stderr=io.StringIO(),
        )
        key = ApiKey.objects.get(name="BI")
        assert key.read_only and key.expires_at.date() == day
        assert api(out.getvalue().strip()).get(ME).json()["role"] == "viewer"

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["--practice=nowhere", "--name=X"], "No practice with the slug “nowhere”"),
            (["--practice=alpha", "--name= "], "Give the key a name"),
            (["--practice=alpha", "--name=X", "--expires=2001-01-01"], "The expiry must be today or later."),
            (["--practice=alpha", "--name=X", "--expires=9999-12-31"], "at most 5 years ahead"),
        ],
    )
    def test_clear_errors_and_nothing_created(self, practice_a, args, message):
        with pytest.raises(CommandError, match=message):
            call_command("create_api_key", *args, stdout=io.StringIO(), stderr=io.StringIO())
        assert ApiKey.objects.count() == 0

    def test_a_malformed_date_is_refused(self, practice_a):
        with pytest.raises(CommandError, match="--expires must be a date"):
            call_command(
                "create_api_key", "--practice=alpha", "--name=X", "--expires=tomorrow", stdout=io.StringIO()
            )
        assert ApiKey.objects.count() == 0
