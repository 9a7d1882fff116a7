"""`vcio_tags`' `date` filter writes the formats list pages repeat directly; it must write exactly what
Django's built-in `date` filter writes, for every value a template may give it."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.template.defaultfilters import date as django_date
from django.utils import timezone

from vcio.templatetags.vcio_tags import _DATE_FORMATS
from vcio.templatetags.vcio_tags import date as fast_date

VALUES = [
    datetime.date(2026, 1, 5),
    datetime.date(2026, 12, 31),
    datetime.date(999, 2, 28),  # a year under 1000 is zero-padded by Y
    *[datetime.date(2026, month, 9) for month in range(1, 13)],
    datetime.datetime(2026, 11, 27, 7, 5, 9),  # naive
    datetime.datetime(2026, 3, 1, 23, 59, tzinfo=datetime.UTC),
    datetime.datetime(2026, 6, 30, 0, 0, tzinfo=ZoneInfo("Australia/Sydney")),
    None,
    "",
    "2026-11-27",  # a string: Django writes nothing
    42,
]
FORMATS = [*_DATE_FORMATS, "l j F Y", "M Y", None]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_the_same_text_as_djangos_filter(value, fmt):
    try:
        expected = django_date(value, fmt)
    except TypeError as error:  # a time format given a date: Django's error, raised the same way
        with pytest.raises(TypeError, match=str(error)[:40]):
            fast_date(value, fmt)
        return
    assert fast_date(value, fmt) == expected


@pytest.mark.parametrize("zone", ["UTC", "America/Los_Angeles", "Asia/Kolkata"])
def test_aware_date_times_are_written_in_the_current_time_zone(zone):
    moment = datetime.datetime(2026, 11, 27, 3, 30, tzinfo=datetime.UTC)
    source = '{% load vcio_tags %}{{ m|date:"j M Y" }} {{ m|date:"Y-m-d H:i" }}'
    builtin = '{{ m|date:"j M Y" }} {{ m|date:"Y-m-d H:i" }}'
    with timezone.override(ZoneInfo(zone)):
        ours = Template(source).render(Context({"m": moment}))
        assert ours == Template(builtin).render(Context({"m": moment}))
    assert ours.startswith("26 Nov 2026 " if zone == "America/Los_Angeles" else "27 Nov 2026 ")
