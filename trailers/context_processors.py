from django.conf import settings


def trailers(request):
    """Whether the trailer dialog offers the download (TRAILERS_DOWNLOAD)."""
    return {"trailers_download": settings.TRAILERS_DOWNLOAD}
