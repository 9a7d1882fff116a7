"""The pieces shared by the markup written in Python: `escape` replaces exactly what Django's does,
and the head's static tags follow the static settings."""

from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import html as django_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from vcio.layout_html import head_html
from vcio.rows_html import escape


@pytest.mark.parametrize(
    "value",
    [
        "",
        "Plain text",
        'Tom & Jerry\'s <b>"shop"</b>',
        mark_safe("<i>already safe</i>"),  # escaped again, as Django's escape() does
        "&amp; once escaped",
        "Ünïcode — ✓",
        42,
        Decimal("1234.50"),
        None,
    ],
)
def test_escape_writes_what_djangos_escape_writes(value):
    assert escape(value) == str(django_html.escape(value))


def test_escape_of_a_lazy_text_is_the_text_of_the_active_language():
    label = gettext_lazy("Name")
    with override("de"):
        assert escape(label) == str(django_html.escape(label))


def test_the_head_follows_the_static_settings():
    first = head_html(None, "n0nce")
    assert "/static/vendor/bootstrap/bootstrap.min.css" in first
    with override_settings(STATIC_URL="/assets/"):
        moved = head_html(None, "n0nce")
        assert "/assets/vendor/bootstrap/bootstrap.min.css" in moved
        assert "/assets/js/app.js" in moved
        assert "/static/" not in moved
    assert head_html(None, "n0nce") == first
