from django.apps import AppConfig


class RecorderConfig(AppConfig):
    name = "recorder"
    verbose_name = "Court recording"

    def ready(self):
        from . import permissions  # noqa: F401  (registers the policies)
