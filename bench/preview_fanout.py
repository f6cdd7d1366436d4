"""Preview fan-out: 10, 50, 100 MJPEG viewers of one 720p 25 fps camera through the web process.

    .venv/bin/python bench/preview_fanout.py [--viewers 10 50 100] [--seconds 10]

On a throwaway data directory (SQLite): migrate, create a user, a club, a
court on the synthetic camera (demo/mjpeg_camera.py, 1280x720, 25 fps, in this
process) and an open session; start the court's camera proxy
(`python -m recorder.proxy`, as the supervisor would) and a real web process
(`manage.py runweb`). Then, for each viewer count, that many asyncio clients
read /api/preview/<session>/stream.mjpeg (signed token) for --seconds and
report:

- CPU of the web process and of the proxy, in % of one core;
- frames delivered / expected (viewers x 25 fps x seconds);
- added latency p50/p95: each frame carries its capture time in a JPEG
  comment; latency through proxy + web minus the latency of a client reading
  the camera directly (the baseline, measured the same way);
- upstream connections opened at the camera by the proxy (target: 1; the
  baseline client's own direct connection is not counted).

Targets (issue 5): 100 viewers with 1 upstream connection, <= 25 % of one core
for the whole web process, p95 added latency <= 100 ms.
"""

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from demo.mjpeg_camera import SyntheticCamera, read_stamp  # noqa: E402

FPS = 25
SETUP = """
from mediasuite.models import Club, User
from recorder.models import Court
from recorder import sessions
from recorder.tokens import preview_token
user = User.objects.create_superuser("bench", password="bench-password-not-secret")
club = Club.objects.create(name="Bench", slug="bench")
court = Court.objects.create(club=club, name="Bench court", camera_url="{url}")
session = sessions.create(user, court)
print("SESSION=" + session.session_id)
print("COURT=" + str(court.pk))
print("TOKEN=" + preview_token(user, session.session_id))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values, q):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def viewer(host, port, path, stop: asyncio.Event, counts: list, latencies: list):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    index = len(counts)
    counts.append(0)
    tail = b""
    try:
        while not stop.is_set():
            chunk = await reader.read(262144)
            if not chunk:
                return
            now = time.time()
            data = tail + chunk
            frames = data.count(b"\xff\xd8\xff\xfe")
            counts[index] += frames
            if frames:
                stamp = read_stamp(data)
                if stamp:
                    latencies.append(now - stamp[1])
            tail = data[-3:]
    finally:
        writer.close()


async def measure(host, port, path, viewers: int, seconds: float, pids: dict):
    stop = asyncio.Event()
    counts, latencies = [], []
    tasks = [asyncio.create_task(viewer(host, port, path, stop, counts, latencies)) for _ in range(viewers)]
    await asyncio.sleep(2.0)  # every viewer connected and streaming
    procs = {name: psutil.Process(pid) for name, pid in pids.items()}
    before = {name: sum(p.cpu_times()[:2]) for name, p in procs.items()}
    start_counts, start_lat = sum(counts), len(latencies)
    began = time.monotonic()
    await asyncio.sleep(seconds)
    elapsed = time.monotonic() - began
    cpu = {name: 100 * (sum(p.cpu_times()[:2]) - before[name]) / elapsed for name, p in procs.items()}
    delivered = sum(counts) - start_counts
    window = latencies[start_lat:]
    stop.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return {"cpu": cpu, "delivered": delivered, "expected": viewers * FPS * elapsed, "latencies": window}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--viewers", type=int, nargs="+", default=[10, 50, 100])
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()

    camera = SyntheticCamera(fps=FPS, size=(1280, 720)).start()
    data = Path(tempfile.mkdtemp(prefix="bench-preview-"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mediasuite.settings", "MEDIASUITE_DATA_DIR": str(data),
           "SECRET_KEY": "bench-only-secret-key-0123456789-0123456789-0123456789", "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    out = subprocess.run([*manage, "shell", "-c", SETUP.format(url=camera.url)], env=env, check=True,
                         cwd=ROOT, capture_output=True, text=True).stdout
    values = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    proxy = subprocess.Popen([sys.executable, "-m", "recorder.proxy", "--source", camera.url,
                              "--dir", str(data / "units" / f"cam-{values['COURT']}")], cwd=ROOT, env=env)
    port = free_port()
    web = subprocess.Popen([*manage, "runweb", "--port", str(port)], env={**env, "LOG_LEVEL": "WARNING"},
                           cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("the web process did not start") from None
                time.sleep(0.2)
        path = f"/api/preview/{values['SESSION']}/stream.mjpeg?token={values['TOKEN']}"
        direct = asyncio.run(measure("127.0.0.1", camera.port, "/video.mjpeg", 1, 5.0, {}))
        base = statistics.median(direct["latencies"])
        print(f"camera 1280x720 @ {FPS} fps, {len(camera.latest)} bytes/frame; direct-read latency "
              f"p50 {base * 1000:.1f} ms (the baseline)")
        print(f"{'viewers':>7} | {'web CPU':>8} | {'proxy CPU':>9} | {'delivered/expected':>18} | "
              f"{'added p50':>9} | {'added p95':>9} | upstream conns")
        for count in args.viewers:
            result = asyncio.run(measure("127.0.0.1", port, path, count, args.seconds,
                                         {"web": web.pid, "proxy": proxy.pid}))
            lat = [v - base for v in result["latencies"]]
            ratio = result["delivered"] / result["expected"]
            print(f"{count:>7} | {result['cpu']['web']:>7.1f}% | {result['cpu']['proxy']:>8.1f}% | "
                  f"{ratio:>17.1%} | {percentile(lat, 0.5) * 1000:>6.1f} ms | "
                  f"{percentile(lat, 0.95) * 1000:>6.1f} ms | {camera.connections_total - 1}")
        print("targets: 100 viewers, 1 upstream connection, web <= 25 % of a core, added p95 <= 100 ms")
    finally:
        for proc in (web, proxy):
            proc.terminate()
            proc.wait(10)
        camera.stop()


if __name__ == "__main__":
    main()
