"""Advisories: safe Markdown, targeting (all / industries / chosen clients), the pages (list, filters,
CSV, form, detail, publish, delete, make an initiative), roles, isolation, the overview panel, the
API, query counts."""

import csv
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from qbr import advisory_selectors as selectors
from qbr import advisory_services as services
from qbr.advisory_models import Advisory, AdvisoryClient
from qbr.markdown import render_markdown
from roadmaps.models import Initiative
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/advisories/"


def page(name, *args, practice="alpha"):
    return reverse(f"qbr:{name}", args=[practice, *args])


def make(practice, actor=None, publish=True, **data):
    data.setdefault("title", "Enforce MFA for admins")
    data.setdefault("body", "Turn on **phishing-resistant** MFA.")
    data.setdefault("category", "security")
    data.setdefault("severity", "important")
    data.setdefault("targeting", "all")
    advisory = services.advisory_create(practice=practice, actor=actor, **data)
    return services.advisory_publish(advisory=advisory, actor=actor) if publish else advisory


# --- Markdown rendered inert -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "source, forbidden",
    [
        ("<script>alert('x')</script>", "<script"),
        ("[click](javascript:alert(1))", 'href="javascript'),
        ("[click](JaVaScRiPt:alert(1))", "href="),
        ('<a href="javascript:alert(1)">x</a>', "<a "),
        ("<img src=x onerror=alert(1)>", "<img"),
        ('<p onclick="alert(1)">x</p>', "<p onclick"),
        ("[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", 'href="data'),
        ("![pixel](https://tracker.example.com/p.gif)", "<img"),
        ("<iframe src='https://evil.example.com'></iframe>", "<iframe"),
    ],
)
def test_markdown_renders_hostile_input_inert(source, forbidden):
    html = render_markdown(source)
    assert forbidden.lower() not in html.lower()
    assert "onerror=" not in html.replace("&lt;", "") or "&lt;img" in html  # shown as text, not a tag


def test_markdown_keeps_formatting_and_safe_links():
    html = render_markdown(
        "**Bold** and [docs](https://learn.microsoft.com) and [mail](mailto:it@example.com)"
    )
    assert "<strong>Bold</strong>" in html
    assert '<a href="https://learn.microsoft.com" rel="noopener noreferrer">docs</a>' in html
    assert 'href="mailto:it@example.com"' in html


def test_detail_page_shows_the_body_inert(as_owner_a, practice_a):
    advisory = make(
        practice_a, body="Hi <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>"
    )
    content = as_owner_a.get(page("advisory", advisory.pk)).content.decode()
    assert "&lt;script&gt;" in content and "<script>alert" not in content
    assert 'href="javascript' not in content and "<img src=x" not in content


# --- services and targeting ------------------------------------------------------------------------


def test_targeting_rules_are_validated(practice_a, practice_b, canary_client_b):
    with pytest.raises(ValidationError) as exc:
        make(practice_a, targeting="industries", industries=[])
    assert "industries" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        make(practice_a, targeting="clients", clients=[])
    assert "clients" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        make(practice_a, targeting="clients", clients=[canary_client_b])
    assert "clients" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        make(practice_a, targeting="industries", industries=["piracy"])
    assert "industries" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        make(practice_a, link="javascript:alert(1)")
    assert "link" in exc.value.error_dict
    assert not Advisory.objects.all().exists()


def test_advisories_for_a_client_follow_the_targeting(practice_a, practice_b, client_a1, client_a2):
    # client_a1 is healthcare (the factory's default); client_a2 is made legal
    client_a2.industry = "legal"
    client_a2.save()
    everyone = make(practice_a, title="Everyone")
    health = make(
        practice_a, title="Healthcare only", targeting="industries", industries=["healthcare", "finance"]
    )
    legal = make(practice_a, title="Legal only", targeting="industries", industries=["legal"])
    chosen = make(practice_a, title="Chosen A2", targeting="clients", clients=[client_a2])
    make(practice_a, title="Draft", publish=False)
    make(practice_b, title="Other practice")
    a1 = {a.title for a in selectors.advisories_for_client(client=client_a1)}
    a2 = {a.title for a in selectors.advisories_for_client(client=client_a2)}
    assert a1 == {"Everyone", "Healthcare only"}
    assert a2 == {"Everyone", "Legal only", "Chosen A2"}
    assert selectors.targets(health, client_a1) and not selectors.targets(legal, client_a1)
    assert list(selectors.targeted_clients(chosen)) == [client_a2]
    assert set(selectors.targeted_clients(everyone)) == {client_a1, client_a2}
    assert list(selectors.targeted_clients(health)) == [client_a1]


