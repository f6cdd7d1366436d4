"""The public live playlist of a channel: a sliding window rewritten atomically.

ffmpeg writes segments and a private playlist per file it plays; the playout
process moves each finished segment into this window. Media sequence numbers
only grow (across files, crashes and restarts), a discontinuity tag opens every
new run, and EXT-X-DISCONTINUITY-SEQUENCE counts the tags that left the window,
as RFC 8216 asks, so players never lose their place.
"""

import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

PLAYLIST = "index.m3u8"
_EXTINF = re.compile(r"#EXTINF:([0-9.]+)")


@dataclass
class Segment:
    sequence: int
    duration: float
    name: str
    discontinuity: bool = False


class Window:
    def __init__(self, directory: Path, size: int, target: float):
        """`size` target-length segments of content stay listed (at least three segments)."""
        self.directory = Path(directory)
        self.size = max(3, size)
        self.target = target
        self.seconds = self.size * target
        self._retired: list[str] = []
        self.segments: list[Segment] = []
        self.next_sequence = 0
        self.discontinuity_sequence = 0
        self.directory.mkdir(parents=True, exist_ok=True)
        self._load()

    def _load(self):
        """Continue the numbering of the playlist left by a previous process, if any."""
        try:
            text = (self.directory / PLAYLIST).read_text()
        except OSError:
            return
        sequence, duration, discontinuity = None, None, False
        for line in text.splitlines():
            if line.startswith("#EXT-X-MEDIA-SEQUENCE:"):
                sequence = int(line.split(":", 1)[1])
            elif line.startswith("#EXT-X-DISCONTINUITY-SEQUENCE:"):
                self.discontinuity_sequence = int(line.split(":", 1)[1])
            elif line == "#EXT-X-DISCONTINUITY":
                discontinuity = True
            elif match := _EXTINF.match(line):
                duration = float(match.group(1))
            elif line and not line.startswith("#") and sequence is not None and duration is not None:
                if (self.directory / line).exists():
                    self.segments.append(Segment(sequence, duration, line, discontinuity))
                sequence, duration, discontinuity = sequence + 1, None, False
        if sequence is not None:
            self.next_sequence = sequence

    def clear(self):
        """Empty the folder (a restart), keeping the numbering so players move forward."""
        self.discontinuity_sequence += sum(1 for s in self.segments if s.discontinuity)
        self.segments = []
        for path in self.directory.iterdir():
            if path.is_file():
                path.unlink(missing_ok=True)
        self.write()

    def add(self, name: str, duration: float, discontinuity: bool):
        self.segments.append(Segment(self.next_sequence, duration, name, discontinuity))
        self.next_sequence += 1
        while len(self.segments) > 3 and sum(s.duration for s in self.segments[1:]) >= self.seconds:
            gone = self.segments.pop(0)
            if gone.discontinuity:
                self.discontinuity_sequence += 1
            self._retire(gone)
        self.write()

    def _retire(self, segment: Segment):
        """Delete a segment that left the window, one window later (slow clients may still fetch it)."""
        self._retired.append(segment.name)
        while len(self._retired) > self.size:
            (self.directory / self._retired.pop(0)).unlink(missing_ok=True)

    def render(self) -> str:
        longest = max((s.duration for s in self.segments), default=self.target)
        first = self.segments[0].sequence if self.segments else self.next_sequence
        lines = ["#EXTM3U", "#EXT-X-VERSION:6",
                 f"#EXT-X-TARGETDURATION:{math.ceil(max(longest, self.target))}",
                 f"#EXT-X-MEDIA-SEQUENCE:{first}",
                 f"#EXT-X-DISCONTINUITY-SEQUENCE:{self.discontinuity_sequence}",
                 "#EXT-X-INDEPENDENT-SEGMENTS"]
        for segment in self.segments:
            if segment.discontinuity:
                lines.append("#EXT-X-DISCONTINUITY")
            lines += [f"#EXTINF:{segment.duration:.3f},", segment.name]
        return "\n".join(lines) + "\n"

    def write(self):
        """Write the playlist to a temporary file and rename it: readers never see half of it."""
        temporary = self.directory / f".{PLAYLIST}.tmp"
        temporary.write_text(self.render())
        os.replace(temporary, self.directory / PLAYLIST)


class RunPlaylist:
    """The private playlist of one ffmpeg run, parsed again only when ffmpeg rewrote it.

    The playout loop looks at it twenty times a second for every channel of a
    host; a stat is much cheaper than reading and parsing, and ffmpeg (with
    temp_file) replaces the file, so a new inode, size or time says it changed.
    """

    def __init__(self, path: Path):
        self.path = path
        self._stamp = None
        self._finished: list[tuple[str, float]] = []

    def finished(self) -> list[tuple[str, float]]:
        """(name, duration) of the segments the run has completed."""
        try:
            stat = os.stat(self.path)
        except OSError:
            return []
        stamp = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        if stamp != self._stamp:
            self._stamp, self._finished = stamp, self._parse()
        return self._finished

    def _parse(self) -> list[tuple[str, float]]:
        try:
            text = self.path.read_text()
        except OSError:
            return []
        found, duration = [], None
        for line in text.splitlines():
            if match := _EXTINF.match(line):
                duration = float(match.group(1))
            elif line and not line.startswith("#") and duration is not None:
                found.append((line.strip(), duration))
                duration = None
        return found
