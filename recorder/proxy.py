"""The camera proxy: one upstream connection per camera, any number of local consumers.

Runs as the supervised unit kind `camera-proxy` (one process per camera in
use): `python -m recorder.proxy --source <camera url> --dir <unit dir> --ffmpeg <settings.FFMPEG>`.
It listens on 127.0.0.1 on a free port written to `<dir>/port` and serves

    /stream.mjpeg   multipart MJPEG for previews (the web process relays it)
    /raw.ts         RTSP cameras: the camera's own video (H.264) in MPEG-TS, copied
                    without re-encoding, for the recording ffmpeg
    /raw.mjpeg      concatenated JPEGs for the recording ffmpeg; while the camera
                    is away the last frame is repeated once a second, so ffmpeg
                    never times out on an outage and the recording goes on in the
                    same file
    /snapshot.jpg   the latest frame
    /info           JSON status (also written to `<dir>/status.json` every second)

Each consumer has its own bounded queue that drops its oldest frame when full:
a slow viewer loses frames, never slows the camera reader or anyone else.
The upstream connection is opened while consumers exist (and for a short
grace after the last leaves), re-opened after a failure with capped
exponential backoff and jitter, the backoff reset only after healthy frames.
MJPEG and HTTP cameras are read directly; an RTSP camera through one ffmpeg
(TCP transport, I/O timeout) that copies its video into MPEG-TS for the
recorders; only while someone watches, a second local ffmpeg decodes that
copy into MJPEG frames (at most 10 fps) for the previews. An RTSP camera is
thus opened once too, and recording it never decodes a frame.
This module holds the camera side; the local HTTP side is proxy_http.py, the
consumer queues consumers.py, the JPEG framing mjpeg.py.
No Django here: the process must start fast and stay small.
"""

import argparse
import asyncio
import contextlib
import functools
import json
import os
import random
import signal
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from .camera_messages import BadAnswer, StreamEnded, describe
from .consumers import Consumer
from .mjpeg import jpeg_frames
from .proxy_http import serve

RTSP_PREVIEW_FPS = 10  # an RTSP camera's preview frames are transcoded to MJPEG at most this often
READ_TIMEOUT = 5.0  # no byte from the camera for this long: reconnect
IDLE_GRACE = 5.0  # keep the upstream open this long after the last consumer left
BACKOFF_BASE, BACKOFF_CAP = 0.5, 8.0
HEALTHY_FRAMES = 25  # frames in a row before the backoff starts again from the base


def backoff_step(failures: int) -> float:
    return min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(0, failures - 1))


def backoff_delay(failures: int, rng=random.random) -> float:
    """Capped exponential delay with full jitter in [d/2, d]; never zero."""
    return backoff_step(failures) * (0.5 + rng() / 2)


def camera_address(source: str) -> str:
    """host:port of the camera, as people name it in a message."""
    url = urlsplit(source)
    default = {"https": 443, "rtsp": 554, "rtsps": 322}.get(url.scheme, 80)
    return f"{url.hostname}:{url.port or default}"


