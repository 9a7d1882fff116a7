"""The two rendering short-cuts that keep long tables and filter bars cheap give the same markup as
Django's own: `{% row_url %}` and the Python-rendered `<select>` (vcio.forms.FastSelect)."""

import re
import uuid

import pytest
from django import forms
from django.urls import reverse

from vcio.forms import FastSelect, style_fields
from vcio.row_urls import row_reverse


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("clients:overview", ["alpha", uuid.uuid4()]),
        ("roadmaps:detail", ["some-practice_2", uuid.uuid4(), uuid.uuid4()]),
        ("accounts:members", ["alpha"]),
        ("practice_home", ["b"]),
        ("profile", []),  # the layout's links without arguments
        ("qbr:notifications", ["alpha"]),
    ],
)
def test_row_url_is_reverse(name, args):
    assert row_reverse(name, *args) == reverse(name, args=args)
    assert row_reverse(name, *args) == reverse(name, args=args)  # from the cached shape


def test_row_url_reverses_anything_else_the_ordinary_way():
    pk = uuid.uuid4()
    assert row_reverse("clients:overview", "alpha", str(pk)) == reverse(
        "clients:overview", args=["alpha", pk]
    )
    with pytest.raises(Exception, match="Reverse"):
        row_reverse("clients:overview", "not a slug!", pk)


def test_a_string_that_is_no_slug_leaves_the_shape_for_slugs(monkeypatch):
    """A string that is no slug is reversed the ordinary way; later slugs still fill the shape in."""
    from vcio import row_urls

    pk = uuid.uuid4()
    monkeypatch.setattr(row_urls, "_URL_SHAPES", {})
    with pytest.raises(Exception, match="Reverse"):
        row_reverse("clients:contacts", "not a slug!", pk)
    calls = []
    monkeypatch.setattr(row_urls, "reverse", lambda *a, **k: calls.append(a) or reverse(*a, **k))
    assert row_reverse("clients:contacts", "alpha", pk) == reverse("clients:contacts", args=["alpha", pk])
    assert row_reverse("clients:contacts", "beta", pk) == reverse("clients:contacts", args=["beta", pk])
    assert len(calls) == 1  # the shape, reversed once


def _options(html: str) -> list[tuple[str, bool, str]]:
    return [
        (value, bool(selected), label)
        for value, selected, label in re.findall(
            r'<option value="([^"]*)"( selected)?>\s*(.*?)\s*</option>', html, flags=re.S
        )
    ]


def _same_markup(html: str) -> tuple[list[str], str]:
    """The `<select>`'s attributes (in any order: `flatatt` sorts them) and the rest of the markup
    (Django's template puts newlines and tabs between the options; it is otherwise equal)."""
    opening, rest = re.fullmatch(r"<select([^>]*)>(.*)", html.strip(), flags=re.S).groups()
    return sorted(re.findall(r'[\w-]+(?:="[^"]*")?', opening)), re.sub(r">\s+<", "><", rest.strip())


class _Choices(forms.Form):
    plain = forms.ChoiceField(choices=[("", "All"), ("x", "X & <b>"), ("y", "Y")], required=False)
    grouped = forms.ChoiceField(choices=[("Group", [("1", "one"), ("2", "two")]), ("3", "three")])
    twice = forms.ChoiceField(choices=[("a", "first a"), ("a", "second a"), (None, "none")], required=False)
    numbers = forms.TypedChoiceField(choices=[(0, "zero"), (1, "one")], coerce=int, disabled=True)


@pytest.mark.parametrize(
    "data",
    [
        {"plain": "x", "grouped": "2", "twice": "a", "numbers": "1"},
        {"plain": "", "grouped": "3", "twice": "", "numbers": "0"},
        {},  # nothing chosen: None, whose option is ""
        {"plain": "nope", "grouped": "9", "twice": "b", "numbers": "7"},  # a value offered by none
    ],
)
def test_the_python_select_renders_like_django(data):
    django_form, ours = _Choices(data or None), _Choices(data or None)
    style_fields(ours)
    for name in django_form.fields:
        assert type(ours.fields[name].widget) is FastSelect
        ours.fields[name].widget.attrs.pop("class")  # style_fields' only other change
        assert _same_markup(str(ours[name])) == _same_markup(str(django_form[name]))
    assert "X &amp; &lt;b&gt;" in str(ours["plain"])


@pytest.mark.django_db
def test_model_choices_are_read_in_one_plain_query(practice_a, client_a1, client_a2):
    """A styled form's model choice field offers the same options as Django's, read with one plain
    query — not `.iterator()`, a server-side cursor on PostgreSQL (DECLARE, FETCH, CLOSE)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from clients.models import Client

    class Form(forms.Form):
        client = forms.ModelChoiceField(queryset=Client.objects.none(), required=False)

    def form(styled):
        made = Form({"client": str(client_a2.pk)})
        made.fields["client"].queryset = Client.objects.for_practice(practice_a).order_by("name")
        if styled:
            style_fields(made)
            made.fields["client"].empty_label = "---------"  # as Django's, to compare the options
        return made

    theirs = _options(str(form(styled=False)["client"]))
    with CaptureQueriesContext(connection) as ctx:
        mine = _options(str(form(styled=True)["client"]))
    assert [v for v, _, _ in mine] == [v for v, _, _ in theirs]
    assert [label for _, _, label in mine] == [label for _, _, label in theirs]
    assert [selected for _, selected, _ in mine] == [selected for _, selected, _ in theirs]
    lists = [
        q["sql"]
        for q in ctx.captured_queries
        if 'FROM "clients_client"' in q["sql"] and " ORDER BY " in q["sql"]  # a column or its position
    ]
    assert len(lists) == 1 and not any("DECLARE" in q["sql"] for q in ctx.captured_queries), lists
    assert str(client_a1.pk) in [v for v, _, _ in mine]


def _row_loops(text: str):
    """The bodies of `{% for … in page.object_list %}` loops (a table's rows), nested loops included."""
    tags = list(re.finditer(r"\{%\s*(for\b[^%]*|endfor)\s*%\}", text))
    for i, tag in enumerate(tags):
        if not re.match(r"for\s+\w+(\s*,\s*\w+)*\s+in\s+page\.object_list\b", tag[1]):
            continue
        depth = 0
        for closing in tags[i + 1 :]:
            if closing[1].startswith("for"):
                depth += 1
            elif depth:
                depth -= 1
            else:
                yield text[tag.end() : closing.start()]
                break


def test_table_rows_link_through_row_url():
    """A list page's rows call `{% row_url %}`, not `{% url %}` (a full `reverse()` per link and row:
    the vendor directory made 46 of them a page)."""
    from pathlib import Path

    from django.conf import settings

    offenders = []
    for root in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(root).rglob("*.html")):
            loops = list(_row_loops(path.read_text()))
            if any("{% url " in body for body in loops):
                offenders.append(str(path.relative_to(root)))
    assert offenders == []


def test_the_row_loop_finder_sees_nested_loops():
    text = "{% for v in page.object_list %}{% for c in v.clients %}x{% endfor %}{% url 'a' %}{% endfor %}"
    assert list(_row_loops(text)) == ["{% for c in v.clients %}x{% endfor %}{% url 'a' %}"]
