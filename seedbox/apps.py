from django.apps import AppConfig


class SeedboxConfig(AppConfig):
    name = "seedbox"
    verbose_name = "Seedbox to library"
