"""Which file plays next: series order or random without recent repeats."""

import random
import re

_DIGITS = re.compile(r"(\d+)")


def natural_key(name: str):
    """'Episode 2' before 'Episode 10'; case-insensitive."""
    return [int(part) if part.isdigit() else part.casefold() for part in _DIGITS.split(name)]


def ordered(videos) -> list:
    return sorted(videos, key=lambda v: natural_key(v.name))


def next_series(videos: list, current_id) -> tuple:
    """(video, index): the file after `current_id` in natural order, wrapping after the last."""
    ids = [v.pk for v in videos]
    index = (ids.index(current_id) + 1) % len(videos) if current_id in ids else 0
    return videos[index], index


def next_random(videos: list, current_id, recent: list, window: int, rng=random) -> tuple:
    """(video, index): a random file other than the current one and the last `window` played."""
    if len(videos) == 1:
        return videos[0], 0
    others = min(window, len(videos) - 2)  # always leave at least one file to choose from
    keep_out = {current_id, *(recent[-(others + 1):] if others > 0 else [])}
    choices = [v for v in videos if v.pk not in keep_out] or [v for v in videos if v.pk != current_id]
    video = rng.choice(choices)
    return video, videos.index(video)
