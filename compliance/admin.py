"""Django admin for staff. The shipped catalogs are read-only here too (only `load_frameworks`
writes them); tenant rows never have their `practice` edited: it follows the parent object."""

from django.contrib import admin
from django.db import models

from vcio.admin import TenantAdmin

from .models import (
    Adoption,
    Assessment,
    EvidenceLink,
    Framework,
    InitiativeLink,
    Requirement,
    Response,
    Standard,
    StandardFramework,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """View only: a shipped catalog changes through `manage.py load_frameworks`, never by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "version", "publisher", "updated_at"]
    search_fields = ["name", "slug"]


@admin.register(Requirement)
class RequirementAdmin(ReadOnlyAdmin):
    list_display = ["ref", "title", "framework", "level", "kind", "assessable", "required"]
    list_filter = ["framework", "level", "assessable"]
    list_select_related = ["framework"]
    search_fields = ["ref", "title", "text"]


@admin.register(StandardFramework)
class StandardFrameworkAdmin(TenantAdmin):
    list_display = ["name", "slug", "version", "practice", "updated_at"]
    list_filter = ["practice"]
    search_fields = ["name", "slug"]


@admin.register(Standard)
class StandardAdmin(TenantAdmin):
    list_display = ["ref", "title", "weight", "framework", "practice"]
    list_filter = ["weight", "practice"]
    list_select_related = ["framework", "practice"]
    search_fields = ["ref", "title"]
    raw_id_fields = ["framework", "parent"]


@admin.register(Adoption)
class AdoptionAdmin(TenantAdmin):
    list_display = ["client", "framework", "standard_framework", "target_date", "practice"]
    list_select_related = ["client", "framework", "standard_framework", "practice"]
    raw_id_fields = ["client", "framework", "standard_framework", "adopted_by"]


@admin.register(Assessment)
class AssessmentAdmin(TenantAdmin):
    list_display = ["title", "client", "status", "started_on", "completed_at", "practice"]
    list_filter = ["status", "practice"]
    list_select_related = ["client", "practice"]
    raw_id_fields = ["client", "adoption"]
    readonly_fields = [
        "status",
        "is_current",
        "based_on",
        "completed_at",
        "completed_by",
        "score_earned",
        "score_possible",
    ]


@admin.register(Response)
class ResponseAdmin(TenantAdmin):
    list_display = ["assessment", "requirement", "standard", "status", "owner", "due_date", "practice"]
    list_filter = ["status", "practice"]
    list_select_related = ["assessment", "requirement", "standard", "owner", "practice"]
    raw_id_fields = ["client", "assessment", "requirement", "standard", "owner"]
    readonly_fields = ["answered_by", "answered_at", "reviewed_by", "reviewed_at", "weight"]


@admin.register(EvidenceLink)
class EvidenceLinkAdmin(TenantAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["label", "url", "response", "practice"]
    list_select_related = ["response", "practice"]
    raw_id_fields = ["response"]


@admin.register(InitiativeLink)
class InitiativeLinkAdmin(TenantAdmin):
    list_display = ["initiative", "requirement", "standard", "adoption", "practice"]
    list_select_related = ["initiative", "requirement", "standard", "adoption", "practice"]
    raw_id_fields = ["client", "adoption", "requirement", "standard", "initiative"]
