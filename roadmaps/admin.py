"""Django admin for staff. `practice` is never edited: it follows the client (set on save)."""

from django.contrib import admin

from vcio.admin import PlainTenantAdmin, TenantAdmin

from .models import Goal, Initiative, InitiativeGoal, InitiativeStatusChange, InitiativeTemplate


class PracticeFromClientAdmin(TenantAdmin):
    list_select_related = ["client", "practice"]
    autocomplete_fields = ["client"]


@admin.register(Goal)
class GoalAdmin(PracticeFromClientAdmin):
    list_display = ["title", "client", "practice", "fiscal_year", "status", "order"]
    list_filter = ["status", "fiscal_year", "practice"]
    search_fields = ["title", "client__name"]


class StatusChangeInline(admin.TabularInline):
    model = InitiativeStatusChange
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "changed_by", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Initiative)
class InitiativeAdmin(PracticeFromClientAdmin):
    list_display = [
        "title",
        "client",
        "practice",
        "category",
        "priority",
        "status",
        "target_start",
        "target_end",
    ]
    list_filter = ["status", "category", "priority", "practice"]
    search_fields = ["title", "client__name"]
    readonly_fields = ["status", "approved_by", "approved_at", "completed_at"]
    raw_id_fields = ["owner", "sponsor"]
    inlines = [StatusChangeInline]


@admin.register(InitiativeGoal)
class InitiativeGoalAdmin(TenantAdmin):
    list_display = ["initiative", "goal", "practice"]
    list_select_related = ["initiative", "goal", "practice"]
    raw_id_fields = ["initiative", "goal"]


@admin.register(InitiativeStatusChange)
class InitiativeStatusChangeAdmin(PlainTenantAdmin):
    list_display = ["initiative", "from_status", "to_status", "changed_by", "created_at", "practice"]
    list_filter = ["to_status", "practice"]
    list_select_related = ["initiative", "changed_by", "practice"]
    readonly_fields = ["initiative", "from_status", "to_status", "changed_by", "note", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(InitiativeTemplate)
class InitiativeTemplateAdmin(TenantAdmin):
    """A practice-level model: its practice is chosen once, on the add page."""

    list_display = ["title", "practice", "category", "priority", "one_time_cost", "recurring_monthly_cost"]
    list_filter = ["category", "priority", "practice"]
    search_fields = ["title", "tags", "practice__name"]
