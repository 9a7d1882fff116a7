from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from vcio.admin import TenantAdmin

from .models import ApiKey, Invitation, Membership, Practice, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_active"]
    search_fields = ["email", "name", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("name", "first_name", "last_name")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Practice)
class PracticeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "currency", "time_zone", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(TenantAdmin):
    list_display = ["user", "practice", "role"]
    list_filter = ["role"]
    list_select_related = ["user", "practice"]
    autocomplete_fields = ["user"]


@admin.register(Invitation)
class InvitationAdmin(TenantAdmin):
    list_display = ["email", "practice", "role", "client", "expires_at", "accepted_at", "revoked_at"]
    list_select_related = ["practice", "client"]
    exclude = ["token_hash"]
    raw_id_fields = ["client", "invited_by", "accepted_by"]

    def has_add_permission(self, request):
        return False  # invitations are sent from the app (they need an e-mailed secret link)


@admin.register(ApiKey)
class ApiKeyAdmin(TenantAdmin):
    list_display = ["name", "practice", "prefix", "read_only", "expires_at", "revoked_at", "last_used_at"]
    list_select_related = ["practice"]
    exclude = ["key_hash"]
    readonly_fields = ["prefix", "last_used_at"]

    def has_add_permission(self, request):
        return False  # keys are created in the app or with `create_api_key` (the secret is shown once)
