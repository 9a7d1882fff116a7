"""API of the vendors app: vendors, contracts and the relationship log (CRUD), calling the same
selectors and services as the pages. A contract's answer carries its renewal picture, computed by
`vendors.renewals` on the practice's today: `next_renewal`, `notice_deadline`, `annual_cost`…"""

from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api import MemberField
from accounts.models import User
from accounts.selectors import practice_member_users
from vcio.api import TenantFilterSet, TenantSerializer, TenantViewSet
from vcio.api_schema import describe_tag

from . import directory_selectors, renewals, selectors, services
from .models import (
    BillingFrequency,
    Contract,
    ContractStatus,
    ContractType,
    Interaction,
    InteractionKind,
    Vendor,
    VendorCategory,
)

MAX_WINDOW_DAYS = 3_650

describe_tag("vendors", "The practice's vendor directory, shared by its clients.")
describe_tag(
    "contracts",
    "Clients' contracts and subscriptions with vendors, with their computed renewal picture "
    "(next renewal, notice deadline, annual cost) on the practice's today.",
)
describe_tag("interactions", "The relationship log with vendors (calls, meetings, escalations…).")


# next_renewal, notice_deadline and expires_on are null where they do not apply (see the serializer).
NULLABLE_DATE = serializers.DateField(allow_null=True, read_only=True)


