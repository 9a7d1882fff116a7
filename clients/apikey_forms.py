"""The form that creates a practice API key (name, access, optional expiry date)."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from vcio.forms import style_fields

from .apikey_services import NAME_MAX_LENGTH

READ_ONLY, READ_WRITE = "read_only", "read_write"


def expiry_from_date(day: date, time_zone: str) -> datetime:
    """A key that "expires on 31 Dec" works through that day (until 23:59:59) in the practice's time zone."""
    return datetime.combine(day, time.max, tzinfo=ZoneInfo(time_zone))


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
        help_text="Optional. The key stops working after this day; leave empty for no expiry.",
    )

    def __init__(self, *args, practice, **kwargs):
        self.practice = practice
        super().__init__(*args, **kwargs)
        style_fields(self)
        self.fields["access"].widget.attrs["class"] = "form-check-input"

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day is not None and expiry_from_date(day, self.practice.time_zone) <= timezone.now():
            raise forms.ValidationError("The expiry must be today or later.")
        return day

    def service_kwargs(self) -> dict:
        day = self.cleaned_data.get("expires_on")
        return {
            "name": self.cleaned_data["name"],
            "read_only": self.cleaned_data["access"] == READ_ONLY,
            "expires_at": expiry_from_date(day, self.practice.time_zone) if day else None,
        }
