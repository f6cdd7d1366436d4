from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class MediaSuiteConfig(AppConfig):
    name = "mediasuite"
    verbose_name = "MediaSuite"

    def ready(self):
        from . import checks, logins  # noqa: F401  (register the system checks, the failed sign-in counter)
        from .clients import integrations  # noqa: F401  (registers the core's connections)
        from .health import core  # noqa: F401  (registers the core's health checks)
        from .policies import accounts, connections, events, services, supervision  # noqa: F401  (registers them)
        from .services import signals  # noqa: F401  (restores services in every qcluster worker)

        # The apps' health checks and metric families (mediasuite/health/__init__.py, mediasuite/metrics.py).
        autodiscover_modules("health", "metrics")

        self.register_layout()

    def register_layout(self):
        """The core's own links, after those of the apps (mediasuite/layout.py)."""
        from . import layout
        from .models import Connection, UpdateJob

        for link in (
            layout.Link(layout.NAV, "Events", url="events", order=layout.CORE),
            layout.Link(layout.NAV, "Settings", url="settings", active=("settings",), order=layout.CORE),
            layout.Link(layout.NAV, "System", url="system", allowed=layout.may(UpdateJob), order=layout.CORE),
            layout.Link(layout.NAV, "Admin", url="admin:index", allowed=lambda user: user.is_staff,
                        order=layout.CORE),
            layout.Link(layout.NAV, "API", url="api-docs", order=layout.CORE),
            layout.Link(layout.SHORTCUTS, "System", url="system", allowed=layout.may(UpdateJob),
                        description="version and update", order=layout.CORE),
            layout.Link(layout.SHORTCUTS, "Connections", url="settings-connections",
                        allowed=layout.may(Connection, "change"),
                        description="Sonarr, Plex, TMDB, the seedbox ...: set and test them",
                        order=layout.CORE),
        ):
            layout.register(link)
