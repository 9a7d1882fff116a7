"""Every API response is JSON in the documented shape, with a status code the schema lists for the
operation — errors Django answers itself included (issue 8, item 6)."""

import json

import pytest
from django.http import HttpResponse, HttpResponseServerError
from django.test import RequestFactory

from vcio.middleware import ApiJsonErrorsMiddleware

pytestmark = pytest.mark.django_db

CLIENTS = "/api/v1/clients/"
MB = 1024 * 1024


@pytest.fixture
def http_a(api, api_key_a):
    return api(api_key_a[1])


@pytest.fixture
def schema(client):
    return client.get("/api/schema/?format=json").json()


def documented(schema, template: str, method: str) -> set[str]:
    return set(schema["paths"][template][method]["responses"])


def assert_error(response, status: int):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    if status == 400:
        assert isinstance(body, dict) and all(isinstance(v, list) for v in body.values())
    else:
        assert set(body) == {"detail"} and isinstance(body["detail"], str)


def test_a_6_mb_body_is_a_json_413_the_schema_lists(http_a, schema):
    body = json.dumps({"name": "x" * (6 * MB)})

    response = http_a.post(CLIENTS, body, content_type="application/json")

    assert_error(response, 413)
    assert "413" in documented(schema, CLIENTS, "post")


@pytest.mark.parametrize(
    ("method", "path", "template"),
    [
        ("get", "/api/v1/clients/not-a-uuid/", "/api/v1/clients/{id}/"),
        ("patch", "/api/v1/clients/123/", "/api/v1/clients/{id}/"),
        ("get", "/api/v1/clients/1.5/", "/api/v1/clients/{id}/"),  # the router's pattern refuses dots
        ("put", "/api/v1/contacts/a.b/", "/api/v1/contacts/{id}/"),
        ("delete", "/api/v1/goals/%00/", "/api/v1/goals/{id}/"),
        ("post", "/api/v1/initiatives/xyz/transition/", "/api/v1/initiatives/{id}/transition/"),
    ],
)
def test_an_id_that_is_not_a_uuid_is_a_json_404(http_a, schema, method, path, template):
    response = http_a.generic(method.upper(), path, "{}", content_type="application/json")

    assert response.status_code in (400, 404)
    assert_error(response, response.status_code)
    assert str(response.status_code) in documented(schema, template, method)


def test_an_unknown_api_path_is_a_json_404(http_a, client):
    assert_error(http_a.get("/api/v1/no-such-thing/"), 404)
    assert_error(http_a.get("/api/v1/clients/not-a-uuid/deeper/"), 404)
    assert_error(client.post("/api/nothing-here"), 404)


@pytest.mark.parametrize("page", ["0", "abc", "-1", "999", "1.5"])
def test_a_page_that_does_not_exist_is_a_json_404_the_schema_lists(http_a, client_a1, schema, page):
    response = http_a.get(CLIENTS, {"page": page})

    assert_error(response, 404)
    assert "404" in documented(schema, CLIENTS, "get")


def test_a_method_not_allowed_is_a_json_405(http_a):
    response = http_a.put(CLIENTS, "{}", content_type="application/json")

    assert_error(response, 405)
    assert "GET" in response["Allow"]


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_a_body_that_is_not_json_is_a_json_415_the_schema_lists(http_a, schema, content_type):
    response = http_a.generic("POST", CLIENTS, b"name=Acme", content_type=content_type)

    assert_error(response, 415)
    assert "415" in documented(schema, CLIENTS, "post")


def test_a_request_for_an_unknown_host_is_a_json_400(http_a):
    response = http_a.get(CLIENTS, HTTP_HOST="evil.example.net")

    assert_error(response, 400)


def test_a_server_error_under_api_is_json_and_pages_keep_their_html():
    middleware = ApiJsonErrorsMiddleware(lambda request: HttpResponseServerError("<h1>Server Error</h1>"))

    api = middleware(RequestFactory().get("/api/v1/clients/"))
    page = middleware(RequestFactory().get("/p/alpha/clients/"))

    assert_error(api, 500)
    assert page["Content-Type"].startswith("text/html")


def test_successful_non_json_responses_are_untouched():
    middleware = ApiJsonErrorsMiddleware(
        lambda request: HttpResponse("openapi: 3.0.3", content_type="text/yaml")
    )

    assert middleware(RequestFactory().get("/api/schema/")).content == b"openapi: 3.0.3"
