from django.contrib import admin

from vcio.admin import TenantAdmin, TenantInlineMixin

from .models import Client, Contact, PortalAccess


class ContactInline(TenantInlineMixin, admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Client)
class ClientAdmin(TenantAdmin):
    list_display = ["name", "practice", "industry", "headcount", "status"]
    list_filter = ["status", "industry", "practice"]
    search_fields = ["name"]
    list_select_related = ["practice"]
    raw_id_fields = ["primary_consultant"]
    inlines = [ContactInline]


@admin.register(Contact)
class ContactAdmin(TenantAdmin):
    list_display = ["name", "client", "title", "email", "is_executive"]
    search_fields = ["name", "email", "client__name"]
    list_select_related = ["client"]
    autocomplete_fields = ["client"]


@admin.register(PortalAccess)
class PortalAccessAdmin(TenantAdmin):
    list_display = ["user", "client", "practice"]
    list_select_related = ["user", "client", "practice"]
    raw_id_fields = ["user", "client"]
