from django.apps import AppConfig


class VcioConfig(AppConfig):
    name = "vcio"
    verbose_name = "vcio core"
