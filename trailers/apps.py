from django.apps import AppConfig


class TrailersConfig(AppConfig):
    name = "trailers"
    verbose_name = "Trailers"

    def ready(self):
        from . import permissions  # noqa: F401  (registers the TrailerEntry policy)
