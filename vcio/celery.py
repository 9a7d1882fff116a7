"""The Celery application: `celery -A vcio worker` and `celery -A vcio beat`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vcio.settings")

app = Celery("vcio")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
