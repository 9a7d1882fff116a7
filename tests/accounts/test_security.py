"""Security headers on every page, and production settings (secure cookies, HSTS, idle timeout)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        bits = part.split()
        if bits:
            directives[bits[0]] = bits[1:]
    return directives


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/"])
def test_public_pages_carry_security_headers(client, path):
    response = client.get(path)

    assert response.status_code == 200
    csp = _csp_directives(response)
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_app_pages_carry_security_headers(as_owner_a, client_a1):
    for path in (
        reverse("clients:list", kwargs={"practice_slug": "alpha"}),
        reverse("accounts:members", kwargs={"practice_slug": "alpha"}),
        reverse("clients:portal_access", kwargs={"practice_slug": "alpha", "client_pk": client_a1.pk}),
    ):
        response = as_owner_a.get(path)
        assert response.status_code == 200, path
        directives = _csp_directives(response)
        assert "'unsafe-inline'" not in directives["script-src"]
        assert "'unsafe-inline'" not in directives["style-src"]
        assert response["X-Frame-Options"] == "DENY"
        body = response.content.decode()
        assert "onclick=" not in body and ' style="' not in body
        # The one <style> (the practice's brand colour) carries this response's nonce.
        nonce = next(v for v in directives["style-src"] if v.startswith("'nonce-"))[7:-1]
        assert f'<style nonce="{nonce}">' in body


def test_session_cookie_is_http_only_and_expires_after_idle_time(client, owner_a, practice_a):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from tests.factories import PASSWORD

    response = client.post(
        reverse("account_login"), {"login": owner_a.email, "password": PASSWORD, "remember": "on"}
    )
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE

    # every request pushes the expiry SESSION_IDLE_TIMEOUT seconds ahead (it counts inactivity)
    list_url = reverse("clients:list", kwargs={"practice_slug": "alpha"})
    assert client.get(list_url).status_code == 200
    session = Session.objects.get()
    remaining = session.expire_date - timezone.now()
    assert (
        timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
        < remaining
        <= timedelta(seconds=settings.SESSION_COOKIE_AGE)
    )

    # idle past the timeout: the session is gone
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(list_url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def _session_writes(http, path) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert http.get(path).status_code == 200
    return sum(1 for q in ctx.captured_queries if q["sql"].startswith('UPDATE "django_session"'))


def test_the_session_is_written_only_when_it_changes_and_its_expiry_refreshed_at_most_once_a_minute(
    as_owner_a, practice_a
):
    from datetime import timedelta

    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from vcio.middleware import SessionIdleRefreshMiddleware

    list_url = reverse("clients:list", kwargs={"practice_slug": "alpha"})
    as_owner_a.get(list_url)  # the first page records the practice used and the activity
    key = as_owner_a.session.session_key

    def expires_in() -> timedelta:
        return Session.objects.get(pk=key).expire_date - timezone.now()

    # within the minute: no write, the expiry stays where it was
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(hours=1))
    assert _session_writes(as_owner_a, list_url) == 0
    assert expires_in() < timedelta(hours=1)

    # a minute after the last refresh: one write, the expiry pushed SESSION_IDLE_TIMEOUT ahead again
    store = SessionStore(session_key=key)
    store[SessionIdleRefreshMiddleware.KEY] -= settings.SESSION_REFRESH_SECONDS
    store.save()
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(hours=1))
    assert _session_writes(as_owner_a, list_url) == 1
    assert expires_in() > timedelta(seconds=settings.SESSION_COOKIE_AGE - settings.SESSION_REFRESH_SECONDS)
    assert _session_writes(as_owner_a, list_url) == 0


def test_a_cookie_naming_no_session_does_not_create_one(client):
    from django.contrib.sessions.models import Session

    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session-0123456789abcdef"
    assert client.get(reverse("account_login")).status_code == 200
    assert not Session.objects.exists()


def _production_settings(extra_env=None) -> dict:
    code = (
        "import json, django\n"
        "django.setup()\n"
        "from django.conf import settings as s\n"
        "print(json.dumps({k: getattr(s, k, None) for k in ("
        "'DEBUG','SESSION_COOKIE_SECURE','CSRF_COOKIE_SECURE','SESSION_COOKIE_HTTPONLY','CSRF_COOKIE_HTTPONLY',"
        "'SECURE_HSTS_SECONDS','SECURE_HSTS_INCLUDE_SUBDOMAINS','SECURE_SSL_REDIRECT','SESSION_COOKIE_AGE',"
        "'X_FRAME_OPTIONS','SECURE_REFERRER_POLICY','ACCOUNT_EMAIL_VERIFICATION')}))\n"
    )
    env = {
        k: v for k, v in os.environ.items() if k not in {"SESSION_IDLE_TIMEOUT", "ACCOUNT_EMAIL_VERIFICATION"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="vcio.settings",
        DEBUG="False",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="example.com",
        DATABASE_URL="sqlite:////tmp/vcio-settings-check.sqlite3",
        **(extra_env or {}),
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_production_settings_are_secure():
    prod = _production_settings()

    assert prod["DEBUG"] is False
    assert prod["SESSION_COOKIE_SECURE"] and prod["CSRF_COOKIE_SECURE"]
    assert prod["SESSION_COOKIE_HTTPONLY"] and prod["CSRF_COOKIE_HTTPONLY"]
    assert prod["SECURE_HSTS_SECONDS"] >= 60 * 60 * 24 * 180
    assert prod["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert prod["SECURE_SSL_REDIRECT"]
    assert prod["X_FRAME_OPTIONS"] == "DENY"
    assert prod["SECURE_REFERRER_POLICY"] == "strict-origin-when-cross-origin"
    assert prod["ACCOUNT_EMAIL_VERIFICATION"] == "mandatory"


def test_idle_timeout_is_configurable():
    assert _production_settings({"SESSION_IDLE_TIMEOUT": "900"})["SESSION_COOKIE_AGE"] == 900


def test_production_refuses_to_start_without_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(DJANGO_SETTINGS_MODULE="vcio.settings", DEBUG="False", ALLOWED_HOSTS="example.com")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
