"""Forms of the vendors app. Choices are scoped to the practice (PracticeScopedForm): vendors and
clients of the practice, contracts of the vendor, members as owners."""

from django import forms
from django.db import models
from django.utils import timezone

from accounts.selectors import practice_editor_users, practice_member_users
from clients.models import Client
from vcio.forms import PracticeScopedForm, style_fields

from . import selectors
from .models import Contract, Interaction, Vendor, VendorCategory


def https_urls(field, **kwargs):
    """Model form fields as usual; URL fields assume https:// when the scheme is left out."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = forms.NumberInput(attrs={"min": "0", "step": "0.01", "inputmode": "decimal"})


class VendorForm(PracticeScopedForm):
    class Meta:
        model = Vendor
        formfield_callback = https_urls
        fields = [
            "name",
            "category",
            "website",
            "account_manager_name",
            "account_manager_email",
            "account_manager_phone",
            "support_contact",
            "notes",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 4}),
            "website": forms.URLInput(attrs={"placeholder": "https://"}),
        }


class ContractForm(PracticeScopedForm):
    class Meta:
        model = Contract
        formfield_callback = https_urls
        fields = [
            "vendor",
            "name",
            "contract_type",
            "start_date",
            "end_date",
            "term_months",
            "auto_renew",
            "renewal_term_months",
            "notice_days",
            "billing_frequency",
            "cost",
            "quantity",
            "owner",
            "document_url",
            "notes",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "cost": MONEY,
            "quantity": forms.NumberInput(attrs={"min": "1", "step": "1"}),
            "term_months": forms.NumberInput(attrs={"min": "1", "step": "1"}),
            "renewal_term_months": forms.NumberInput(attrs={"min": "1", "step": "1"}),
            "notice_days": forms.NumberInput(attrs={"min": "0", "step": "1"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "document_url": forms.URLInput(attrs={"placeholder": "https://"}),
        }

    def __init__(self, *args, client: Client, **kwargs):
        self.client = client
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial.setdefault("start_date", timezone.localdate())

    def scope_fields(self):
        self.fields["vendor"].queryset = self.fields["vendor"].queryset.order_by("name", "pk")
        self.fields["owner"].queryset = practice_editor_users(practice=self.practice)
        self.fields["owner"].label_from_instance = lambda u: u.display_name


class InteractionForm(PracticeScopedForm):
    """A log entry with a vendor (the vendor comes from the page)."""

    class Meta:
        model = Interaction
        fields = ["date", "kind", "client", "contract", "who", "summary"]
        widgets = {"date": DATE, "summary": forms.Textarea(attrs={"rows": 2})}
        labels = {"client": "About client", "contract": "About contract", "who": "Who"}
        help_texts = {"who": ""}

    def __init__(self, *args, vendor: Vendor, **kwargs):
        self.vendor = vendor
        super().__init__(*args, **kwargs)
        self.fields["client"].empty_label = "No client in particular"
        self.fields["contract"].empty_label = "No contract in particular"
        self.initial.setdefault("date", timezone.localdate())

    def scope_fields(self):
        self.fields["client"].queryset = self.fields["client"].queryset.order_by("name", "pk")
        self.fields["contract"].queryset = (
            self.fields["contract"]
            .queryset.filter(vendor=self.vendor)
            .select_related("client")
            .order_by("name")
        )
        self.fields["contract"].label_from_instance = lambda c: f"{c.name} — {c.client.name}"
        self.fields["who"].queryset = practice_member_users(practice=self.practice)
        self.fields["who"].label_from_instance = lambda u: u.display_name


class VendorFilterForm(forms.Form):
    """The directory's filter bar; invalid values are ignored rather than erroring."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    category = forms.ChoiceField(
        label="Category", required=False, choices=[("", "All categories"), *VendorCategory.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)
        self.fields["q"].widget.attrs.update(type="search", placeholder="Vendor or account manager")
        self.fields["category"].widget.attrs["data-autosubmit"] = ""

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v.strip() if isinstance(v, str) else v for k, v in self.cleaned_data.items() if v}


class ContractFilterForm(forms.Form):
    """The Vendors tab's filter bar."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    state = forms.ChoiceField(label="Status", required=False, choices=selectors.STATE_FILTERS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)
        self.fields["q"].widget.attrs.update(type="search", placeholder="Product, vendor or notes")
        self.fields["state"].widget.attrs["data-autosubmit"] = ""

    def filters(self) -> dict:
        data = {"q": "", "state": "active"}
        if self.is_bound and self.is_valid():
            data["q"] = self.cleaned_data["q"].strip()
            data["state"] = self.cleaned_data["state"] or "active"
        return data


class CalendarFilterForm(forms.Form):
    """The renewals calendar's filters: client, vendor, consultant (all of the practice)."""

    client = forms.ModelChoiceField(label="Client", required=False, queryset=None, empty_label="All clients")
    vendor = forms.ModelChoiceField(label="Vendor", required=False, queryset=None, empty_label="All vendors")
    consultant = forms.ModelChoiceField(
        label="Consultant", required=False, queryset=None, empty_label="Everyone"
    )

    def __init__(self, *args, practice, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = selectors.client_choices(practice=practice).only(
            "id", "practice_id", "name"
        )
        self.fields["vendor"].queryset = selectors.vendor_choices(practice=practice)
        self.fields["consultant"].queryset = selectors.consultant_choices(practice=practice)
        self.fields["consultant"].label_from_instance = lambda u: u.display_name
        style_fields(self)
        for f in self.fields.values():
            f.widget.attrs["data-autosubmit"] = ""

    def filters(self) -> dict:
        """The valid filters; an invalid or foreign id is dropped (as if not given)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v is not None}


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8 CSV with the template's columns, at most 512 KB and 1,000 rows.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class ImportConfirmForm(forms.Form):
    upload = forms.CharField(max_length=64)
