"""System checks with stable ids: binaries on PATH and writable data folders."""

import os
import shutil

from django.conf import settings
from django.core.checks import Error, Warning, register


@register("mediasuite")
def binaries(app_configs, **kwargs):
    problems = []
    for number, name, variable in ((1, settings.FFMPEG, "MEDIASUITE_FFMPEG"),
                                   (2, settings.FFPROBE, "MEDIASUITE_FFPROBE")):
        if shutil.which(name) is None:
            problems.append(Warning(
                f"{name} was not found (on PATH, or as a path).",
                hint="Install ffmpeg (Debian: apt-get install ffmpeg; `make run` does this), add its folder "
                f"to PATH, or set {variable}. Channels and recordings cannot start without it.",
                id=f"mediasuite.W00{number}",
            ))
    return problems


@register("mediasuite")
def data_folders(app_configs, **kwargs):
    problems = []
    for folder in (settings.DATA_DIR, settings.LOG_DIR, settings.UNITS_DIR, settings.UNIT_LOG_DIR):
        if not (os.path.isdir(folder) and os.access(folder, os.W_OK | os.X_OK)):
            problems.append(Error(
                f"The data folder {folder} is missing or not writable.",
                hint="Create it and give the MediaSuite user write access, or point "
                "MEDIASUITE_DATA_DIR at a writable folder.",
                id="mediasuite.E001",
            ))
    return problems
