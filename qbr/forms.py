"""Forms of the qbr app. Choices are scoped to the practice (PracticeScopedForm) and further to the
client (contacts) and to practice members (attendees, owners). Dates and times are entered in the
practice's time zone (the request activates it)."""

from django import forms

from accounts.selectors import practice_editor_users, practice_member_users
from clients.models import Client
from vcio.forms import PracticeScopedForm, kept_choices, style_fields, style_filter_bar

from . import selectors
from .models import Meeting, MeetingKind, MeetingStatus, QBRSettings

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class LocalDateTimeField(forms.DateTimeField):
    widget = LocalDateTimeInput

    def __init__(self, **kwargs):
        super().__init__(input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"], **kwargs)


def _member_label(user) -> str:
    return user.display_name


class MeetingForm(PracticeScopedForm):
    """Plan or change a meeting: when, where, who, and its agenda (one item per line)."""

    scheduled_at = LocalDateTimeField(label="Date and time")
    members = forms.ModelMultipleChoiceField(
        label="From the practice",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contacts = forms.ModelMultipleChoiceField(
        label="From the client",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    agenda = forms.CharField(
        label="Agenda",
        required=False,
        max_length=8_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One item per line, in order.",
    )

    class Meta:
        model = Meeting
        fields = ["kind", "title", "scheduled_at", "duration_minutes", "location"]

    def __init__(self, *args, client: Client, **kwargs):
        self.client = client
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk:
            self.initial.setdefault("members", [link.user_id for link in instance.member_links.all()])
            self.initial.setdefault("contacts", [link.contact_id for link in instance.contact_links.all()])
            self.initial.setdefault("agenda", "\n".join(item.title for item in instance.agenda_items.all()))
        for name in ("members", "contacts"):
            self.fields[name].widget.attrs["class"] = "form-check-input"

    def scope_fields(self):
        self.fields["members"].queryset = practice_member_users(practice=self.practice)
        self.fields["members"].label_from_instance = _member_label
        self.fields["contacts"].queryset = selectors.contact_choices(client=self.client)
        self.fields["contacts"].label_from_instance = lambda c: f"{c.name} — {c.title}" if c.title else c.name

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["agenda"] = [line for line in data.get("agenda", "").splitlines() if line.strip()]
        data["members"] = list(data.get("members") or [])
        data["contacts"] = list(data.get("contacts") or [])
        return data


class NotesForm(forms.Form):
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": "What was discussed and decided."}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class AgendaItemForm(forms.Form):
    title = forms.CharField(
        label="Agenda item",
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "Add an agenda item"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class ActionItemForm(forms.Form):
    """An action item, added inline while the meeting runs. The owner is one member of the practice
    or one contact of the client (or nobody yet), chosen from one list."""

    description = forms.CharField(label="Action item", max_length=500)
    owner = forms.ChoiceField(label="Owner", required=False)
    due_date = forms.DateField(label="Due", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, practice, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(u.pk): u for u in practice_editor_users(practice=practice)}
        self.contacts = {str(c.pk): c for c in selectors.contact_choices(client=client)}
        self.fields["owner"].choices = [
            ("", "Nobody yet"),
            ("Practice", [(f"m:{pk}", u.display_name) for pk, u in self.members.items()]),
            (client.name, [(f"c:{pk}", c.name) for pk, c in self.contacts.items()]),
        ]
        style_fields(self)

    def clean_owner(self):
        value = self.cleaned_data.get("owner") or ""
        kind, _, pk = value.partition(":")
        if not value:
            return {"owner_member": None, "owner_contact": None}
        if kind == "m" and pk in self.members:
            return {"owner_member": self.members[pk], "owner_contact": None}
        if kind == "c" and pk in self.contacts:
            return {"owner_member": None, "owner_contact": self.contacts[pk]}
        raise forms.ValidationError("Choose a member of the practice or a contact of the client.")

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.update(data.pop("owner"))
        return data


class HoldForm(forms.Form):
    """Close a meeting as held; for a QBR, when the next one is (a cadence later, editable)."""

    next_scheduled_at = LocalDateTimeField(
        label="Next QBR",
        required=False,
        help_text="Proposed from the client's QBR cadence; change it if another date suits better.",
    )
    propose_next = forms.BooleanField(label="Plan the next QBR", required=False, initial=True)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        if meeting.kind != MeetingKind.QBR:
            del self.fields["next_scheduled_at"]
            del self.fields["propose_next"]
        style_fields(self)

    def clean(self):
        data = super().clean()
        if (
            data.get("propose_next")
            and "next_scheduled_at" in self.fields
            and not data.get("next_scheduled_at")
        ):
            self.add_error("next_scheduled_at", "Choose when the next QBR is, or untick “Plan the next QBR”.")
        return data


class QBRSettingsForm(PracticeScopedForm):
    class Meta:
        model = QBRSettings
        fields = ["lead_time_days", "morning_hour"]
        widgets = {
            "lead_time_days": forms.NumberInput(attrs={"min": 1, "max": 60}),
            "morning_hour": forms.NumberInput(attrs={"min": 0, "max": 23}),
        }


WHEN_CHOICES = [("upcoming", "Upcoming"), ("past", "Past"), ("all", "All dates")]


class MeetingFilterForm(forms.Form):
    """The Meetings page's filter bar; invalid values are ignored rather than erroring."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    when = forms.ChoiceField(label="When", required=False, choices=WHEN_CHOICES)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "All statuses"), *MeetingStatus.choices]
    )
    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "All kinds"), *MeetingKind.choices])
    client = forms.ModelChoiceField(
        label="Client", required=False, queryset=Client.objects.none(), empty_label="All clients"
    )
    consultant = forms.ModelChoiceField(
        label="Consultant", required=False, queryset=None, empty_label="Any consultant"
    )

    def __init__(self, *args, practice, **kwargs):
        super().__init__(*args, **kwargs)
        kept_choices(
            self.fields["client"],
            "qbr.clients",
            practice,
            lambda p: selectors.client_choices(practice=p),
            label="name",  # Client.__str__
        )
        kept_choices(
            self.fields["consultant"],
            "qbr.consultants",
            practice,
            lambda p: practice_member_users(practice=p),
        )
        self.fields["consultant"].label_from_instance = _member_label
        style_filter_bar(self)

    def filters(self) -> dict:
        if not self.is_bound:
            return {"when": "upcoming"}
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        data.setdefault("when", "upcoming")
        return data
