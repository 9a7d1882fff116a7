"""Quarters are bounded to fiscal years 2000-2100 wherever they are accepted (the fiscal helper's
parser, the API field, the forms, the model validator); the deferral arithmetic never raises; a
JSON body nested 1,000 levels deep is a 400 (issue 8, item 3)."""

import json

import pytest
from django.core.exceptions import ValidationError

from roadmaps.forms import TransitionForm
from roadmaps.models import Initiative, validate_quarter_key
from tests.factories import InitiativeFactory
from tests.roadmaps.conftest import url
from vcio.fiscal import FiscalQuarter, parse_quarter, shifted

pytestmark = pytest.mark.django_db

INITIATIVES = "/api/v1/initiatives/"


@pytest.fixture
def http_a(api, api_key_a):
    return api(api_key_a[1])


def _send(http, path, data, method="post"):
    return getattr(http, method)(path, json.dumps(data), content_type="application/json")


@pytest.mark.parametrize("text", ["FY9999 Q4", "FY1999 Q4", "FY2101 Q1", "99994", 99994, 19994, 21011])
def test_parse_refuses_quarters_outside_fy2000_to_fy2100(text):
    with pytest.raises(ValueError, match="quarter"):
        parse_quarter(text)


@pytest.mark.parametrize(("text", "key"), [("FY2000 Q1", 20001), ("FY2100 Q4", 21004), (20272, 20272)])
def test_parse_accepts_the_bounds(text, key):
    assert parse_quarter(text).key == key


@pytest.mark.parametrize("key", [99994, 19994, 21011, 20005])
def test_the_model_validator_refuses_keys_outside_the_range(key):
    with pytest.raises(ValidationError):
        validate_quarter_key(key)


def test_shifting_never_raises():
    assert shifted(FiscalQuarter(9999, 4), 1) is None
    assert shifted(FiscalQuarter(2100, 3), 2) is None
    assert shifted(FiscalQuarter(2100, 3), 1) == FiscalQuarter(2100, 4)
    assert shifted(FiscalQuarter(2027, 1), -(10**9)) is None


@pytest.mark.parametrize("field", ["target_start", "target_end"])
def test_the_api_refuses_a_far_away_quarter_with_a_field_error(http_a, client_a1, field):
    payload = {"client": str(client_a1.pk), "title": "Far away", "target_start": "FY2027 Q1"}
    payload[field] = "FY9999 Q4"

    response = _send(http_a, INITIATIVES, payload)

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Initiative.objects.filter(title="Far away").exists()


def test_the_api_refuses_a_far_away_quarter_on_update(http_a, client_a1):
    initiative = InitiativeFactory(client=client_a1)

    response = _send(http_a, f"{INITIATIVES}{initiative.pk}/", {"target_end": "FY9999 Q4"}, "patch")

    assert response.status_code == 400 and "target_end" in response.json()
    initiative.refresh_from_db()
    assert initiative.target_end == initiative.target_start


def test_deferring_past_fy2100_is_a_field_error_not_a_500(http_a, client_a1):
    initiative = InitiativeFactory(client=client_a1, target_start=20301, target_end=21004)

    response = _send(
        http_a, f"{INITIATIVES}{initiative.pk}/transition/", {"to": "deferred", "target_start": "FY2031 Q1"}
    )

    assert response.status_code == 400
    assert "target_end" in response.json()
    initiative.refresh_from_db()
    assert (initiative.status, initiative.target_start, initiative.target_end) == ("proposed", 20301, 21004)


def test_deferring_a_row_stored_before_the_bound_is_a_field_error_not_a_500(http_a, client_a1):
    # written straight to the table, as the probe's "FY9999 Q4" was before quarters were bounded
    initiative = InitiativeFactory(client=client_a1, target_start=20271, target_end=99994)

    response = _send(
        http_a, f"{INITIATIVES}{initiative.pk}/transition/", {"to": "deferred", "target_start": "FY2028 Q1"}
    )

    assert response.status_code == 400
    assert "target_end" in response.json()


def test_the_forms_neither_offer_nor_accept_a_quarter_outside_the_range(as_owner_a, client_a1, practice_a):
    initiative = InitiativeFactory(client=client_a1, target_start=20271, target_end=99994)
    form = TransitionForm(initiative=initiative)
    offered = {value for value, _ in form.fields["target_end"].choices if value}
    assert offered and all(20001 <= value <= 21004 for value in offered)

    response = as_owner_a.post(
        url("edit", client_a1, initiative.pk),
        {
            "title": initiative.title,
            "category": "security",
            "priority": "medium",
            "target_start": 20271,
            "target_end": 99994,
        },
    )

    assert response.status_code == 200
    assert "target_end" in response.context["form"].errors
    initiative.refresh_from_db()
    assert initiative.target_end == 99994  # unchanged


@pytest.mark.parametrize("method", ["post", "put", "patch"])
def test_a_json_body_nested_1000_levels_deep_is_a_400(http_a, client_a1, method):
    initiative = InitiativeFactory(client=client_a1)
    path = INITIATIVES if method == "post" else f"{INITIATIVES}{initiative.pk}/"
    body = '{"title": ' + "[" * 1000 + "]" * 1000 + "}"

    response = getattr(http_a, method)(path, body, content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == ["non_field_errors"]


def test_a_json_body_nested_more_than_a_few_levels_is_a_400(http_a):
    body = '{"title": ' + "[" * 40 + "]" * 40 + "}"

    response = http_a.post(INITIATIVES, body, content_type="application/json")

    assert response.status_code == 400
    assert "nested" in response.json()["non_field_errors"][0]