class VendorSerializer(TenantSerializer):
    """A vendor of the practice. `contract_count`, `client_count` and `annual_spend` (a decimal
    string) cover its running contracts."""

    contract_count = serializers.IntegerField(read_only=True)
    client_count = serializers.IntegerField(read_only=True)
    annual_spend = serializers.DecimalField(max_digits=20, decimal_places=2, read_only=True)

    class Meta:
        model = Vendor
        fields = [
            "id",
            *services.VENDOR_FIELDS,
            "contract_count",
            "client_count",
            "annual_spend",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


class ContractSerializer(TenantSerializer):
    """A client's contract with a vendor of the same practice. `client` is set at creation and cannot
    change; `owner` is a member of the practice who may do client work. Give `end_date` or
    `term_months` (or neither, for an open-ended contract). Money is a decimal string.

    Computed (read-only): `state` (an active contract whose term ended without renewing is
    `expired`), `next_renewal` (auto-renewing contracts: rolled forward past today),
    `notice_deadline` (`next_renewal` − `notice_days`), `expires_on` (contracts that do not renew),
    `in_notice_window` (the deadline is within 30 days), `annual_cost` (cost × quantity × periods per
    year; one-time charges 0)."""

    owner = MemberField(queryset=User.objects.none(), allow_null=True, required=False)
    state = serializers.SerializerMethodField()
    next_renewal = serializers.SerializerMethodField()
    notice_deadline = serializers.SerializerMethodField()
    expires_on = serializers.SerializerMethodField()
    in_notice_window = serializers.SerializerMethodField()
    annual_cost = serializers.DecimalField(max_digits=20, decimal_places=2, read_only=True)

    class Meta:
        model = Contract
        fields = [
            "id",
            "client",
            *services.CONTRACT_FIELDS,
            "status",
            "ended_on",
            "state",
            "next_renewal",
            "notice_deadline",
            "expires_on",
            "in_notice_window",
            "annual_cost",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "ended_on", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        practice = getattr(request, "practice", None) if request else None
        self._today = selectors.practice_today(practice) if practice is not None else None
        self._infos = {}

    def scope_fields(self, practice):
        if practice is not None:
            self.fields["owner"].queryset = practice_member_users(practice=practice)

    def _info(self, contract) -> renewals.Renewal:
        key = (contract.pk, contract.updated_at)
        if key not in self._infos:
            self._infos[key] = renewals.contract_renewal(
                contract, self._today or selectors.practice_today(contract.practice)
            )
        return self._infos[key]

    @extend_schema_field(OpenApiTypes.STR)
    def get_state(self, obj) -> str:
        return self._info(obj).state

    @extend_schema_field(NULLABLE_DATE)
    def get_next_renewal(self, obj):
        return _iso(self._info(obj).next_renewal)

    @extend_schema_field(NULLABLE_DATE)
    def get_notice_deadline(self, obj):
        return _iso(self._info(obj).notice_deadline)

    @extend_schema_field(NULLABLE_DATE)
    def get_expires_on(self, obj):
        return _iso(self._info(obj).expires_on)

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_in_notice_window(self, obj) -> bool:
        return self._info(obj).in_notice_window


def _iso(value):
    return value.isoformat() if value else None


class InteractionSerializer(TenantSerializer):
    """An entry of the relationship log with a vendor, optionally about a client or one of the
    vendor's contracts (its client is then the contract's). `who` is a member of the practice."""

    who = MemberField(queryset=User.objects.none(), allow_null=True, required=False)

    class Meta:
        model = Interaction
        fields = ["id", "vendor", *services.INTERACTION_FIELDS, "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]

    def scope_fields(self, practice):
        if practice is not None:
            self.fields["who"].queryset = practice_member_users(practice=practice)


class VendorFilter(TenantFilterSet):
    category = filters.MultipleChoiceFilter(choices=VendorCategory.choices)

    class Meta:
        model = Vendor
        fields = {"name": ["exact", "icontains"]}


class ContractFilter(TenantFilterSet):
    status = filters.MultipleChoiceFilter(choices=ContractStatus.choices)
    contract_type = filters.MultipleChoiceFilter(choices=ContractType.choices)
    billing_frequency = filters.MultipleChoiceFilter(choices=BillingFrequency.choices)
    owner = filters.ModelChoiceFilter(queryset=User.objects.none())
    renews_within_days = filters.NumberFilter(
        method="filter_renews_within",
        label="Running contracts that renew or end within this many days (0-3650) of today",
        min_value=0,
        max_value=MAX_WINDOW_DAYS,
    )

    class Meta:
        model = Contract
        fields = ["client", "vendor", "auto_renew"]

    def scope_filters(self, practice):
        self.practice = practice
        if practice is not None:
            self.filters["owner"].queryset = practice_member_users(practice=practice)

    def filter_renews_within(self, queryset, name, value):
        if value is None or self.practice is None:
            return queryset
        ids = selectors.contract_ids_renewing_within(practice=self.practice, within_days=int(value))
        return queryset.filter(pk__in=ids)


class InteractionFilter(TenantFilterSet):
    kind = filters.MultipleChoiceFilter(choices=InteractionKind.choices)
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Interaction
        fields = ["vendor", "client", "contract"]


class VendorViewSet(TenantViewSet):
    """Your practice's vendors. Filter with `?category=` (repeatable), `?name__icontains=`. Deleting a
    vendor that still has contracts is refused (400)."""

    serializer_class = VendorSerializer
    filterset_class = VendorFilter
    ordering_fields = ["name", "category", "contract_count", "client_count", "annual_spend", "created_at"]
    ordering = ["name"]
    search_fields = ["name", "account_manager_name", "notes"]

    def get_scoped_queryset(self, practice):
        """With the totals as subqueries for one vendor or a list sorted by them; a list sorted
        otherwise reads its page's totals afterwards (`paginate_queryset`)."""
        if self.action == "list" and not directory_selectors.sorts_by_totals(
            self.request.query_params.get("ordering")
        ):
            return Vendor.objects.for_practice(practice).order_by("name", "pk")
        return directory_selectors.vendors_with_totals(practice=practice).order_by("name", "pk")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return (
            directory_selectors.with_vendor_totals(page, practice=self.practice) if page is not None else page
        )

    def _fresh(self, vendor):
        return self.get_scoped_queryset(self.practice).get(pk=vendor.pk)

    def create_object(self, data):
        return self._fresh(services.vendor_create(practice=self.practice, actor=self.actor, **data))

    def update_object(self, instance, data):
        return self._fresh(services.vendor_update(vendor=instance, actor=self.actor, **data))

    def destroy_object(self, instance):
        services.vendor_delete(vendor=instance, actor=self.actor)


class ContractViewSet(TenantViewSet):
    """Contracts of your practice's clients. Filter with `?client=`, `?vendor=`, `?status=`
    (repeatable: active, cancelled, expired), `?owner=`, `?auto_renew=`, and
    `?renews_within_days=90` (running contracts whose next renewal or end falls within 90 days)."""

    serializer_class = ContractSerializer
    filterset_class = ContractFilter
    ordering_fields = ["name", "start_date", "term_end", "cost", "created_at", "updated_at"]
    ordering = ["name"]
    search_fields = ["name", "vendor__name", "notes"]

    def get_scoped_queryset(self, practice):
        if self.action == "list":  # a row is the contract's own columns and ids: nothing to join
            return Contract.objects.for_practice(practice).order_by("name", "pk")
        return selectors.contracts_of_practice(practice=practice).order_by("name", "pk")

    def create_object(self, data):
        client = data.pop("client")
        return services.contract_create(client=client, actor=self.actor, **data)

    def update_object(self, instance, data):
        return services.contract_update(contract=instance, actor=self.actor, **data)

    def destroy_object(self, instance):
        services.contract_delete(contract=instance, actor=self.actor)


class InteractionViewSet(TenantViewSet):
    """The relationship log. Filter with `?vendor=`, `?client=`, `?contract=`, `?kind=`, `?date_from=`,
    `?date_to=` (YYYY-MM-DD)."""

    serializer_class = InteractionSerializer
    filterset_class = InteractionFilter
    ordering_fields = ["date", "created_at"]
    ordering = ["-date", "-created_at"]
    search_fields = ["summary"]

    def get_scoped_queryset(self, practice):
        return (
            Interaction.objects.for_practice(practice)
            .filter(vendor__practice_id=getattr(practice, "pk", practice))
            .select_related("vendor", "client", "contract", "who")
            .order_by("-date", "-created_at", "pk")
        )

    def create_object(self, data):
        vendor = data.pop("vendor")
        return services.interaction_create(vendor=vendor, actor=self.actor, **data)

    def update_object(self, instance, data):
        return services.interaction_update(interaction=instance, actor=self.actor, **data)

    def destroy_object(self, instance):
        services.interaction_delete(interaction=instance, actor=self.actor)


# Discovered by vcio.api_urls: everything under /api/v1/.
API_ROUTES = [
    ("vendors", VendorViewSet, "vendor"),
    ("contracts", ContractViewSet, "contract"),
    ("interactions", InteractionViewSet, "interaction"),
]
