from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    name = "roadmaps"
    verbose_name = "Roadmaps"

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
        from vcio.scale import register_scale_seeder

        from .demo import seed_library, seed_roadmaps
        from .panels import goal_progress_panel
        from .scale import seed_roadmaps_at_scale

        register_client_tab(ClientTab("roadmap", "Roadmap", "roadmaps:timeline", 10, "bi-signpost-split"))
        register_sidebar_entry(
            SidebarEntry("library", "Initiative library", "roadmaps:library", 20, "bi-collection")
        )
        register_overview_panel(OverviewPanel("roadmaps/_overview_panel.html", goal_progress_panel, 10))
        register_history_source(HistorySource("Initiative", _initiative_history))
        register_history_source(HistorySource("Goal", _goal_history))
        register_demo_seeder(seed_library, order=19)
        register_demo_seeder(seed_roadmaps, order=20)
        register_scale_seeder(seed_roadmaps_at_scale, order=20)
        member_removed.connect(_clear_assignments, dispatch_uid="roadmaps.member_removed")


def _initiative_history(client):
    from .models import Initiative

    return Initiative.history.filter(client_id=client.pk, practice_id=client.practice_id)


def _goal_history(client):
    from .models import Goal

    return Goal.history.filter(client_id=client.pk, practice_id=client.practice_id)


def _clear_assignments(sender, practice_id, user, actor, **kwargs):
    from .services import clear_member_assignments

    clear_member_assignments(practice_id=practice_id, user=user, actor=actor)
