"""Forms of the compliance app. Every choice is scoped: frameworks to the shipped catalogs and the
practice's own, people to the practice's members (owners: members who may do client work),
initiatives to the client's."""

import json

from django import forms
from django.core.exceptions import ValidationError

from accounts.selectors import practice_editor_users, practice_member_users
from clients.models import Client
from roadmaps.forms import QuarterField, quarter_choices
from roadmaps.models import Priority
from vcio.forms import PracticeScopedForm, style_fields

from . import catalog_selectors, selectors
from .catalog_io import catalog_from_csv
from .models import Adoption, ResponseStatus, Standard, StandardFramework, Weight

KEEP = ""  # bulk edit: leave the field as it is
NOBODY = "none"
MAX_IMPORT_BYTES = 2 * 1024 * 1024
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _member_choices(users) -> list[tuple[str, str]]:
    return [(str(u.pk), u.display_name) for u in users]


class AdoptForm(forms.Form):
    framework = forms.ChoiceField(label="Framework")
    scope_note = forms.CharField(
        label="Scope",
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What is in scope (sites, systems, data) and what is not.",
    )
    target_date = forms.DateField(
        label="Target date", required=False, widget=DATE_INPUT, help_text="When the client aims to meet it."
    )
    start_assessment = forms.BooleanField(
        label="Start the first assessment now", required=False, initial=True
    )

    def __init__(self, *args, practice, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.practice = practice
        catalogs, own = catalog_selectors.adoptable_frameworks(practice=practice, client=client)
        self.frameworks = {str(f.pk): f for f in [*catalogs, *own]}
        choices = [("", "Choose a framework")]
        if catalogs:
            choices.append(("Catalogs shipped with vcio", [(str(f.pk), f.label) for f in catalogs]))
        if own:
            choices.append(("Your practice's standards", [(str(f.pk), f.name) for f in own]))
        self.fields["framework"].choices = choices
        style_fields(self)

    def clean_framework(self):
        value = self.cleaned_data["framework"]
        if value not in self.frameworks:
            raise ValidationError("Choose a framework.")
        return self.frameworks[value]


class AdoptionForm(PracticeScopedForm):
    class Meta:
        model = Adoption
        fields = ["scope_note", "target_date"]
        widgets = {"scope_note": forms.Textarea(attrs={"rows": 3}), "target_date": DATE_INPUT}


class AssessmentStartForm(forms.Form):
    title = forms.CharField(label="Title", required=False, max_length=200)


class TreeFilterForm(forms.Form):
    """The assessment's filter bar; an invalid value is dropped, never an error."""

    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), ("gaps", "Gaps (not done)"), *ResponseStatus.choices],
    )
    owner = forms.ChoiceField(label="Owner", required=False)
    overdue = forms.BooleanField(label="Overdue only", required=False)

    def __init__(self, *args, practice, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(u.pk): u for u in practice_member_users(practice=practice)}
        self.fields["owner"].choices = [
            ("", "Anyone"),
            (NOBODY, "Nobody"),
            *[(pk, u.display_name) for pk, u in self.members.items()],
        ]
        style_fields(self)
        for field in ("status", "owner"):
            self.fields[field].widget.attrs["class"] += " form-select-sm"
            self.fields[field].widget.attrs["data-autosubmit"] = ""
        self.fields["overdue"].widget.attrs["data-autosubmit"] = ""

    def filters(self) -> selectors.TreeFilters:
        if not self.is_bound or not self.is_valid():
            return selectors.TreeFilters()
        data = self.cleaned_data
        owner = data.get("owner") or None
        return selectors.TreeFilters(
            status=data.get("status") or "",
            owner=NOBODY if owner == NOBODY else self.members.get(owner),
            overdue=bool(data.get("overdue")),
        )


class BulkForm(forms.Form):
    """Set status, owner and/or due date on the selected items ("keep" leaves a field as it is)."""

    ids = forms.MultipleChoiceField(required=False)  # checked against the assessment by the service
    status = forms.ChoiceField(
        label="Status", required=False, choices=[(KEEP, "Keep status"), *ResponseStatus.choices]
    )
    owner = forms.ChoiceField(label="Owner", required=False)
    due_date = forms.DateField(label="Due date", required=False, widget=DATE_INPUT)
    clear_due_date = forms.BooleanField(label="Clear the due date", required=False)
    reviewed = forms.BooleanField(label="Mark reviewed", required=False)

    def __init__(self, *args, practice, **kwargs):
        super().__init__(*args, **kwargs)
        self.editors = {str(u.pk): u for u in practice_editor_users(practice=practice)}
        self.fields["owner"].choices = [
            (KEEP, "Keep owner"),
            (NOBODY, "Nobody"),
            *_member_choices(self.editors.values()),
        ]
        if self.is_bound:
            self.fields["ids"].choices = [(v, v) for v in self.data.getlist("ids")]
        style_fields(self)

    def clean(self):
        data = super().clean()
        if data.get("due_date") and data.get("clear_due_date"):
            raise ValidationError("Choose a due date or clear it, not both.")
        return data

    def changes(self) -> dict:
        """The service's keyword arguments for what is to change."""
        data, changes = self.cleaned_data, {}
        if data.get("status"):
            changes["status"] = data["status"]
        owner = data.get("owner")
        if owner == NOBODY:
            changes["owner"] = None
        elif owner:
            changes["owner"] = self.editors[owner]
        if data.get("clear_due_date"):
            changes["due_date"] = None
        elif data.get("due_date"):
            changes["due_date"] = data["due_date"]
        if data.get("reviewed"):
            changes["reviewed"] = True
        return changes


