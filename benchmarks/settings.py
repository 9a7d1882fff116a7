"""The benchmark's settings: production's (`vcio.settings` with DEBUG off, from the environment the
harness sets), except that static files are named as they are, without the manifest — so no
`collectstatic` (40 s of CPU) before every run. The pages' cost is the same to within a few
microseconds (a dictionary lookup per `{% static %}`), and the benchmark requests no static file."""

from vcio.settings import *  # noqa: F403

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405

# The product's URLs and the served floor (benchmarks/floor.py).
ROOT_URLCONF = "benchmarks.urls"
