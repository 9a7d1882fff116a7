"""The practice's form for a client's portal: which sections its executives see."""

from django import forms

from vcio.forms import PracticeScopedForm

from .models import PortalSettings
from .sections import hideable_sections


class PortalSettingsForm(PracticeScopedForm):
    """Tick the sections to show; the service stores the ones left unticked as hidden."""

    visible = forms.MultipleChoiceField(
        label="Sections the client's executives see",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The overview is always shown; its cards follow these choices.",
    )

    class Meta:
        model = PortalSettings
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sections = hideable_sections()
        self.fields["visible"].choices = [(s.key, s.label) for s in sections]
        self.help_texts = {s.key: s.help_text for s in sections}
        if not self.is_bound:
            self.initial["visible"] = [s.key for s in sections if self.instance.shows(s.key)]
        self.fields["visible"].widget.attrs["class"] = "form-check-input"

    def hidden_sections(self) -> list[str]:
        shown = set(self.cleaned_data.get("visible") or [])
        return [s.key for s in hideable_sections() if s.key not in shown]
