"""A local consumer of the camera proxy: its own bounded queue, the oldest frame dropped when full.

A slow viewer so loses frames and never slows the camera reader or anyone
else. No Django here: the proxy imports it.
"""

import asyncio

QUEUE_SIZE = 3
TS_QUEUE_SIZE = 1024  # MPEG-TS chunks for a recorder: dropping any would corrupt the copy


class Consumer:
    """kind: "mjpeg" (multipart preview), "raw" (JPEGs for the recorder) or "ts" (H.264 in MPEG-TS)."""

    def __init__(self, kind: str):
        self.kind = kind
        self.queue: asyncio.Queue = asyncio.Queue(TS_QUEUE_SIZE if kind == "ts" else QUEUE_SIZE)
        self.dropped = 0

    def offer(self, frame: bytes):
        if self.queue.full():
            self.queue.get_nowait()
            self.dropped += 1
        self.queue.put_nowait(frame)
