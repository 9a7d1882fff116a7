from django import forms
from django.conf import settings
from PIL import Image

from vcio.forms import PracticeScopedForm, style_fields

from .models import CURRENCIES, MONTHS, TIME_ZONES, Client, Contact, Practice
from .selectors import practice_member_users

ALLOWED_LOGO_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


class ClientForm(PracticeScopedForm):
    headcount = forms.IntegerField(
        min_value=1, max_value=1_000_000, initial=1, help_text="People on payroll."
    )
    locations = forms.IntegerField(min_value=1, max_value=10_000, initial=1)

    class Meta:
        model = Client
        fields = [
            "name",
            "industry",
            "headcount",
            "locations",
            "fiscal_year_start_month",
            "qbr_cadence_months",
            "primary_consultant",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "fiscal_year_start_month": "Quarters and budget years follow this month.",
            "qbr_cadence_months": "How often you meet the client for a QBR (1–12 months).",
        }

    def scope_fields(self):
        self.fields["primary_consultant"].queryset = practice_member_users(practice=self.practice)
        self.fields["primary_consultant"].label_from_instance = lambda u: u.display_name


class ContactForm(PracticeScopedForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "email", "phone", "is_executive"]
        labels = {"is_executive": "Executive (CEO, CFO, owner…)"}


class PracticeSettingsForm(PracticeScopedForm):
    class Meta:
        model = Practice
        fields = [
            "name",
            "logo",
            "brand_colour",
            "currency",
            "time_zone",
            "fiscal_year_start_month",
            "require_two_factor",
        ]
        widgets = {"brand_colour": forms.TextInput(attrs={"type": "color"})}
        labels = {
            "fiscal_year_start_month": "Default fiscal-year start",
            "require_two_factor": "Require two-factor authentication for all members",
        }
        help_texts = {"logo": "PNG, JPEG, GIF or WebP, at most 1 MB."}

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not logo or logo == getattr(self.instance, "logo", None):
            return logo
        if logo.size > settings.LOGO_MAX_BYTES:
            raise forms.ValidationError(
                f"The logo is too large: at most {settings.LOGO_MAX_BYTES // 1024} KB."
            )
        try:
            logo.seek(0)
            with Image.open(logo) as img:
                fmt = img.format
                img.verify()
        except Exception:  # noqa: BLE001 - any decoding failure is "not an image"
            raise forms.ValidationError("Upload a PNG, JPEG, GIF or WebP image.") from None
        if fmt not in ALLOWED_LOGO_FORMATS:
            raise forms.ValidationError("Upload a PNG, JPEG, GIF or WebP image.")
        logo.seek(0)
        return logo


class OnboardingForm(forms.Form):
    name = forms.CharField(label="Practice name", max_length=120)
    currency = forms.ChoiceField(choices=CURRENCIES, initial="USD")
    time_zone = forms.ChoiceField(choices=TIME_ZONES, initial="UTC")
    fiscal_year_start_month = forms.TypedChoiceField(
        label="Default fiscal-year start",
        choices=MONTHS,
        coerce=int,
        initial=1,
        help_text="New clients start with this fiscal year; you can change it per client.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class HistoryFilterForm(forms.Form):
    user = forms.ModelChoiceField(queryset=None, required=False, empty_label="Anyone")
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, practice, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = practice_member_users(practice=practice)
        style_fields(self)
