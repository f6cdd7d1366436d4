"""Preview delivery in the web process: relay the court proxy's MJPEG, snapshot, status.

The web process never opens the camera: it connects to the court's proxy on
127.0.0.1 (port from the proxy unit's folder), so any number of viewers
share the proxy's one upstream connection. The stream is an async generator,
relayed by daphne without a thread per viewer; a viewer that disconnects
closes only its own connection to the proxy. A viewer whose access goes (a
membership deleted, the account deactivated, the password changed, the token
revoked, the session closed) is cut within seconds (`mediasuite.access`).
"""

import asyncio
import contextlib
import json
import urllib.error
import urllib.request

from django.http import HttpResponse, StreamingHttpResponse

from mediasuite import access
from mediasuite.errors import Unavailable

from . import mjpeg
from .units import proxy_port, proxy_status

CHUNK = 256 * 1024


class ProxyUnavailable(Unavailable):
    def __init__(self, message: str = "The camera proxy of this court is not running; open a session on the "
                 "court (it starts the proxy) or look at its unit (cam-<court id>) in the admin."):
        super().__init__(message)


def _port(court) -> int:
    port = proxy_port(court.proxy_unit_name)
    if port is None or proxy_status(court.proxy_unit_name) is None:
        raise ProxyUnavailable()
    return port


def status(court) -> dict | None:
    """The proxy's live status (asked over HTTP), else its last status file, None when it is not running."""
    port = proxy_port(court.proxy_unit_name)
    if port is not None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/info", timeout=2) as answer:
                return json.loads(answer.read())
        except (OSError, ValueError):
            pass
    return proxy_status(court.proxy_unit_name)


def snapshot(court) -> HttpResponse:
    port = _port(court)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/snapshot.jpg", timeout=8) as answer:
            body = answer.read()
    except (OSError, urllib.error.URLError) as exc:
        raise ProxyUnavailable(f"The camera sent no frame ({exc}); check the camera and its URL.") from None
    response = HttpResponse(body, content_type="image/jpeg")
    response["Cache-Control"] = "no-store"
    return response


async def _relay(port: int):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(b"GET /stream.mjpeg HTTP/1.0\r\n\r\n")
        await writer.drain()
        await reader.readuntil(b"\r\n\r\n")
        while True:
            chunk = await reader.read(CHUNK)
            if not chunk:
                return
            yield chunk
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()


def stream(court, grant: access.Grant) -> StreamingHttpResponse:
    """The court's live MJPEG for as long as `grant` holds (re-checked every few seconds)."""
    response = StreamingHttpResponse(access.until_revoked(_relay(_port(court)), grant),
                                     content_type=mjpeg.CONTENT_TYPE)
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"
    return response
