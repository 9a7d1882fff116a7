from django.apps import AppConfig


class QbrConfig(AppConfig):
    name = "qbr"
    verbose_name = "QBR meetings and reports"

    def ready(self):
        from django.db.models.signals import post_migrate

        from accounts.signals import member_removed
        from vcio.demo import register_demo_seeder
        from vcio.history import HistorySource, register_history_source
        from vcio.registry import (
            ClientTab,
            OverviewPanel,
            SettingsSection,
            SetupStep,
            SidebarEntry,
            register_client_column,
            register_client_tab,
            register_overview_panel,
            register_settings_section,
            register_setup_step,
            register_sidebar_entry,
        )

        from . import dashboard, schedules
        from .advisory_demo import seed_advisories
        from .dashboard_demo import seed_dashboard
        from .demo import seed_qbr
        from .panels import advisories_panel, next_qbr_panel
        from .schedules import _after_migrate
        from .sections import register_core_sections

        register_client_tab(ClientTab("qbr", "QBR", "qbr:client", 60, "bi-easel"))
        register_sidebar_entry(SidebarEntry("meetings", "Meetings", "qbr:meetings", 50, "bi-calendar-event"))
        # The practice's home (`/p/<practice>/` goes to the first entry): the dashboard.
        register_sidebar_entry(SidebarEntry("dashboard", "Dashboard", "qbr:dashboard", 1, "bi-speedometer2"))
        register_settings_section(
            SettingsSection("reminders", "My reminders", "qbr:reminder_settings", 40, "edit")
        )
        for column in dashboard.CLIENT_COLUMNS:
            register_client_column(column)
        register_settings_section(SettingsSection("qbr", "QBR", "qbr:settings", 30))
        register_overview_panel(OverviewPanel("qbr/_overview_panel.html", next_qbr_panel, 60))
        register_sidebar_entry(SidebarEntry("advisories", "Advisories", "qbr:advisories", 55, "bi-megaphone"))
        register_overview_panel(OverviewPanel("qbr/_advisories_panel.html", advisories_panel, 70))
        register_history_source(HistorySource("Meeting", _meeting_history, describe=_meeting_label))
        register_history_source(HistorySource("Action item", _action_item_history, describe=_action_label))
        register_history_source(HistorySource("QBR report", _report_history, describe=_report_label))
        register_demo_seeder(seed_advisories, order=85)  # before the reports, which show them
        register_demo_seeder(seed_qbr, order=90)  # after every app whose data the report shows
        register_demo_seeder(seed_dashboard, order=95)  # the week's sessions and a few notifications
        from vcio.scale import register_scale_seeder

        from .scale import seed_qbr_at_scale

        register_scale_seeder(seed_qbr_at_scale, order=90)
        register_core_sections()
        from .sections_advisories import register as register_advisories_section
        from .sections_budget import register as register_budget_section
        from .sections_compliance import register as register_compliance_section
        from .sections_renewals import register as register_renewals_section

        register_budget_section()
        register_compliance_section()
        register_renewals_section()
        register_advisories_section()
        member_removed.connect(_clear_assignments, dispatch_uid="qbr.member_removed")
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="qbr.ensure_schedules")
        register_setup_step(SetupStep("qbr_schedules", schedules.setup_step, 60))


def _meeting_history(client):
    from .models import Meeting

    return Meeting.history.filter(client_id=client.pk, practice_id=client.practice_id)


def _action_item_history(client):
    from .models import ActionItem

    return ActionItem.history.filter(client_id=client.pk, practice_id=client.practice_id)


def _report_history(client):
    from .models import QBRReport

    return QBRReport.history.filter(client_id=client.pk, practice_id=client.practice_id)


def _meeting_label(record) -> str:
    from .models import MeetingKind

    return record.title or dict(MeetingKind.choices).get(record.kind, record.kind)


def _action_label(record) -> str:
    return record.description


def _report_label(record) -> str:
    from .models import quarter_label

    return f"{quarter_label(record.period)} v{record.version}"


def _clear_assignments(sender, practice_id, user, actor, **kwargs):
    from .services import clear_member_assignments

    clear_member_assignments(practice_id=practice_id, user=user, actor=actor)
