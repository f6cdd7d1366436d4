"""django-q2 entry points of background services: they take names and re-fetch."""

from . import runner


def run_service(name: str, wait: bool = False) -> str:
    """Run the periodic service `name` (see runner.py); enqueued by control.kick and its Schedule."""
    return runner.run(name, wait=wait)
