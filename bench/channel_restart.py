"""Channel restart: time from the request to the first new segment, MediaSuite vs the original method.

    .venv/bin/python bench/channel_restart.py [--restarts 12] [--keyframes 0.5 2 10]

For each key frame spacing (0.5, 2 and 10 s: the bench's old clips,
streaming encodes, x264's default of 250 frames), three 30 s H.264/AAC clips
with a key frame every that many seconds.

MediaSuite: a real supervisor plays a copy-mode channel of those clips; each
restart goes through playout.request_restart (what the API and the dashboard
call); the clock stops when the channel's public playlist lists a segment of
the new run.

Baseline, the original system's method on the same clips: stop ffmpeg, empty
the folder, sleep 1.5-3.0 s, start `ffmpeg -re -i clip -c copy -f hls`
(default HLS settings); the clock stops when its playlist lists a segment.
Targets for each spacing: p95 <= 1.0 s and >= 4x faster than the baseline.
"""

import argparse
import random
import shutil
import signal
import subprocess
import time

from channel_setup import django_on_a_fresh_data_dir, percentile, start, stop

TARGET_P95 = 1.0
TARGET_RATIO = 4.0


def listed(playlist) -> list[str]:
    try:
        text = playlist.read_text()
    except OSError:
        return []
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def wait_new(playlist, old: set, timeout=60.0) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(name not in old for name in listed(playlist)):
            return time.monotonic()
        time.sleep(0.005)
    raise RuntimeError(f"no new segment in {playlist} within {timeout}s")


def make_clips(keyframes: float) -> str:
    from channels_app import paths
    from demo.clips import make_clip

    name = f"gop{keyframes:g}".replace(".", "")
    folder = paths.channels_root() / name
    for n, tone in enumerate((440, 550, 660)):
        make_clip(folder / f"clip{n}.mp4", 30.0, label=f"{name} {n}", frequency=tone, keyframes=keyframes)
    (folder / "series.txt").write_text("")
    return name


def mediasuite(name: str, restarts: int) -> list[float]:
    from channels_app import catalog, paths, playout

    channel = catalog.create(None, name=name, folder=name)
    playlist = paths.hls_dir(channel) / "index.m3u8"
    try:
        wait_new(playlist, set(), timeout=90)
        times = []
        for _ in range(restarts):
            time.sleep(random.uniform(1.0, 2.0))
            old = set(listed(playlist))
            began = time.monotonic()
            playout.request_restart(None, channel)
            times.append(wait_new(playlist, old) - began)
        return times
    finally:
        playout.stop(None, channel)


def baseline(data, name: str, restarts: int) -> list[float]:
    from channels_app import paths

    clips = sorted((paths.channels_root() / name).glob("*.mp4"))
    out = data / "baseline"
    times, process, index = [], None, 0
    for round_ in range(restarts + 1):
        began = time.monotonic()
        if process is not None:
            process.send_signal(signal.SIGINT)
            process.wait()
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        time.sleep(random.uniform(1.5, 3.0))
        index = (index + 1) % len(clips)
        process = subprocess.Popen(["ffmpeg", "-loglevel", "error", "-re", "-i", str(clips[index]),
                                    "-c", "copy", "-f", "hls", str(out / "index.m3u8")],
                                   stdin=subprocess.DEVNULL)
        done = wait_new(out / "index.m3u8", set())
        if round_ > 0:  # the first start is not a restart
            times.append(done - began)
        time.sleep(random.uniform(1.0, 2.0))
    process.send_signal(signal.SIGINT)
    process.wait()
    return times


def report(name, times):
    p50, p95 = percentile(times, 50), percentile(times, 95)
    print(f"  {name:<12} n={len(times):>3}  p50 {p50 * 1000:7.0f} ms  p95 {p95 * 1000:7.0f} ms  "
          f"max {max(times) * 1000:7.0f} ms", flush=True)
    return p95


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--restarts", type=int, default=12)
    parser.add_argument("--keyframes", type=float, nargs="+", default=[0.5, 2.0, 10.0],
                        help="key frame spacings of the clips, in seconds")
    args = parser.parse_args()
    random.seed(4)
    data = django_on_a_fresh_data_dir()
    names = {keyframes: make_clips(keyframes) for keyframes in args.keyframes}
    supervisor = start("supervise", label="supervisor", data=data)
    results = {}
    try:
        for keyframes, name in names.items():
            print(f"key frame every {keyframes:g} s:", flush=True)
            ours = report("mediasuite", mediasuite(name, args.restarts))
            theirs = report("original", baseline(data, name, args.restarts))
            results[keyframes] = (ours, theirs)
    finally:
        stop(supervisor)
    for keyframes, (ours, theirs) in results.items():
        ratio = theirs / ours
        print(f"key frame every {keyframes:>4g} s: p95 {ours * 1000:5.0f} ms vs {theirs * 1000:6.0f} ms, "
              f"{ratio:4.1f}x  (p95 <= {TARGET_P95:.1f} s: {'met' if ours <= TARGET_P95 else 'MISSED'}; "
              f">= {TARGET_RATIO:.0f}x: {'met' if ratio >= TARGET_RATIO else 'MISSED'})")
    shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
