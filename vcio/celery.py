"""The Celery application: `celery -A vcio worker` and `celery -A vcio beat`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vcio.settings")

app = Celery("vcio")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _ensure_local_broker_folders() -> None:
    """The local file-system broker (used when REDIS_URL is unset) needs its folders to exist."""
    from django.conf import settings

    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder"):
        if options.get(key):
            os.makedirs(options[key], exist_ok=True)


@app.on_after_configure.connect
def _setup(sender, **kwargs):
    _ensure_local_broker_folders()
