from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = "Clients"

    def ready(self):
        from accounts.member_services import register_portal_acceptor
        from accounts.signals import member_removed
        from accounts.two_factor import register_two_factor_belonging
        from vcio.demo import register_demo_logins, register_demo_seeder
        from vcio.history import register_history_source
        from vcio.registry import (
            ClientTab,
            SidebarEntry,
            register_client_tab,
            register_practice_count,
            register_sidebar_entry,
        )
        from vcio.scale import register_scale_seeder

        from . import demo, portal_services, scale, selectors
        from .models import Client

        register_sidebar_entry(SidebarEntry("clients", "Clients", "clients:list", 10, "bi-building"))
        register_client_tab(ClientTab("overview", "Overview", "clients:overview", 0, "bi-speedometer2"))
        register_client_tab(ClientTab("contacts", "Contacts", "clients:contacts", 80, "bi-person-lines-fill"))
        register_client_tab(
            ClientTab("portal_access", "Portal access", "clients:portal_access", 90, "bi-person-badge")
        )
        register_client_tab(ClientTab("history", "History", "clients:history", 100, "bi-clock-history"))
        for source in selectors.CLIENT_HISTORY_SOURCES:
            register_history_source(source)
        register_practice_count("clients", lambda p: Client.objects.for_practice(p).count())
        register_demo_seeder(demo.seed_clients, order=5)
        register_demo_seeder(demo.seed_portal_access, order=6)
        register_demo_logins(demo.portal_logins)
        register_scale_seeder(scale.seed_clients_at_scale, order=5)
        register_portal_acceptor(portal_services.portal_invitation_accept)
        member_removed.connect(_clear_assignments, dispatch_uid="clients.member_removed")
        register_two_factor_belonging(_portal_accesses_requiring_two_factor)


def _clear_assignments(sender, practice_id, user, actor, **kwargs):
    from .services import clear_member_assignments

    clear_member_assignments(practice_id=practice_id, user=user, actor=actor)


def _portal_accesses_requiring_two_factor():
    """A client executive comes under the "require two-factor" rule of the practice whose portal they
    may see."""
    from .models import PortalAccess

    return PortalAccess.objects.filter(practice__require_two_factor=True)
