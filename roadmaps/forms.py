"""Forms of the roadmaps app. Choices are scoped to the practice (PracticeScopedForm) and further to
the client (goals, sponsors) and to practice members (owner)."""

from django import forms
from django.utils import timezone

from accounts.selectors import practice_editor_users, practice_member_users
from clients.models import Client
from vcio.fiscal import FiscalQuarter, fiscal_quarter, is_supported_key, parse_quarter, quarter_range
from vcio.forms import PracticeScopedForm, kept_choices, style_fields, style_filter_bar

from . import selectors
from .models import Category, Goal, GoalStatus, Initiative, Priority, Status


def quarter_choices(client: Client, *extra_keys: int | None, back: int = 4, ahead: int = 16) -> list[tuple]:
    """Quarters from a year back to four years ahead in the client's calendar (plus any current values)."""
    current = fiscal_quarter(timezone.localdate(), client.fiscal_year_start_month)
    quarters = set(quarter_range(current.add(-back), current.add(ahead)))
    quarters.update(FiscalQuarter.from_key(k) for k in extra_keys if is_supported_key(k))
    return [(q.key, q.label) for q in sorted(quarters) if q.is_supported]


class QuarterField(forms.TypedChoiceField):
    """A quarter among the choices, and of a supported fiscal year (FY2000..FY2100) whatever they are."""

    def __init__(self, **kwargs):
        super().__init__(coerce=lambda v: parse_quarter(int(v)), empty_value=None, **kwargs)


class InitiativeForm(PracticeScopedForm):
    target_start = QuarterField(label="Start quarter")
    target_end = QuarterField(label="End quarter", required=False, help_text="Leave empty for one quarter.")
    goals = forms.ModelMultipleChoiceField(
        queryset=Goal.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Initiative
        fields = [
            "title",
            "description",
            "category",
            "priority",
            "owner",
            "sponsor",
            "one_time_cost",
            "recurring_monthly_cost",
            "effort_hours",
            "business_impact",
            "risk_if_not_done",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "business_impact": forms.Textarea(attrs={"rows": 2}),
            "risk_if_not_done": forms.Textarea(attrs={"rows": 2}),
            "one_time_cost": forms.NumberInput(attrs={"min": "0", "step": "0.01", "inputmode": "decimal"}),
            "recurring_monthly_cost": forms.NumberInput(
                attrs={"min": "0", "step": "0.01", "inputmode": "decimal"}
            ),
        }
        help_texts = {
            "owner": "The practice member who drives it.",
            "sponsor": "The client's executive sponsor.",
        }

    def __init__(self, *args, client: Client, **kwargs):
        self.client = client
        instance = kwargs.get("instance")
        super().__init__(*args, **kwargs)
        keys = (instance.target_start, instance.target_end) if instance and instance.pk else ()
        choices = quarter_choices(client, *keys)
        self.fields["target_start"].choices = choices
        self.fields["target_end"].choices = [("", "Same as start"), *choices]
        if instance and instance.pk:
            self.initial.setdefault("target_start", instance.target_start)
            self.initial.setdefault("target_end", instance.target_end)
            self.initial.setdefault("goals", [g.pk for g in instance.linked_goals])
        else:
            self.initial.setdefault(
                "target_start",
                fiscal_quarter(timezone.localdate(), client.fiscal_year_start_month).next().key,
            )

    def scope_fields(self):
        self.fields["owner"].queryset = practice_editor_users(practice=self.practice)
        self.fields["owner"].label_from_instance = lambda u: u.display_name
        self.fields["sponsor"].queryset = self.fields["sponsor"].queryset.filter(client=self.client)
        self.fields["goals"].queryset = selectors.goal_choices(client=self.client)
        self.fields["goals"].widget.attrs["class"] = "form-check-input"


class GoalForm(PracticeScopedForm):
    class Meta:
        model = Goal
        fields = ["title", "description", "fiscal_year", "status", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, client: Client, **kwargs):
        self.client = client
        super().__init__(*args, **kwargs)
        current = fiscal_quarter(timezone.localdate(), client.fiscal_year_start_month).year
        years = list(range(current - 1, current + 5))
        if self.instance.pk and self.instance.fiscal_year not in years:
            years.insert(0, self.instance.fiscal_year)
        self.fields["fiscal_year"] = forms.TypedChoiceField(
            label="Fiscal year", choices=[(y, f"FY{y}") for y in years], coerce=int, initial=current
        )
        self.fields["status"].choices = GoalStatus.choices
        style_fields(self)


class TransitionForm(forms.Form):
    """Change an initiative's status (also the keyboard control of the board)."""

    to = forms.ChoiceField(label="New status", choices=Status.choices)
    note = forms.CharField(
        label="Note", required=False, max_length=2_000, widget=forms.Textarea(attrs={"rows": 2})
    )
    target_start = QuarterField(
        label="New start quarter", required=False, help_text="Required when deferring."
    )
    target_end = QuarterField(
        label="New end quarter", required=False, help_text="Defaults to the same length."
    )

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        choices = quarter_choices(initiative.client, initiative.target_start, initiative.target_end, ahead=20)
        self.fields["target_start"].choices = [("", "—"), *choices]
        self.fields["target_end"].choices = [("", "—"), *choices]
        style_fields(self)


class InitiativeFilterForm(forms.Form):
    """The list page's filter bar; invalid values are ignored rather than erroring."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "All statuses"), *Status.choices]
    )
    priority = forms.ChoiceField(
        label="Priority", required=False, choices=[("", "All priorities"), *Priority.choices]
    )
    category = forms.ChoiceField(
        label="Category", required=False, choices=[("", "All categories"), *Category.choices]
    )
    goal = forms.ModelChoiceField(
        label="Goal", required=False, queryset=Goal.objects.none(), empty_label="All goals"
    )
    quarter = QuarterField(label="Quarter", required=False)
    owner = forms.ModelChoiceField(label="Owner", required=False, queryset=None, empty_label="Anyone")

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        kept_choices(
            self.fields["goal"],
            "roadmaps.goals",
            client,
            lambda c: selectors.goal_choices(client=c),
            label="title",  # Goal.__str__
        )
        kept_choices(
            self.fields["owner"],
            "roadmaps.owners",
            client,
            lambda c: practice_member_users(practice=c.practice_id),
        )
        self.fields["owner"].label_from_instance = lambda u: u.display_name
        self.fields["quarter"].choices = [("", "Any quarter"), *quarter_choices(client, back=8, ahead=16)]
        style_filter_bar(self)

    def filters(self) -> dict:
        """The valid, non-empty filters (an invalid value is dropped, not an error)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
