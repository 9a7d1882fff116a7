"""The fixture world: two practices (A and B), two clients in A, one canary client in B, and one
member of A per role. Isolation tests are one line away."""

import pytest
from django.test import Client as HttpClient

from accounts.models import Role

from .factories import ClientFactory, ContactFactory, MembershipFactory, PracticeFactory, UserFactory


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the test database is a file in a temporary folder, not `:memory:`: the Celery
    integration tests (tests/qbr/test_worker_integration.py) start a real worker process, which
    must open the same database. (PostgreSQL test databases are shared by name already.)"""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3") and not db.get("TEST", {}).get("NAME"):
        db.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test_vcio.sqlite3")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.DEMO_REPORTS_LIMIT = 1  # seed_demo's PDFs: one per seeding is enough for the tests
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from vcio.celery import app

    app.set_current()  # a test that made another Celery app (a sender to real workers) never leaks it
    app.conf.task_always_eager = True


@pytest.fixture(autouse=True)
def _clear_cache():
    """allauth's rate limits count in the cache (locmem in tests): every test starts from zero. So do
    the kept statements (`vcio.kept`): a test that plants another query must see it run."""
    from django.core.cache import cache

    from vcio.kept import KEPT

    cache.clear()
    KEPT.clear()
    yield
    cache.clear()
    KEPT.clear()


@pytest.fixture
def practice_a(db):
    return PracticeFactory(name="Alpha Advisors", slug="alpha")


@pytest.fixture
def practice_b(db):
    return PracticeFactory(name="Bravo Partners", slug="bravo")


def _member(practice, role, email):
    return MembershipFactory(practice=practice, role=role, user=UserFactory(email=email)).user


@pytest.fixture
def owner_a(practice_a):
    return _member(practice_a, Role.OWNER, "owner@alpha.example.com")


@pytest.fixture
def admin_a(practice_a):
    return _member(practice_a, Role.ADMIN, "admin@alpha.example.com")


@pytest.fixture
def consultant_a(practice_a):
    return _member(practice_a, Role.CONSULTANT, "consultant@alpha.example.com")


@pytest.fixture
def viewer_a(practice_a):
    return _member(practice_a, Role.VIEWER, "viewer@alpha.example.com")


@pytest.fixture
def owner_b(practice_b):
    return _member(practice_b, Role.OWNER, "owner@bravo.example.com")


@pytest.fixture
def client_a1(practice_a):
    return ClientFactory(practice=practice_a, name="Acme Dental")


@pytest.fixture
def client_a2(practice_a):
    return ClientFactory(practice=practice_a, name="Apex Legal")


@pytest.fixture
def canary_client_b(practice_b):
    """Practice B's client: its name must never appear in practice A's pages or API answers."""
    client = ClientFactory(practice=practice_b, name="CANARY-Bravo-Client")
    ContactFactory(client=client, name="CANARY-Bravo-Contact")
    return client


def _login(user):
    http = HttpClient()
    http.force_login(user)
    return http


@pytest.fixture
def as_owner_a(owner_a):
    return _login(owner_a)


@pytest.fixture
def as_admin_a(admin_a):
    return _login(admin_a)


@pytest.fixture
def as_consultant_a(consultant_a):
    return _login(consultant_a)


@pytest.fixture
def as_viewer_a(viewer_a):
    return _login(viewer_a)


@pytest.fixture
def as_owner_b(owner_b):
    return _login(owner_b)


@pytest.fixture
def login():
    """`login(user)` -> a logged-in test client."""
    return _login


# --- REST API: practice API keys (the raw key exists only in the fixture's return value) ---------


def _api_key(practice, actor, name, read_only):
    from accounts.apikey_services import api_key_create

    return api_key_create(practice=practice, actor=actor, name=name, read_only=read_only)


@pytest.fixture
def api_key_a(practice_a, owner_a):
    """A read-write key of practice A: `(ApiKey, raw_key)`."""
    return _api_key(practice_a, owner_a, "Alpha PSA sync", read_only=False)


@pytest.fixture
def read_only_key_a(practice_a, owner_a):
    """A read-only key of practice A: `(ApiKey, raw_key)`."""
    return _api_key(practice_a, owner_a, "Alpha reporting", read_only=True)


@pytest.fixture
def api_key_b(practice_b, owner_b):
    """A read-write key of practice B: `(ApiKey, raw_key)`."""
    return _api_key(practice_b, owner_b, "CANARY-Bravo-Key", read_only=False)


@pytest.fixture
def api():
    """`api(raw_key)` -> a test client that sends `Authorization: Api-Key <raw_key>` on every request."""

    def make(raw_key):
        return HttpClient(HTTP_AUTHORIZATION=f"Api-Key {raw_key}")

    return make


# --- PostgreSQL: test-client requests run as the application role (row-level security) -----------
from .rls_support import _requests_as_app_role, app_role, django_db_setup  # noqa: E402, F401
