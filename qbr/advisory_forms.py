"""Forms of advisories: the advisory (targeting: all clients, industries or chosen clients of the
practice), the list's filter bar, and "Make an initiative" (a client the advisory targets)."""

from django import forms
from django.db import models

from clients.models import Client, Industry
from vcio.forms import PracticeScopedForm, style_fields

from . import advisory_selectors as selectors
from .advisory_models import Advisory, AdvisoryCategory, AdvisorySeverity


def https_urls(field, **kwargs):
    """URL fields assume https:// when the scheme is left out."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class AdvisoryForm(PracticeScopedForm):
    industries = forms.MultipleChoiceField(
        label="Industries",
        required=False,
        choices=Industry.choices,
        widget=forms.SelectMultiple(attrs={"size": "6"}),
        help_text="The industries it concerns; with “Clients in chosen industries” they choose who sees it.",
    )
    clients = forms.ModelMultipleChoiceField(
        label="Chosen clients",
        required=False,
        queryset=Client.objects.all(),
        widget=forms.SelectMultiple(attrs={"size": "6"}),
        help_text="With “Chosen clients”: who sees it.",
    )

    class Meta:
        model = Advisory
        formfield_callback = https_urls
        fields = ["title", "category", "severity", "targeting", "link", "body"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 12}),
            "link": forms.URLInput(attrs={"placeholder": "https://"}),
        }
        labels = {"targeting": "Show to", "body": "Body (Markdown)"}
        help_texts = {
            "body": "Markdown: **bold**, *italic*, - lists, [links](https://…). HTML is shown as text; "
            "images are not shown."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding and not self.is_bound:
            self.initial["industries"] = self.instance.industry_list
            self.initial["clients"] = [c.pk for c in selectors.chosen_clients(self.instance)]

    def scope_fields(self):
        self.fields["clients"].queryset = self.fields["clients"].queryset.order_by("name", "pk")


class AdvisoryFilterForm(forms.Form):
    """The list's filter bar; invalid values are ignored rather than erroring."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    category = forms.ChoiceField(
        label="Category", required=False, choices=[("", "All categories"), *AdvisoryCategory.choices]
    )
    severity = forms.ChoiceField(
        label="Severity", required=False, choices=[("", "Any severity"), *AdvisorySeverity.choices]
    )
    status = forms.ChoiceField(label="Status", required=False, choices=selectors.STATUS_FILTERS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)
        self.fields["q"].widget.attrs.update(type="search", placeholder="Title or text")
        for name in ("category", "severity", "status"):
            self.fields[name].widget.attrs["data-autosubmit"] = ""

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v.strip() if isinstance(v, str) else v for k, v in self.cleaned_data.items() if v}


class MakeInitiativeForm(forms.Form):
    client = forms.ModelChoiceField(label="Client", queryset=None)

    def __init__(self, *args, advisory: Advisory, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = selectors.targeted_clients(advisory)
        style_fields(self)
