from django.apps import AppConfig


class MediaSuiteConfig(AppConfig):
    name = "mediasuite"
    verbose_name = "MediaSuite"

    def ready(self):
        from . import checks, logins  # noqa: F401  (register the system checks, the failed sign-in counter)
        from .policies import accounts, events, services, supervision  # noqa: F401  (registers them)
        from .services import signals  # noqa: F401  (restores services in every qcluster worker)

        self.register_layout()

    def register_layout(self):
        """The core's own links, after those of the apps (mediasuite/layout.py)."""
        from . import layout
        from .models import UpdateJob

        for link in (
            layout.Link(layout.NAV, "Events", url="events", order=layout.CORE),
            layout.Link(layout.NAV, "Settings", url="settings", order=layout.CORE),
            layout.Link(layout.NAV, "System", url="system", allowed=layout.may(UpdateJob), order=layout.CORE),
            layout.Link(layout.NAV, "Admin", url="admin:index", allowed=lambda user: user.is_staff,
                        order=layout.CORE),
            layout.Link(layout.NAV, "API", url="api-docs", order=layout.CORE),
            layout.Link(layout.SHORTCUTS, "System", url="system", allowed=layout.may(UpdateJob),
                        description="version and update", order=layout.CORE),
        ):
            layout.register(link)
