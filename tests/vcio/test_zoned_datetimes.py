"""Date-times read from input are in the practice's zone before they reach the database, as a value
typed without an offset already is: ISO 8601 allows any offset under 24 hours, PostgreSQL refuses one
beyond ±15:59 — the API fuzzer's `?scheduled_before=` with `-23:21` was a 500 on PostgreSQL. The same
instant filters and saves the same; a value with no date in the zone is a field error."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.urls import get_resolver
from django.utils import timezone
from django_filters.filters import IsoDateTimeFilter

from tests.factories import MeetingFactory
from vcio.api_filters import TenantFilterSet
from vcio.forms import ZonedDateTimeMixin, style_fields

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
FAR = "0382-09-12T06:21:34.717944-23:21"  # the fuzzer's value


def test_an_api_date_time_filter_takes_any_iso_offset(api, api_key_a, client_a1):
    at = datetime.datetime(2030, 3, 1, 9, 0, tzinfo=UTC)
    meeting = MeetingFactory(client=client_a1, scheduled_at=at)
    http = api(api_key_a[1])

    def ids(**query):
        response = http.get("/api/v1/meetings/", query)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    # 09:00 UTC is 09:39 of the day before at -23:21, 23:59 at +14:59
    assert str(meeting.pk) in ids(scheduled_before="2030-02-28T09:40:00-23:21", scheduled_after=FAR)
    assert str(meeting.pk) not in ids(scheduled_before="2030-02-28T09:39:00-23:21")
    assert str(meeting.pk) in ids(scheduled_after="2030-03-01T23:59:00+14:59")
    assert str(meeting.pk) not in ids(scheduled_after="2030-03-01T09:01:00+00:00")
    response = http.get("/api/v1/meetings/", {"scheduled_before": "0001-01-01T00:30:00+01:00"})
    assert response.status_code == 400 and "scheduled_before" in response.json()


class _Form(forms.Form):
    at = forms.DateTimeField()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2030-03-01T10:00:00-23:21", datetime.datetime(2030, 3, 2, 9, 21, tzinfo=UTC)),
        ("2030-03-01T10:00:00+05:30", datetime.datetime(2030, 3, 1, 4, 30, tzinfo=UTC)),
        (FAR, datetime.datetime(382, 9, 13, 5, 42, 34, 717944, tzinfo=UTC)),
    ],
)
def test_a_styled_forms_date_time_is_in_the_practices_zone(text, expected):
    with timezone.override(ZoneInfo("Pacific/Auckland")):
        form = _Form({"at": text})
        style_fields(form)
        assert form.is_valid(), form.errors
    value = form.cleaned_data["at"]
    assert value == expected  # the same instant
    assert value.tzinfo == ZoneInfo("Pacific/Auckland") and abs(value.utcoffset()) < datetime.timedelta(
        hours=16
    )


def test_a_date_time_typed_without_an_offset_is_read_as_before():
    with timezone.override(ZoneInfo("America/Los_Angeles")):
        form = _Form({"at": "2030-03-01T10:00"})
        style_fields(form)
        assert form.is_valid(), form.errors
    value = form.cleaned_data["at"]
    assert (value.hour, value.tzinfo) == (10, ZoneInfo("America/Los_Angeles"))


def test_a_date_time_without_a_date_in_the_zone_is_a_field_error():
    form = _Form({"at": "0001-01-01T00:30:00+14:00"})
    style_fields(form)
    assert not form.is_valid() and "at" in form.errors


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_api_date_time_filter_reads_into_the_zone():
    get_resolver().url_patterns  # noqa: B018 - every app's API (and its filter sets) imported
    checked = 0
    for filterset in _subclasses(TenantFilterSet):
        for name, flt in filterset.base_filters.items():
            if isinstance(flt, IsoDateTimeFilter) or issubclass(flt.field_class, forms.DateTimeField):
                assert issubclass(flt.field_class, ZonedDateTimeMixin), f"{filterset.__name__}.{name}"
                checked += 1
    assert checked >= 2
