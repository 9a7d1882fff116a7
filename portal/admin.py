"""Django admin for staff: a client's portal settings (the practice follows the client)."""

from django.contrib import admin

from vcio.admin import TenantAdmin

from .models import PortalSettings


@admin.register(PortalSettings)
class PortalSettingsAdmin(TenantAdmin):
    list_display = ["client", "hidden_sections", "practice", "updated_at"]
    list_filter = ["practice"]
    list_select_related = ["client", "practice"]
    search_fields = ["client__name"]
    raw_id_fields = ["client"]
