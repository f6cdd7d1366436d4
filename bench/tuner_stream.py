"""Tuner streams: time to the first byte of a tune, and what N readers cost, against an ffmpeg per viewer.

    .venv/bin/python bench/tuner_stream.py [--tunes 10] [--readers 8] [--seconds 20]

MediaSuite: a real supervisor plays a copy-mode channel (3 generated 30 s
H.264/AAC clips) and a real web process (`runweb`) serves its tuner URL
(`/auto/v<number>`, open access); a tune is a GET, timed to its first byte.
Then `--readers` streams are read at once for `--seconds`, and the CPU time
of the web process is counted.

Baseline, the usual way of a tuner made from HLS: one `ffmpeg -i index.m3u8
-c copy -f mpegts -` per viewer, on the same channel, timed to its first byte
on stdout, then `--readers` of them for the same time (their CPU time summed).
"""

import argparse
import os
import shutil
import socket
import subprocess
import threading
import time

import requests
from channel_setup import django_on_a_fresh_data_dir, percentile, start, stop


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process and its waited-for children, from /proc."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def first_byte_http(url: str) -> float:
    began = time.monotonic()
    with requests.get(url, stream=True, timeout=30) as response:
        response.raise_for_status()
        next(response.iter_content(188))
        return time.monotonic() - began


def first_byte_ffmpeg(playlist) -> float:
    began = time.monotonic()
    process = subprocess.Popen(["ffmpeg", "-loglevel", "error", "-live_start_index", "-1", "-i",
                                str(playlist), "-c", "copy", "-f", "mpegts", "-"], stdout=subprocess.PIPE,
                               stdin=subprocess.DEVNULL)
    process.stdout.read(188)
    took = time.monotonic() - began
    process.kill()
    process.wait()
    return took


def read_for(url: str, seconds: float, totals: list):
    got, deadline = 0, time.monotonic() + seconds
    with requests.get(url, stream=True, timeout=30) as response:
        for chunk in response.iter_content(65536):
            got += len(chunk)
            if time.monotonic() > deadline:
                break
    totals.append(got)


def report(name, times):
    print(f"{name:<22} n={len(times):>3}  first byte p50 {percentile(times, 50) * 1000:6.0f} ms  "
          f"p95 {percentile(times, 95) * 1000:6.0f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tunes", type=int, default=10)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    data = django_on_a_fresh_data_dir()
    from channels_app import catalog, paths
    from demo.clips import make_clip

    folder = paths.channels_root() / "bench"
    for n, tone in enumerate((440, 550, 660)):
        make_clip(folder / f"clip{n}.mp4", 30.0, label=f"clip {n}", frequency=tone)
    (folder / "series.txt").write_text("")
    channel = catalog.create(None, name="bench", folder="bench")
    port = free_port()
    env = {"MEDIASUITE_CHANNELS_OPEN_ACCESS": "true", "MEDIASUITE_CHANNELS_TUNER_COUNT": str(args.readers)}
    supervisor = start("supervise", label="supervisor", data=data)
    web = start("runweb", "--port", str(port), label="web", data=data, env=env)
    url = f"http://127.0.0.1:{port}/auto/v{channel.number}"
    playlist = paths.hls_dir(channel) / "index.m3u8"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                lineup = requests.get(f"http://127.0.0.1:{port}/lineup.json", timeout=2)
                if playlist.exists() and lineup.json():
                    break
            except (requests.ConnectionError, ValueError):
                pass
            time.sleep(0.2)
        time.sleep(3)
        ours = []
        for _ in range(args.tunes):
            ours.append(first_byte_http(url))
            time.sleep(0.5)
        theirs = [first_byte_ffmpeg(playlist) for _ in range(args.tunes)]
        report("mediasuite tuner", ours)
        report("ffmpeg per viewer", theirs)
        print(f"first byte p50 ratio ffmpeg/mediasuite: {percentile(theirs, 50) / percentile(ours, 50):.1f}x")

        before, totals = cpu_seconds(web.pid), []
        readers = [threading.Thread(target=read_for, args=(url, args.seconds, totals))
                   for _ in range(args.readers)]
        for reader in readers:
            reader.start()
        for reader in readers:
            reader.join()
        web_cpu = cpu_seconds(web.pid) - before
        remuxers = [subprocess.Popen(["ffmpeg", "-loglevel", "error", "-live_start_index", "-1", "-i",
                                      str(playlist), "-c", "copy", "-t", str(args.seconds), "-f", "mpegts",
                                      "-y", "/dev/null"], stdin=subprocess.DEVNULL)
                    for _ in range(args.readers)]
        usage = 0.0
        for remuxer in remuxers:
            _, _, rusage = os.wait4(remuxer.pid, 0)
            usage += rusage.ru_utime + rusage.ru_stime
        print(f"{args.readers} readers for {args.seconds:.0f} s: mediasuite web process {web_cpu:.2f} CPU s "
              f"({sum(totals) / 1e6:.1f} MB sent), {args.readers} ffmpeg remuxers {usage:.2f} CPU s")
    finally:
        stop(web)
        stop(supervisor)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
