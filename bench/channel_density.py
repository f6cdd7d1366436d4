"""Channel density: N copy-mode channels live at once on this machine.

    .venv/bin/python bench/channel_density.py [--sizes 10 20 40] [--seconds 30] [--kill-supervisor]

For each N: N channels (each a folder of two generated 60 s H.264/AAC clips)
under a real supervisor and a real web process; after they are all live,
for `--seconds` it records
- CPU (% of one core) and memory of the supervisor and everything it runs
  (the unit host and the channels' ffmpeg): the sum of their RSS (what `ps`
  shows; shared library pages count once per process) and of their PSS
  (/proc/<pid>/smaps_rollup: shared pages split between the processes that
  map them, what the machine really spends), in total and per channel;
- segment lateness: for every new segment, the time it appeared minus the time
  it was due on the channel's real-time schedule (see SegmentClock);
- API p95: GET /api/channels (every channel with its status) in a loop;
- how long until all N were live, and how many watchdog stops that start cost.
With --kill-supervisor, after the measure it kills the supervisor with -9,
starts a new one and reports, for the next `--seconds`: how many channels
kept the same ffmpeg, the longest wait for a segment and the worst lateness,
and how long until the new supervisor adopted the unit host.
Targets: N = 40 total RSS <= 2.4 GiB and all live <= 8 s; N = 80 all live,
every segment on time (lateness p99 < one segment), API p95 < 100 ms, no
watchdog stop; kill -9 of the supervisor: the channels never stop.
"""

import argparse
import os
import shutil
import signal
import time
import urllib.request

import psutil
from channel_setup import django_on_a_fresh_data_dir, percentile, start, stop

SEGMENT = 2.0


def tree(pid):
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


class SegmentClock:
    """Lateness of one channel's segments against the real-time schedule they should keep.

    A segment of duration d that ends media time M after the first timed one
    is due at anchor + M, where the anchor is the earliest any segment of the
    channel allowed (published time minus media time): how far behind real
    time the channel has fallen by the time the segment appears.
    """

    def __init__(self):
        self.seen: set[str] = set()
        self.media = 0.0
        self.anchor: float | None = None

    def read(self, playlist, now: float, measure: bool = True) -> list[float]:
        try:
            text = playlist.read_text()
        except OSError:
            return []
        late, duration = [], 0.0
        for line in text.splitlines():
            if line.startswith("#EXTINF:"):
                duration = float(line[8:].split(",")[0])
            elif line and not line.startswith("#") and line not in self.seen:
                self.seen.add(line)
                if not measure:
                    continue
                if self.anchor is None:
                    self.anchor = now
                    continue
                self.media += duration
                late.append(now - self.media - self.anchor)
                self.anchor = min(self.anchor, now - self.media)
        return late


def memory(processes) -> tuple[float, float]:
    """(RSS sum, PSS sum) of `processes` in MiB."""
    rss = pss = 0.0
    for p in processes:
        try:
            info = p.memory_full_info()
        except psutil.Error:
            continue
        rss += info.rss / 2**20
        pss += getattr(info, "pss", info.rss) / 2**20
    return rss, pss


def ffmpegs(processes) -> dict[str, int]:
    """{unit name: pid} of the channels' ffmpeg among `processes`."""
    found = {}
    for p in processes:
        try:
            if p.name() == "ffmpeg":
                found[p.environ().get("MEDIASUITE_UNIT", "")] = p.pid
        except psutil.Error:
            continue
    return found


def kill_supervisor(supervisor, playlists, seconds, data, n):
    """kill -9 the supervisor, start another: did any channel stop? Returns the new supervisor."""
    from mediasuite.models import Event

    before = ffmpegs(tree(supervisor.pid))
    clocks = {name: SegmentClock() for name in playlists}
    for name, playlist in playlists.items():
        clocks[name].read(playlist, time.monotonic(), measure=False)
    last_seen = {name: time.monotonic() for name in playlists}
    first_event = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
    os.kill(supervisor.pid, signal.SIGKILL)
    supervisor.wait()
    killed = time.monotonic()
    again = start("supervise", label=f"supervisor-{n}-again", data=data)
    lateness, longest, adopted_after = [], 0.0, None
    while time.monotonic() - killed < seconds:
        now = time.monotonic()
        for name, playlist in playlists.items():
            seen = len(clocks[name].seen)
            lateness += clocks[name].read(playlist, now)
            if len(clocks[name].seen) > seen:  # a new segment (the first one is not timed, but it counts)
                longest = max(longest, now - last_seen[name])
                last_seen[name] = now
        if adopted_after is None and Event.objects.filter(id__gt=first_event, kind="unit.adopted").exists():
            adopted_after = time.monotonic() - killed
        time.sleep(0.05)
    longest = max([longest, *(time.monotonic() - t for t in last_seen.values())])
    # A channel that stopped comes back with a `channel.restarted` event; a file change is `channel.file`.
    restarted = Event.objects.filter(id__gt=first_event, kind="channel.restarted").count()
    stops = Event.objects.filter(id__gt=first_event, kind="unit.state").count()
    late = [max(0.0, x) for x in lateness] or [0.0]
    adopted = f"{adopted_after:4.1f} s" if adopted_after is not None else "never"
    print(f"kill -9 supervisor at N={n} ({len(before)} ffmpeg): {restarted} channel restarts, "
          f"{stops} unit state changes, host adopted after {adopted}, longest wait for a segment "
          f"{longest:4.1f} s, lateness p99 {percentile(late, 99) * 1000:5.0f} ms "
          f"max {max(late) * 1000:5.0f} ms over {len(lateness)} segments")
    return again


