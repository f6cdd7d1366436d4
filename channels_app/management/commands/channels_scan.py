from django.core.management.base import BaseCommand

from channels_app import catalog, paths


class Command(BaseCommand):
    help = "Find channel folders under MEDIASUITE_CHANNELS_DIR now and probe new or changed videos."

    def handle(self, **options):
        totals = catalog.scan()
        self.stdout.write(f"Scanned {paths.channels_root()}: {totals['channels']} new channel(s), "
                          f"{totals['added']} file(s) added, {totals['gone']} gone, "
                          f"{totals['unreadable']} unreadable.")
