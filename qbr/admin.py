"""Django admin for staff. `practice` is never edited: it follows the client or meeting (set on save).
The QBR schedule itself is django-celery-beat's "Periodic tasks" entry (see qbr/schedules.py)."""

from django.contrib import admin

from vcio.admin import PlainTenantAdmin, TenantAdmin, TenantInlineMixin

from .advisory_models import Advisory, AdvisoryClient
from .models import (
    ActionItem,
    AgendaItem,
    Meeting,
    MeetingContact,
    MeetingMember,
    QBRReport,
    QBRSettings,
    ReportBatch,
)


class AgendaInline(TenantInlineMixin, admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["order", "title"]


class MemberInline(TenantInlineMixin, admin.TabularInline):
    model = MeetingMember
    extra = 0
    raw_id_fields = ["user"]


class ContactInline(TenantInlineMixin, admin.TabularInline):
    model = MeetingContact
    extra = 0
    raw_id_fields = ["contact"]


@admin.register(Meeting)
class MeetingAdmin(TenantAdmin):
    list_display = ["scheduled_at", "client", "kind", "title", "status", "practice"]
    list_filter = ["status", "kind", "practice"]
    list_select_related = ["client", "practice"]
    search_fields = ["title", "client__name"]
    autocomplete_fields = ["client"]
    readonly_fields = ["status", "held_at", "proposed_by_meeting"]
    inlines = [AgendaInline, MemberInline, ContactInline]


@admin.register(ActionItem)
class ActionItemAdmin(TenantAdmin):
    list_display = ["description", "client", "status", "due_date", "practice"]
    list_filter = ["status", "practice"]
    list_select_related = ["client", "practice"]
    search_fields = ["description", "client__name"]
    raw_id_fields = ["meeting", "owner_member", "owner_contact"]
    readonly_fields = ["status", "done_at"]

    def save_model(self, request, obj, form, change):
        obj.client_id = obj.meeting.client_id
        super().save_model(request, obj, form, change)


@admin.register(QBRReport)
class QBRReportAdmin(TenantAdmin):
    list_display = ["client", "period", "version", "status", "trigger", "progress", "created_at", "practice"]
    list_filter = ["status", "trigger", "practice"]
    list_select_related = ["client", "practice"]
    search_fields = ["client__name"]
    readonly_fields = [
        "client",
        "period",
        "version",
        "status",
        "pdf",
        "trigger",
        "requested_by",
        "meeting",
        "batch",
        "snapshot",
        "progress",
        "started_at",
        "finished_at",
        "error",
        "task_id",
        "attempts",
        "notified_at",
    ]

    def has_add_permission(self, request):
        return False  # reports are requested from the app, the API or `qbr_generate`


@admin.register(QBRSettings)
class QBRSettingsAdmin(TenantAdmin):
    list_display = ["practice", "lead_time_days", "morning_hour", "last_scheduled_on", "last_digest_on"]
    readonly_fields = ["last_scheduled_on", "last_digest_on"]


@admin.register(ReportBatch)
class ReportBatchAdmin(PlainTenantAdmin):
    list_display = ["created_at", "total", "requested_by", "practice"]
    readonly_fields = ["requested_by", "total"]


class AdvisoryClientInline(TenantInlineMixin, admin.TabularInline):
    model = AdvisoryClient
    extra = 0
    raw_id_fields = ["client"]


@admin.register(Advisory)
class AdvisoryAdmin(TenantAdmin):
    list_display = ["title", "category", "severity", "targeting", "published_on", "practice"]
    list_filter = ["category", "severity", "targeting", "practice"]
    search_fields = ["title"]
    readonly_fields = ["published_on"]
    inlines = [AdvisoryClientInline]
