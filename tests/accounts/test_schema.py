"""The OpenAPI schema and the offline API docs: generated without warnings, every endpoint under
/api/v1/, documented authentication and error format, and Swagger UI working under the CSP."""

import io
import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(capsys):
    """The schema generated in-process; fails the test on any drf-spectacular warning or error."""
    GENERATOR_STATS.reset()
    result = SchemaGenerator().get_schema(request=None, public=True)
    captured = capsys.readouterr()
    assert not GENERATOR_STATS, captured.err
    assert "Warning" not in captured.err and "Error" not in captured.err, captured.err
    return result


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


def test_the_schema_generates_without_warnings_and_validates(schema):
    validate_schema(schema)
    GENERATOR_STATS.reset()
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "spectacular", "--format=openapi-json", "--fail-on-warn", "--validate", stdout=out, stderr=err
    )
    assert "Warning" not in err.getvalue()
    assert json.loads(out.getvalue())["paths"].keys() == schema["paths"].keys()


def test_every_path_is_under_api_v1(schema):
    assert schema["paths"]
    for path in schema["paths"]:
        assert path.startswith("/api/v1/"), path
    assert {"/api/v1/clients/", "/api/v1/clients/{id}/", "/api/v1/contacts/", "/api/v1/me/"} <= set(
        schema["paths"]
    )


def test_authentication_is_described(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["ApiKeyAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": "`Api-Key <key>`; create keys under Settings → API keys.",
    }
    assert "cookieAuth" in schemes
    description = schema["info"]["description"]
    for text in ("Authorization: Api-Key <key>", "read-only", "create_api_key", "X-Practice", "401"):
        assert text in description
    for _path, _method, operation in operations(schema):
        assert {"ApiKeyAuth": []} in operation["security"]


def test_the_error_format_is_documented_on_every_operation(schema):
    # a field's list of messages, or, for a nested or list field, its errors by key or position
    assert schema["components"]["schemas"]["ValidationError"]["additionalProperties"] == {
        "anyOf": [{"type": "array", "items": {}}, {"type": "object"}]
    }
    assert '{"name": ["This field may not be blank."]' in schema["info"]["description"]
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        assert responses["401"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }
        assert "403" in responses, (path, method)
        if method in {"post", "put", "patch"}:
            assert responses["400"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ValidationError"
            }
        if "{" in path:
            assert "404" in responses, (path, method)
        assert responses["429"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }
    assert "## Rate limits" in schema["info"]["description"]


def test_operations_have_tags_summaries_and_user_facing_descriptions(schema):
    tags = {t["name"]: t.get("description", "") for t in schema["tags"]}
    assert tags["clients"] == "The businesses your practice advises."
    assert "contacts" in tags and "me" in tags
    clients = schema["paths"]["/api/v1/clients/"]
    assert clients["get"]["summary"] == "List clients"
    assert clients["post"]["summary"] == "Create a client"
    assert schema["paths"]["/api/v1/clients/{id}/"]["delete"]["summary"] == "Delete a client"
    assert "archives it" in clients["get"]["description"]
    text = json.dumps(schema)
    for internal in ("get_scoped_queryset", "scope_fields", "Subclasses give"):  # base-class docstrings
        assert internal not in text


def test_list_parameters_are_documented(schema):
    params = {p["name"]: p for p in schema["paths"]["/api/v1/clients/"]["get"]["parameters"]}
    assert {"page", "page_size", "ordering", "search", "status", "industry"} <= set(params)
    assert "at most 200" in params["page_size"]["description"]
    contact_params = {p["name"] for p in schema["paths"]["/api/v1/contacts/"]["get"]["parameters"]}
    assert "client" in contact_params


def test_the_schema_is_served(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    assert "/api/v1/clients/" in response.json()["paths"]


def test_the_docs_page_works_offline_under_the_content_security_policy(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts
    assert all('src="' in attrs and not body.strip() for attrs, body in scripts), "inline script found"
    sources = [re.search(r'src="([^"]+)"', attrs).group(1) for attrs, _ in scripts]
    assert all(src.startswith("/") for src in sources), sources  # served by us, no CDN
    for src in sources:
        if src.startswith("/static/"):
            assert finders.find(src.removeprefix("/static/")), src
    init = [src for src in sources if "script" in src and not src.startswith("/static/")]
    assert len(init) == 1
    script = client.get(init[0].replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content and b"/api/schema/" in script.content
