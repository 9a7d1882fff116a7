"""Django admin for staff. `practice` is never edited: a budget's and an actual's follow the client, a
line's its budget; the settings choose it once, on the add page."""

from django.contrib import admin

from vcio.admin import TenantAdmin

from . import spend
from .models import Actual, Budget, BudgetLine, BudgetSettings, MonthlySpend, forget_planned


@admin.register(Budget)
class BudgetAdmin(TenantAdmin):
    list_display = ["__str__", "client", "practice", "fiscal_year", "status", "approved_at"]
    list_filter = ["status", "practice"]
    list_select_related = ["client", "practice"]
    search_fields = ["client__name", "name"]
    raw_id_fields = ["client"]
    readonly_fields = ["status", "approved_by", "approved_at", "built_at"]


@admin.register(BudgetLine)
class BudgetLineAdmin(TenantAdmin):
    list_display = ["name", "budget", "category", "recurrence", "amount", "source", "practice"]
    list_filter = ["category", "recurrence", "source", "practice"]
    list_select_related = ["budget", "practice"]
    search_fields = ["name"]
    raw_id_fields = ["budget", "vendor"]
    readonly_fields = ["source", "source_part", "initiative", "contract", "adjusted", "dropped"]

    def delete_queryset(self, request, queryset):
        """ "Delete selected" deletes in bulk, past `BudgetLine.delete`: its budgets' stored months
        become unknown here instead."""
        touched = list(queryset.values_list("practice_id", "budget_id").distinct())
        super().delete_queryset(request, queryset)
        for practice_id, budget_id in touched:
            forget_planned(practice_id, [budget_id])


@admin.register(Actual)
class ActualAdmin(TenantAdmin):
    list_display = ["date", "client", "amount", "category", "vendor", "practice", "source"]
    list_filter = ["category", "source", "practice"]
    list_select_related = ["client", "vendor", "practice"]
    search_fields = ["description", "client__name"]
    raw_id_fields = ["client", "vendor", "budget_line"]

    def delete_queryset(self, request, queryset):
        """ "Delete selected" deletes in bulk, past `Actual.delete`: the months it touched are summed
        again here."""
        touched = list(queryset.values_list("practice_id", "client_id", "date"))
        super().delete_queryset(request, queryset)
        by_practice: dict = {}
        for practice_id, client_id, day in touched:
            by_practice.setdefault(practice_id, []).append((client_id, day))
        for practice_id, keys in by_practice.items():
            spend.resum(practice_id, keys)


@admin.register(MonthlySpend)
class MonthlySpendAdmin(TenantAdmin):
    """Read only: summed from the actuals (`budgets.spend`), never edited."""

    list_display = ["month", "client", "amount", "practice"]
    list_filter = ["practice"]
    list_select_related = ["client", "practice"]
    search_fields = ["client__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BudgetSettings)
class BudgetSettingsAdmin(TenantAdmin):
    list_display = ["practice", "inflation_rate"]
    list_select_related = ["practice"]
