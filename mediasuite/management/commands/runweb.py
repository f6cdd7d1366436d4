"""Serve MediaSuite (HTTP, WebSockets, static files) with daphne."""

import ipaddress
import logging
import os
import re

from daphne import http_protocol
from daphne.access import AccessLogGenerator
from daphne.cli import CommandLineInterface
from daphne.server import Server
from django.conf import settings
from django.core.management.base import BaseCommand

access_logger = logging.getLogger("mediasuite.access")

# Query parameters that carry a credential (channel and preview tokens, API keys).
_SECRET_PARAMS = re.compile(r"(?i)\b(token|access|key|api_key|apikey|password)=[^&\s\"]*")
# Path segments that carry one: the channel access token in the tuner's base URL (/hdhr/<token>/...).
_SECRET_PATHS = re.compile(r"(/hdhr/)[^/\s\"?]+")
_FORWARDED = (b"x-forwarded-for", b"x-forwarded-proto", b"x-forwarded-port", b"x-real-ip")


def redact(line: str) -> str:
    """`line` with the value of every credential-bearing query parameter or path segment replaced."""
    line = _SECRET_PATHS.sub(lambda m: f"{m.group(1)}[redacted]", line)
    return _SECRET_PARAMS.sub(lambda m: f"{m.group(1)}=[redacted]", line)


def trusted_proxy(host: str) -> bool:
    """Whether the peer `host` is one of MEDIASUITE_TRUSTED_PROXIES (addresses or networks)."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in settings.TRUSTED_PROXIES)


class _WebRequest(http_protocol.WebRequest):
    """daphne's request, with two changes.

    - Forwarded headers count only from MEDIASUITE_TRUSTED_PROXIES: daphne's
      --proxy-headers trusts them from any client, so they are dropped here
      when the peer is not a configured proxy.
    - Twisted parses multipart bodies itself and answers a malformed one with a
      bare 400 before Django sees it; the body is left to Django, which answers
      a 4xx in JSON.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, parsePOSTFormSubmission=False, **kwargs)

    def process(self):
        if not trusted_proxy(str(getattr(self.client, "host", ""))):
            for name in _FORWARDED:
                self.requestHeaders.removeHeader(name)
        return super().process()


class _AccessLogStream:
    """Daphne writes access lines to a stream; send them through logging instead,
    so that they carry the process prefix like every other line of `make run`,
    with tokens in query strings redacted."""

    def write(self, line):
        if line.strip():
            access_logger.info(redact(line.rstrip()))

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
        http_protocol.WebRequest = _WebRequest  # the class daphne's HTTPFactory builds requests from
        proxy = ["--proxy-headers"] if settings.TRUSTED_PROXIES else []
        _CommandLine().run(["-b", host, "-p", str(port), *proxy, "mediasuite.asgi:application"])
        # os._exit once daphne has stopped serving (SIGTERM, Ctrl-C or a restart request): a sync
        # request caught in flight can leave a worker thread waiting for the stopped reactor, which
        # the interpreter's exit would wait for until the process manager's SIGKILL, and collecting
        # daphne's pending coroutines at exit can crash CPython 3.11 (SIGSEGV).
        logging.shutdown()
        os._exit(settings.RESTART_EXIT_CODE if asked.is_set() else 0)
