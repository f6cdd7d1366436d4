from django.apps import AppConfig


class SeedboxConfig(AppConfig):
    name = "seedbox"
    verbose_name = "Seedbox to library"

    def ready(self):
        from mediasuite import layout

        from . import connections, permissions  # noqa: F401  (permissions registers the Torrent policy)
        from .models import Torrent

        connections.register()
        operator = layout.may(Torrent)
        for link in (
            layout.Link(layout.NAV, "Seedbox", url="seedbox-activity", allowed=operator,
                        active=("seedbox-activity",)),
            layout.Link(layout.NAV, "Search", url="seedbox-search", allowed=operator,
                        active=("seedbox-search",)),
            layout.Link(layout.SHORTCUTS, "Search", url="seedbox-search", allowed=operator,
                        description="find a movie or series, send releases"),
            layout.Link(layout.SHORTCUTS, "Seedbox", url="seedbox-activity", allowed=operator,
                        description="torrents on their way to the library"),
        ):
            layout.register(link)
        # The series dialog, on every page of an operator: any element with data-series-tvdb opens it.
        layout.register(layout.Fragment(layout.DIALOGS, "seedbox/_series_dialog.html", allowed=operator))
