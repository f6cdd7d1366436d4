"""The camera proxy's local HTTP side: /info, /snapshot.jpg and the streams its consumers read.

Each request joins the proxy as one Consumer for as long as it reads (see
recorder/proxy.py for the camera side). No Django here.
"""

import asyncio
import json
import time

from . import mjpeg
from .consumers import Consumer

STREAMS = {"/stream.mjpeg": "mjpeg", "/raw.mjpeg": "raw", "/raw.ts": "ts"}
CONTENT_TYPES = {"mjpeg": mjpeg.CONTENT_TYPE, "raw": "image/jpeg", "ts": "video/mp2t"}
KEEPALIVE = 1.0  # /raw.mjpeg repeats the last frame after this long without one
SNAPSHOT_WAIT = 5.0  # a snapshot waits this long for a fresh frame, then answers the latest one
FRESH = 1.0  # a latest frame younger than this is answered at once


async def serve(proxy, reader, writer):
    try:
        request = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        path = request.split(b" ", 2)[1].decode("latin-1").split("?", 1)[0]
        if path == "/info":
            await respond(writer, "application/json", json.dumps(proxy.status()).encode())
        elif path == "/snapshot.jpg":
            await snapshot(proxy, writer)
        elif path in STREAMS:
            await stream(proxy, writer, STREAMS[path])
        else:
            await respond(writer, "text/plain", b"not found", "404 Not Found")
    except (TimeoutError, OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, IndexError):
        pass
    finally:
        writer.close()


async def respond(writer, content_type, body, status="200 OK"):
    writer.write(
        f"HTTP/1.0 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
        "Cache-Control: no-cache\r\n\r\n".encode()
        + body
    )
    await writer.drain()


async def snapshot(proxy, writer):
    if not proxy.connected or not proxy.latest or time.time() - proxy.latest_at > FRESH:
        consumer = Consumer("raw")  # wakes the upstream connection when it is idle
        proxy.join(consumer)
        try:
            frame = await asyncio.wait_for(consumer.queue.get(), SNAPSHOT_WAIT)
        except TimeoutError:
            frame = proxy.latest
        finally:
            proxy.leave(consumer)
    else:
        frame = proxy.latest
    if not frame:
        await respond(writer, "text/plain", b"no frame from the camera yet", "503 Service Unavailable")
        return
    await respond(writer, "image/jpeg", frame)


async def stream(proxy, writer, kind: str):
    consumer = Consumer(kind)
    raw = kind == "raw"
    proxy.join(consumer)
    try:
        writer.write(f"HTTP/1.0 200 OK\r\nContent-Type: {CONTENT_TYPES[kind]}\r\n"
                     "Cache-Control: no-cache\r\n\r\n".encode())
        if proxy.latest and kind != "ts":
            consumer.offer(proxy.latest)
        while True:
            try:
                frame = await asyncio.wait_for(consumer.queue.get(), KEEPALIVE if raw else None)
            except TimeoutError:
                if not proxy.latest:
                    continue
                frame = proxy.latest
            writer.write(frame if kind in ("raw", "ts") else mjpeg.part(frame))
            await writer.drain()
    finally:
        proxy.leave(consumer)
