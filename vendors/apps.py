from django.apps import AppConfig


class VendorsConfig(AppConfig):
    name = "vendors"
    verbose_name = "Vendors"

    def ready(self):
        from accounts.signals import member_removed
        from vcio.demo import register_demo_seeder
        from vcio.history import register_history_source
        from vcio.registry import (
            ClientTab,
            OverviewPanel,
            SidebarEntry,
            register_client_tab,
            register_overview_panel,
            register_sidebar_entry,
        )

        from . import selectors
        from .demo import seed_vendors
        from .panels import notice_deadlines_panel

        register_sidebar_entry(SidebarEntry("vendors", "Vendors", "vendors:directory", 30, "bi-shop"))
        register_sidebar_entry(
            SidebarEntry("renewals", "Renewals", "vendors:renewals", 40, "bi-calendar-event")
        )
        register_client_tab(
            ClientTab("vendors", "Vendors", "vendors:client_contracts", 50, "bi-file-earmark-text")
        )
        register_overview_panel(OverviewPanel("vendors/_overview_panel.html", notice_deadlines_panel, 20))
        for source in selectors.CLIENT_HISTORY_SOURCES:
            register_history_source(source)
        register_demo_seeder(seed_vendors, order=30)
        from vcio.scale import register_scale_seeder

        from .scale import seed_vendors_at_scale

        register_scale_seeder(seed_vendors_at_scale, order=30)
        member_removed.connect(_clear_assignments, dispatch_uid="vendors.member_removed")


def _clear_assignments(sender, practice_id, user, actor, **kwargs):
    from .services import clear_member_assignments

    clear_member_assignments(practice_id=practice_id, user=user, actor=actor)
