"""The tuner's SSDP answer, so that Plex and Jellyfin on the LAN find it by themselves (off by default).

With MEDIASUITE_CHANNELS_TUNER_SSDP and MEDIASUITE_CHANNELS_OPEN_ACCESS on (a
device found on the LAN is opened without a token, so SSDP only makes sense
on a trusted LAN), each web process answers the UPnP M-SEARCH requests for a
media server or root device on 239.255.255.250:1900 with the address of its
device.xml (MEDIASUITE_CHANNELS_PUBLIC_URL, else this host's address and
port). Plex and Jellyfin also take the address typed in, which needs none of
this.
"""

import logging
import socket
import struct
import threading
from collections.abc import Callable

from django.conf import settings

log = logging.getLogger("mediasuite.channels")

GROUP, PORT = "239.255.255.250", 1900
SEARCH_TARGETS = ("ssdp:all", "upnp:rootdevice", "urn:schemas-upnp-org:device:MediaServer:1")
MAX_AGE = 1800


def answer(request: bytes, location: str, uuid: str) -> bytes | None:
    """The unicast reply to an SSDP datagram, or None when it is not a search this tuner matches."""
    try:
        lines = request.decode("ascii", "replace").split("\r\n")
    except (AttributeError, UnicodeError):
        return None
    if not lines or not lines[0].upper().startswith("M-SEARCH * HTTP/1.1"):
        return None
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().upper()] = value.strip().strip('"')
    target = headers.get("ST", "")
    if headers.get("MAN", "") != "ssdp:discover" or target not in SEARCH_TARGETS:
        return None
    reply_target = "upnp:rootdevice" if target == "ssdp:all" else target
    return ("HTTP/1.1 200 OK\r\n"
            f"CACHE-CONTROL: max-age={MAX_AGE}\r\n"
            "EXT:\r\n"
            f"LOCATION: {location}\r\n"
            "SERVER: Linux/1.0 UPnP/1.0 HDHomeRun/1.0\r\n"
            f"ST: {reply_target}\r\n"
            f"USN: uuid:{uuid}::{reply_target}\r\n"
            "\r\n").encode("ascii")


def base_url() -> str:
    """The address LAN clients reach this web process at (no request to take it from)."""
    if settings.CHANNELS_PUBLIC_URL:
        return settings.CHANNELS_PUBLIC_URL.rstrip("/")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect((GROUP, PORT))  # no packet is sent: this picks the interface towards the LAN
        host = probe.getsockname()[0]
    return f"http://{host}:{settings.PORT}"


class Responder:
    """Answers M-SEARCH datagrams on `port` (1900, joined to the SSDP group) in a daemon thread.

    `uuid` is called at the first search (it reads the installation's id from the database, which the
    web process must not do while its apps load).
    """

    def __init__(self, location: str, uuid: Callable[[], str], port: int = PORT, group: str | None = GROUP):
        self.location, self.uuid = location, uuid
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("", port))
        if group:
            membership = struct.pack("4s4s", socket.inet_aton(group), socket.inet_aton("0.0.0.0"))
            self.sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, membership)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, name="ssdp", daemon=True)

    def start(self) -> "Responder":
        self.thread.start()
        return self

    def _serve(self):
        while True:
            try:
                data, sender = self.sock.recvfrom(2048)
            except OSError:
                return  # closed
            reply = answer(data, self.location, self._device_uuid())
            if reply is not None:
                try:
                    self.sock.sendto(reply, sender)
                except OSError as exc:
                    log.warning("SSDP: cannot answer %s (%s).", sender[0], exc)

    def _device_uuid(self) -> str:
        if not isinstance(self.uuid, str):
            self.uuid = self.uuid()
        return self.uuid

    def close(self):
        self.sock.close()


def start_if_wanted() -> Responder | None:
    """Called once by the web process: start answering when the settings ask for it."""
    if not settings.CHANNELS_TUNER_SSDP:
        return None
    if not settings.CHANNELS_OPEN_ACCESS:
        log.warning("MEDIASUITE_CHANNELS_TUNER_SSDP is on but MEDIASUITE_CHANNELS_OPEN_ACCESS is off: a "
                    "tuner found on the LAN could not be opened without a token, so SSDP stays off. Type the "
                    "tuner address (shown on the channels page) into Plex or Jellyfin instead.")
        return None
    from . import tuner

    try:
        responder = Responder(f"{base_url()}/device.xml", tuner.udn).start()
    except OSError as exc:
        log.warning("SSDP: cannot listen on UDP %d (%s); type the tuner address into Plex or Jellyfin "
                    "instead.", PORT, exc)
        return None
    log.info("SSDP: answering searches for the tuner at %s.", responder.location)
    return responder