class Proxy:
    def __init__(self, source: str, folder: Path, ffmpeg: str = "ffmpeg"):
        self.source = source
        self.folder = folder
        self.ffmpeg = ffmpeg
        self.consumers: set[Consumer] = set()
        self.internal: set[Consumer] = set()  # the RTSP previewer's feed (not a reason to stay connected)
        self.latest: bytes = b""
        self.latest_at = 0.0
        self.data_at = 0.0  # last byte from the camera (an RTSP copy carries no JPEG)
        self.idle_since = 0.0  # when the last consumer left
        self.has_consumers = asyncio.Event()
        self.connected = False
        self.lost = False
        self.upstream_connections = 0
        self.reconnects = 0
        self.frames = 0
        self.last_error = ""  # the technical detail (exception and its text)
        self.message = ""  # the same problem as one sentence for people
        self.fps = 0.0
        self._fps_window: list[float] = []
        self.port = 0

    # -- status ---------------------------------------------------------------

    def status(self) -> dict:
        last = max(self.latest_at, self.data_at)
        age = round(time.time() - last, 3) if last else None
        return {
            "connected": self.connected,
            "fps": round(self.fps, 2),
            "last_frame_age": age,
            "reconnects": self.reconnects,
            "upstream_connections": self.upstream_connections,
            "consumers": len(self.consumers),
            "frames": self.frames,
            "last_error": self.last_error,
            "message": "" if self.connected else self.message,
            "pid": os.getpid(),
            "port": self.port,
            "updated": time.time(),
        }

    def note(self, kind: str, message: str):
        """Append a camera event (lost/back) to `<dir>/events.jsonl`; the supervisor makes them Events."""
        self.lost = kind == "lost"
        line = json.dumps(
            {"kind": kind, "message": message, "at": time.time(), "reconnects": self.reconnects}
        )
        with open(self.folder / "events.jsonl", "a") as handle:
            handle.write(line + "\n")

    async def write_status(self):
        while True:
            tmp = self.folder / "status.json.tmp"
            tmp.write_text(json.dumps(self.status()))
            os.replace(tmp, self.folder / "status.json")
            await asyncio.sleep(1.0)

    # -- upstream -------------------------------------------------------------

    def publish(self, frame: bytes):
        now = time.time()
        self.latest, self.latest_at = frame, now
        self.frames += 1
        self._fps_window = [t for t in self._fps_window if now - t < 2.0] + [now]
        self.fps = len(self._fps_window) / 2.0
        for consumer in list(self.consumers):
            if consumer.kind != "ts":
                consumer.offer(frame)

    async def upstream(self):
        failures = 0
        while True:
            await self.has_consumers.wait()
            healthy = 0
            cause = None
            try:
                # aclosing: leaving the loop closes the camera connection (or its ffmpeg) at once.
                async with contextlib.aclosing(self.read_camera()) as frames:
                    async for frame in frames:
                        if frame is not None:
                            self.publish(frame)
                        healthy += 1
                        if healthy == HEALTHY_FRAMES:
                            failures = 0
                        if not self.consumers and time.time() - self.idle_since > IDLE_GRACE:
                            break
                    else:
                        cause = StreamEnded("")
                        self.last_error = "the camera closed the stream"
            except (
                TimeoutError,
                OSError,
                ValueError,
                StreamEnded,
                asyncio.IncompleteReadError,
                asyncio.LimitOverrunError,
            ) as exc:
                cause = exc
                self.last_error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            was_connected = self.connected
            self.connected = False
            if not self.consumers:
                continue
            failures += 1
            self.reconnects += 1
            self.message = describe(cause, camera_address(self.source), backoff_step(failures),
                                    was_connected=was_connected, timeout=READ_TIMEOUT)
            if was_connected:
                self.note("lost", self.message)
            await asyncio.sleep(backoff_delay(failures))

    async def read_camera(self):
        if urlsplit(self.source).scheme in ("rtsp", "rtsps"):
            async for frame in self.read_rtsp():
                yield frame
            return
        url = urlsplit(self.source)
        port = url.port or (443 if url.scheme == "https" else 80)
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(url.hostname, port, ssl=url.scheme == "https"), READ_TIMEOUT
        )
        self.upstream_connections += 1
        try:
            path = (url.path or "/") + (f"?{url.query}" if url.query else "")
            writer.write(
                f"GET {path} HTTP/1.0\r\nHost: {url.netloc}\r\nUser-Agent: mediasuite-proxy\r\n"
                "Accept: */*\r\n\r\n".encode()
            )
            await writer.drain()
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), READ_TIMEOUT)
            status_line = head.split(b"\r\n", 1)[0].decode("latin-1")
            if " 200" not in status_line:
                raise BadAnswer(status_line)
            if self.lost:
                self.note("back", f"Camera connection back after {self.reconnects} reconnect(s)")
            self.connected = True
            self.last_error = self.message = ""
            async for frame in jpeg_frames(reader, READ_TIMEOUT):
                yield frame
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def read_rtsp(self):
        """One ffmpeg reads the RTSP camera (TCP transport, I/O timeout) and copies its video into
        MPEG-TS: no decoding, no re-encoding. Yields None per chunk (the upstream loop counts them)."""
        command = [
            self.ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp",
            "-timeout", str(int(READ_TIMEOUT * 1_000_000)), "-i", self.source,
            "-map", "0:v:0", "-c", "copy", "-f", "mpegts", "pipe:1",
        ]  # fmt: skip
        proc = await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.PIPE)
        self.upstream_connections += 1
        try:
            first = True
            while True:
                chunk = await asyncio.wait_for(proc.stdout.read(65536), READ_TIMEOUT)
                if not chunk:
                    break
                if first:
                    if self.lost:
                        self.note("back", f"Camera connection back after {self.reconnects} reconnect(s)")
                    self.connected, self.last_error, self.message, first = True, "", "", False
                self.data_at = time.time()
                for consumer in list(self.consumers) + list(self.internal):
                    if consumer.kind == "ts":
                        consumer.offer(chunk)
                yield None
            raise StreamEnded(f"ffmpeg reading the RTSP camera ended with exit {await proc.wait()}")
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()

    async def previewer(self):
        """RTSP cameras: while someone wants JPEGs (a preview, a snapshot), decode the copied stream
        to MJPEG at most RTSP_PREVIEW_FPS; nobody watching, nothing is decoded (recording stays a copy)."""
        while True:
            await asyncio.sleep(0.2)
            if not any(c.kind != "ts" for c in self.consumers):
                continue
            feed = Consumer("ts")
            command = [
                self.ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-analyzeduration", "1000000",
                "-f", "mpegts", "-i", "pipe:0",
                "-an", "-c:v", "mjpeg", "-q:v", "5", "-pix_fmt", "yuvj420p", "-r", str(RTSP_PREVIEW_FPS),
                "-f", "mjpeg", "pipe:1",
            ]  # fmt: skip
            proc = await asyncio.create_subprocess_exec(
                *command, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
            )
            self.internal.add(feed)
            writer = asyncio.create_task(self._feed(feed, proc.stdin))
            try:
                idle_from = None
                async for frame in jpeg_frames(proc.stdout, READ_TIMEOUT):
                    self.publish(frame)
                    wanted = any(c.kind != "ts" for c in self.consumers)
                    idle_from = None if wanted else (idle_from or time.time())
                    if idle_from and time.time() - idle_from > IDLE_GRACE:
                        break
            except (TimeoutError, OSError, ValueError):
                pass
            finally:
                self.internal.discard(feed)
                writer.cancel()
                if proc.returncode is None:
                    proc.kill()
                    await proc.wait()

    @staticmethod
    async def _feed(feed: Consumer, stdin):
        with contextlib.suppress(OSError, ConnectionError):
            while True:
                stdin.write(await feed.queue.get())
                await stdin.drain()

    # -- consumers --------------------------------------------------------------

    def join(self, consumer: Consumer):
        self.consumers.add(consumer)
        self.has_consumers.set()

    def leave(self, consumer: Consumer):
        self.consumers.discard(consumer)
        if not self.consumers:
            self.idle_since = time.time()
            self.has_consumers.clear()


