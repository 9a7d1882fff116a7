"""The form that creates a practice API key (name, access, optional expiry date)."""

from django import forms

from vcio.forms import style_fields

from .apikey_services import (
    MAX_EXPIRY_YEARS,
    NAME_MAX_LENGTH,
    expiry_day_error,
    expiry_from_date,
    latest_expiry_day,
)

READ_ONLY, READ_WRITE = "read_only", "read_write"


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        max_length=NAME_MAX_LENGTH,
        help_text="What will use it, e.g. “PSA sync” or “Power BI”.",
    )
    access = forms.ChoiceField(
        choices=[
            (READ_ONLY, "Read-only — can read clients, contacts and plans, but change nothing"),
            (READ_WRITE, "Read-write — can also create, change and delete client work"),
        ],
        initial=READ_ONLY,
        widget=forms.RadioSelect,
    )
    expires_on = forms.DateField(
        required=False,
        label="Expires on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=f"Optional, at most {MAX_EXPIRY_YEARS} years ahead. The key stops working after this day; "
        "leave empty for no expiry.",
    )

    def __init__(self, *args, practice, **kwargs):
        self.practice = practice
        super().__init__(*args, **kwargs)
        style_fields(self)
        self.fields["access"].widget.attrs["class"] = "form-check-input"
        self.fields["expires_on"].widget.attrs["max"] = latest_expiry_day(practice.time_zone).isoformat()

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        error = expiry_day_error(day, self.practice.time_zone) if day is not None else None
        if error:
            raise forms.ValidationError(error)
        return day

    def service_kwargs(self) -> dict:
        day = self.cleaned_data.get("expires_on")
        return {
            "name": self.cleaned_data["name"],
            "read_only": self.cleaned_data["access"] == READ_ONLY,
            "expires_at": expiry_from_date(day, self.practice.time_zone) if day else None,
        }
