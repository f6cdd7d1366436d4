from django.apps import AppConfig


class TrailersConfig(AppConfig):
    name = "trailers"
    verbose_name = "Trailers"
