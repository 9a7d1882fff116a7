from django.apps import AppConfig
from django.db.models.signals import post_migrate


class VcioConfig(AppConfig):
    name = "vcio"
    verbose_name = "vcio core"

    def ready(self):
        from .history import cache_history_managers

        cache_history_managers()
        # After every migrate (sent once for this app, when every app's migrations have run): row-level
        # security on every tenant table, and the app role's grants (vcio.rls). No-op on SQLite.
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="vcio.rls.after_migrate")


def _after_migrate(sender, using, **kwargs):
    from .rls import after_migrate

    after_migrate(using)
