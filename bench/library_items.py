"""POST /api/media_items on a 5 000-item library (fake Plex): time of a page of 100 rows, Plex calls, queries.

Targets: a constant number of Plex calls per page (no call per row), the
trailer status in <= 2 database queries, a deep page and a column Plex
cannot sort (size, watched, Sonarr's status ...) as fast as page 1. A page
is cut from the view's index (library/index.py), read from Plex once per
view; the "refresh" case reads Plex every time (the cost of a view's first
page, or of the Search button). The library: 4 000 movies and
1 000 shows in two sections of the fake Plex (tests/fakes/plex.py), every
one also in the fake Radarr/Sonarr, half with a trailer entry. The time
includes the fake Plex answering over HTTP (it filters, sorts and writes the
XML in Python, as slow as or slower than a real server); SQLite on a fresh
data dir, the view called in process through the test client.

    .venv/bin/python bench/library_items.py
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from channel_setup import django_on_a_fresh_data_dir

MOVIES, SHOWS, RUNS = 4_000, 1_000, 20


def main():
    data = django_on_a_fresh_data_dir()
    from django.conf import settings
    from django.db import connection
    from rest_framework.test import APIClient

    from mediasuite.accounts import User
    from mediasuite.roles import Role
    from tests.fakes.plex import FakePlex
    from tests.fakes.radarr import FakeRadarr
    from tests.fakes.sonarr import FakeSonarr
    from trailers.models import Status, TrailerEntry

    with FakePlex() as plex, FakeRadarr(data / "movies") as radarr, FakeSonarr(data / "tv") as sonarr:
        settings.PLEX_URL = settings.PLEX_TV_URL = plex.url
        settings.PLEX_TOKEN = plex.token
        settings.RADARR_URL, settings.RADARR_API_KEY = radarr.url, radarr.api_key
        settings.SONARR_URL, settings.SONARR_API_KEY = sonarr.url, sonarr.api_key
        for n in range(1, MOVIES + 1):
            genres = ["Drama"] if n % 3 else ["Action"]
            plex.add_movie(f"Movie {n:05d}", 1950 + n % 70, tmdb_id=n, genres=genres)
            radarr.add_media(n, f"Movie {n:05d}")
        for n in range(1, SHOWS + 1):
            plex.add_show(f"Show {n:05d}", 1990 + n % 30, tvdb_id=n, seasons={1: 1 + n % 3})
            sonarr.add_media(n, f"Show {n:05d}", aired=3)
        TrailerEntry.objects.bulk_create([
            TrailerEntry(media_type=kind, external_id=n, status=Status.UNLOCKED,
                         candidates=[{"video_id": f"c{n}", "title": "t"}])
            for kind, count in (("movie", MOVIES), ("series", SHOWS)) for n in range(1, count + 1, 2)])
        operator = User.objects.create_user("bench", password="x", role=Role.SUPER_ADMIN)
        client = APIClient(SERVER_NAME="localhost")
        client.force_authenticate(operator)

        def page(body):
            before = len(plex.requests)
            queries = []

            def count(execute, sql, params, many, context):
                queries.append(sql)
                return execute(sql, params, many, context)

            start = time.perf_counter()
            with connection.execute_wrapper(count):
                answer = client.post("/api/media_items", body, format="json")
            elapsed = (time.perf_counter() - start) * 1000
            assert answer.status_code == 200, answer.content
            assert len(answer.json()["results"]) == 100
            trailer = sum(1 for q in queries if "trailers_" in q)
            return elapsed, len(plex.requests) - before, len(queries), trailer

        page({"page_size": 100})  # warm: plex.tv users into the cache, connections open
        print(f"library: {MOVIES} movies + {SHOWS} shows; {RUNS} runs per case")
        print(f"{'case':<38} {'p50 ms':>7} {'p95 ms':>7} {'x page 1':>8} {'plex calls':>10} {'queries':>7} "
              f"{'trailer q':>9}")
        baseline = None
        for label, body in (
            ("page 1, title", {"page_size": 100}),
            ("page 1, added desc, genre Drama", {"page_size": 100, "sort": "added_at", "direction": "desc",
                                                  "genres": ["Drama"]}),
            ("page 10, title", {"page_size": 100, "page": 10}),
            ("page 40, title", {"page_size": 100, "page": 40}),
            ("page 40, size desc (not Plex-sortable)", {"page_size": 100, "page": 40, "sort": "size",
                                                        "direction": "desc"}),
            ("page 40, watched (not Plex-sortable)", {"page_size": 100, "page": 40, "sort": "watched_state"}),
            ("page 1, refresh (reads Plex: cold)", {"page_size": 100, "refresh": True}),
            ("page 40, status, refresh (cold)", {"page_size": 100, "page": 40, "sort": "production_status",
                                                 "refresh": True}),
            ("page 40, title, Movies only (remembered)", {"page_size": 100, "page": 40, "libraries": [1]}),
        ):
            page(body)  # the view's index, as the page's first load builds it
            results = [page(body) for _ in range(RUNS)]
            times = sorted(r[0] for r in results)
            p95 = times[int(0.95 * (len(times) - 1))]
            baseline = baseline or p95
            calls, queries, trailer = results[-1][1:]
            median = statistics.median(times)
            print(f"{label:<38} {median:>7.0f} {p95:>7.0f} {p95 / baseline:>8.1f} {calls:>10} {queries:>7} "
                  f"{trailer:>9}")


if __name__ == "__main__":
    main()