def measure(n, seconds, data, clips, token, base, kill=False):
    from channels_app import catalog, paths
    from channels_app.models import Channel
    from mediasuite.supervisor import control

    for i in range(n):
        name = f"d{i:03d}"
        if Channel.objects.filter(name=name).exists():
            control.start(None, Channel.objects.get(name=name).unit)
            continue
        folder = paths.channels_root() / name
        folder.mkdir(parents=True, exist_ok=True)
        for clip in clips:
            (folder / clip.name).hardlink_to(clip)
        catalog.create(None, name=name, folder=name, mode="series")
    channels = list(Channel.objects.filter(name__startswith="d").order_by("name")[:n])
    from mediasuite.models import Event

    first_event = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
    launched_at = time.monotonic()
    supervisor = start("supervise", label=f"supervisor-{n}", data=data)
    playlists = {c.name: paths.hls_dir(c) / "index.m3u8" for c in channels}
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not all(p.exists() for p in playlists.values()):
        time.sleep(0.1)
    live = sum(p.exists() for p in playlists.values())
    all_live = time.monotonic() - launched_at
    time.sleep(2 * SEGMENT)  # let the last ones settle into real time
    processes = tree(supervisor.pid)
    for p in processes:
        p.cpu_percent(None)
    clocks = {name: SegmentClock() for name in playlists}
    for name, playlist in playlists.items():
        clocks[name].read(playlist, time.monotonic(), measure=False)  # what is there already is not timed
    lateness, api, started = [], [], time.monotonic()
    while time.monotonic() - started < seconds:
        for name, playlist in playlists.items():
            lateness += clocks[name].read(playlist, time.monotonic())
        began = time.monotonic()
        with urllib.request.urlopen(f"{base}/api/channels?", timeout=10) as response:
            response.read()
        api.append(time.monotonic() - began)
        time.sleep(0.05)
    cpu = ffmpeg_cpu = 0.0
    for p in processes:  # the same objects as at the start, so cpu_percent covers the whole run
        try:
            used = p.cpu_percent(None)
            cpu += used
            ffmpeg_cpu += used if p.name() == "ffmpeg" else 0.0
        except psutil.NoSuchProcess:
            continue
    rss, pss = memory(tree(supervisor.pid))
    stuck = Event.objects.filter(id__gt=first_event, kind__startswith="unit.",
                                 message__icontains="stuck").count()
    if kill:
        supervisor = kill_supervisor(supervisor, playlists, seconds, data, n)
    stop(supervisor)
    late = [max(0.0, x) for x in lateness] or [0.0]
    on_time = sum(1 for x in lateness if x < SEGMENT) / max(1, len(lateness))
    print(f"N={n:>3} ({live} live in {all_live:4.1f} s, {stuck} watchdog stops)  "
          f"cpu {cpu:6.1f}% of a core ({ffmpeg_cpu:5.1f}% ffmpeg)  "
          f"rss {rss:6.0f} MiB ({rss / n:4.1f}/channel)  "
          f"pss {pss:6.0f} MiB ({pss / n:4.1f}/channel)  segments {len(lateness):>5}  "
          f"lateness p50 {percentile(late, 50) * 1000:5.0f} ms p99 {percentile(late, 99) * 1000:6.0f} ms  "
          f"on time {on_time * 100:5.1f}%  API p95 {percentile(api, 95) * 1000:5.0f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 20, 40])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the data folder (logs) at the end")
    parser.add_argument("--kill-supervisor", action="store_true",
                        help="after each measure, kill -9 the supervisor and see whether any channel stops")
    args = parser.parse_args()
    data = django_on_a_fresh_data_dir()
    from demo.clips import make_clip
    from mediasuite.models import User

    clips = [make_clip(data / "clips" / f"c{n}.mp4", 60.0, label=f"c{n}") for n in range(2)]
    User.objects.create_superuser("bench", password="bench-password-not-secret")
    port = 18000 + int(time.time()) % 1000
    web = start("runweb", "--port", str(port), label="web", data=data,
                env={"MEDIASUITE_CHANNELS_OPEN_ACCESS": "true"})
    base = f"http://127.0.0.1:{port}"
    from rest_framework.authtoken.models import Token

    from mediasuite.accounts import insert_api_token

    token = insert_api_token(Token(user=User.objects.get(username="bench")))
    opener = urllib.request.build_opener()
    opener.addheaders = [("Authorization", f"Token {token}")]
    urllib.request.install_opener(opener)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/api/health", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    try:
        for n in args.sizes:
            measure(n, args.seconds, data, clips, token, base, kill=args.kill_supervisor)
    finally:
        stop(web)
        if args.keep:
            print(f"data folder kept: {data}")
        else:
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
