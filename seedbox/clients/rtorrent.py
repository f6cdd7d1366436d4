"""rTorrent over XML-RPC, by SCGI (`scgi://host:port`) or HTTP (`http(s)://host/RPC2`, ruTorrent's httprpc).

Only what MediaSuite needs: add (idempotent, labelled, with the correlation
key), one `d.multicall2` poll, the file list, and stop/close/erase. Data is
never deleted through rTorrent (`d.delete_tied` is forbidden by the
provider): it is removed over SFTP (seedbox/clients/sftp.py).
"""

import logging
import socket
import time
import xmlrpc.client
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlparse

from mediasuite import config
from mediasuite.clients.connections import not_configured

logger = logging.getLogger("mediasuite.seedbox")

KEY_FIELD = "mediasuite"
POLL_FIELDS = ("d.hash=", "d.name=", "d.size_bytes=", "d.left_bytes=", "d.down.rate=", "d.complete=",
               "d.ratio=", "d.timestamp.finished=", "d.base_path=", "d.is_multi_file=", "d.custom1=",
               "d.custom=" + KEY_FIELD)


class RtorrentError(Exception):
    """rTorrent could not be reached or refused a call; the message says which and why."""


@dataclass(frozen=True)
class Item:
    infohash: str
    name: str
    size_bytes: int
    left_bytes: int
    down_rate: int
    complete: bool
    ratio: float
    finished_at: datetime | None
    base_path: str
    is_multi_file: bool
    label: str
    key: str


class ScgiTransport(xmlrpc.client.Transport):
    """xmlrpc.client over an SCGI socket (rTorrent's network.scgi.open_port)."""

    def __init__(self, timeout: float):
        super().__init__()
        self.timeout = timeout

    def request(self, host, handler, request_body, verbose=False):
        hostname, _, port = host.rpartition(":")
        headers = {"CONTENT_LENGTH": str(len(request_body)), "SCGI": "1", "REQUEST_METHOD": "POST",
                   "REQUEST_URI": handler}
        netstring = b"".join(k.encode() + b"\0" + v.encode() + b"\0" for k, v in headers.items())
        with socket.create_connection((hostname, int(port)), timeout=self.timeout) as sock:
            sock.sendall(b"%d:%s,%s" % (len(netstring), netstring, request_body))
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        response = b"".join(chunks)
        _, sep, body = response.partition(b"\r\n\r\n")
        parser, unmarshaller = self.getparser()
        parser.feed(body if sep else response)
        parser.close()
        return unmarshaller.close()


class Client:
    def __init__(self, url: str | None = None, timeout: float = 30.0):
        url = config.get("SEEDBOX_RTORRENT_URL") if url is None else url
        if not url:
            raise RtorrentError(not_configured("rtorrent"))
        parsed = urlparse(url)
        # Where it is, for messages: the URL without the user and password it may hold.
        self.url = parsed._replace(netloc=parsed.netloc.rpartition("@")[2]).geturl()
        if parsed.scheme == "scgi":
            if not parsed.hostname or not parsed.port:
                raise RtorrentError(f"The rTorrent URL {self.url!r}: an SCGI URL needs a host and a port.")
            self.proxy = xmlrpc.client.ServerProxy(f"http://{parsed.hostname}:{parsed.port}/RPC2",
                                                   transport=ScgiTransport(timeout))
        elif parsed.scheme in ("http", "https"):
            self.proxy = xmlrpc.client.ServerProxy(url)
        else:
            raise RtorrentError(f"The rTorrent URL {self.url!r}: use scgi://, http:// or https://.")

    def call(self, method: str, *args):
        try:
            return getattr(self.proxy, method)(*args)
        except xmlrpc.client.Fault as exc:
            raise RtorrentError(f"rTorrent refused {method}: {exc.faultString}") from exc
        except (OSError, xmlrpc.client.ProtocolError, xmlrpc.client.ResponseError) as exc:
            raise RtorrentError(f"rTorrent at {self.url} did not answer {method}: {exc}. "
                                "Check its URL in Settings → Connections and that rTorrent runs.") from exc

    def version(self) -> str:
        return self.call("system.client_version")

    def hashes(self) -> set[str]:
        return {h.lower() for h in self.call("download_list", "")}

    def add(self, infohash: str, *, magnet: str = "", torrent: bytes = b"", label: str = "", key: str = "",
            wait: float = 10.0) -> bool:
        """Add a magnet or .torrent, started, labelled; True when added, False when already there.

        Idempotent: the hash is looked up before (already there: nothing sent)
        and after (a call that timed out may still have been applied, so the
        hash is looked for again before reporting a failure).
        """
        infohash = infohash.lower()
        if infohash in self.hashes():
            return False
        commands = [f"d.custom1.set={label}", f"d.custom.set={KEY_FIELD},{key}"]
        try:
            if torrent:
                self.call("load.raw_start_verbose", "", xmlrpc.client.Binary(torrent), *commands)
            else:
                self.call("load.start_verbose", "", magnet, *commands)
        except RtorrentError:
            if infohash in self.hashes():
                return True
            raise
        deadline = time.monotonic() + wait
        while infohash not in self.hashes():
            if time.monotonic() > deadline:
                raise RtorrentError(f"rTorrent accepted the torrent but does not list {infohash} after "
                                    f"{wait:.0f} s; check its log (a bad .torrent, or a magnet without a "
                                    "tracker while DHT is off?).")
            time.sleep(0.2)
        return True

    def poll(self) -> dict[str, Item]:
        """Every torrent rTorrent has, in one d.multicall2, by lowercase infohash."""
        rows = self.call("d.multicall2", "", "main", *POLL_FIELDS)
        items = {}
        for row in rows:
            (infohash, name, size, left, rate, complete, ratio, finished, base_path, multi, label,
             key) = row
            items[infohash.lower()] = Item(
                infohash=infohash.lower(), name=name, size_bytes=int(size), left_bytes=int(left),
                down_rate=int(rate), complete=bool(int(complete)), ratio=int(ratio) / 1000.0,
                finished_at=datetime.fromtimestamp(int(finished), tz=UTC) if int(finished) else None,
                base_path=base_path, is_multi_file=bool(int(multi)), label=label, key=key)
        return items

    def files(self, infohash: str) -> list[dict]:
        """[{path, size}] of the torrent's files, paths relative to its base path (forward slashes)."""
        rows = self.call("f.multicall", infohash.upper(), "", "f.path=", "f.size_bytes=")
        return [{"path": path, "size": int(size)} for path, size in rows]

    def erase(self, infohash: str) -> bool:
        """Stop, close and erase the torrent from rTorrent (its data stays: SFTP deletes it).

        False when rTorrent no longer has it.
        """
        infohash = infohash.lower()
        if infohash not in self.hashes():
            return False
        for method in ("d.stop", "d.close", "d.erase"):
            self.call(method, infohash.upper())
        return True
