from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = "Practices and clients"

    def ready(self):
        from .history import HistorySource, register_history_source
        from .models import Client, Contact
        from .tabs import ClientTab, register_client_tab

        register_history_source(HistorySource("Client", lambda c: Client.history.filter(id=c.pk)))
        register_history_source(HistorySource("Contact", lambda c: Contact.history.filter(client_id=c.pk)))

        register_client_tab(ClientTab("overview", "Overview", "clients:overview", 0, "bi-speedometer2"))
        register_client_tab(ClientTab("contacts", "Contacts", "clients:contacts", 80, "bi-person-lines-fill"))
        register_client_tab(
            ClientTab("portal_access", "Portal access", "clients:portal_access", 90, "bi-person-badge")
        )
        register_client_tab(ClientTab("history", "History", "clients:history", 100, "bi-clock-history"))

        from .member_selectors import PORTAL_ACCESS_HISTORY, PORTAL_INVITATION_HISTORY

        register_history_source(PORTAL_ACCESS_HISTORY)
        register_history_source(PORTAL_INVITATION_HISTORY)

        from . import member_demo  # noqa: F401  (registers the demo seeder)
