from django.apps import AppConfig
from django.conf import settings


class ChannelsAppConfig(AppConfig):
    name = "channels_app"
    verbose_name = "IPTV channels"

    def ready(self):
        from mediasuite import config, layout
        from mediasuite.clients import connections

        from . import (
            permissions,  # noqa: F401  (registers the policies)
            ssdp,
            tuner,
        )
        from .models import Channel

        everyone = layout.may(Channel)
        layout.register(layout.Link(layout.NAV, "Channels", url="channels-dashboard", allowed=everyone,
                                    active=("channels", "channel-page")))
        layout.register(layout.Link(layout.SHORTCUTS, "Channels", url="channels-dashboard", allowed=everyone,
                                    description="live IPTV, restart, M3U and guide"))
        layout.register(layout.Link(layout.NAV, "Guide", url="channels-guide-page", allowed=everyone,
                                    active=("channels-guide-page",)))
        if settings.PROCESS_LABEL == "web":
            ssdp.start_if_wanted()
        connections.register(connections.Integration(
            "tuner", "HDHomeRun tuner", tuner.check,
            description="The channels as an HDHomeRun tuner for Plex and Jellyfin Live TV.",
            fields=(config.Field("CHANNELS_TUNER_NAME", "Name", default=tuner.DEFAULT_NAME,
                                 help="the tuner's name in Plex and Jellyfin"),
                    config.Field("CHANNELS_TUNER_COUNT", "Tuners", config.NUMBER, default=tuner.DEFAULT_COUNT,
                                 help="how many channels may be watched through the tuner at once"))))
