"""MJPEG framing: cutting JPEG frames out of a camera's stream, and writing multipart parts.

Shared by the camera proxy (reads cameras and its RTSP previewer's ffmpeg,
writes previews), the web process's preview relay (its content type) and the
synthetic camera. No Django here: the proxy imports it.
"""

import asyncio

BOUNDARY = b"proxyframe"
MAX_FRAME = 8 * 1024 * 1024
CONTENT_TYPE = f"multipart/x-mixed-replace; boundary={BOUNDARY.decode()}"


def part(frame: bytes, boundary: bytes = BOUNDARY) -> bytes:
    """One multipart/x-mixed-replace part carrying a JPEG frame."""
    return (b"--" + boundary + b"\r\nContent-Type: image/jpeg\r\nContent-Length: " + str(len(frame)).encode()
            + b"\r\n\r\n" + frame + b"\r\n")


async def jpeg_frames(reader, timeout: float):
    """JPEG frames of an MJPEG stream: multipart (with or without Content-Length) or raw JPEGs.

    Frames are cut at the JPEG start (FFD8) and end (FFD9) markers, which
    cannot occur inside entropy-coded data (0xFF is byte-stuffed there).
    A read that brings nothing for `timeout` seconds raises TimeoutError.
    """
    buffer = bytearray()
    while True:
        chunk = await asyncio.wait_for(reader.read(65536), timeout)
        if not chunk:
            return
        buffer += chunk
        while True:
            start = buffer.find(b"\xff\xd8")
            if start < 0:
                del buffer[:-1]
                break
            end = buffer.find(b"\xff\xd9", start + 2)
            if end < 0:
                if start:
                    del buffer[:start]
                if len(buffer) > MAX_FRAME:
                    raise ValueError("a frame larger than 8 MB: is this really an MJPEG stream?")
                break
            yield bytes(buffer[start : end + 2])
            del buffer[: end + 2]
