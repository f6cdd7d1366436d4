from django.apps import AppConfig


class TrailersConfig(AppConfig):
    name = "trailers"
    verbose_name = "Trailers"

    def ready(self):
        from seedbox import connections

        from . import checks, permissions  # noqa: F401  (registers the system checks and the policy)
        from .clients import youtube

        connections.register("youtube", youtube.check)
