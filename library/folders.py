"""Folder clean-up after the files of a media are deleted: only what is left empty, only inside the roots.

A folder is removed when it holds nothing, or only leftovers (nfo, images,
text, subtitles ...) and folders that are removed too. A root folder of
Sonarr/Radarr, or anything outside them, is never touched; symbolic links
are never followed. After the media's own folder, its parents up to (not
including) the root go too when that leaves them empty.
"""

import os
from pathlib import Path

LEFTOVERS = {".nfo", ".jpg", ".jpeg", ".png", ".tbn", ".txt", ".srt", ".sub", ".idx", ".ass", ".ssa", ".sfv",
             ".url", ".xml", ".db"}


class OutsideRoots(Exception):
    """A path that is not strictly inside one of the configured root folders."""


def root_of(path: str | Path, roots: list[str]) -> Path:
    """The root folder strictly containing `path` (after resolving .. and links), else OutsideRoots."""
    target = Path(os.path.realpath(path))
    for root in roots:
        base = Path(os.path.realpath(root))
        if target != base and target.is_relative_to(base):
            return base
    raise OutsideRoots(f"{path} is not inside a root folder of Sonarr/Radarr ({', '.join(roots) or 'none'}).")


def _removable(folder: Path, ignoring: set[Path]) -> bool:
    for entry in folder.iterdir():
        if entry.is_symlink():
            return False
        if entry.is_dir():
            if not _removable(entry, ignoring):
                return False
        elif entry not in ignoring and entry.suffix.lower() not in LEFTOVERS:
            return False
    return True


def _remove(folder: Path) -> None:
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            _remove(entry)
        else:
            entry.unlink()
    folder.rmdir()


def clean(folder: str | Path, roots: list[str], dry_run: bool = False,
          deleting: tuple[str, ...] = ()) -> list[str]:
    """Remove `folder` (and emptied parents below its root) if only leftovers remain; the folders removed.

    With `dry_run`, nothing is removed and the files in `deleting` count as gone
    already: the answer is what would be removed once they are deleted.
    """
    root = root_of(folder, roots)
    folder = Path(os.path.realpath(folder))
    ignoring = {Path(os.path.realpath(p)) for p in deleting} if dry_run else set()
    removed = []
    while folder != root and folder.is_dir() and _removable(folder, ignoring):
        if not dry_run:
            _remove(folder)
        removed.append(str(folder))
        folder = folder.parent
    return removed