def test_industry_matching_is_exact(practice_a, client_a1):
    client_a1.industry = "retail"
    client_a1.save()
    make(practice_a, title="Not retail", targeting="industries", industries=["other"])
    assert selectors.advisories_for_client(client=client_a1) == []


def test_publish_unpublish_and_history(practice_a, owner_a):
    advisory = make(practice_a, owner_a, publish=False)
    assert advisory.status == "draft"
    services.advisory_publish(advisory=advisory, actor=owner_a)
    assert advisory.published_on is not None
    services.advisory_unpublish(advisory=advisory, actor=owner_a)
    advisory.refresh_from_db()
    assert advisory.published_on is None
    assert advisory.history.count() == 3
    assert advisory.history.first().history_user == owner_a


def test_make_an_initiative_only_for_a_targeted_client(practice_a, owner_a, client_a1, client_a2):
    advisory = make(
        practice_a,
        owner_a,
        targeting="clients",
        clients=[client_a1],
        severity="critical",
        link="https://example.com/kb",
    )
    initiative = services.advisory_make_initiative(
        advisory=advisory, client=client_a1, actor=owner_a, advisory_url="https://app.example.com/adv/1/"
    )
    assert initiative.client == client_a1 and initiative.status == "proposed"
    assert (
        initiative.title == advisory.title
        and initiative.priority == "critical"
        and initiative.category == "security"
    )
    assert (
        "https://app.example.com/adv/1/" in initiative.description
        and "phishing-resistant" in initiative.description
    )
    with pytest.raises(ValidationError):
        services.advisory_make_initiative(advisory=advisory, client=client_a2, actor=owner_a)
    assert Initiative.objects.filter(client=client_a2).count() == 0


# --- pages -----------------------------------------------------------------------------------------


FORM = {
    "title": "Backups: test restores quarterly",
    "category": "security",
    "severity": "advisory",
    "targeting": "industries",
    "industries": ["healthcare"],
    "link": "https://www.cisa.gov/",
    "body": "- Test a restore\n- Keep one immutable copy",
}


def test_create_edit_publish_delete_through_the_pages(as_consultant_a, practice_a, client_a1, client_a2):
    response = as_consultant_a.post(page("advisory_create"), FORM)
    assert response.status_code == 302
    advisory = Advisory.objects.get()
    assert advisory.industry_list == ["healthcare"] and advisory.published_on is None
    detail = as_consultant_a.get(response["Location"]).content.decode()
    assert "<li>Test a restore</li>" in detail and "Draft" in detail
    response = as_consultant_a.post(
        page("advisory_edit", advisory.pk), {**FORM, "targeting": "clients", "clients": [str(client_a2.pk)]}
    )
    assert response.status_code == 302
    assert list(AdvisoryClient.objects.filter(advisory=advisory).values_list("client_id", flat=True)) == [
        client_a2.pk
    ]
    # the edit form shows the chosen clients and industries
    form = as_consultant_a.get(page("advisory_edit", advisory.pk)).content.decode()
    assert f'value="{client_a2.pk}" selected' in form and 'value="healthcare" selected' in form
    assert as_consultant_a.post(page("advisory_publish", advisory.pk)).status_code == 302
    advisory.refresh_from_db()
    assert advisory.published_on is not None
    assert as_consultant_a.post(page("advisory_unpublish", advisory.pk)).status_code == 302
    advisory.refresh_from_db()
    assert advisory.published_on is None
    assert as_consultant_a.post(page("advisory_delete", advisory.pk)).status_code == 302
    assert not Advisory.objects.exists() and not AdvisoryClient.objects.exists()


def test_form_errors_are_shown(as_consultant_a):
    response = as_consultant_a.post(page("advisory_create"), {**FORM, "industries": [], "title": ""})
    assert response.status_code == 200
    content = response.content.decode()
    assert "This field is required." in content
    response = as_consultant_a.post(page("advisory_create"), {**FORM, "industries": []})
    assert "Choose at least one industry" in response.content.decode()
    assert not Advisory.objects.exists()


def test_list_filters_sorting_and_csv(as_viewer_a, practice_a):
    make(practice_a, title="Critical one", severity="critical", category="security")
    make(practice_a, title="AI draft", severity="info", category="ai", publish=False)
    make(practice_a, title="=HYPERLINK(evil)", severity="advisory", category="cloud")
    content = as_viewer_a.get(page("advisories")).content.decode()
    assert "Critical one" in content and "AI draft" in content
    assert "New advisory" not in content  # no write buttons for a viewer
    filtered = as_viewer_a.get(page("advisories") + "?status=draft").content.decode()
    assert "AI draft" in filtered and "Critical one" not in filtered
    filtered = as_viewer_a.get(page("advisories") + "?category=security&severity=critical").content.decode()
    assert "Critical one" in filtered and "AI draft" not in filtered
    ranked = as_viewer_a.get(page("advisories") + "?sort=-severity").content.decode()
    assert ranked.index("Critical one") < ranked.index("AI draft")
    assert as_viewer_a.get(page("advisories") + "?sort=bogus&severity=nope").status_code == 200
    response = as_viewer_a.get(page("advisories") + "?format=csv&sort=title")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:4] == ["Title", "Category", "Severity", "Status"]
    assert {r[0] for r in rows[1:]} == {"Critical one", "AI draft", "'=HYPERLINK(evil)"}


