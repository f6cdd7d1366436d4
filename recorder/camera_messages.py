"""A camera connection problem as one sentence for people; the exception's text stays the detail.

Used by the camera proxy (no Django here: the proxy must start fast), which
publishes the sentence as `message` in its status beside the technical
`last_error`, and writes it into the camera lost/back events.
"""

import asyncio
import errno
import socket


class BadAnswer(ValueError):
    """The camera answered HTTP, but not 200 (the status line is the message)."""


class StreamEnded(Exception):
    """The camera (or the ffmpeg reading an RTSP camera) ended the stream."""


_ERRNO = {
    errno.ECONNREFUSED: "connection refused",
    errno.EHOSTUNREACH: "host unreachable",
    errno.ENETUNREACH: "network unreachable",
    errno.ECONNRESET: "connection reset",
    errno.ETIMEDOUT: "connection timed out",
}


def _problem(exc: BaseException | None, where: str, was_connected: bool, timeout: float) -> str:
    if isinstance(exc, socket.gaierror):
        return f"Camera unreachable at {where} (host name not found)"
    if isinstance(exc, (TimeoutError, asyncio.TimeoutError)):
        if was_connected:
            return f"Camera at {where} stopped sending video (nothing for {timeout:g} s)"
        return f"Camera unreachable at {where} (no answer within {timeout:g} s)"
    if isinstance(exc, BadAnswer):
        return f"Camera at {where} answered {exc} instead of a video stream; check the camera URL"
    if isinstance(exc, (StreamEnded, asyncio.IncompleteReadError)) or exc is None:
        detail = f" ({exc})" if isinstance(exc, StreamEnded) and str(exc) else ""
        return f"Camera at {where} ended the video stream{detail}"
    if isinstance(exc, OSError):
        cause = _ERRNO.get(exc.errno) or (exc.strerror or type(exc).__name__).lower()
        return f"Camera unreachable at {where} ({cause})"
    return f"Camera at {where} sent data that is not a video stream; check the camera kind and URL"


def describe(exc: BaseException | None, where: str, retry: float, *, was_connected=False,
             timeout: float = 5.0) -> str:
    """'Camera unreachable at 127.0.0.1:8589 (connection refused); retrying every 8 s.'"""
    return f"{_problem(exc, where, was_connected, timeout)}; retrying every {retry:g} s."
