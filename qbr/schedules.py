"""The qbr app's periodic work, registered in ONE place: `ensure_schedules()` runs after every
`migrate` (post_migrate, see `QbrConfig.ready`) and creates the django-celery-beat entry if it is
missing. It never overwrites an existing entry, so a schedule edited in the admin
(Periodic tasks → “QBR reports (daily per practice, checked hourly)”) keeps its changes.

The entry runs `qbr.tasks.qbr_schedule_reports_all_practices` at minute 5 of every hour (UTC); the
task itself decides, per practice, whether that practice's local morning hour has come today.
"""

SCHEDULE_NAME = "QBR reports (daily per practice, checked hourly)"
SCHEDULE_TASK = "qbr.tasks.qbr_schedule_reports_all_practices"


def ensure_schedules(using: str = "default") -> bool:
    """Create the beat entry if it does not exist; True when it was created. `using`: the database
    alias that migrated (the tables' owner, during `setup_database`)."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    if PeriodicTask.objects.using(using).filter(name=SCHEDULE_NAME).exists():
        return False
    crontab, _ = CrontabSchedule.objects.using(using).get_or_create(
        minute="5", hour="*", day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC"
    )
    PeriodicTask.objects.using(using).create(
        name=SCHEDULE_NAME,
        task=SCHEDULE_TASK,
        crontab=crontab,
        description="Generates each client's QBR report a lead time before its next QBR, at the "
        "practice's local morning hour (Settings → QBR), and e-mails the primary consultant a link.",
    )
    return True


def _after_migrate(sender, app_config=None, using="default", **kwargs):
    from django.db import connections

    tables = connections[using].introspection.table_names()
    # During `setup_database` the migration runs as the owner before the app role exists, and
    # django-celery-beat's save signals write through the default connection: its setup step
    # (registered in QbrConfig.ready) creates the entry once the role is there.
    if using == "default" and "django_celery_beat_periodictask" in tables:
        ensure_schedules(using)


def setup_step(*, using, stdout=None) -> None:
    """`manage.py setup_database`'s step: the QBR schedule's beat entry."""
    ensure_schedules(using)
