"""The trailers' part of the health list: the disk space of the library folders trailers are saved to."""

from django.conf import settings

from mediasuite import health

health.folder("Movies library", lambda: settings.TRAILERS_DOWNLOAD and settings.TRAILERS_MOVIES_ROOT)
health.folder("Series library", lambda: settings.TRAILERS_DOWNLOAD and settings.TRAILERS_SERIES_ROOT)
