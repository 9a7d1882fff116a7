"""`clip`: what Django's `truncatechars` shows, for the plain titles of long tables, without its cost."""

import pytest
from django.template import Context, Template
from django.template.defaultfilters import truncatechars

from vcio.templatetags.vcio_tags import clip


@pytest.mark.parametrize("text", ["", "a", "Access control", "x" * 59, "x" * 60, "x" * 61, "Ünïcödé " * 20])
@pytest.mark.parametrize("length", [0, 1, 2, 10, 60, 200])
def test_clip_shows_what_truncatechars_shows(text, length):
    assert clip(text, length) == truncatechars(text, length)


def test_clip_escapes_and_leaves_bad_lengths_alone():
    html = Template("{% load vcio_tags %}{{ t|clip:5 }}|{{ t|clip:'x' }}").render(
        Context({"t": "<b>&bold</b>"})
    )
    assert html == "&lt;b&gt;&amp;…|&lt;b&gt;&amp;bold&lt;/b&gt;"
