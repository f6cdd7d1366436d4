from django.core.management.base import BaseCommand, CommandError

from channels_app import runner
from channels_app.models import Channel


class Command(BaseCommand):
    help = "Play one channel as live HLS (run by the supervisor as the channel's unit; not by hand)."

    def add_arguments(self, parser):
        parser.add_argument("channel")

    def handle(self, channel, **options):
        try:
            code = runner.main(channel)
        except Channel.DoesNotExist:
            raise CommandError(f"No channel named {channel!r}; see `manage.py channels_scan`.") from None
        raise SystemExit(code)
