"""Error pages look like the product: the layout (with the navigation when signed in), a one-line
reason, and a way back. No bare "403 Forbidden"."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_403_names_the_role_and_what_it_may_not_do_inside_the_practice_layout(as_viewer_a, practice_a):
    response = as_viewer_a.get(reverse("clients:create", args=[practice_a.slug]))
    html = response.content.decode()
    assert response.status_code == 403
    assert "Your role (Viewer) may not change client work." in html
    assert 'aria-label="Practice navigation"' in html  # the sidebar
    assert "Go back" in html and reverse("practice_home", args=[practice_a.slug]) in html
    assert "<h1>403 Forbidden</h1>" not in html


def test_settings_403_says_settings(as_consultant_a, practice_a):
    html = as_consultant_a.get(reverse("accounts:settings", args=[practice_a.slug])).content.decode()
    assert "Your role (Consultant) may not change this practice&#x27;s settings." in html


def test_404_inside_a_practice_keeps_the_navigation(as_owner_a, practice_a, canary_client_b):
    response = as_owner_a.get(reverse("clients:overview", args=[practice_a.slug, canary_client_b.pk]))
    html = response.content.decode()
    assert response.status_code == 404
    assert "We couldn't find that page" in html
    assert 'aria-label="Practice navigation"' in html
    assert "CANARY" not in html


def test_404_for_anyone_is_a_product_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "We couldn't find that page" in response.content.decode()


def test_400_is_a_product_page(as_owner_a, practice_a):
    response = as_owner_a.get(reverse("clients:list", args=[practice_a.slug]) + "?q=a%00b")
    assert response.status_code == 400
    assert "Null characters are not allowed." in response.content.decode()


def test_500_page_renders_without_a_request_or_database():
    html = render_to_string("500.html")
    assert "Something went wrong on our side" in html


@pytest.mark.parametrize("path", ["/api/v1/action-items/0.5/", "/api/v1/no-such-route/", "/api/nothing"])
def test_api_errors_never_render_a_page_template(path, api, api_key_a, settings, tmp_path):
    """Under /api/ the 404 is JSON built without a template: with the production static storage and
    no manifest (a template's `{% static %}` would raise), the answer is still a clean JSON 404."""
    settings.STATIC_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    response = api(api_key_a[1]).get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
