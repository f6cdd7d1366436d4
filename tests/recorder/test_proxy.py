"""The camera proxy's building blocks: backoff, per-consumer queues, MJPEG framing; and its idle close."""

import asyncio
import random
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import requests

from demo.mjpeg_camera import SyntheticCamera
from recorder.consumers import Consumer
from recorder.mjpeg import jpeg_frames
from recorder.proxy import BACKOFF_BASE, BACKOFF_CAP, READ_TIMEOUT, backoff_delay
from tests.conftest import ROOT, wait_for


def run(coroutine):
    """asyncio.run in a thread of its own: a browser test may have left Playwright's loop in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_backoff_grows_is_capped_never_zero_and_jittered():
    rng = random.Random(5)
    delays = [backoff_delay(n, rng.random) for n in range(1, 12)]
    assert all(BACKOFF_BASE / 2 <= d <= BACKOFF_CAP for d in delays)
    assert delays[-1] >= BACKOFF_CAP / 2
    assert len({round(d, 6) for d in delays[-4:]}) == 4  # jitter: capped delays still differ


def test_a_full_consumer_queue_drops_its_oldest_frame():
    async def scenario():
        consumer = Consumer("mjpeg")
        for n in range(10):
            consumer.offer(bytes([n]))
        return [await consumer.queue.get() for _ in range(consumer.queue.qsize())], consumer.dropped

    kept, dropped = run(scenario())
    assert kept == [b"\x07", b"\x08", b"\x09"] and dropped == 7


def test_jpeg_frames_cut_multipart_and_raw_streams():
    jpeg = b"\xff\xd8" + b"\x00\x11" * 500 + b"\xff\xd9"
    multipart = b"".join(b"--b\r\nContent-Type: image/jpeg\r\nContent-Length: %d\r\n\r\n" % len(jpeg) + jpeg
                         + b"\r\n" for _ in range(3))

    async def frames(data, chunk):
        reader = asyncio.StreamReader()
        for at in range(0, len(data), chunk):
            reader.feed_data(data[at:at + chunk])
        reader.feed_eof()
        return [frame async for frame in jpeg_frames(reader, READ_TIMEOUT)]

    assert run(frames(multipart, 7)) == [jpeg] * 3
    assert run(frames(jpeg * 4, 1000)) == [jpeg] * 4


def test_the_proxy_closes_the_camera_when_no_consumer_is_left(tmp_path):
    camera = SyntheticCamera(fps=10).start()
    proxy = subprocess.Popen([sys.executable, "-m", "recorder.proxy", "--source", camera.url,
                              "--dir", str(tmp_path)], cwd=ROOT)
    try:
        port = int(wait_for(lambda: (tmp_path / "port").is_file() and (tmp_path / "port").read_text(),
                            message="the proxy's port file"))
        assert camera.connections_total == 0  # nobody asked: the camera is not opened
        with requests.get(f"http://127.0.0.1:{port}/stream.mjpeg", stream=True, timeout=10) as response:
            next(response.iter_content(4096))
            assert camera.connections_active == 1
        wait_for(lambda: camera.connections_active == 0, timeout=30, message="the idle proxy to hang up")
        assert requests.get(f"http://127.0.0.1:{port}/snapshot.jpg", timeout=10).content[:2] == b"\xff\xd8"
        assert camera.connections_total == 2
    finally:
        proxy.terminate()
        proxy.wait(10)
        camera.stop()
