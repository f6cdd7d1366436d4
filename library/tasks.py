"""django-q2 entry points: thin, take ids, re-fetch (the domain modules do the work)."""


def bulk(job_id: int) -> str:
    from . import bulk as jobs

    return jobs.run(job_id)