def test_empty_state(as_owner_a):
    content = as_owner_a.get(page("advisories")).content.decode()
    assert "No advisories yet" in content and "Write the first advisory" in content


def test_viewer_reads_but_every_write_is_refused(as_viewer_a, practice_a, client_a1):
    advisory = make(practice_a, publish=False)
    assert as_viewer_a.get(page("advisory", advisory.pk)).status_code == 200
    assert "Make an initiative" not in as_viewer_a.get(page("advisory", advisory.pk)).content.decode()
    assert as_viewer_a.get(page("advisory_create")).status_code == 403
    assert as_viewer_a.get(page("advisory_edit", advisory.pk)).status_code == 403
    for name in ("advisory_publish", "advisory_delete", "advisory_edit", "advisory_initiative"):
        assert (
            as_viewer_a.post(page(name, advisory.pk), {**FORM, "client": str(client_a1.pk)}).status_code
            == 403
        ), name
    assert as_viewer_a.post(page("advisory_create"), FORM).status_code == 403
    advisory.refresh_from_db()
    assert advisory.published_on is None and advisory.title == "Enforce MFA for admins"
    assert Advisory.objects.count() == 1 and not Initiative.objects.exists()


def test_another_practices_advisory_is_404(as_owner_a, practice_b, client_a1):
    theirs = make(practice_b, title="CANARY-Bravo-Advisory")
    for name in ("advisory", "advisory_edit"):
        assert as_owner_a.get(page(name, theirs.pk)).status_code == 404
    for name in (
        "advisory_publish",
        "advisory_unpublish",
        "advisory_delete",
        "advisory_edit",
        "advisory_initiative",
    ):
        assert (
            as_owner_a.post(page(name, theirs.pk), {**FORM, "client": str(client_a1.pk)}).status_code == 404
        )
    assert "CANARY" not in as_owner_a.get(page("advisories")).content.decode()
    assert Advisory.objects.filter(pk=theirs.pk, title="CANARY-Bravo-Advisory").exists()


def test_make_an_initiative_page(as_consultant_a, practice_a, client_a1, client_a2, canary_client_b):
    advisory = make(practice_a, targeting="clients", clients=[client_a1])
    detail = as_consultant_a.get(page("advisory", advisory.pk)).content.decode()
    assert "Make an initiative" in detail and client_a1.name in detail
    # a client it does not target, or another practice's, is refused
    for other in (client_a2, canary_client_b):
        response = as_consultant_a.post(page("advisory_initiative", advisory.pk), {"client": str(other.pk)})
        assert response.status_code == 400
    assert not Initiative.objects.exists()
    response = as_consultant_a.post(page("advisory_initiative", advisory.pk), {"client": str(client_a1.pk)})
    initiative = Initiative.objects.get()
    assert response["Location"] == reverse("roadmaps:detail", args=["alpha", client_a1.pk, initiative.pk])
    assert f"/p/alpha/advisories/{advisory.pk}/" in initiative.description


# --- the client overview's panel --------------------------------------------------------------------


def test_overview_panel_shows_the_clients_advisories(
    as_viewer_a, practice_a, practice_b, client_a1, client_a2
):
    client_a2.industry = "legal"
    client_a2.save()
    make(practice_a, title="Healthcare advisory", targeting="industries", industries=["healthcare"])
    make(practice_a, title="Legal advisory", targeting="industries", industries=["legal"])
    make(practice_a, title="Unpublished advisory", publish=False)
    make(practice_b, title="CANARY-Bravo-Advisory")
    a1 = as_viewer_a.get(reverse("clients:overview", args=["alpha", client_a1.pk])).content.decode()
    a2 = as_viewer_a.get(reverse("clients:overview", args=["alpha", client_a2.pk])).content.decode()
    assert "Healthcare advisory" in a1 and "Legal advisory" not in a1 and "Unpublished" not in a1
    assert "Legal advisory" in a2 and "Healthcare advisory" not in a2
    assert "CANARY" not in a1 + a2


