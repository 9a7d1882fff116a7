"""Forms of the accounts app: practice settings, onboarding, deleting a practice, history filters."""

from datetime import date

from django import forms
from django.conf import settings
from PIL import Image

from vcio.forms import PracticeScopedForm, style_fields
from vcio.validators import validate_single_line

from .models import CURRENCIES, MONTHS, TIME_ZONES, Practice
from .selectors import practice_member_users

ALLOWED_LOGO_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


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
        widgets = {
            "brand_colour": forms.TextInput(
                attrs={"type": "color", "class": "form-control form-control-color"}
            )
        }
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


NAME_HELP = "How colleagues and clients see you, e.g. “Dana Whitfield”."


def display_name_field(required: bool = True) -> forms.CharField:
    return forms.CharField(
        label="Your name",
        max_length=150,
        required=required,
        help_text=NAME_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "name", "dir": "auto"}),
    )


class SignupExtraForm(forms.Form):
    """allauth's sign-up form asks for the display name too (`ACCOUNT_SIGNUP_FORM_CLASS`)."""

    name = display_name_field()

    field_order = ["name", "email", "password1", "password2"]

    def signup(self, request, user):
        user.name = self.cleaned_data["name"].strip()
        user.save(update_fields=["name"])


class DisplayNameForm(forms.Form):
    """The name on the profile page and when accepting an invitation without one yet."""

    name = display_name_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Enter your name.")
        validate_single_line(name)
        return name


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


class PracticeDeleteForm(forms.Form):
    """Deleting a practice is confirmed by typing its name (then once more in a modal)."""

    confirm_name = forms.CharField(label="Type the practice's name to confirm", max_length=200)

    def __init__(self, *args, practice, **kwargs):
        self.practice = practice
        super().__init__(*args, **kwargs)
        self.fields["confirm_name"].help_text = f"Type “{practice.name}” exactly as shown."
        self.fields["confirm_name"].widget.attrs.update(autocomplete="off", spellcheck="false")
        style_fields(self)

    def clean_confirm_name(self):
        typed = self.cleaned_data["confirm_name"].strip()
        if typed != self.practice.name.strip():
            raise forms.ValidationError(
                f"That is not the name of this practice. Type “{self.practice.name}” to delete it."
            )
        return typed


HISTORY_FIRST_DAY, HISTORY_LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)


def _history_date_field(label: str) -> forms.DateField:
    return forms.DateField(
        required=False,
        label=label,
        widget=forms.DateInput(
            attrs={"type": "date", "min": HISTORY_FIRST_DAY.isoformat(), "max": HISTORY_LAST_DAY.isoformat()}
        ),
    )


class HistoryFilterForm(forms.Form):
    """Who and when. Dates are bounded (years 2000–2100): a far-away day shifted by the practice's
    time zone would not fit a datetime (an OverflowError, not an empty list)."""

    user = forms.ModelChoiceField(queryset=None, required=False, empty_label="Anyone")
    date_from = _history_date_field("From")
    date_to = _history_date_field("To")

    def __init__(self, *args, practice, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = practice_member_users(practice=practice)
        style_fields(self)

    def _bounded(self, name):
        day = self.cleaned_data.get(name)
        if day is not None and not HISTORY_FIRST_DAY <= day <= HISTORY_LAST_DAY:
            raise forms.ValidationError(
                f"Enter a date between {HISTORY_FIRST_DAY.year} and {HISTORY_LAST_DAY.year}."
            )
        return day

    def clean_date_from(self):
        return self._bounded("date_from")

    def clean_date_to(self):
        return self._bounded("date_to")
