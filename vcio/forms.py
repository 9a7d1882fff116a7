"""The one base form: every model choice is scoped to the request's practice at construction."""

from django import forms


class PracticeScopedForm(forms.ModelForm):
    """Pass `practice=`; every ModelChoiceField over a tenant model only offers that practice's rows.

    A form that offers users (members) or other non-tenant rows scopes them in `scope_fields()`.
    """

    def __init__(self, *args, practice, **kwargs):
        self.practice = practice
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and hasattr(field.queryset, "for_practice"):
                field.queryset = field.queryset.for_practice(practice)
        self.scope_fields()
        style_fields(self)

    def scope_fields(self):
        """Hook for scoping non-tenant choices (e.g. practice members)."""


def style_fields(form) -> None:
    """Bootstrap classes on every widget; errors are marked in the template (`_field.html`)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)


def run_service(form, service, **kwargs):
    """Call a service with the form's cleaned data; map its ValidationError onto the form's fields.

    Returns the service's result, or None when it refused (the form then carries the errors).
    """
    from django.core.exceptions import ValidationError

    try:
        return service(**kwargs)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return None
