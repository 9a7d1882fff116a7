from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = "Compliance"

    def ready(self):
        from accounts.signals import member_removed
        from vcio.demo import register_demo_seeder
        from vcio.history import HistorySource, register_history_source
        from vcio.registry import (
            ClientTab,
            OverviewPanel,
            SidebarEntry,
            register_client_tab,
            register_overview_panel,
            register_sidebar_entry,
        )

        from .demo import seed_compliance
        from .panels import compliance_panel

        register_client_tab(
            ClientTab("compliance", "Compliance", "compliance:overview", 40, "bi-shield-check")
        )
        register_overview_panel(OverviewPanel("compliance/_overview_panel.html", compliance_panel, 40))
        register_sidebar_entry(
            SidebarEntry("standards", "Standards", "compliance:standards", 60, "bi-journal-check")
        )
        register_history_source(
            HistorySource(
                "Framework adopted", _adoption_history, ("framework", "standard_framework"), _adoption_label
            )
        )
        register_history_source(HistorySource("Assessment", _assessment_history))
        register_history_source(
            HistorySource(
                "Compliance answer", _response_history, ("requirement", "standard"), _response_label
            )
        )
        register_history_source(
            HistorySource(
                "Initiative link", _link_history, ("requirement", "standard", "initiative"), _link_label
            )
        )
        register_demo_seeder(seed_compliance, order=40)
        from vcio.scale import register_scale_seeder

        from .scale import seed_compliance_at_scale

        register_scale_seeder(seed_compliance_at_scale, order=40)
        member_removed.connect(_clear_assignments, dispatch_uid="compliance.member_removed")
        post_migrate.connect(_load_shipped_catalogs, sender=self, dispatch_uid="compliance.catalogs")


def _adoption_history(client):
    from .models import Adoption

    return Adoption.history.filter(client_id=client.pk, practice_id=client.practice_id)


def _adoption_label(record) -> str:
    framework = record.framework if record.framework_id else record.standard_framework
    return framework.name if framework else str(record.id)


def _assessment_history(client):
    from .models import Assessment

    return Assessment.history.filter(client_id=client.pk, practice_id=client.practice_id)


def _response_history(client):
    from .models import Response

    return Response.history.filter(client_id=client.pk, practice_id=client.practice_id)


def _response_label(record) -> str:
    item = record.requirement if record.requirement_id else record.standard
    return f"{item.ref} {item.title}" if item else str(record.id)


def _link_history(client):
    from .models import InitiativeLink

    return InitiativeLink.history.filter(client_id=client.pk, practice_id=client.practice_id)


def _link_label(record) -> str:
    item = record.requirement if record.requirement_id else record.standard
    initiative = record.initiative
    if item is None or initiative is None:
        return str(record.id)
    return f"{item.ref} ← {initiative.title}"


def _clear_assignments(sender, practice_id, user, actor, **kwargs):
    from .services import clear_member_assignments

    clear_member_assignments(practice_id=practice_id, user=user, actor=actor)


def _load_shipped_catalogs(sender, using, **kwargs):
    """Every new database (tests included, and after a test flush) gets the shipped catalogs; a
    catalog already loaded as it is costs one query."""
    from .catalog_services import ensure_shipped_catalogs

    ensure_shipped_catalogs(using=using)
