"""API of the budgets app: budgets, their lines, scenarios and actual spend (CRUD), the build action,
approval, promotion and each budget's summary — calling the same selectors and services as the pages.
Money is a decimal string."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response as ApiResponse

from vcio.api import TenantFilterSet, TenantSerializer, TenantViewSet
from vcio.api_schema import describe_tag

from . import actual_selectors, actual_services, phasing, selectors, services
from .models import (
    Actual,
    ActualSource,
    Budget,
    BudgetCategory,
    BudgetLine,
    BudgetStatus,
    LineSource,
    Recurrence,
)

describe_tag(
    "budgets",
    "Clients' yearly IT budgets: build them from the roadmap and the contracts, approve (freeze) and "
    "reopen them, and read their summary (planned vs actual by category and fiscal month).",
)
describe_tag("budget-lines", "The lines of a budget or a scenario, with their 12 fiscal months.")
describe_tag(
    "scenarios", "What-if copies of a budget: change their lines, compare, promote one to be the budget."
)
describe_tag(
    "actuals", "What clients actually spent, compared with their budgets by fiscal month and category."
)

MONEY = {"max_digits": 14, "decimal_places": 2}


class BudgetTotalMixin(serializers.Serializer):
    total = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DecimalField(**MONEY))
    def get_total(self, budget) -> str:
        stored = budget.stored_months()
        if stored is not None:
            return str(sum(stored, phasing.ZERO))
        lines = getattr(budget, "api_lines", None)
        if lines is None:
            lines = list(selectors.budget_lines(budget=budget))
        return str(sum((phasing.line_total(line) for line in lines), phasing.ZERO))


class BudgetSerializer(BudgetTotalMixin, TenantSerializer):
    """A client's budget for one fiscal year (named by the calendar year it ends in). `client` and
    `fiscal_year` are set at creation; only `notes` change after. `status` changes through the
    `approve`, `reopen` and `propose` actions; an approved budget refuses every change (400) until
    reopened. `total` is the sum of its lines' phased months."""

    class Meta:
        model = Budget
        fields = [
            "id",
            "client",
            "fiscal_year",
            "status",
            "approved_by",
            "approved_at",
            "built_at",
            "notes",
            "total",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "status",
            "approved_by",
            "approved_at",
            "built_at",
            "created_at",
            "updated_at",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if (
            self.instance is not None
            and not isinstance(self.instance, list | tuple)
            and hasattr(self.instance, "pk")
        ):
            self.fields["client"].read_only = True
            self.fields["fiscal_year"].read_only = True


class ScenarioSerializer(BudgetTotalMixin, TenantSerializer):
    """A what-if copy of a budget: created from `budget` (every line copied), renamed and changed
    freely, never built or approved. `promote` makes its lines the budget's."""

    budget = serializers.PrimaryKeyRelatedField(source="scenario_of", queryset=Budget.objects.none())

    class Meta:
        model = Budget
        fields = [
            "id",
            "budget",
            "client",
            "fiscal_year",
            "name",
            "notes",
            "total",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "client", "fiscal_year", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["name"].allow_blank = False
        if self.instance is not None and hasattr(self.instance, "pk"):
            self.fields["budget"].read_only = True

    def scope_fields(self, practice):
        if practice is not None:
            self.fields["budget"].queryset = Budget.objects.for_practice(practice).filter(
                scenario_of__isnull=True
            )


class BudgetLineSerializer(TenantSerializer):
    """A line of a budget or scenario: `amount` per occurrence, `recurrence`, the fiscal months it
    runs in (`first_month` 1-12 from the client's fiscal-year start; `months` empty for "until the end
    of the year"). Generated lines name their `source` (`initiative` or `contract`); changing their
    amount or timing sets `adjusted` (a build keeps those numbers); `dropped` lines cost nothing.
    `phased` is the 12 fiscal months, `total` their sum."""

    phased = serializers.SerializerMethodField()
    total = serializers.SerializerMethodField()

    class Meta:
        model = BudgetLine
        fields = [
            "id",
            "budget",
            "name",
            "category",
            "expense_type",
            "recurrence",
            "amount",
            "first_month",
            "months",
            "vendor",
            "notes",
            "source",
            "source_part",
            "initiative",
            "contract",
            "adjusted",
            "dropped",
            "phased",
            "total",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "source",
            "source_part",
            "initiative",
            "contract",
            "adjusted",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"dropped": {"read_only": False, "required": False}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and hasattr(self.instance, "pk"):
            self.fields["budget"].read_only = True

    @extend_schema_field(serializers.ListField(child=serializers.DecimalField(**MONEY)))
    def get_phased(self, line) -> list[str]:
        return [str(v) for v in phasing.line_months(line)]

    @extend_schema_field(serializers.DecimalField(**MONEY))
    def get_total(self, line) -> str:
        return str(phasing.line_total(line))


class ActualSerializer(TenantSerializer):
    """Money a client actually spent (negative for a refund). `budget_line`, optional, is a line of the
    same client's budget (never a scenario's). `source` says whether it was imported."""

    class Meta:
        model = Actual
        fields = [
            "id",
            "client",
            "date",
            "amount",
            "category",
            "vendor",
            "budget_line",
            "description",
            "source",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "source", "created_at", "updated_at"]


class BudgetFilter(TenantFilterSet):
    status = filters.MultipleChoiceFilter(choices=BudgetStatus.choices)

    class Meta:
        model = Budget
        fields = ["client", "fiscal_year"]


class ScenarioFilter(TenantFilterSet):
    budget = filters.ModelChoiceFilter(field_name="scenario_of", queryset=Budget.objects.all())

    class Meta:
        model = Budget
        fields = ["client", "fiscal_year"]


class BudgetLineFilter(TenantFilterSet):
    category = filters.MultipleChoiceFilter(choices=BudgetCategory.choices)
    source = filters.MultipleChoiceFilter(choices=LineSource.choices)
    recurrence = filters.MultipleChoiceFilter(choices=Recurrence.choices)

    class Meta:
        model = BudgetLine
        fields = ["budget", "vendor", "initiative", "contract", "dropped", "adjusted"]


class ActualFilter(TenantFilterSet):
    category = filters.MultipleChoiceFilter(choices=BudgetCategory.choices)
    source = filters.ChoiceFilter(choices=ActualSource.choices)
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Actual
        fields = ["client", "vendor", "budget_line"]


def _with_lines(budgets, practice) -> list:
    """The page's budgets with their lines (one query for all), for `total` — only those whose
    planned months are not stored (`Budget.planned_months`)."""
    rows = list(budgets)
    by_budget: dict = {b.pk: [] for b in rows if b.planned_months is None}
    if by_budget:
        for line in (
            BudgetLine.objects.for_practice(practice)
            .filter(budget_id__in=list(by_budget))
            .only("id", "budget_id", "recurrence", "amount", "first_month", "months", "dropped")
        ):
            by_budget[line.budget_id].append(line)
    for budget in rows:
        budget.api_lines = by_budget.get(budget.pk)
    return rows


BUILD_RESULT = inline_serializer(
    "BudgetBuildResult",
    {
        "created": serializers.IntegerField(),
        "updated": serializers.IntegerField(),
        "removed": serializers.IntegerField(),
        "kept": serializers.IntegerField(),
        "unchanged": serializers.IntegerField(),
        "message": serializers.CharField(),
        "budget": BudgetSerializer(),
    },
)
MONTHLY = serializers.ListField(child=serializers.DecimalField(**MONEY))
TOTALS = inline_serializer("BudgetTotals", {"total": serializers.DecimalField(**MONEY), "by_month": MONTHLY})
SUMMARY = inline_serializer(
    "BudgetSummary",
    {
        "budget": serializers.UUIDField(),
        "client": serializers.UUIDField(),
        "fiscal_year": serializers.IntegerField(),
        "currency": serializers.CharField(),
        "months": serializers.ListField(child=serializers.DateField()),
        "month_labels": serializers.ListField(child=serializers.CharField()),
        "months_elapsed": serializers.IntegerField(),
        "planned": TOTALS,
        "actual": TOTALS,
        "variance": TOTALS,
        "year_to_date": inline_serializer(
            "BudgetYearToDate",
            {
                "planned": serializers.DecimalField(**MONEY),
                "actual": serializers.DecimalField(**MONEY),
                "variance": serializers.DecimalField(**MONEY),
            },
        ),
        "plan": inline_serializer(
            "BudgetPlanTotals",
            {
                "capex": serializers.DecimalField(**MONEY),
                "opex": serializers.DecimalField(**MONEY),
                "one_time": serializers.DecimalField(**MONEY),
                "recurring": serializers.DecimalField(**MONEY),
            },
        ),
        "categories": inline_serializer(
            "BudgetCategorySummary",
            {
                "category": serializers.ChoiceField(choices=BudgetCategory.choices),
                "label": serializers.CharField(),
                "planned": serializers.DecimalField(**MONEY),
                "actual": serializers.DecimalField(**MONEY),
                "variance": serializers.DecimalField(**MONEY),
                "planned_by_month": MONTHLY,
                "actual_by_month": MONTHLY,
                "variance_by_month": MONTHLY,
            },
            many=True,
        ),
    },
)


class SummaryMixin:
    @extend_schema(summary="Planned vs actual by category and fiscal month", responses=SUMMARY)
    @action(detail=True, methods=["get"])
    def summary(self, request, pk=None):
        """Totals by category and by fiscal month (`months`: the first day of each, in fiscal
        order): planned (the lines' phased months), actual (spend dated in the fiscal year) and
        variance (actual − planned: above zero is over plan), with the year to date ending with the
        practice's today. Decimal strings."""
        budget = self.get_object()
        data = {
            "budget": str(budget.pk),
            "client": str(budget.client_id),
            "fiscal_year": budget.fiscal_year,
            "currency": self.practice.currency,
            **selectors.summary(budget=budget),
        }
        return ApiResponse(data)


class BudgetViewSet(SummaryMixin, TenantViewSet):
    """Your clients' budgets (scenarios are under `scenarios/`). Filter with `?client=`,
    `?fiscal_year=`, `?status=` (repeatable). One budget per client and fiscal year. Creating one
    makes an empty draft; `build` fills it from the roadmap and the contracts."""

    serializer_class = BudgetSerializer
    filterset_class = BudgetFilter
    ordering_fields = ["fiscal_year", "created_at", "updated_at"]
    ordering = ["-fiscal_year", "id"]
    search_fields = ["client__name", "notes"]

    def get_scoped_queryset(self, practice):
        # unordered: `ordering` (or `?ordering=`) orders the list, primary key last
        return selectors.budgets_of_practice(practice=practice, related=self.action != "list")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return _with_lines(page, self.practice) if page is not None else page

    def create_object(self, data):
        return services.budget_create(
            client=data["client"],
            actor=self.actor,
            fiscal_year=data["fiscal_year"],
            notes=data.get("notes", ""),
        )

    def update_object(self, instance, data):
        data.pop("client", None)
        data.pop("fiscal_year", None)
        return services.budget_update(budget=instance, actor=self.actor, **data)

    def destroy_object(self, instance):
        services.budget_delete(budget=instance, actor=self.actor)

    def _answer(self, budget):
        return BudgetSerializer(budget, context=self.get_serializer_context()).data

    @extend_schema(
        summary="Build a budget from the roadmap and the contracts", request=None, responses=BUILD_RESULT
    )
    @action(detail=True, methods=["post"])
    def build(self, request, pk=None):
        """Make the budget's generated lines what the roadmap (approved, in-progress and done
        initiatives) and the contracts say: new sources add lines, changed ones update theirs,
        vanished ones are removed; manual lines and lines changed by hand are left alone. Running it
        again changes nothing. 400 for an approved budget."""
        budget = self.get_object()
        result = services.budget_build(budget=budget, actor=self.actor)
        return ApiResponse(
            {
                "created": result.created,
                "updated": result.updated,
                "removed": result.removed,
                "kept": result.kept,
                "unchanged": result.unchanged,
                "message": result.describe(),
                "budget": self._answer(budget),
            }
        )

    @extend_schema(summary="Approve a budget (freeze it)", request=None, responses=BudgetSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve: the budget is frozen (no build, no line change) until reopened. 400 when it is
        already approved."""
        budget = services.budget_approve(budget=self.get_object(), actor=self.actor)
        return ApiResponse(self._answer(budget))

    @extend_schema(summary="Reopen a budget", request=None, responses=BudgetSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Back to draft: the budget can change again. Recorded in its history."""
        budget = services.budget_reopen(budget=self.get_object(), actor=self.actor)
        return ApiResponse(self._answer(budget))

    @extend_schema(summary="Mark a budget proposed", request=None, responses=BudgetSerializer)
    @action(detail=True, methods=["post"])
    def propose(self, request, pk=None):
        """A draft budget is proposed to the client (it can still change)."""
        budget = services.budget_propose(budget=self.get_object(), actor=self.actor)
        return ApiResponse(self._answer(budget))


class ScenarioViewSet(SummaryMixin, TenantViewSet):
    """What-if scenarios of your clients' budgets. Filter with `?budget=`, `?client=`, `?fiscal_year=`.
    Create one from a `budget` with a `name`: every line is copied."""

    serializer_class = ScenarioSerializer
    filterset_class = ScenarioFilter
    ordering_fields = ["name", "created_at", "updated_at"]
    ordering = ["name"]
    search_fields = ["name", "notes"]

    def get_scoped_queryset(self, practice):
        return selectors.scenarios_of_practice(practice=practice).order_by("-fiscal_year", "name", "pk")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return _with_lines(page, self.practice) if page is not None else page

    def create_object(self, data):
        return services.scenario_create(
            budget=data["scenario_of"],
            actor=self.actor,
            name=data.get("name", ""),
            notes=data.get("notes", ""),
        )

    def update_object(self, instance, data):
        data.pop("scenario_of", None)
        return services.budget_update(budget=instance, actor=self.actor, **data)

    def destroy_object(self, instance):
        services.budget_delete(budget=instance, actor=self.actor)

    @extend_schema(summary="Promote a scenario to be the budget", request=None, responses=BudgetSerializer)
    @action(detail=True, methods=["post"])
    def promote(self, request, pk=None):
        """The budget's lines become the scenario's, all or nothing (400 when the budget is approved).
        Answers the budget."""
        budget = services.scenario_promote(scenario=self.get_object(), actor=self.actor)
        return ApiResponse(BudgetSerializer(budget, context=self.get_serializer_context()).data)


class BudgetLineViewSet(TenantViewSet):
    """Lines of your clients' budgets and scenarios. Filter with `?budget=`, `?category=`, `?source=`,
    `?recurrence=` (repeatable), `?vendor=`, `?initiative=`, `?contract=`. Lines from the roadmap or a
    contract cannot be deleted (drop them: `"dropped": true`); an approved budget's lines cannot change."""

    serializer_class = BudgetLineSerializer
    filterset_class = BudgetLineFilter
    ordering_fields = ["name", "category", "amount", "first_month", "created_at", "updated_at"]
    ordering = ["category", "name", "id"]
    search_fields = ["name", "notes"]

    def get_scoped_queryset(self, practice):
        if self.action == "list":  # a row is the line's own columns and ids: nothing to join
            return BudgetLine.objects.for_practice(practice).order_by("category", "name", "pk")
        return (
            BudgetLine.objects.for_practice(practice)
            .filter(budget__practice_id=getattr(practice, "pk", practice))
            .select_related("budget")
            .order_by("budget_id", "category", "name", "pk")
        )

    def create_object(self, data):
        budget = data.pop("budget")
        return services.line_create(budget=budget, actor=self.actor, **data)

    def update_object(self, instance, data):
        fresh = BudgetLine.objects.for_practice(self.practice).select_related("budget").get(pk=instance.pk)
        return services.line_update(line=fresh, actor=self.actor, **data)

    def destroy_object(self, instance):
        services.line_delete(line=instance, actor=self.actor)


class ActualViewSet(TenantViewSet):
    """Actual spend of your clients. Filter with `?client=`, `?category=` (repeatable), `?vendor=`,
    `?budget_line=`, `?source=`, `?date_from=`, `?date_to=` (YYYY-MM-DD)."""

    serializer_class = ActualSerializer
    filterset_class = ActualFilter
    ordering_fields = ["date", "amount", "created_at"]
    ordering = ["-date", "-created_at", "id"]
    search_fields = ["description"]

    def get_scoped_queryset(self, practice):
        if self.action == "list":  # a row is the actual's own columns and ids: nothing to join
            return Actual.objects.for_practice(practice).order_by("-date", "-created_at", "pk")
        return actual_selectors.actuals_of_practice(practice=practice).order_by("-date", "-created_at", "pk")

    def create_object(self, data):
        client = data.pop("client")
        return actual_services.actual_create(client=client, actor=self.actor, **data)

    def update_object(self, instance, data):
        fresh = Actual.objects.for_practice(self.practice).select_related("client").get(pk=instance.pk)
        return actual_services.actual_update(actual=fresh, actor=self.actor, **data)

    def destroy_object(self, instance):
        actual_services.actual_delete(actual=instance, actor=self.actor)


# Discovered by vcio.api_urls: everything under /api/v1/.
API_ROUTES = [
    ("budgets", BudgetViewSet, "budget"),
    ("scenarios", ScenarioViewSet, "scenario"),
    ("budget-lines", BudgetLineViewSet, "budget-line"),
    ("actuals", ActualViewSet, "actual"),
]
