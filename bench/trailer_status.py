"""Trailer status of a whole list: bulk_status for 1 000 and 10 000 media, time and query count.

Target: <= 50 ms and <= 2 queries for 1 000 media. Baseline, in the same run:
the per-media lookup (`get_trailer_status` in a loop, one query each), as a
list view would do without the bulk form. SQLite on a fresh data dir;
half of the media have an entry (a third locked, the rest unlocked).

    .venv/bin/python bench/trailer_status.py
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from channel_setup import django_on_a_fresh_data_dir

RUNS = 15


def fill(count: int) -> None:
    from trailers.models import Status, TrailerEntry

    rows = []
    for n in range(1, count + 1):
        for media_type in ("movie", "series"):
            if n % 2:
                continue
            locked = n % 3 == 0
            rows.append(TrailerEntry(media_type=media_type, external_id=n,
                                     status=Status.LOCKED if locked else Status.UNLOCKED,
                                     locked_video_id=f"v{n}" if locked else "",
                                     candidates=[] if locked else [{"video_id": f"c{n}", "title": "t"}]))
    TrailerEntry.objects.bulk_create(rows, batch_size=2000)


def measure(func, media) -> tuple[float, int]:
    """Median milliseconds over RUNS, and the queries of one run."""
    from django.db import connection

    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        func(media)
        times.append((time.perf_counter() - start) * 1000)
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        func(media)
    return statistics.median(times), len(queries)


def main():
    django_on_a_fresh_data_dir()
    from trailers.status import bulk_status, get_trailer_status

    fill(10_000)

    def one_by_one(media):
        return {key: get_trailer_status(*key) for key in media}

    print(f"{'media':>7} {'bulk ms':>9} {'queries':>8} {'loop ms':>9} {'queries':>8} {'speed-up':>9}")
    for size in (1_000, 10_000):
        media = [("movie" if n % 2 else "series", n // 2 + 1) for n in range(size)]
        bulk_ms, bulk_q = measure(bulk_status, media)
        loop_ms, loop_q = measure(one_by_one, media)
        print(f"{size:>7} {bulk_ms:>9.1f} {bulk_q:>8} {loop_ms:>9.1f} {loop_q:>8} {loop_ms / bulk_ms:>8.0f}x")
        if size == 1_000:
            verdict = "met" if bulk_ms <= 50 and bulk_q <= 2 else "MISSED"
            print(f"        target for 1 000 (<= 50 ms, <= 2 queries): {verdict}")


if __name__ == "__main__":
    main()
