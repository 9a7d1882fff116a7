import os

import pytest


@pytest.mark.django_db
def test_healthz_ok_with_database_and_no_broker(client, settings):
    settings.CELERY_BROKER_URL = "filesystem://"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


@pytest.mark.django_db
def test_healthz_503_when_the_broker_is_unreachable(client, settings):
    from vcio.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    app.conf.broker_url = settings.CELERY_BROKER_URL
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = "filesystem://"
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "broker": "unreachable"}


@pytest.mark.django_db
@pytest.mark.skipif(not os.environ.get("REDIS_TEST_URL"), reason="REDIS_TEST_URL not set (CI sets it)")
def test_healthz_ok_with_a_real_redis_broker(client, settings):
    from vcio.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = os.environ["REDIS_TEST_URL"]
    app.conf.broker_url = settings.CELERY_BROKER_URL
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = "filesystem://"
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "broker": "ok"}


def test_healthz_503_when_the_database_is_unreachable(client, monkeypatch):
    from vcio import views

    class Broken:
        def cursor(self):
            raise ConnectionRefusedError("database down")

    monkeypatch.setattr(views, "connection", Broken())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unreachable"


@pytest.mark.django_db
def test_healthz_answers_a_probe_by_ip_over_http_in_production(client, settings):
    """Container health checks call http://127.0.0.1:8000/healthz: no DisallowedHost, no HTTPS redirect."""
    settings.ALLOWED_HOSTS = ["vcio.example.com"]
    settings.SECURE_SSL_REDIRECT = True
    settings.CELERY_BROKER_URL = "filesystem://"
    response = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    other_page = client.get("/accounts/login/", HTTP_HOST="127.0.0.1:8000")
    assert other_page.status_code == 400  # every other page still validates the host
