"""The qbr app's periodic work, registered in ONE place: `ensure_schedules()` runs after every
`migrate` (post_migrate, see `QbrConfig.ready`) and creates the django-celery-beat entry if it is
missing. It never overwrites an existing entry, so a schedule edited in the admin
(Periodic tasks → “QBR reports (daily per practice, checked hourly)”) keeps its changes.

The entries run `qbr.tasks.qbr_schedule_reports_all_practices` at minute 5 of every hour (UTC) and
`qbr.tasks.qbr_reminders_all_practices` (reminder digests) at minute 0; each task decides, per
practice, whether that practice's local morning hour has come. The vendors app's
`vendors_refresh_contract_dates_all_practices` runs at minute 15 (stored renewal dates rolled forward).
"""

SCHEDULE_NAME = "QBR reports (daily per practice, checked hourly)"
SCHEDULE_TASK = "qbr.tasks.qbr_schedule_reports_all_practices"


REMINDERS_NAME = "Reminder digests (each practice's local morning, checked hourly)"
REMINDERS_TASK = "qbr.tasks.qbr_reminders_all_practices"

CONTRACT_DATES_NAME = "Contract renewal dates (rolled forward hourly)"
CONTRACT_DATES_TASK = "vendors.tasks.vendors_refresh_contract_dates_all_practices"

ENTRIES = [
    (
        SCHEDULE_NAME,
        SCHEDULE_TASK,
        "5",
        "Generates each client's QBR report a lead time before its next QBR, at the "
        "practice's local morning hour (Settings → QBR), and e-mails the primary consultant a link.",
    ),
    (
        REMINDERS_NAME,
        REMINDERS_TASK,
        "0",
        "Sends each member's reminder digest (e-mail and notifications) when the practice's local hour "
        "is its morning hour (Settings → QBR); each reminder is sent once.",
    ),
    (
        CONTRACT_DATES_NAME,
        CONTRACT_DATES_TASK,
        "15",
        "Rolls each contract's stored next renewal and notice deadline forward once they pass, so the "
        "renewals calendar and the dashboard read a page of dates from the database.",
    ),
]


def ensure_schedules(using: str = "default") -> bool:
    """Create the beat entries that do not exist; True when one was created. `using`: the database
    alias that migrated (the tables' owner, during `setup_database`). Existing entries are left alone."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    created = False
    for name, task, minute, description in ENTRIES:
        if PeriodicTask.objects.using(using).filter(name=name).exists():
            continue
        crontab, _ = CrontabSchedule.objects.using(using).get_or_create(
            minute=minute, hour="*", day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC"
        )
        PeriodicTask.objects.using(using).create(
            name=name, task=task, crontab=crontab, description=description
        )
        created = True
    return created


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
