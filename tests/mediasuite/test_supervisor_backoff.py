"""Backoff defaults of DESIGN.md: 1 s doubling to 60 s with jitter; failed after 5 in 10 minutes."""

from django.conf import settings

from mediasuite.supervisor import backoff


def test_defaults_are_the_documented_ones():
    assert settings.SUPERVISOR_BACKOFF_BASE == 1.0
    assert settings.SUPERVISOR_BACKOFF_CAP == 60.0
    assert settings.SUPERVISOR_FAILURE_LIMIT == 5
    assert settings.SUPERVISOR_FAILURE_WINDOW == 600.0
    assert settings.SUPERVISOR_STOP_TIMEOUT == 10.0


def test_delay_doubles_with_jitter_up_to_the_cap():
    for failures, nominal in ((1, 1), (2, 2), (3, 4), (4, 8), (5, 16), (6, 32)):
        samples = {round(backoff.delay(failures), 6) for _ in range(50)}
        assert all(0.9 * nominal <= d <= 1.1 * nominal for d in samples)
        assert len(samples) > 1  # jitter: two nodes restarting together do not stay in step
    assert all(54 <= backoff.delay(n) <= 60 for n in (7, 8, 30))
    assert all(54 <= backoff.delay(1, failed=True) <= 60 for _ in range(20))  # failed: retry at the cap


def test_failure_window():
    now = 10_000.0
    times = [now - 700, now - 500, now - 100, now - 50, now - 10]
    assert backoff.recent(times, now) == times[1:]
    assert not backoff.is_failed(backoff.recent(times, now))
    assert backoff.is_failed([*backoff.recent(times, now), now])
