from django.apps import AppConfig


class ChannelsAppConfig(AppConfig):
    name = "channels_app"
    verbose_name = "IPTV channels"

    def ready(self):
        from mediasuite import layout

        from . import permissions  # noqa: F401  (registers the policies)
        from .models import Channel

        everyone = layout.may(Channel)
        layout.register(layout.Link(layout.NAV, "Channels", url="channels-dashboard", allowed=everyone,
                                    active=("channels", "channel-page")))
        layout.register(layout.Link(layout.SHORTCUTS, "Channels", url="channels-dashboard", allowed=everyone,
                                    description="live IPTV, restart, M3U and guide"))
