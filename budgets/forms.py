"""Forms of the budgets app. Choices are scoped to the practice (PracticeScopedForm): its vendors, the
client's budget lines; fiscal months are labelled in the client's fiscal order."""

from django import forms
from django.utils import timezone

from clients.models import Client
from vcio.fiscal import FIRST_YEAR, LAST_YEAR
from vcio.forms import PracticeScopedForm, style_fields

from . import actual_selectors, phasing
from .models import Actual, Budget, BudgetCategory, BudgetLine, BudgetSettings

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"})
UNTIL_YEAR_END = ""


def month_choices(start_month: int) -> list[tuple[int, str]]:
    labels = phasing.month_labels(start_month)
    return [(i + 1, f"{i + 1} · {label}") for i, label in enumerate(labels)]


class BudgetCreateForm(forms.Form):
    fiscal_year = forms.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, widget=forms.HiddenInput)
    build = forms.BooleanField(required=False, widget=forms.HiddenInput)


class BudgetNotesForm(forms.ModelForm):
    class Meta:
        model = Budget
        fields = ["notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class ScenarioForm(forms.ModelForm):
    class Meta:
        model = Budget
        fields = ["name", "notes"]
        labels = {"name": "Scenario name"}
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "name": forms.TextInput(attrs={"placeholder": "e.g. Cloud first, Defer the server refresh"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        style_fields(self)


class LineForm(PracticeScopedForm):
    """A budget line; the first month and the number of months are in the client's fiscal order."""

    months = forms.TypedChoiceField(
        label="Runs for",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Recurring lines: how many months it runs.",
    )

    class Meta:
        model = BudgetLine
        fields = [
            "name",
            "category",
            "expense_type",
            "recurrence",
            "amount",
            "first_month",
            "months",
            "vendor",
            "notes",
        ]
        widgets = {
            "amount": MONEY,
            "notes": forms.Textarea(attrs={"rows": 2}),
            "first_month": forms.Select,
        }
        labels = {"expense_type": "Capex / opex", "first_month": "First month", "amount": "Amount"}
        help_texts = {"first_month": "", "amount": "Per occurrence."}

    def __init__(self, *args, client: Client, **kwargs):
        self.client = client
        super().__init__(*args, **kwargs)
        start = client.fiscal_year_start_month
        self.fields["first_month"].widget.choices = month_choices(start)
        self.fields["months"].choices = [(UNTIL_YEAR_END, "Rest of year")] + [
            (n, f"{n} month{'s' if n != 1 else ''}") for n in range(1, 13)
        ]
        self.fields["vendor"].empty_label = "No vendor"
        self.fields["amount"].widget.attrs["min"] = "0"
        style_fields(self)

    def scope_fields(self):
        self.fields["vendor"].queryset = self.fields["vendor"].queryset.order_by("name", "pk")


class ActualForm(PracticeScopedForm):
    class Meta:
        model = Actual
        fields = ["date", "amount", "category", "vendor", "budget_line", "description"]
        widgets = {"date": DATE, "amount": MONEY}
        labels = {"budget_line": "Budget line"}

    def __init__(self, *args, client: Client, **kwargs):
        self.client = client
        super().__init__(*args, **kwargs)
        self.fields["vendor"].empty_label = "No vendor"
        self.fields["budget_line"].empty_label = "No line in particular"
        if not self.instance.pk:
            self.initial.setdefault("date", timezone.localdate())

    def scope_fields(self):
        self.fields["vendor"].queryset = self.fields["vendor"].queryset.order_by("name", "pk")
        self.fields["budget_line"].queryset = actual_selectors.line_choices(client=self.client)
        self.fields["budget_line"].label_from_instance = lambda line: (
            f"FY{line.budget.fiscal_year} · {line.get_category_display()} · {line.name}"
        )


class ActualFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    category = forms.ChoiceField(
        label="Category", required=False, choices=[("", "All categories"), *BudgetCategory.choices]
    )
    date_from = forms.DateField(label="From", required=False, widget=DATE)
    date_to = forms.DateField(label="To", required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)
        self.fields["q"].widget.attrs["placeholder"] = "Description or vendor"

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {k: v for k, v in data.items() if v not in (None, "")}


class ScenarioCreateForm(ScenarioForm):
    pass


class BudgetSettingsForm(forms.ModelForm):
    class Meta:
        model = BudgetSettings
        fields = ["inflation_rate"]
        widgets = {"inflation_rate": forms.NumberInput(attrs={"step": "0.1", "min": "0", "max": "50"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


# --- the actuals import ---------------------------------------------------------------------------------


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8 text, at most 512 KB. A header row, then one payment per row.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class ImportMappingForm(forms.Form):
    """Which of the file's columns holds each field, and how its dates are written."""

    def __init__(self, *args, header: list[str], fields, date_formats, **kwargs):
        super().__init__(*args, **kwargs)
        columns = [("", "— not in the file —")] + [
            (str(i), name or f"Column {i + 1}") for i, name in enumerate(header)
        ]
        for target in fields:
            self.fields[f"map_{target.name}"] = forms.ChoiceField(
                label=target.label, choices=columns, required=False, help_text=target.help
            )
        self.fields["date_format"] = forms.ChoiceField(label="Dates are written", choices=date_formats)
        self.fields["upload"] = forms.CharField(widget=forms.HiddenInput, max_length=64)
        style_fields(self)
