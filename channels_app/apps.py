from django.apps import AppConfig


class ChannelsAppConfig(AppConfig):
    name = "channels_app"
    verbose_name = "IPTV channels"

    def ready(self):
        from . import permissions  # noqa: F401  (registers the policies)
