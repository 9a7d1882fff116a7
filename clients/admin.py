from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import ApiKey, Client, Contact, Invitation, Membership, PortalAccess, Practice, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name")}),
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


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    exclude = ["practice"]


@admin.register(Client)
class ClientAdmin(SimpleHistoryAdmin):
    list_display = ["name", "practice", "industry", "headcount", "status"]
    list_filter = ["status", "industry", "practice"]
    search_fields = ["name"]
    list_select_related = ["practice"]
    inlines = [ContactInline]


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ["name", "client", "title", "email", "is_executive"]
    search_fields = ["name", "email", "client__name"]
    list_select_related = ["client"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "practice", "role"]
    list_filter = ["role"]
    list_select_related = ["user", "practice"]


@admin.register(PortalAccess)
class PortalAccessAdmin(SimpleHistoryAdmin):
    list_display = ["user", "client", "practice"]
    list_select_related = ["user", "client", "practice"]


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    list_display = ["email", "practice", "role", "client", "expires_at", "accepted_at", "revoked_at"]
    list_select_related = ["practice", "client"]
    exclude = ["token_hash"]


@admin.register(ApiKey)
class ApiKeyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "practice", "prefix", "read_only", "expires_at", "revoked_at", "last_used_at"]
    list_select_related = ["practice"]
    exclude = ["key_hash"]
