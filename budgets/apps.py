from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "budgets"
    verbose_name = "Budgets"

    def ready(self):
        from vcio.demo import register_demo_seeder
        from vcio.history import register_history_source
        from vcio.registry import (
            ClientTab,
            OverviewPanel,
            SettingsSection,
            register_client_tab,
            register_overview_panel,
            register_settings_section,
        )

        from .demo import seed_budgets
        from .history import CLIENT_HISTORY_SOURCES
        from .panels import budget_panel

        register_client_tab(ClientTab("budget", "Budget", "budgets:budget", 30, "bi-cash-coin"))
        register_overview_panel(OverviewPanel("budgets/_overview_panel.html", budget_panel, 30))
        register_settings_section(SettingsSection("budgets", "Budgets", "budgets:settings", 30))
        for source in CLIENT_HISTORY_SOURCES:
            register_history_source(source)
        register_demo_seeder(seed_budgets, order=35)
        from vcio.scale import register_scale_seeder

        from .scale import seed_budgets_at_scale

        register_scale_seeder(seed_budgets_at_scale, order=35)
