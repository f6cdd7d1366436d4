from django.apps import AppConfig


class MediaSuiteConfig(AppConfig):
    name = "mediasuite"
    verbose_name = "MediaSuite"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
        from .policies import accounts, events, services, supervision  # noqa: F401  (registers them)
        from .services import signals  # noqa: F401  (restores services in every qcluster worker)
