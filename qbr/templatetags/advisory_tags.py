"""`{% load advisory_tags %}` — `{{ advisory.body|markdown }}`: the body rendered safely
(qbr.markdown: CommonMark without raw HTML, then nh3 with an allow-list)."""

from django import template
from django.utils.safestring import mark_safe

from qbr.markdown import plain_text, render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(value) -> str:
    return mark_safe(render_markdown(str(value or "")))  # noqa: S308 — sanitised by nh3 above


@register.filter(name="markdown_excerpt")
def markdown_excerpt(value, limit=200) -> str:
    return plain_text(str(value or ""), int(limit))
