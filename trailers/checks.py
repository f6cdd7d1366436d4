"""System checks for the trailer download: yt-dlp importable and the library roots present, once it is on."""

import importlib.util
import os

from django.conf import settings
from django.core.checks import Error, Warning, register


@register("trailers")
def download(app_configs, **kwargs):
    if not settings.TRAILERS_DOWNLOAD:
        return []
    problems = []
    if importlib.util.find_spec("yt_dlp") is None:
        problems.append(Error("TRAILERS_DOWNLOAD is on but yt-dlp is not installed.",
                              hint="pip install -r requirements.txt (it lists yt-dlp), or turn "
                              "TRAILERS_DOWNLOAD off.",
                              id="trailers.E001"))
    for name in ("TRAILERS_MOVIES_ROOT", "TRAILERS_SERIES_ROOT"):
        root = getattr(settings, name)
        if root and not (os.path.isdir(root) and os.access(root, os.W_OK | os.X_OK)):
            problems.append(Warning(f"{name}={root} is missing or not writable.",
                                    hint="Point it at the library folder Radarr/Sonarr fill, writable by "
                                    "MediaSuite; downloads into it fail until then.", id="trailers.W001"))
    return problems
