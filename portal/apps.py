from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Client-executive portal"

    def ready(self):
        from vcio.demo import register_demo_seeder
        from vcio.history import HistorySource, register_history_source
        from vcio.registry import ClientTab, register_client_tab, register_landing

        from . import demo, landing
        from .models import PortalSettings
        from .sections import register_core_sections

        register_core_sections()
        # Before every other landing: a signed-in executive without a practice goes to the portal.
        register_landing(landing.portal_landing, order=10)
        register_client_tab(
            ClientTab("portal_sections", "Portal sections", "portal_practice:settings", 95, "bi-eye")
        )
        register_history_source(
            HistorySource(
                "Portal settings",
                lambda client: PortalSettings.history.filter(
                    practice_id=client.practice_id, client_id=client.pk
                ),
                describe=lambda record: "Portal sections",
            )
        )
        register_demo_seeder(demo.seed_portal, order=95)
