"""The recorder's maintenance job, run by the built-in `scheduler` service."""

from mediasuite.services.registry import maintenance


@maintenance("recorder.cleanup")
def cleanup() -> int:
    """Idle sessions closed, unused proxies stopped, empty/expired/over-quota videos removed (all clubs)."""
    from . import cleanup as job

    report = job.run(None)
    return sum(value for key, value in report.items() if key != "bytes_freed")
