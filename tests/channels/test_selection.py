"""Which file a channel plays next, in process: natural order, series wrap-around, random without repeats."""

import random
from types import SimpleNamespace

import pytest

from channels_app import selection


def files(*names):
    return [SimpleNamespace(pk=n, name=name) for n, name in enumerate(names, start=1)]


def test_natural_order_puts_episode_2_before_episode_10_whatever_the_case():
    shuffled = files("Episode 10.mp4", "episode 2.mp4", "Episode 1.mp4", "Bonus.mp4")
    assert [v.name for v in selection.ordered(shuffled)] == [
        "Bonus.mp4", "Episode 1.mp4", "episode 2.mp4", "Episode 10.mp4"]


def test_series_plays_the_next_file_and_wraps_after_the_last():
    videos = files("e1.mp4", "e2.mp4", "e3.mp4")
    played, current = [], None
    for _ in range(7):
        video, index = selection.next_series(videos, current)
        assert videos[index] is video
        played.append(video.name)
        current = video.pk
    assert played == ["e1.mp4", "e2.mp4", "e3.mp4", "e1.mp4", "e2.mp4", "e3.mp4", "e1.mp4"]


def test_series_starts_at_the_first_file_when_the_current_one_is_gone():
    videos = files("e1.mp4", "e2.mp4")
    assert selection.next_series(videos, 99)[0].name == "e1.mp4"


@pytest.mark.parametrize("seed", range(20))
def test_random_never_repeats_the_current_file_or_the_recent_window(seed):
    videos = files(*(f"clip{n}.mp4" for n in range(6)))
    rng = random.Random(seed)
    recent, current = [], None
    for _ in range(200):
        video, index = selection.next_random(videos, current, recent, window=3, rng=rng)
        assert videos[index] is video
        assert video.pk != current
        assert video.pk not in recent[-3:], (video.pk, recent[-3:])
        if current is not None:
            recent.append(current)
        current = video.pk


def test_random_with_a_window_too_large_still_finds_a_file_and_never_the_current_one():
    videos = files("a.mp4", "b.mp4", "c.mp4")
    rng = random.Random(1)
    for _ in range(50):
        video, _ = selection.next_random(videos, 1, [2, 3], window=10, rng=rng)
        assert video.pk != 1


def test_random_with_one_file_plays_it_again():
    videos = files("only.mp4")
    assert selection.next_random(videos, 1, [1], window=5) == (videos[0], 0)
