"""`TenantSerializer.to_representation` reads the model's columns directly instead of through DRF's
per-field attribute walk: its answers must be DRF's, byte for byte. Every list endpoint of the API,
over a demo practice (every app's data, every field filled somewhere), is read both ways."""

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db.models.signals import pre_init
from django.utils import timezone
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from accounts.apikey_services import api_key_create
from accounts.demo import seed_practice
from accounts.models import Membership
from vcio.api import TenantSerializer, TenantViewSet, _iso_datetime
from vcio.api_urls import router

pytestmark = pytest.mark.django_db


def test_every_list_endpoint_answers_exactly_as_drf_would(api, monkeypatch):
    world, _ = seed_practice("Fast Representation Practice")
    owner = Membership.objects.for_practice(world.practice).get(role="owner").user
    _, raw = api_key_create(practice=world.practice, actor=owner, name="Comparison", read_only=True)
    http = api(raw)
    prefixes = sorted({prefix for prefix, _viewset, _basename in router.registry})

    # lists read as values, searched, filtered, sorted and paged too (a page past the first; a
    # search that matches nothing)
    queries = [
        "clients/?search=a&ordering=-headcount&page_size=3&page=2",
        "clients/?status=active&search=zzz-nothing",
        "contacts/?ordering=-name&page_size=7&page=2",
        "actuals/?ordering=-amount&page_size=5",
    ]

    def answers():
        paths = [f"{prefix}/?page_size=200" for prefix in prefixes] + queries
        return {path: http.get(f"/api/v1/{path}") for path in paths}

    fast = answers()
    monkeypatch.setattr(TenantSerializer, "to_representation", serializers.Serializer.to_representation)
    drf = answers()

    column_lists = {key[0].__name__ for key, flat in TenantViewSet._column_serializers.items() if flat}
    assert {"ClientSerializer", "ContactSerializer", "ActualSerializer"} <= column_lists  # read as values
    rows = 0
    for path in fast:
        assert fast[path].status_code == drf[path].status_code == 200, path
        assert fast[path].content == drf[path].content, path
        body = json.loads(fast[path].content)
        rows += len(body["results"]) if isinstance(body, dict) and "results" in body else 0
    assert len(prefixes) >= 20 and rows >= 1_000  # the comparison covered the API, not a few rows


@pytest.mark.parametrize(
    ("path", "model"), [("/api/v1/clients/", "Client"), ("/api/v1/contacts/", "Contact")]
)
def test_a_list_of_columns_builds_no_model_instance_per_row(api, api_key_a, practice_a, path, model):
    """A list whose every field is a column of its model reads its page as plain values
    (`TenantViewSet.list`): no model instance is built for a row."""
    from django.apps import apps

    from tests.factories import ClientFactory, ContactFactory

    for i in range(6):
        ContactFactory(client=ClientFactory(practice=practice_a, name=f"Client {i}"))
    built = []

    def count(sender, **kwargs):
        built.append(sender)

    pre_init.connect(count, sender=apps.get_model("clients", model))
    try:
        response = api(api_key_a[1]).get(path)
    finally:
        pre_init.disconnect(count, sender=apps.get_model("clients", model))
    assert response.status_code == 200
    assert len(response.json()["results"]) == 6
    assert built == []


def test_a_row_that_is_not_a_model_instance_is_read_the_drf_way():
    from clients.api import ClientSerializer
    from tests.factories import ClientFactory

    answer = dict(ClientSerializer(ClientFactory(name="Harbor Dental", headcount=42)).data)

    assert ClientSerializer().to_representation(answer) == answer  # a dict's keys, as DRF reads them


@pytest.mark.parametrize("zone", ["UTC", "America/Chicago", "Asia/Kolkata", "Pacific/Chatham"])
@pytest.mark.parametrize(
    "value",
    [
        datetime(2026, 3, 8, 8, 30, tzinfo=UTC),  # the hour Chicago springs forward
        datetime(2026, 11, 1, 6, 59, 59, 999_999, tzinfo=UTC),
        datetime(2026, 7, 1, 12, 0, tzinfo=ZoneInfo("Europe/Berlin")),
        datetime(2026, 7, 1, 12, 0),  # naive: DRF makes it aware in the zone
        datetime.min.replace(tzinfo=UTC),  # out of range in a zone west of UTC: DRF's error
    ],
)
@pytest.mark.parametrize(
    "options", [{}, {"format": "%Y-%m-%d %H:%M"}, {"default_timezone": ZoneInfo("Asia/Tokyo")}]
)
def test_a_date_time_reads_as_drf_writes_it(zone, value, options):
    field = serializers.DateTimeField(**options)

    def both():
        fast = _iso_datetime(field)
        answers = []
        for convert in (fast, field.to_representation):
            try:
                answers.append(convert(value))
            except ValidationError as exc:
                answers.append(exc.detail)
        return answers

    with timezone.override(zone):
        fast, drf = both()
    assert fast == drf


def test_a_list_read_as_values_answers_in_each_practices_time_zone(
    api, api_key_a, api_key_b, practice_a, practice_b
):
    """The values path's steps are made once per serializer and time zone: a date-time is shown in the
    zone of the practice asking, whichever practice's list was read first."""
    from accounts.models import Practice
    from tests.factories import ClientFactory

    Practice.objects.filter(pk=practice_a.pk).update(time_zone="America/New_York")
    Practice.objects.filter(pk=practice_b.pk).update(time_zone="Asia/Tokyo")
    moment = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    from clients.models import Client

    for practice in (practice_a, practice_b):
        client = ClientFactory(practice=practice, name="Zoned")
        Client.objects.for_practice(practice).filter(pk=client.pk).update(created_at=moment)

    def created(raw):
        rows = api(raw).get("/api/v1/clients/?search=Zoned").json()["results"]
        return [row["created_at"] for row in rows]

    for _ in range(2):  # each made first once, then read from what was made
        assert created(api_key_a[1]) == ["2026-07-01T08:00:00-04:00"]
        assert created(api_key_b[1]) == ["2026-07-01T21:00:00+09:00"]