async def main_async(source: str, folder: Path, ffmpeg: str):
    folder.mkdir(parents=True, exist_ok=True)
    proxy = Proxy(source, folder, ffmpeg)
    server = await asyncio.start_server(functools.partial(serve, proxy), "127.0.0.1", 0, limit=65536)
    proxy.port = server.sockets[0].getsockname()[1]
    tmp = folder / "port.tmp"
    tmp.write_text(str(proxy.port))
    os.replace(tmp, folder / "port")
    print(f"camera proxy for {source} on 127.0.0.1:{proxy.port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    tasks = [asyncio.create_task(proxy.upstream()), asyncio.create_task(proxy.write_status())]
    if urlsplit(source).scheme in ("rtsp", "rtsps"):
        tasks.append(asyncio.create_task(proxy.previewer()))
    await stop.wait()
    for task in tasks:
        task.cancel()
    server.close()
    (folder / "port").unlink(missing_ok=True)
    print("camera proxy stopped", flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description="MediaSuite camera proxy (one per camera).")
    parser.add_argument("--source", required=True, help="the camera: http(s) MJPEG stream or rtsp(s) URL")
    parser.add_argument("--dir", required=True, help="folder for the port and status files")
    parser.add_argument("--ffmpeg", default="ffmpeg", help="the ffmpeg to run for RTSP cameras "
                                                           "(the supervisor passes settings.FFMPEG)")
    args = parser.parse_args(argv)
    asyncio.run(main_async(args.source, Path(args.dir), args.ffmpeg))
    return 0


if __name__ == "__main__":
    sys.exit(main())
