"""Forms of the initiative library. Every choice is scoped: templates to the practice, goals and
quarters to the client."""

from django import forms
from django.utils import timezone

from clients.models import Client
from vcio.fiscal import fiscal_quarter
from vcio.forms import PracticeScopedForm, style_fields

from . import selectors
from .forms import QuarterField, quarter_choices
from .library_csv import MAX_BYTES
from .models import Category, InitiativeTemplate

MONEY_INPUT = {"min": "0", "step": "0.01", "inputmode": "decimal"}


class InitiativeTemplateForm(PracticeScopedForm):
    class Meta:
        model = InitiativeTemplate
        fields = [
            "title",
            "description",
            "category",
            "priority",
            "one_time_cost",
            "recurring_monthly_cost",
            "effort_hours",
            "tags",
            "business_impact",
            "risk_if_not_done",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "business_impact": forms.Textarea(attrs={"rows": 2}),
            "risk_if_not_done": forms.Textarea(attrs={"rows": 2}),
            "one_time_cost": forms.NumberInput(attrs=MONEY_INPUT),
            "recurring_monthly_cost": forms.NumberInput(attrs=MONEY_INPUT),
        }
        help_texts = {
            "one_time_cost": "For a typical client; adjust it on the client's initiative.",
            "recurring_monthly_cost": "Licences, subscriptions or services per month, for a typical client.",
        }


class TemplateFilterForm(forms.Form):
    """The library's filter bar; invalid values are ignored rather than erroring."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    category = forms.ChoiceField(
        label="Category", required=False, choices=[("", "All categories"), *Category.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs["placeholder"] = "Title, description or tag"
        style_fields(self)
        self.fields["category"].widget.attrs["data-autosubmit"] = ""

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class AddFromLibraryForm(forms.Form):
    """Templates (checkboxes) + the start quarter in the client's fiscal calendar + goals to serve."""

    templates = forms.ModelMultipleChoiceField(
        label="Templates",
        queryset=InitiativeTemplate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one template."},
    )
    target_start = QuarterField(label="Start quarter")
    goals = forms.ModelMultipleChoiceField(
        label="Goals served", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client
        self.fields["templates"].queryset = InitiativeTemplate.objects.for_practice(client.practice_id)
        self.fields["goals"].queryset = selectors.goal_choices(client=client)
        self.fields["target_start"].choices = quarter_choices(client)
        self.initial.setdefault(
            "target_start", fiscal_quarter(timezone.localdate(), client.fiscal_year_start_month).next().key
        )
        style_fields(self)
        for name in ("templates", "goals"):
            self.fields[name].widget.attrs["class"] = "form-check-input"


class TemplateImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns as in the sample file; a title already in the library updates that template.",
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_BYTES // 1_000_000} MB; split it.")
        return upload
