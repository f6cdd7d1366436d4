"""File downloads with HTTP Range (206), streamed asynchronously under daphne."""

import asyncio
import re

from django.core.handlers.asgi import ASGIRequest
from django.http import JsonResponse, StreamingHttpResponse

CHUNK = 512 * 1024
RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _read_sync(path, start: int, length: int):
    with open(path, "rb") as handle:
        handle.seek(start)
        left = length
        while left > 0:
            data = handle.read(min(CHUNK, left))
            if not data:
                return
            left -= len(data)
            yield data


async def _read(path, start: int, length: int):
    with open(path, "rb") as handle:
        handle.seek(start)
        left = length
        while left > 0:
            data = await asyncio.to_thread(handle.read, min(CHUNK, left))
            if not data:
                return
            left -= len(data)
            yield data


def ranged_file(request, path, filename: str, content_type="video/mp4"):
    size = path.stat().st_size
    start, end, code = 0, size - 1, 200
    header = request.headers.get("Range", "")
    if header:
        match = RANGE_RE.match(header.strip())
        first, last = match.groups() if match else ("", "")
        if not match or (first == "" and last == ""):
            return _unsatisfiable(size)
        if first == "":
            start = max(0, size - int(last))
        else:
            start = int(first)
            end = min(end, int(last)) if last else end
        if start > end or start >= size:
            return _unsatisfiable(size)
        code = 206
    # Under daphne (ASGI) an async iterator, so that no thread is held per download; a sync one under WSGI.
    under_asgi = isinstance(getattr(request, "_request", request), ASGIRequest)
    reader = _read if under_asgi else _read_sync
    response = StreamingHttpResponse(reader(path, start, end - start + 1), status=code,
                                     content_type=content_type)
    response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    if code == 206:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    return response


def _unsatisfiable(size):
    response = JsonResponse({"error": f"The requested range is outside the file ({size} bytes)."}, status=416)
    response["Content-Range"] = f"bytes */{size}"
    return response
