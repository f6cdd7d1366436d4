from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = "Plex library"

    def ready(self):
        from mediasuite import layout

        from . import permissions  # noqa: F401  (registers the policies)
        from .models import ArchiveRecord

        operator = layout.may(ArchiveRecord)
        layout.register(layout.Link(layout.NAV, "Library", url="library-index", allowed=operator,
                                    active=("library-",)))
        layout.register(layout.Link(layout.SHORTCUTS, "Library", url="library-index", allowed=operator,
                                    description="what is in Plex: watched by whom, archive, clean up"))
