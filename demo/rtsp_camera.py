"""A synthetic RTSP camera sending H.264, for tests, benches and demos.

ffmpeg encodes its test pattern (with a running clock) to H.264 and sends
RTP packets to a local UDP port; this small RTSP server answers OPTIONS,
DESCRIBE (ffmpeg's SDP), SETUP (TCP interleaved only, as the proxy asks),
PLAY and TEARDOWN, and relays the RTP packets to every playing client.
ffmpeg alone cannot serve RTSP to a client (its `-rtsp_flags listen` is for
receiving a pushed stream), hence this relay.

    camera = RtspCamera(size="640x360", fps=25).start()
    camera.url                  # rtsp://127.0.0.1:<port>/live
    camera.connections_total    # RTSP clients that reached PLAY
    camera.stop()
"""

import re
import socket
import socketserver
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from . import servers


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class RtspCamera:
    def __init__(self, host="127.0.0.1", port=0, size="320x240", fps=10, gop=None, ffmpeg="ffmpeg"):
        self.host, self.port, self.size, self.fps = host, port, size, fps
        self.gop = gop or fps
        self.ffmpeg = ffmpeg
        self.sdp = ""
        self.connections_total = 0
        self.players: set = set()
        self.lock = threading.Lock()
        self.send_lock = threading.Lock()  # RTP frames and RTSP replies never interleave on a socket
        self._encoder = None
        self._server = None
        self._udp = None
        self._running = threading.Event()

    @property
    def url(self) -> str:
        return f"rtsp://{self.host}:{self.port}/live"

    def start(self):
        self._udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._udp.bind(("127.0.0.1", 0))
        self._udp.settimeout(0.5)
        udp_port = self._udp.getsockname()[1]
        folder = Path(tempfile.mkdtemp(prefix="rtsp-camera-"))
        sdp_file = folder / "stream.sdp"
        self._encoder = subprocess.Popen(
            [self.ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-re", "-f", "lavfi", "-i",
             f"testsrc=size={self.size}:rate={self.fps}", "-c:v", "libx264", "-preset",
             "ultrafast", "-tune", "zerolatency", "-g", str(self.gop), "-pix_fmt", "yuv420p",
             "-flags", "+global_header", "-bsf:v", "dump_extra", "-f", "rtp",
             "-sdp_file", str(sdp_file), f"rtp://127.0.0.1:{udp_port}?pkt_size=1200"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 20
        while not (sdp_file.is_file() and "m=video" in sdp_file.read_text()):
            if time.monotonic() > deadline or self._encoder.poll() is not None:
                self.stop()
                raise RuntimeError("the RTSP camera's ffmpeg did not start")
            time.sleep(0.05)
        self.sdp = _rtsp_sdp(sdp_file.read_text())
        self._running.set()
        threading.Thread(target=self._relay, name="rtsp-relay", daemon=True).start()
        self._server = _Server((self.host, self.port), _handler_for(self))
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, name="rtsp-server", daemon=True).start()
        return self

    def stop(self):
        self._running.clear()
        servers.close(self._server, self.lock, self.players)
        self._server = None
        if self._encoder is not None and self._encoder.poll() is None:
            self._encoder.kill()
            self._encoder.wait(5)
        if self._udp is not None:
            self._udp.close()

    def _relay(self):
        while self._running.is_set():
            try:
                packet = self._udp.recv(65536)
            except (TimeoutError, OSError):
                continue
            frame = b"$\x00" + len(packet).to_bytes(2, "big") + packet
            with self.lock:
                players = list(self.players)
            for sock in players:
                try:
                    with self.send_lock:
                        sock.sendall(frame)
                except OSError:
                    with self.lock:
                        self.players.discard(sock)


def _rtsp_sdp(sdp: str) -> str:
    """ffmpeg's RTP SDP made fit for RTSP: port 0, any address, a control URL per track."""
    lines = [line for line in sdp.splitlines() if line.strip() and not line.startswith("SDP:")]
    out = []
    for line in lines:
        if line.startswith("c="):
            line = "c=IN IP4 0.0.0.0"
        if line.startswith("m=video"):
            out.append("a=control:*")
            line = re.sub(r"^m=video \d+", "m=video 0", line)
            out.append(line)
            out.append("a=control:trackID=0")
            continue
        out.append(line)
    return "\r\n".join(out) + "\r\n"


def _handler_for(camera: RtspCamera):
    def send(sock, data: bytes):
        with camera.send_lock:
            sock.sendall(data)

    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            sock = self.request
            buffer = b""
            session = f"{id(self):x}"
            try:
                while camera._running.is_set():
                    while buffer.startswith(b"$") and len(buffer) >= 4:  # RTCP from the client: skip
                        size = int.from_bytes(buffer[2:4], "big")
                        if len(buffer) < 4 + size:
                            break
                        buffer = buffer[4 + size:]
                    if b"\r\n\r\n" not in buffer or buffer.startswith(b"$"):
                        data = sock.recv(65536)
                        if not data:
                            return
                        buffer += data
                        continue
                    head, buffer = buffer.split(b"\r\n\r\n", 1)
                    self.answer(sock, head.decode("latin-1"), session)
            except OSError:
                pass
            finally:
                with camera.lock:
                    camera.players.discard(sock)

        def answer(self, sock, head, session):
            lines = head.split("\r\n")
            method = lines[0].split(" ", 1)[0]
            pairs = (line.partition(":") for line in lines[1:])
            headers = {key.strip().lower(): value.strip() for key, _, value in pairs}
            reply = [f"CSeq: {headers.get('cseq', '0')}"]
            body = ""
            if method == "OPTIONS":
                reply.append("Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER")
            elif method == "DESCRIBE":
                body = camera.sdp
                reply += ["Content-Type: application/sdp", f"Content-Base: {camera.url}/"]
            elif method == "SETUP":
                if "TCP" not in headers.get("transport", ""):
                    send(sock, f"RTSP/1.0 461 Unsupported Transport\r\n{reply[0]}\r\n\r\n".encode())
                    return
                reply += ["Transport: RTP/AVP/TCP;unicast;interleaved=0-1", f"Session: {session};timeout=60"]
            elif method == "PLAY":
                reply += [f"Session: {session}", "Range: npt=0.000-"]
                send(sock, ("RTSP/1.0 200 OK\r\n" + "\r\n".join(reply) + "\r\n\r\n").encode())
                with camera.lock:
                    camera.players.add(sock)
                    camera.connections_total += 1
                return
            elif method == "TEARDOWN":
                with camera.lock:
                    camera.players.discard(sock)
                reply.append(f"Session: {session}")
            elif method == "GET_PARAMETER":
                reply.append(f"Session: {session}")
            else:
                send(sock, f"RTSP/1.0 501 Not Implemented\r\n{reply[0]}\r\n\r\n".encode())
                return
            if body:
                reply.append(f"Content-Length: {len(body)}")
            send(sock, ("RTSP/1.0 200 OK\r\n" + "\r\n".join(reply) + "\r\n\r\n" + body).encode())

    return Handler


def main(argv=None):
    import argparse
    import signal

    parser = argparse.ArgumentParser(description="A synthetic RTSP camera (H.264 test pattern).")
    parser.add_argument("--port", type=int, default=8554)
    parser.add_argument("--fps", type=int, default=10)
    parser.add_argument("--size", default="640x360", help="WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    camera = RtspCamera(port=args.port, size=args.size, fps=args.fps).start()
    print(f"synthetic RTSP camera on {camera.url}", flush=True)
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    done.wait()
    camera.stop()


if __name__ == "__main__":
    main()
