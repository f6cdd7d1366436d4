"""django-q2 entry points: thin, take ids (or media keys), re-fetch; the domain modules do the work."""


def download(entry_id: int) -> str:
    from . import download as step

    return step.run(entry_id)


def refresh(items: list[dict]) -> list[dict]:
    from . import refresh as job

    return job.run(items)
