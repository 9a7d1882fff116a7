"""The OpenAPI schema is generated once per process, not on every request (issue 8, item 7)."""

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

SCHEMA = "/api/schema/"


@pytest.fixture
def generations(monkeypatch):
    """How many times drf-spectacular generated the schema (its real generator, counted)."""
    from vcio.api_schema_views import clear_schema_cache

    clear_schema_cache()
    calls = []
    original = SchemaGenerator.get_schema

    def counting(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counting)
    return calls


def test_two_requests_generate_the_schema_once(client, api, api_key_a, generations):
    first = client.get(SCHEMA, {"format": "json"})
    second = api(api_key_a[1]).get(SCHEMA, {"format": "json"})  # whoever asks: the same schema
    yaml = client.get(SCHEMA)

    assert first.status_code == second.status_code == yaml.status_code == 200
    assert first.json() == second.json()
    assert "/api/v1/clients/" in first.json()["paths"]
    assert yaml.content.startswith(b"openapi:")
    assert len(generations) == 1


def test_a_changed_setting_generates_it_afresh(client, settings, generations):
    client.get(SCHEMA, {"format": "json"})
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024

    schema = client.get(SCHEMA, {"format": "json"}).json()

    assert len(generations) == 2
    assert "at most 3 MB" in schema["paths"]["/api/v1/clients/"]["post"]["responses"]["413"]["description"]


def test_values_the_api_answers_as_null_are_nullable_in_the_schema():
    """Found by the API fuzzer: a contract without an end date answers `expires_on: null`, an
    assessment with nothing answered `score: null` — the schema must say so."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    for field in ("next_renewal", "notice_deadline", "expires_on"):
        assert components["Contract"]["properties"][field].get("nullable") is True, field
    assert components["Assessment"]["properties"]["score"].get("nullable") is True
    errors = components["ValidationError"]["additionalProperties"]
    assert {"type": "object"} in errors["anyOf"]  # nested and list fields answer objects by key


def test_the_schema_offers_no_operation_the_api_refuses(api, api_key_a):
    """Found by the API fuzzer: POST /api/v1/notifications/ was in the schema but answered 405."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert list(schema["paths"]["/api/v1/notifications/"]) == ["get"]
    response = api(api_key_a[1]).post("/api/v1/notifications/", {}, content_type="application/json")
    assert response.status_code == 405
