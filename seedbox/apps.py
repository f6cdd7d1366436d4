from django.apps import AppConfig


class SeedboxConfig(AppConfig):
    name = "seedbox"
    verbose_name = "Seedbox to library"

    def ready(self):
        from . import permissions  # noqa: F401  (registers the Torrent policy)
