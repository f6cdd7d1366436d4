from django.apps import AppConfig


class TrailersConfig(AppConfig):
    name = "trailers"
    verbose_name = "Trailers"

    def ready(self):
        from . import checks, permissions  # noqa: F401  (registers the system checks and the policy)
