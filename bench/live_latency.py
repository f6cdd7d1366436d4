"""Latency of the live event feed, from a commit in another process to a WebSocket client.

    .venv/bin/python bench/live_latency.py [--changes 200] [--spacing 0.025]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/live_latency.py

For each database (the embedded SQLite default, plus PostgreSQL when
DATABASE_URL is given: a throwaway database is created on that server and
dropped afterwards), on a throwaway data directory:

1. migrate, create a user and a session;
2. start a real web process (`manage.py runweb` on a free port);
3. connect a WebSocket client to /ws/events/ with the session cookie;
4. start a writer process (`manage.py shell`) that records `--changes`
   events, each in its own transaction, at random intervals, stamping the
   wall-clock time just before the commit in the payload;
5. the client computes receipt time minus that stamp for every event.

The baseline is the original dashboards' 2 s polling: for the same write
times, a poller at a random phase sees each change at its next tick (averaged
over 1000 phases). Both run on this machine's clock, so no clock skew.
"""

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import websockets

ROOT = Path(__file__).resolve().parent.parent
TARGET_P95 = 0.250
BASELINE_POLL = 2.0

SETUP = """
from django.test import Client
from mediasuite.models import User
user = User.objects.create_superuser("bench", password="bench-password-not-secret")
client = Client()
client.force_login(user)
print("COOKIE=" + client.cookies["sessionid"].value)
"""

WRITER = """
import random, time
from django.db import transaction
from mediasuite import events
random.seed(7)
for n in range({changes}):
    time.sleep(random.uniform(0, 2 * {spacing}))
    with transaction.atomic():
        events.record("bench.changed", ("bench", n), message="change %d" % n, payload={{"t": time.time()}})
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args, **kwargs):
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=True, **kwargs)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def figures(values):
    return {"p50": percentile(values, 0.5), "p95": percentile(values, 0.95), "max": max(values),
            "mean": statistics.fmean(values)}


def baseline(write_times, phases=1000, seed=1):
    """Latencies a 2 s poller would show for the same writes, over random phases."""
    rng = random.Random(seed)
    out = []
    for _ in range(phases):
        phase = rng.uniform(0, BASELINE_POLL)
        out.extend(BASELINE_POLL - ((t - phase) % BASELINE_POLL) for t in write_times)
    return out


async def receive(url, cookie, origin, count, writer_start):
    latencies, write_times = [], []
    async with websockets.connect(url, origin=origin, additional_headers={"Cookie": cookie},
                                  open_timeout=20) as ws:
        while json.loads(await ws.recv())["type"] != "hello":
            pass
        writer = writer_start()
        try:
            while len(latencies) < count:
                data = json.loads(await asyncio.wait_for(ws.recv(), timeout=30))
                now = time.time()
                if data["type"] != "event" or data["event"]["kind"] != "bench.changed":
                    continue
                stamp = data["event"]["payload"]["t"]
                latencies.append(now - stamp)
                write_times.append(stamp)
        finally:
            writer.wait(30)
    return latencies, write_times


def run(label, database_url, changes, spacing):
    data_dir = tempfile.mkdtemp(prefix="mediasuite-bench-")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(MEDIASUITE_DATA_DIR=data_dir, DJANGO_SETTINGS_MODULE="mediasuite.settings",
               SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
               PYTHONPATH=str(ROOT), LOG_LEVEL="WARNING", MEDIASUITE_PROCESS="web")
    if database_url:
        env["DATABASE_URL"] = database_url
    manage(env, "migrate", "--noinput", "-v0")
    setup = manage(env, "shell", "-v", "0", "-c", SETUP).stdout.splitlines()
    cookie = "sessionid=" + next(line[7:] for line in setup if line.startswith("COOKIE="))
    port = free_port()
    log = open(Path(data_dir) / "web.log", "wb")  # noqa: SIM115
    web = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "runweb", "--port", str(port)],
                           env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/health", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline or web.poll() is not None:
                    raise RuntimeError((Path(data_dir) / "web.log").read_text()) from None
                time.sleep(0.1)

        def start_writer():
            code = WRITER.format(changes=changes, spacing=spacing)
            return subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "shell", "-v", "0", "-c",
                                     code],
                                    env={**env, "MEDIASUITE_PROCESS": "writer"}, cwd=ROOT)

        latencies, write_times = asyncio.run(
            receive(f"ws://127.0.0.1:{port}/ws/events/", cookie, base, changes, start_writer))
    finally:
        web.terminate()
        web.wait(20)
        log.close()
    return latencies, write_times


def report(label, latencies, write_times):
    live, poll = figures(latencies), figures(baseline(write_times))
    within = sum(1 for x in latencies if x <= TARGET_P95) / len(latencies)
    ms = lambda x: f"{x * 1000:8.1f} ms"  # noqa: E731
    print(f"\n{label}: {len(latencies)} changes, commit in a writer process -> WebSocket client")
    print(f"  {'':22}{'p50':>11}{'p95':>11}{'max':>11}{'mean':>11}")
    print(f"  {'live feed':22}{ms(live['p50'])}{ms(live['p95'])}{ms(live['max'])}{ms(live['mean'])}")
    print(f"  {'2 s poller (baseline)':22}{ms(poll['p50'])}{ms(poll['p95'])}{ms(poll['max'])}"
          f"{ms(poll['mean'])}")
    print(f"  baseline / live: p50 x{poll['p50'] / live['p50']:.1f}, p95 x{poll['p95'] / live['p95']:.1f}")
    verdict = "meets" if live["p95"] <= TARGET_P95 else "MISSES"
    target = f"{TARGET_P95 * 1000:.0f} ms"
    print(f"  {within:.0%} within {target}; p95 {verdict} the {target} target")
    return live


def postgres_throwaway(url):
    """Create a database next to the one in `url`; returns (its url, drop function)."""
    import psycopg

    parts = urlsplit(url)
    name = f"mediasuite_bench_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--spacing", type=float, default=0.025, help="mean seconds between changes")
    args = parser.parse_args()
    print(f"live_latency: {args.changes} changes, mean spacing {args.spacing * 1000:.0f} ms, "
          f"poll interval {os.environ.get('MEDIASUITE_LIVE_POLL_INTERVAL', '0.1')} s")
    results = {"SQLite (embedded default)": run("sqlite", None, args.changes, args.spacing)}
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        bench_url, drop = postgres_throwaway(url)
        try:
            results["PostgreSQL (LISTEN/NOTIFY + poll)"] = run("postgres", bench_url, args.changes,
                                                               args.spacing)
        finally:
            drop()
    for label, (latencies, write_times) in results.items():
        report(label, latencies, write_times)


if __name__ == "__main__":
    main()