def _grow(practice, clients, n):
    for k in range(n):
        make(practice, title=f"All {k}")
        make(practice, title=f"Industry {k}", targeting="industries", industries=["healthcare", "legal"])
        make(practice, title=f"Chosen {k}", targeting="clients", clients=clients)


@pytest.mark.parametrize("name", ["overview", "advisories", "advisory"])
def test_page_queries_do_not_grow(name, as_consultant_a, practice_a, client_a1, django_assert_num_queries):
    clients = [client_a1, ClientFactory(practice=practice_a)]
    _grow(practice_a, clients, 2)
    first = Advisory.objects.filter(title="Chosen 0").get()
    target = {
        "overview": reverse("clients:overview", args=["alpha", client_a1.pk]),
        "advisories": page("advisories"),
        "advisory": page("advisory", first.pk),
    }[name]
    as_consultant_a.get(target)  # warm the session
    with django_assert_num_queries(60, exact=False) as small:
        assert as_consultant_a.get(target).status_code == 200
    _grow(practice_a, clients + [ClientFactory(practice=practice_a) for _ in range(5)], 15)
    with django_assert_num_queries(len(small.captured_queries)):
        assert as_consultant_a.get(target).status_code == 200


# --- API -------------------------------------------------------------------------------------------


def send(http, url, data, method="post"):
    return getattr(http, method)(url, json.dumps(data), content_type="application/json")


@pytest.fixture
def http_a(api, api_key_a):
    return api(api_key_a[1])


def test_api_crud_and_publish(http_a, practice_a, client_a1):
    response = send(
        http_a,
        API,
        {
            "title": "VMware licensing",
            "category": "cloud",
            "severity": "important",
            "targeting": "clients",
            "clients": [str(client_a1.pk)],
            "body": "Plan the move.",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (
        body["clients"] == [str(client_a1.pk)] and body["status"] == "draft" and body["published_on"] is None
    )
    pk = body["id"]
    response = send(
        http_a, f"{API}{pk}/", {"targeting": "industries", "industries": ["legal", "healthcare"]}, "patch"
    )
    assert response.status_code == 200 and response.json()["industries"] == ["healthcare", "legal"]
    response = http_a.post(f"{API}{pk}/publish/")
    assert response.status_code == 200 and response.json()["status"] == "published"
    listing = http_a.get(API + "?status=published").json()
    assert [a["id"] for a in listing["results"]] == [pk]
    assert http_a.delete(f"{API}{pk}/").status_code == 204
    assert not Advisory.objects.exists()


def test_api_field_errors_are_400(http_a, canary_client_b):
    response = send(http_a, API, {"title": "", "category": "nope", "targeting": "industries"})
    assert response.status_code == 400
    assert {"title", "category"} <= set(response.json())
    response = send(http_a, API, {"title": "x", "targeting": "industries", "industries": []})
    assert response.status_code == 400 and "industries" in response.json()
    response = send(http_a, API, {"title": "x", "targeting": "clients", "clients": [str(canary_client_b.pk)]})
    assert response.status_code == 400 and "clients" in response.json()
    assert "CANARY" not in response.content.decode()
    assert not Advisory.objects.exists()


def test_api_read_only_key_may_only_read(api, read_only_key_a, practice_a):
    advisory = make(practice_a, publish=False)
    http = api(read_only_key_a[1])
    assert http.get(API).status_code == 200
    assert send(http, API, {"title": "x"}).status_code == 403
    assert send(http, f"{API}{advisory.pk}/", {"title": "changed"}, "patch").status_code == 403
    assert http.post(f"{API}{advisory.pk}/publish/").status_code == 403
    assert http.delete(f"{API}{advisory.pk}/").status_code == 403
    advisory.refresh_from_db()
    assert advisory.title == "Enforce MFA for admins" and advisory.published_on is None


def test_api_isolation(http_a, practice_b):
    theirs = make(practice_b, title="CANARY-Bravo-Advisory")
    assert "CANARY" not in http_a.get(API).content.decode()
    assert http_a.get(f"{API}{theirs.pk}/").status_code == 404
    assert http_a.post(f"{API}{theirs.pk}/unpublish/").status_code == 404
    assert http_a.delete(f"{API}{theirs.pk}/").status_code == 404
    assert Advisory.objects.filter(pk=theirs.pk).exists()


def test_api_list_queries_do_not_grow(http_a, practice_a, client_a1, django_assert_num_queries):
    _grow(practice_a, [client_a1], 2)
    http_a.get(API)
    with django_assert_num_queries(30, exact=False) as small:
        assert http_a.get(API).status_code == 200
    _grow(practice_a, [client_a1, ClientFactory(practice=practice_a)], 10)
    with django_assert_num_queries(len(small.captured_queries)):
        assert http_a.get(API).status_code == 200
