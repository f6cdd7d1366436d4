"""`manage.py supervise`: keep every unit in its desired state (DESIGN.md, The supervisor)."""

import signal

from django.core.management.base import BaseCommand

from mediasuite.supervisor.loop import Supervisor, default_node_name


class Command(BaseCommand):
    help = ("Run the supervisor: start, watch and stop the long-running unit processes so that each "
            "is in its desired state. SIGTERM or Ctrl-C stops the children cleanly and exits; their "
            "desired state is kept, so they come back with the next supervisor.")

    def add_arguments(self, parser):
        parser.add_argument("--node", default="",
                            help="Node name (default MEDIASUITE_NODE_NAME, else the host name). "
                                 "Give every supervisor of one database its own name.")
        parser.add_argument("--host", action="store_true",
                            help="Run as the node's unit host (started by the supervisor, not by hand): "
                                 "the units of hosted kinds (channels) as threads of this process.")

    def handle(self, *args, **options):
        supervisor = Supervisor(options["node"] or default_node_name(), host=options["host"])
        signal.signal(signal.SIGTERM, supervisor.request_stop)
        signal.signal(signal.SIGINT, supervisor.request_stop)
        supervisor.run()
