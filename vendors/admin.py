"""Django admin for staff. `practice` is never edited: a contract's follows its client, a log entry's
its vendor; a vendor and a calendar feed choose it once, on the add page."""

from django.contrib import admin
from django.db import models

from vcio.admin import TenantAdmin

from .models import CalendarFeed, Contract, Interaction, Vendor

HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Vendor)
class VendorAdmin(TenantAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "category", "practice", "account_manager_name"]
    list_filter = ["category", "practice"]
    search_fields = ["name", "account_manager_name"]


@admin.register(Contract)
class ContractAdmin(TenantAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "vendor", "client", "practice", "status", "start_date", "term_end", "auto_renew"]
    list_filter = ["status", "billing_frequency", "auto_renew", "practice"]
    list_select_related = ["vendor", "client", "practice"]
    search_fields = ["name", "vendor__name", "client__name"]
    raw_id_fields = ["client", "vendor", "owner"]
    readonly_fields = ["ended_on", "term_end"]


@admin.register(Interaction)
class InteractionAdmin(TenantAdmin):
    list_display = ["date", "kind", "vendor", "client", "practice", "who"]
    list_filter = ["kind", "practice"]
    list_select_related = ["vendor", "client", "practice", "who"]
    raw_id_fields = ["vendor", "client", "contract", "who"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(TenantAdmin):
    list_display = ["user", "practice", "created_at", "revoked_at"]
    list_select_related = ["user", "practice"]
    raw_id_fields = ["user"]
    readonly_fields = ["revoked_at"]

    def has_add_permission(self, request):
        return False  # links are made by members in the app (the secret is shown there)
