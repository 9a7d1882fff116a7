from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and access"

    def ready(self):
        from vcio.registry import (
            SettingsSection,
            SidebarEntry,
            register_settings_section,
            register_sidebar_entry,
        )

        register_sidebar_entry(
            SidebarEntry("settings", "Settings", "accounts:settings", 900, "bi-gear", "manage_settings")
        )
        register_settings_section(SettingsSection("general", "General", "accounts:settings", 0))
        register_settings_section(
            SettingsSection("members", "Members", "accounts:members", 10, "manage_members")
        )
        register_settings_section(SettingsSection("apikeys", "API keys", "accounts:apikeys", 20))

        from vcio.scale import register_scale_seeder

        from . import api_auth  # noqa: F401  (connects the API-key history signal)
        from .scale import seed_people

        register_scale_seeder(seed_people, order=0)
