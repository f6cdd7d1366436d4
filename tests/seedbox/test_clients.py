"""Clients at their edges: rTorrent over HTTP (a /RPC2 mount), magnets, bencode, remote path confinement."""

import base64
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError

from seedbox.bencode import BencodeError, TorrentFile, decode, encode, make_torrent
from seedbox.clients import rtorrent
from seedbox.clients.sftp import PathOutsideRoot, confined
from seedbox.sending import magnet_infohash


@pytest.fixture
def rpc2_mount(seedbox):
    """An HTTP /RPC2 mount in front of rTorrent's SCGI port, as nginx's scgi_pass or ruTorrent's httprpc."""
    transport = rtorrent.ScgiTransport(timeout=10)
    host = seedbox.url.removeprefix("scgi://")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if self.path != "/RPC2":
                self.send_error(404)
                return
            import xmlrpc.client

            result = transport.request(host, "/RPC2", body)
            data = xmlrpc.client.dumps(result, methodresponse=True).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/RPC2"
    server.shutdown()
    server.server_close()


def test_rtorrent_over_http_adds_and_polls(seedbox, rpc2_mount):
    data, infohash = seedbox.seed("Http.mkv", {"Http.mkv": os.urandom(30_000)})
    client = rtorrent.Client(rpc2_mount)
    assert client.version() == seedbox.client.version()
    assert client.add(infohash, torrent=data, label="via-http", key="k") is True
    assert client.poll()[infohash].label == "via-http"


def test_bad_rtorrent_urls_say_what_to_fix():
    for url in ("", "ftp://x", "scgi://hostonly"):
        with pytest.raises(rtorrent.RtorrentError, match="rTorrent (is not configured: set it in|URL)"):
            rtorrent.Client(url)


def test_magnets_hex_and_base32_give_the_same_infohash():
    infohash = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a"
    base32 = base64.b32encode(bytes.fromhex(infohash)).decode()
    assert magnet_infohash(f"magnet:?xt=urn:btih:{infohash.upper()}&dn=x") == (infohash, "x")
    assert magnet_infohash(f"magnet:?xt=urn:btih:{base32}")[0] == infohash
    for bad in ("http://x", "magnet:?dn=x", "magnet:?xt=urn:btih:xyz"):
        with pytest.raises(ValidationError):
            magnet_infohash(bad)


def test_torrent_files_round_trip_and_garbage_is_refused():
    data = make_torrent([("a.mkv", b"x" * 70_000), ("sub/b.srt", b"y" * 10)], "Pack", piece_length=32768)
    meta = TorrentFile(data)
    assert meta.files == [("a.mkv", 70_000), ("sub/b.srt", 10)]
    assert len(meta.pieces) == 3 and meta.name == "Pack"
    assert decode(encode({"k": [1, "v"]})) == {b"k": [1, b"v"]}
    for garbage in (b"", b"hello", b"d4:info", b"i12", b"l1:ae trailing"):
        with pytest.raises(BencodeError):
            TorrentFile(garbage)


@pytest.mark.parametrize("path", ["../etc/passwd", "/etc/passwd", "/srv/seed/../other", "/srv/seed", "a\x00b",
                                  "/srv/seedbox-other/x"])
def test_remote_paths_stay_inside_the_root(path):
    with pytest.raises(PathOutsideRoot):
        confined(path, "/srv/seed")
    assert confined("/srv/seed/Show/S01E01.mkv", "/srv/seed") == "/srv/seed/Show/S01E01.mkv"
    assert confined("Show/S01E01.mkv", "/srv/seed") == "/srv/seed/Show/S01E01.mkv"
