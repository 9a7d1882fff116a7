"""Comparing markup written in Python with the template it replaced."""

import re


def normalised_html(html: str) -> str:
    """`html` with every run of white space one space, and none between two tags."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def render_reference(template: str, rows=None, **context) -> str:
    """A test's reference template (the loop Python rendering replaced) rendered with `context`, and
    `rows` as `page.object_list` when given."""
    from types import SimpleNamespace

    from django.template import Context, Template

    if rows is not None:
        context["page"] = SimpleNamespace(object_list=rows)
    return Template(template).render(Context(context))
