"""A channel mixing every file of the test corpus, played for a while: on time, never stuck, decodable.

    .venv/bin/python bench/channel_corpus.py [--minutes 10]

A real supervisor plays a series channel of the generated corpus
(tests/channels/corpus.py: key frames every 0.5, 2, 5 and 10 s, x264 scene
cuts, VFR, MKV and MP4, AC-3/E-AC-3 5.1, subtitles, HEVC, late audio), with
each file's delivery (copy, copy video + transcode audio, transcode). The
bench watches the public playlist every 20 ms, keeps every segment as it is
published and reports:

- watchdog stops (target 0) and files that failed;
- lateness of every segment against the channel's real-time schedule: the
  first segment's appearance plus the durations before it (target: p99 under
  one segment, CHANNELS_SEGMENT_SECONDS);
- decoding of the whole output with ffmpeg, as one playlist of every segment
  with its discontinuity tags (target: no decoding error).
"""

import argparse
import shutil
import subprocess
import time

from channel_setup import django_on_a_fresh_data_dir, percentile, start, stop


def watch(channel, minutes: float, keep):
    """{segment: (duration, discontinuity, first seen)} over `minutes`, segments copied into `keep`."""
    from channels_app import paths

    directory = paths.hls_dir(channel)
    seen, order = {}, []
    deadline = time.monotonic() + minutes * 60
    while time.monotonic() < deadline:
        try:
            text = (directory / "index.m3u8").read_text()
        except OSError:
            text = ""
        now, duration, discontinuity = time.monotonic(), 0.0, False
        for line in text.splitlines():
            if line == "#EXT-X-DISCONTINUITY":
                discontinuity = True
            elif line.startswith("#EXTINF:"):
                duration = float(line[8:].rstrip(","))
            elif line and not line.startswith("#"):
                if line not in seen:
                    try:
                        shutil.copy(directory / line, keep / line)
                    except OSError:
                        continue
                    seen[line] = (duration, discontinuity, now)
                    order.append(line)
                discontinuity = False
        time.sleep(0.02)
    return seen, order


def lateness(seen, order) -> list[float]:
    """Seconds each segment came after its time on the schedule (negative: early)."""
    if not order:
        return []
    start = seen[order[0]][2]
    late, due = [], start
    for name in order:
        duration, _, appeared = seen[name]
        late.append(appeared - due)
        due += duration
    return late


def decode_errors(seen, order, keep) -> list[str]:
    target = max(1, round(max(seen[n][0] for n in order) + 0.5))
    lines = ["#EXTM3U", "#EXT-X-VERSION:6", f"#EXT-X-TARGETDURATION:{target}", "#EXT-X-PLAYLIST-TYPE:VOD"]
    for name in order:
        duration, discontinuity, _ = seen[name]
        lines += ["#EXT-X-DISCONTINUITY"] * discontinuity + [f"#EXTINF:{duration:.3f},", name]
    (keep / "all.m3u8").write_text("\n".join([*lines, "#EXT-X-ENDLIST", ""]))
    done = subprocess.run(["ffmpeg", "-v", "error", "-i", str(keep / "all.m3u8"), "-f", "null", "-"],
                          capture_output=True, text=True)
    # The null muxer's complaints about frame times rounded to its time base are no decoding errors.
    return [line for line in done.stderr.splitlines() if line.strip() and not line.startswith("[null @")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    args = parser.parse_args()
    data = django_on_a_fresh_data_dir()  # puts the project on sys.path
    from django.conf import settings

    from channels_app import catalog, paths
    from mediasuite.models import Event
    from tests.channels.corpus import CORPUS, make_corpus

    folder = make_corpus(paths.channels_root() / "corpus")
    (folder / "series.txt").write_text("")
    channel = catalog.create(None, name="corpus", folder="corpus")
    print("files:")
    for video in channel.files.order_by("name"):
        print(f"  {video.name:<16} {video.delivery:<9} "
              f"key frames every {video.keyframe_interval or 0:4.1f} s, "
              f"segments up to {video.longest_segment or 0:4.1f} s  {CORPUS[video.name][1]}")
    keep = data / "kept"
    keep.mkdir()
    supervisor = start("supervise", label="supervisor", data=data)
    try:
        seen, order = watch(channel, args.minutes, keep)
    finally:
        stop(supervisor)
    stops = Event.objects.filter(kind__startswith="unit.", message__icontains="no new HLS segment").count()
    failed = Event.objects.filter(kind="channel.file_failed").count()
    files = Event.objects.filter(kind__in=("channel.file", "channel.restarted")).count()
    late = lateness(seen, order)
    segment = settings.CHANNELS_SEGMENT_SECONDS
    errors = decode_errors(seen, order, keep) if order else ["no segment"]
    print(f"{args.minutes:g} min, {len(order)} segments, {files} file starts, machine shared (see report)")
    print(f"watchdog stops: {stops}   files failed: {failed}   (target 0)")
    if late:
        p50, p99 = percentile(late, 50), percentile(late, 99)
        print(f"lateness vs schedule: p50 {p50 * 1000:6.0f} ms  p99 {p99 * 1000:6.0f} ms  "
              f"max {max(late) * 1000:6.0f} ms  (target p99 < {segment:g} s: "
              f"{'met' if p99 < segment else 'MISSED'})")
    print(f"decoding the whole output: {len(errors)} error line(s)" + (f": {errors[:3]}" if errors else ""))
    shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
