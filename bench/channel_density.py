"""Channel density: N copy-mode channels live at once on this machine.

    .venv/bin/python bench/channel_density.py [--sizes 10 20 40] [--seconds 30]

For each N: N channels (each a folder of two generated 60 s H.264/AAC clips)
under a real supervisor and a real web process; after they are all live,
for `--seconds` it records
- CPU (% of one core) and memory (RSS) of the supervisor and everything it runs;
- segment lateness: for every new segment, the time it appeared minus the time
  it was due on the channel's real-time schedule (see SegmentClock);
- API p95: GET /api/channels (every channel with its status) in a loop;
- how long until all N were live, and how many watchdog stops that start cost.
Target at N = 40: every segment on time (lateness p99 < one segment) and API p95 < 100 ms.
"""

import argparse
import shutil
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


def measure(n, seconds, data, clips, token, base):
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
    cpu = rss = 0.0
    for p in processes:  # the same objects as at the start, so cpu_percent covers the whole run
        try:
            cpu += p.cpu_percent(None)
            rss += p.memory_info().rss / 2**20
        except psutil.NoSuchProcess:
            continue
    stuck = Event.objects.filter(id__gt=first_event, kind__startswith="unit.",
                                 message__icontains="stuck").count()
    stop(supervisor)
    late = [max(0.0, x) for x in lateness] or [0.0]
    on_time = sum(1 for x in lateness if x < SEGMENT) / max(1, len(lateness))
    print(f"N={n:>3} ({live} live in {all_live:4.1f} s, {stuck} watchdog stops)  "
          f"cpu {cpu:6.1f}% of a core  rss {rss:7.0f} MiB  segments {len(lateness):>5}  "
          f"lateness p50 {percentile(late, 50) * 1000:5.0f} ms p99 {percentile(late, 99) * 1000:6.0f} ms  "
          f"on time {on_time * 100:5.1f}%  API p95 {percentile(api, 95) * 1000:5.0f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 20, 40])
    parser.add_argument("--seconds", type=float, default=30)
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
            measure(n, args.seconds, data, clips, token, base)
    finally:
        stop(web)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
