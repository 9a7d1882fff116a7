"""`vcio.forms.FastFormRenderer` writes Django's `<input>` and `<textarea>` widgets in Python: the
markup must be Django's own template's, character for character, for every template it takes over."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from vcio.forms import _INPUT_TEMPLATES, _TEXTAREA_TEMPLATE, FastFormRenderer

DJANGO = DjangoTemplates()
FAST = FastFormRenderer()

ATTRS = [
    {},
    {"class": "form-control", "id": "id_x", "required": True, "disabled": False},
    {"placeholder": 'Say "hi" & <b>', "data-x": mark_safe("<i>safe</i>"), "maxlength": 0, "step": None},
    {"aria-describedby": "x-help x-error", "autofocus": True, "min": Decimal("0.01")},
]
VALUES = [
    None,
    "",
    "plain",
    'a "quoted" <tag> & amp',
    mark_safe("<b>safe</b>"),
    0,
    42,
    Decimal("1234.50"),
    datetime.date(2026, 11, 28),
    ("a", 1),
    ["x"],
]


@pytest.mark.parametrize("template_name", sorted(_INPUT_TEMPLATES))
@pytest.mark.parametrize("attrs", ATTRS)
def test_input_widgets_are_djangos_markup(template_name, attrs):
    for value in VALUES:
        for input_type, name in (("text", "q"), ("date", "due<>"), ("checkbox", "is_done")):
            context = {
                "widget": {
                    "name": name,
                    "type": input_type,
                    "value": value,
                    "attrs": dict(attrs),
                    "is_hidden": False,
                    "required": False,
                    "template_name": template_name,
                }
            }
            assert FAST.render(template_name, context) == DJANGO.render(template_name, context), (
                value,
                attrs,
            )


@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", [None, "", 'Line one\nline <two> & "three"', mark_safe("<b>safe</b>")])
def test_textarea_is_djangos_markup(attrs, value):
    context = {"widget": {"name": "notes", "value": value, "attrs": dict(attrs)}}
    assert FAST.render(_TEXTAREA_TEMPLATE, context) == DJANGO.render(_TEXTAREA_TEMPLATE, context)


class _Form(forms.Form):
    title = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"placeholder": "A <title>"}))
    amount = forms.DecimalField(decimal_places=2)
    due = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    done = forms.BooleanField(required=False)
    notes = forms.CharField(widget=forms.Textarea, required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput)
    email = forms.EmailField()
    choice = forms.ChoiceField(choices=[("a", "A"), ("b", "B & C")], widget=forms.RadioSelect)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {
            "title": 'x" onmouseover="y',
            "amount": "12.5",
            "due": "2026-11-28",
            "done": "on",
            "notes": "<script>",
            "secret": "s3cr&t",
            "hidden": "h",
            "email": "bad",
            "choice": "b",
        },
    ],
)
def test_whole_forms_render_as_with_djangos_renderer(data):
    assert settings.FORM_RENDERER == "vcio.forms.FastFormRenderer"
    fast = _Form(data, renderer=FAST)
    django = _Form(data, renderer=DJANGO)
    fast.is_bound and fast.is_valid()
    django.is_bound and django.is_valid()
    assert str(fast) == str(django)
    for name in fast.fields:
        assert str(fast[name]) == str(django[name])


def test_the_default_renderer_is_the_fast_one():
    assert isinstance(forms.Form().renderer, FastFormRenderer)
