"""Template helpers for the account pages (allauth's element templates)."""

from django import template

from vcio.forms import style_fields

register = template.Library()


@register.filter
def bootstrap_form(form):
    """The same form with the product's Bootstrap classes on its widgets (allauth forms are not ours)."""
    if form is not None and hasattr(form, "fields"):
        style_fields(form)
    return form
