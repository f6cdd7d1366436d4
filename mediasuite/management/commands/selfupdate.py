"""Run one self-update job (started detached by POST /api/system/update, or by hand)."""

from django.core.management.base import BaseCommand, CommandError

from mediasuite.models import UpdateJob
from mediasuite.system import jobs, updater


class Command(BaseCommand):
    help = ("Update this checkout to the latest commit of its tracked branch, migrate, restart the service "
            "and check it; roll back when the new version does not come up. Without a job id, creates one.")

    def add_arguments(self, parser):
        parser.add_argument("job_id", nargs="?", type=int)

    def handle(self, *args, job_id=None, **options):
        if job_id is None:
            try:
                job_id = jobs.create(None).pk
            except jobs.Busy as exc:
                raise CommandError(str(exc)) from None
        elif not UpdateJob.objects.filter(pk=job_id, state=UpdateJob.State.PENDING).exists():
            raise CommandError(f"Update job {job_id} does not exist or has already run.")
        job = updater.run(job_id)
        self.stdout.write(f"Update #{job.pk}: {job.state}. {job.message}")
        if job.state != UpdateJob.State.DONE:
            raise CommandError(job.message)
