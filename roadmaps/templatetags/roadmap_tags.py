"""Template helpers of the roadmap pages."""

from functools import lru_cache

from django import template
from django.utils.html import format_html_join
from django.utils.translation import get_language

from ..models import Status
from ..services import allowed_transitions

register = template.Library()


@register.filter
def move_options(status: str):
    """The `<option>`s of a board card's "Move to" control: the statuses `status` may move to (the
    same for every card of a column, so built once per status and language, not once per card)."""
    return _move_options(status, get_language())


@lru_cache(maxsize=64)
def _move_options(status: str, language: str):
    return format_html_join(
        "", '<option value="{}">{}</option>', ((s, Status(s).label) for s in allowed_transitions(status))
    )
