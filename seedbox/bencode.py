"""Bencode and .torrent files: infohash, file list, piece hashes (BEP 3).

Small enough to keep here rather than depend on a library: MediaSuite needs
to read a .torrent (its infohash and piece hashes, to verify what came home)
and the tests need to write one.
"""

import hashlib
import posixpath


class BencodeError(ValueError):
    pass


def decode(data: bytes):
    value, end = _decode(data, 0)
    if end != len(data):
        raise BencodeError("trailing data after the bencoded value")
    return value


def _decode(data: bytes, i: int):
    try:
        head = data[i:i + 1]
        if head == b"i":
            end = data.index(b"e", i)
            return int(data[i + 1:end]), end + 1
        if head == b"l":
            items, i = [], i + 1
            while data[i:i + 1] != b"e":
                item, i = _decode(data, i)
                items.append(item)
            return items, i + 1
        if head == b"d":
            items, i = {}, i + 1
            while data[i:i + 1] != b"e":
                key, i = _decode(data, i)
                items[key], i = _decode(data, i)
            return items, i + 1
        if head.isdigit():
            colon = data.index(b":", i)
            length = int(data[i:colon])
            end = colon + 1 + length
            if end > len(data):
                raise BencodeError("string runs past the end")
            return data[colon + 1:end], end
    except (ValueError, IndexError) as exc:
        raise BencodeError(f"not bencoded data at byte {i}: {exc}") from None
    raise BencodeError(f"not bencoded data at byte {i}")


def encode(value) -> bytes:
    if isinstance(value, int):
        return b"i%de" % value
    if isinstance(value, str):
        value = value.encode()
    if isinstance(value, bytes):
        return b"%d:%s" % (len(value), value)
    if isinstance(value, list):
        return b"l" + b"".join(encode(v) for v in value) + b"e"
    if isinstance(value, dict):
        items = sorted((k.encode() if isinstance(k, str) else k, v) for k, v in value.items())
        return b"d" + b"".join(encode(k) + encode(v) for k, v in items) + b"e"
    raise TypeError(f"cannot bencode {type(value).__name__}")


class TorrentFile:
    """The parts of a .torrent that MediaSuite uses."""

    def __init__(self, data: bytes):
        meta = decode(data)
        if not isinstance(meta, dict) or not isinstance(meta.get(b"info"), dict):
            raise BencodeError("a .torrent needs an info dictionary")
        self.info = meta[b"info"]
        self.infohash = hashlib.sha1(encode(self.info)).hexdigest()
        self.name = self.info.get(b"name", b"").decode(errors="replace")
        self.piece_length = int(self.info.get(b"piece length", 0))
        pieces = self.info.get(b"pieces", b"")
        self.pieces = [pieces[i:i + 20] for i in range(0, len(pieces), 20)]
        if b"files" in self.info:
            self.files = [(posixpath.join(*(p.decode() for p in f[b"path"])), int(f[b"length"]))
                          for f in self.info[b"files"]]
        else:
            self.files = [(self.name, int(self.info.get(b"length", 0)))]


def make_torrent(paths: list[tuple[str, bytes]], name: str, piece_length: int = 32768,
                 tracker: str = "http://127.0.0.1:1/announce") -> bytes:
    """A .torrent for `paths` [(relative path, content)] (one file: a single-file torrent)."""
    blob = b"".join(content for _, content in paths)
    pieces = b"".join(hashlib.sha1(blob[i:i + piece_length]).digest()
                      for i in range(0, len(blob), piece_length))
    info = {"name": name, "piece length": piece_length, "pieces": pieces}
    if len(paths) == 1 and paths[0][0] == name:
        info["length"] = len(paths[0][1])
    else:
        info["files"] = [{"length": len(c), "path": p.split("/")} for p, c in paths]
    return encode({"announce": tracker, "info": info})
