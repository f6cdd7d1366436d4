"""Serve MediaSuite (HTTP, WebSockets, static files) with daphne."""

import logging
import os

from daphne.access import AccessLogGenerator
from daphne.cli import CommandLineInterface
from daphne.server import Server
from django.conf import settings
from django.core.management.base import BaseCommand

access_logger = logging.getLogger("mediasuite.access")


class _AccessLogStream:
    """Daphne writes access lines to a stream; send them through logging instead,
    so that they carry the process prefix like every other line of `make run`."""

    def write(self, line):
        if line.strip():
            access_logger.info(line.rstrip())

    def flush(self):
        pass


class _LoggingServer(Server):
    def __init__(self, *args, action_logger=None, **kwargs):
        super().__init__(*args, action_logger=AccessLogGenerator(_AccessLogStream()), **kwargs)


class _CommandLine(CommandLineInterface):
    server_class = _LoggingServer


class Command(BaseCommand):
    help = "Run the web process: daphne on MEDIASUITE_HOST:MEDIASUITE_PORT."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.HOST)
        parser.add_argument("--port", type=int, default=settings.PORT)

    def handle(self, *args, host, port, **options):
        from mediasuite import version
        from mediasuite.system import restart

        # Read the commit now: /api/health then reports the code this process loaded, even once an
        # update has moved the checkout, so the updater can tell the old process from the new one.
        version.current()
        asked = restart.stop_reactor_on_exit_request()
        _CommandLine().run(["-b", host, "-p", str(port), "--proxy-headers", "mediasuite.asgi:application"])
        if asked.is_set():
            # os._exit: a sync request caught in flight can leave a worker thread waiting for the
            # stopped reactor, and the interpreter's exit would wait for it forever.
            logging.shutdown()
            os._exit(settings.RESTART_EXIT_CODE)
