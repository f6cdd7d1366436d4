"""Recording density: how many concurrent recordings keep real time, copy (RTSP H.264) vs MJPEG transcode.

    .venv/bin/python bench/recording_density.py [--copy 1 5 10 15] [--transcode 1 2 3] [--seconds 10]

Each recording is what production runs for one court: its own camera proxy
process (`python -m recorder.proxy`, one upstream connection) and its own
recording ffmpeg (the exact command of recorder.media.record_command, reading
the proxy, writing fragmented MP4). The cameras are simulated by one source
that every proxy connects to separately, as N cameras would be:

- copy: a synthetic RTSP camera (demo/rtsp_camera.py) sending 1280x720
  25 fps H.264; the proxy copies it to MPEG-TS and the recorder copies that
  into MP4: no frame is decoded or encoded;
- transcode: the synthetic MJPEG camera (demo/mjpeg_camera.py, 1280x720, 25 fps);
  the recorder encodes H.264 (libx264 veryfast, zerolatency).

For each count: CPU of the proxies + recorders per recording (% of one core,
measured over --seconds), and whether every recording kept real time: frames
written / frames the camera sent while it recorded (>= 95 %; the copy starts
with ~1 s the proxy had buffered, hence a little above 100 %), content
duration / wall time. The camera sources' own CPU is not counted (a real
camera encodes on its own chip). Target (issue 5): >= 10 copy recordings with
< 10 % of a core each.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = Path(tempfile.mkdtemp(prefix="bench-density-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediasuite.settings")
os.environ["MEDIASUITE_DATA_DIR"] = str(DATA)
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-0123456789-0123456789")

import django  # noqa: E402

django.setup()

from demo.mjpeg_camera import SyntheticCamera  # noqa: E402
from demo.rtsp_camera import RtspCamera  # noqa: E402
from recorder import media  # noqa: E402

FPS = 25


def wait_file(path: Path, timeout=30.0) -> float | None:
    """The moment (monotonic) `path` got its first bytes, None after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.is_file() and path.stat().st_size > 0:
            return time.monotonic()
        time.sleep(0.02)
    return None


def frames_and_duration(path: Path) -> tuple[int, float]:
    command = ["ffprobe", "-v", "error", "-count_packets", "-select_streams", "v:0",
               "-show_entries", "stream=nb_read_packets:format=duration", "-of", "json", str(path)]
    out = subprocess.run(command, capture_output=True, text=True, timeout=120)
    data = json.loads(out.stdout or "{}")
    try:
        return int(data["streams"][0]["nb_read_packets"]), float(data["format"]["duration"])
    except (KeyError, IndexError, ValueError):
        return 0, 0.0


def cpu_seconds(procs) -> float:
    total = 0.0
    for proc in procs:
        try:
            times = proc.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            pass
    return total


def run(mode: str, count: int, seconds: float, source_url: str, sent) -> dict:
    """`sent()`: frames the camera has sent so far (what a recording should have kept)."""
    folder = DATA / f"{mode}-{count}"
    proxies, recorders, outputs = [], [], []
    try:
        for n in range(count):
            unit = folder / f"cam{n}"
            proxies.append(subprocess.Popen([sys.executable, "-m", "recorder.proxy", "--source", source_url,
                                             "--dir", str(unit)], cwd=ROOT, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL))
        for n in range(count):
            port_file = folder / f"cam{n}" / "port"
            if not wait_file(port_file):
                raise SystemExit(f"proxy {n} did not start")
            port = int(port_file.read_text())
            path = "/raw.ts" if mode == "copy" else "/raw.mjpeg"
            output = folder / f"rec{n}.mp4"
            command = media.record_command(f"http://127.0.0.1:{port}{path}", output, 3600,
                                           "rtsp" if mode == "copy" else "mjpeg")
            log = open(folder / f"rec{n}.log", "wb")  # noqa: SIM115
            recorders.append(subprocess.Popen(command, stdout=log, stderr=log, start_new_session=True))
            outputs.append(output)
        born = {}
        for output in outputs:
            born[output] = (wait_file(output, 60), sent())
            if born[output][0] is None:
                raise SystemExit(f"{output} was never written")
        time.sleep(2.0)  # past the start-up
        procs = [psutil.Process(p.pid) for p in proxies + recorders]
        before, began = cpu_seconds(procs), time.monotonic()
        time.sleep(seconds)
        cpu = 100 * (cpu_seconds(procs) - before) / (time.monotonic() - began) / count
        stop_at, sent_at_stop = time.monotonic(), sent()
        for proc in recorders:
            os.killpg(proc.pid, signal.SIGINT)
        for proc in recorders:
            proc.wait(20)
        ratios, speeds = [], []
        for output in outputs:
            frames, duration = frames_and_duration(output)
            wall = stop_at - born[output][0]
            ratios.append(frames / max(1, sent_at_stop - born[output][1]))
            speeds.append(duration / wall)
        return {"cpu": cpu, "frames": min(ratios), "speed": min(speeds)}
    finally:
        for proc in recorders + proxies:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)


def report(mode, count, result):
    keeps = result["frames"] >= 0.95 and result["speed"] >= 0.95
    print(f"{mode:>9} | {count:>10} | {result['cpu']:>16.1f}% | {result['frames']:>10.1%} | "
          f"{result['speed']:>12.2f} | {'real time' if keeps else 'falls behind'}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copy", type=int, nargs="*", default=[1, 5, 10, 15])
    parser.add_argument("--transcode", type=int, nargs="*", default=[1, 2, 3])
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    print(f"{'mode':>9} | {'recordings':>10} | {'CPU per recording':>17} | {'frames kept':>11} | "
          f"{'content/wall':>12} | verdict")
    if args.copy:
        camera = RtspCamera(size="1280x720", fps=FPS).start()
        began = time.monotonic()
        try:
            for count in args.copy:
                result = run("copy", count, args.seconds, camera.url,
                             lambda: (time.monotonic() - began) * FPS)  # ffmpeg -re sends 25 fps
                report("copy", count, result)
        finally:
            camera.stop()
    if args.transcode:
        camera = SyntheticCamera(fps=FPS, size=(1280, 720)).start()
        try:
            for count in args.transcode:
                result = run("transcode", count, args.seconds, camera.url, lambda: camera.counter)
                report("transcode", count, result)
        finally:
            camera.stop()
    print("target: >= 10 copy recordings in real time with < 10 % of a core each")


if __name__ == "__main__":
    main()
