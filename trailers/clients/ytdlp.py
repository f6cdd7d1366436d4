"""yt-dlp (https://github.com/yt-dlp/yt-dlp): download one video to a file, reporting progress.

The only code that runs yt-dlp. Progress goes to `on_progress(percent)`;
any failure comes out as a DownloadError whose message says what failed.
"""

from collections.abc import Callable
from pathlib import Path

from django.conf import settings


class DownloadError(Exception):
    pass


def download(url: str, target_stem: Path, on_progress: Callable[[float], None]) -> Path:
    """Download `url` to `<target_stem>.<ext>` (the extension yt-dlp picks); the file written."""
    import yt_dlp

    def hook(status: dict):
        if status.get("status") == "downloading":
            total = status.get("total_bytes") or status.get("total_bytes_estimate")
            if total:
                on_progress(min(100.0, 100.0 * status.get("downloaded_bytes", 0) / total))

    options = {
        "outtmpl": f"{target_stem}.%(ext)s",
        "format": settings.TRAILERS_DOWNLOAD_FORMAT,
        "noplaylist": True,
        "quiet": True,
        "no_warnings": True,
        "noprogress": True,
        "progress_hooks": [hook],
        "overwrites": True,
        "restrictfilenames": False,
    }
    try:
        with yt_dlp.YoutubeDL(options) as ydl:
            info = ydl.extract_info(url, download=True)
            written = Path(ydl.prepare_filename(info))
    except yt_dlp.utils.DownloadError as exc:
        raise DownloadError(f"yt-dlp could not download {url}: {exc}") from exc
    if not written.exists():
        raise DownloadError(f"yt-dlp reported {written} but wrote no such file.")
    on_progress(100.0)
    return written