def parse_links(text: str) -> list[tuple[str, str]]:
    """Lines of "https://… optional label" -> [(url, label)]."""
    links = []
    for line in (text or "").splitlines():
        line = line.strip()
        if line:
            url, _, label = line.partition(" ")
            links.append((url, label.strip()))
    return links


class ResponseForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=ResponseStatus.choices)
    owner = forms.ModelChoiceField(
        label="Owner", required=False, queryset=None, help_text="Who follows it up."
    )
    due_date = forms.DateField(label="Due date", required=False, widget=DATE_INPUT)
    notes = forms.CharField(
        label="Evidence notes",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What was checked and what was found.",
    )
    evidence_links = forms.CharField(
        label="Evidence links",
        required=False,
        max_length=25_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line: the address, then an optional label (https://… Backup policy).",
    )
    initiatives = forms.ModelMultipleChoiceField(
        label="Roadmap initiatives that address it",
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, practice, client: Client, response=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = practice_editor_users(practice=practice)
        self.fields["owner"].label_from_instance = lambda u: u.display_name
        self.fields["initiatives"].queryset = selectors.client_initiatives(client=client)
        if response is not None and not self.is_bound:
            self.initial.update(
                status=response.status,
                owner=response.owner_id,
                due_date=response.due_date,
                notes=response.notes,
                evidence_links="\n".join(
                    f"{link.url} {link.label}".strip() for link in response.evidence_links.all()
                ),
                initiatives=[i.pk for i in getattr(response, "linked_initiatives", [])],
            )
        style_fields(self)
        self.fields["initiatives"].widget.attrs["class"] = "form-check-input"

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "status": data["status"],
            "owner": data["owner"],
            "due_date": data["due_date"],
            "notes": data["notes"],
            "evidence_links": parse_links(data["evidence_links"]),
            "initiatives": list(data["initiatives"]),
        }


class GapInitiativeForm(forms.Form):
    title = forms.CharField(label="Initiative title", max_length=200)
    priority = forms.ChoiceField(label="Priority", choices=Priority.choices, initial=Priority.HIGH)
    target_start = QuarterField(label="Start quarter")
    owner = forms.ModelChoiceField(label="Owner", required=False, queryset=None)
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Leave empty to list the selected gaps.",
    )

    def __init__(self, *args, practice, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_start"].choices = quarter_choices(client)
        self.fields["owner"].queryset = practice_editor_users(practice=practice)
        self.fields["owner"].label_from_instance = lambda u: u.display_name
        style_fields(self)

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if any(c in title for c in "\r\n\t"):
            raise ValidationError("Use a single line.")
        return title


# --- the standards library ---------------------------------------------------------------------------


class StandardFrameworkForm(PracticeScopedForm):
    class Meta:
        model = StandardFramework
        fields = ["name", "version", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"version": "Optional, e.g. 2026.1."}


class StandardForm(PracticeScopedForm):
    parent = forms.ModelChoiceField(
        label="Under heading",
        required=False,
        queryset=Standard.objects.all(),
        empty_label="Top level (no heading)",
        help_text="Leave empty for a top-level item. An item with items under it becomes a heading.",
    )
    order = forms.IntegerField(
        label="Position",
        required=False,
        min_value=1,
        max_value=1_000_000,
        help_text="Leave empty to put it last under its heading.",
    )

    class Meta:
        model = Standard
        fields = ["ref", "title", "text", "weight"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        labels = {"ref": "Reference", "text": "Description"}
        help_texts = {"ref": "A short identifier, unique in the framework (e.g. BK-01)."}

    def __init__(self, *args, framework: StandardFramework, **kwargs):
        self.framework = framework
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("parent", self.instance.parent_id)
        self.fields["weight"].choices = Weight.choices

    def scope_fields(self):
        qs = self.fields["parent"].queryset.filter(framework=self.framework).order_by("order")
        if self.instance.pk:
            qs = qs.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = qs
        self.fields["parent"].label_from_instance = lambda s: f"{'— ' * s.level}{s.ref} {s.title}"[:120]


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Catalog file",
        help_text="JSON in the catalog shape, or CSV with columns ref, parent, title, text, weight (at most 2 MB).",
    )
    name = forms.CharField(
        label="Framework name (CSV)",
        required=False,
        max_length=200,
        help_text="For CSV: the name to give it.",
    )
    version = forms.CharField(label="Version (CSV)", required=False, max_length=60)

    def __init__(self, *args, practice, **kwargs):
        super().__init__(*args, **kwargs)
        self.practice = practice
        style_fields(self)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is None:
            return data
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError({"file": "The file is larger than 2 MB."})
        raw = upload.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError({"file": "The file is not UTF-8 text."}) from None
        if upload.name.lower().endswith(".json") or text.lstrip().startswith("{"):
            try:
                catalog = json.loads(text)
            except json.JSONDecodeError as exc:
                raise ValidationError(
                    {"file": f"Not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."}
                ) from None
            if not isinstance(catalog, dict):
                raise ValidationError({"file": "The JSON must be one object in the catalog shape."})
        else:
            name = (data.get("name") or "").strip() or upload.name.rsplit(".", 1)[0][:200]
            meta = {
                "slug": catalog_selectors.unique_standard_slug(practice=self.practice, name=name),
                "name": name,
                "version": (data.get("version") or "").strip() or "1",
                "publisher": self.practice.name,
                "source": f"Imported from {upload.name}"[:500],
                "license": f"Standards of {self.practice.name}",
            }
            catalog, problems = catalog_from_csv(text, meta=meta)
            if problems:
                raise ValidationError({"file": problems[:50]})
        data["catalog"] = catalog
        return data
