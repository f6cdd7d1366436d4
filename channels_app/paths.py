"""Where a channel's files are, with every path kept inside its root."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from mediasuite.text import refuse_control_characters

VIDEO_SUFFIXES = {".mp4", ".mkv", ".mov", ".m4v", ".avi", ".ts", ".webm", ".mpg", ".mpeg", ".flv", ".wmv"}


def channels_root() -> Path:
    return Path(settings.CHANNELS_DIR)


def hls_root() -> Path:
    return Path(settings.HLS_DIR)


def channel_name_for(folder: str) -> str:
    """The safe slug a folder's channel is named after ('My Shows!' -> 'my-shows')."""
    return slugify(folder)[:64].strip("-_") or "channel"


def clean_folder(folder) -> str:
    """A folder relative to the channels root, refused when it would leave it."""
    if not isinstance(folder, str) or not folder.strip():
        raise ValidationError({"folder": ["Give the channel's folder, relative to the channels root."]})
    try:
        refuse_control_characters(folder)
    except ValidationError as exc:
        raise ValidationError({"folder": exc.messages}) from None
    root = channels_root().resolve()
    candidate = Path(folder)
    target = (candidate if candidate.is_absolute() else root / candidate).resolve()
    if target == root or root not in target.parents:
        raise ValidationError({"folder": [f"The folder must be inside the channels root {root}."]})
    if not target.is_dir():
        raise ValidationError({"folder": [f"There is no folder {folder!r} under the channels root {root}; "
                                          "create it and put videos in it first."]})
    return str(target.relative_to(root))


def folder_path(channel) -> Path:
    return channels_root() / channel.folder


def hls_dir(channel) -> Path:
    return hls_root() / channel.name


def file_path(video) -> Path:
    return folder_path(video.channel) / video.name


def mtime(path: Path) -> float:
    """The file's modification time, 0.0 when it does not exist (yet)."""
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def video_names(folder: Path) -> list[str]:
    """Video files directly in `folder` (hidden files ignored), as names."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    return [entry.name for entry in entries
            if entry.is_file() and not entry.name.startswith(".") and entry.suffix.lower() in VIDEO_SUFFIXES]
