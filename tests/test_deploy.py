"""The production topology (docker-compose.yml, Dockerfile, Makefile) matches the code's real entry points.
No Docker engine runs here, so the files are parsed and every command they run is resolved in Python."""

import importlib
import re
import shlex
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SETTINGS_SOURCE = (ROOT / "vcio" / "settings.py").read_text()


def command_of(service: str) -> list[str]:
    command = COMPOSE["services"][service]["command"]
    return shlex.split(command) if isinstance(command, str) else command


def import_target(target: str):
    module, _, attr = target.partition(":")
    obj = importlib.import_module(module)
    return getattr(obj, attr) if attr else obj


def test_compose_has_the_five_services():
    assert set(COMPOSE["services"]) == {"web", "worker", "beat", "postgres", "redis"}


def test_web_sets_up_the_database_then_runs_gunicorn_on_the_real_wsgi_app():
    from django.core.management import get_commands

    command = " ".join(command_of("web"))
    setup = re.search(r"manage\.py (\w+)", command).group(1)
    assert setup == "setup_database" and get_commands()[setup] == "vcio"
    # gunicorn runs as the app role only: the owner's URL is dropped from its environment
    assert (
        command.index("setup_database")
        < command.index("env -u DATABASE_OWNER_URL")
        < command.index("gunicorn")
    )
    target = re.search(r"gunicorn (\S+)", command).group(1)
    application = import_target(target)
    assert callable(application)
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert f'"gunicorn", "{target}"' in dockerfile


def test_worker_and_beat_use_the_real_celery_app():
    from vcio.celery import app

    for service, sub in (("worker", "worker"), ("beat", "beat")):
        argv = command_of(service)
        assert argv[:3] == ["celery", "-A", "vcio"] and argv[3] == sub, service
        assert import_target("vcio").celery_app is app
    beat = command_of("beat")
    scheduler = beat[beat.index("--scheduler") + 1]
    assert scheduler == settings.CELERY_BEAT_SCHEDULER
    assert import_target(scheduler)


def test_every_variable_given_to_the_app_is_read_by_the_settings():
    environment = COMPOSE["x-app"]["environment"]
    web = COMPOSE["services"]["web"]["environment"]
    for name in web:
        assert re.search(rf'env[.\w]*\(\s*"{name}"', SETTINGS_SOURCE), (
            f"{name} is set in compose but never read"
        )
    assert web == {**environment, "DATABASE_OWNER_URL": web["DATABASE_OWNER_URL"]}
    for service in ("worker", "beat"):  # the owner's URL is web's alone (for setup_database)
        assert COMPOSE["services"][service]["environment"] == environment
    assert environment["DEBUG"] == "False"
    assert "postgres:5432" in environment["DATABASE_URL"] and environment["REDIS_URL"].startswith(
        "redis://redis:"
    )


def test_the_app_connects_as_a_role_that_owns_nothing_and_the_owner_sets_up():
    """Row-level security: the app's DATABASE_URL is not the tables' owner (the postgres service's user)."""

    def url(value):  # compose's ${VAR:-default} / ${VAR:?message} would confuse the URL parser
        return urlsplit(re.sub(r"\$\{[^}]*\}", "secret", value))

    app = url(COMPOSE["x-app"]["environment"]["DATABASE_URL"])
    owner = url(COMPOSE["services"]["web"]["environment"]["DATABASE_OWNER_URL"])
    assert owner.username == COMPOSE["services"]["postgres"]["environment"]["POSTGRES_USER"]
    assert app.username == "vcio_app" != owner.username
    assert (app.hostname, app.path) == (owner.hostname, owner.path)  # the same database


def test_the_app_waits_for_healthy_database_and_broker():
    depends = COMPOSE["x-app"]["depends_on"]
    assert depends == {
        "postgres": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
    assert "healthcheck" in COMPOSE["services"]["postgres"] and "healthcheck" in COMPOSE["services"]["redis"]
    assert "/healthz" in " ".join(COMPOSE["services"]["web"]["healthcheck"]["test"])


def test_make_run_starts_the_same_celery_app():
    makefile = (ROOT / "Makefile").read_text()
    assert "manage.py devserver" in makefile and "seed_demo --if-empty" in makefile
    supervisor = (ROOT / "vcio/management/commands/devserver.py").read_text()
    assert '"celery", "-A", "vcio", "worker"' in supervisor and '"runserver"' in supervisor
    assert "manage.py setup_database" in makefile  # migrations (and on PostgreSQL the app role)


def test_production_refuses_to_start_without_a_secret_key():
    env = {"DEBUG": "False", "ALLOWED_HOSTS": "example.com", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='vcio.settings'; django.setup()",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_postgres_runs_with_the_ssd_planner_settings():
    command = " ".join(command_of("postgres"))
    assert command.startswith("postgres ")
    assert "-c random_page_cost=1.1" in command
    assert "-c effective_io_concurrency=200" in command
