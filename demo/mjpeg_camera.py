"""A synthetic IP camera: MJPEG over HTTP, frames drawn with Pillow (a clock and a counter).

Used by the tests, the benches and the demo court. It renders each frame once
and hands the same bytes to every client, like a real camera's encoder.

    camera = SyntheticCamera(fps=10, size=(320, 240)).start()
    camera.url            # http://127.0.0.1:<port>/video.mjpeg
    camera.stall(True)    # keep sockets open, send nothing (a hung camera)
    camera.stop(); camera.start()   # the camera goes away and comes back on the same port
    camera.connections_total, camera.connections_active

Standalone: `python -m demo.mjpeg_camera --port 8089 --fps 10 --size 640x360`.
"""

import argparse
import io
import re
import signal
import socket
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PIL import Image, ImageDraw

from recorder import mjpeg

from . import servers

BOUNDARY = "camframe"


def stamped(jpeg: bytes, number: int) -> bytes:
    """The JPEG with a comment segment "ms-frame <number> <unix time>" (benches measure latency by it)."""
    stamp = f"ms-frame {number} {time.time():.6f}".encode()
    return jpeg[:2] + b"\xff\xfe" + (len(stamp) + 2).to_bytes(2, "big") + stamp + jpeg[2:]


STAMP_RE = re.compile(rb"ms-frame (\d+) (\d+\.\d{6})")


def read_stamp(chunk: bytes) -> tuple[int, float] | None:
    """(frame number, unix time) of the first stamped frame in `chunk`, if any."""
    found = STAMP_RE.search(chunk)
    return (int(found.group(1)), float(found.group(2))) if found else None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class SyntheticCamera:
    def __init__(self, host="127.0.0.1", port=0, fps=10.0, size=(320, 240), quality=75):
        self.host, self.port, self.fps, self.size, self.quality = host, port, float(fps), size, quality
        self.counter = 0
        self.latest = b""
        self.cond = threading.Condition()
        self.connections_total = 0
        self.connections_active = 0
        self._stalled = threading.Event()
        self._running = threading.Event()
        self._server = None
        self._clients: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._background = None

    # -- frames -------------------------------------------------------------

    def render(self) -> bytes:
        width, height = self.size
        image = Image.new("RGB", self.size, (20, 70, 40))
        draw = ImageDraw.Draw(image)
        x = int((self.counter * 7) % max(1, width - 40))
        draw.rectangle((x, height // 2 - 20, x + 40, height // 2 + 20), fill=(230, 220, 60))
        now = datetime.now(UTC).strftime("%H:%M:%S.%f")[:-4]
        draw.text((10, 10), f"MediaSuite camera  {now}", fill=(255, 255, 255))
        draw.text((10, 26), f"frame {self.counter}", fill=(255, 255, 255))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=self.quality)
        return stamped(buffer.getvalue(), self.counter + 1)

    def _produce(self):
        period = 1.0 / self.fps
        next_at = time.monotonic()
        while self._running.is_set():
            frame = self.render()
            with self.cond:
                self.counter += 1
                self.latest = frame
                self.cond.notify_all()
            next_at += period
            delay = next_at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            else:
                next_at = time.monotonic()

    def wait_frame(self, seen: int, timeout=2.0):
        """The next frame after number `seen`: (number, bytes), or None on timeout/stop."""
        with self.cond:
            self.cond.wait_for(lambda: self.counter > seen or not self._running.is_set(), timeout)
            if self.counter > seen and self._running.is_set():
                return self.counter, self.latest
        return None

    # -- control ------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/video.mjpeg"

    def stall(self, on: bool):
        (self._stalled.set if on else self._stalled.clear)()

    @property
    def stalled(self) -> bool:
        return self._stalled.is_set()

    def start(self):
        self._server = _Server((self.host, self.port), _handler_for(self))
        self.port = self._server.server_address[1]
        self._running.set()
        threading.Thread(target=self._produce, name="camera-frames", daemon=True).start()
        self._background = threading.Thread(
            target=self._server.serve_forever, name="camera-http", daemon=True
        )
        self._background.start()
        return self

    def stop(self):
        """Close the listening socket and every client connection (the camera is gone)."""
        self._running.clear()
        with self.cond:
            self.cond.notify_all()
        servers.close(self._server, self._lock, self._clients)
        self._server = None

    def _joined(self, sock):
        with self._lock:
            self.connections_total += 1
            self.connections_active += 1
            self._clients.add(sock)

    def _left(self, sock):
        with self._lock:
            self.connections_active -= 1
            self._clients.discard(sock)


def _handler_for(camera: SyntheticCamera):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, *args):
            pass

        def do_GET(self):
            path = self.path.split("?", 1)[0]
            if path == "/snapshot.jpg":
                got = camera.wait_frame(camera.counter - 1)
                if got is None:
                    self.send_error(503, "no frame")
                    return
                self.send_response(200)
                self.send_header("Content-Type", "image/jpeg")
                self.send_header("Content-Length", str(len(got[1])))
                self.end_headers()
                self.wfile.write(got[1])
                return
            if path not in ("/video.mjpeg", "/"):
                self.send_error(404, "try /video.mjpeg or /snapshot.jpg")
                return
            camera._joined(self.connection)
            try:
                self._stream()
            except OSError:
                pass
            finally:
                camera._left(self.connection)

        def _stream(self):
            self.send_response(200)
            self.send_header("Content-Type", f"multipart/x-mixed-replace; boundary={BOUNDARY}")
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            seen = camera.counter
            while camera._running.is_set():
                got = camera.wait_frame(seen)
                if got is None:
                    continue
                seen, frame = got
                if camera.stalled:
                    continue
                self.wfile.write(mjpeg.part(frame, BOUNDARY.encode()))
                self.wfile.flush()

    return Handler


def main(argv=None):
    parser = argparse.ArgumentParser(description="A synthetic MJPEG camera (Pillow).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8089)
    parser.add_argument("--fps", type=float, default=10.0)
    parser.add_argument("--size", default="640x360", help="WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    camera = SyntheticCamera(args.host, args.port, args.fps, (width, height)).start()
    print(f"synthetic camera on {camera.url}", flush=True)
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    done.wait()
    camera.stop()


if __name__ == "__main__":
    main()
