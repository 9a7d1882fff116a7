"""Forms of the clients app."""

from django import forms

from accounts.selectors import practice_editor_users
from vcio.forms import PracticeScopedForm

from .models import Client, Contact
from .services import CLIENT_FIELDS, CONTACT_FIELDS


class ClientForm(PracticeScopedForm):
    headcount = forms.IntegerField(
        min_value=1, max_value=1_000_000, initial=1, help_text="People on payroll."
    )
    locations = forms.IntegerField(min_value=1, max_value=10_000, initial=1)

    class Meta:
        model = Client
        fields = list(CLIENT_FIELDS)  # exactly what the service accepts
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "fiscal_year_start_month": "Quarters and budget years follow this month.",
            "qbr_cadence_months": "How often you meet the client for a QBR (1–12 months).",
        }

    def scope_fields(self):
        self.fields["primary_consultant"].queryset = practice_editor_users(practice=self.practice)
        self.fields["primary_consultant"].label_from_instance = lambda u: u.display_name


class ContactForm(PracticeScopedForm):
    class Meta:
        model = Contact
        fields = list(CONTACT_FIELDS)
        labels = {"is_executive": "Executive (CEO, CFO, owner…)"}
