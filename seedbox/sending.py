"""Sending a release to the seedbox: one Torrent per infohash, added to rTorrent once.

`add()` is what the API, the batch and the search page call. The same
magnet or .torrent given twice is the same Torrent (unique infohash), and
rTorrent is asked for the hash before and after adding, so neither a double
click nor a timeout makes a duplicate.
"""

import base64
import binascii
import re
import uuid
from urllib.parse import parse_qs, urlparse

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mediasuite import config, events

from . import lifecycle
from .bencode import BencodeError, TorrentFile
from .clients import rtorrent
from .models import MediaType, State, Torrent

HEX40 = re.compile(r"^[0-9a-fA-F]{40}$")
BASE32 = re.compile(r"^[A-Za-z2-7]{32}$")


def magnet_infohash(magnet: str) -> tuple[str, str]:
    """(infohash, display name) of a magnet URI; ValidationError when it has no BTIH."""
    parsed = urlparse(magnet)
    if parsed.scheme != "magnet":
        raise ValidationError({"magnet": ["Not a magnet URI (magnet:?xt=urn:btih:...)."]})
    query = parse_qs(parsed.query)
    for xt in query.get("xt", []):
        if xt.lower().startswith("urn:btih:"):
            value = xt[9:]
            if HEX40.match(value):
                return value.lower(), query.get("dn", [""])[0]
            if BASE32.match(value):
                return binascii.hexlify(base64.b32decode(value.upper())).decode(), query.get("dn", [""])[0]
    raise ValidationError({"magnet": ["The magnet has no urn:btih infohash of 40 hex or 32 base32 "
                                      "characters."]})


def validate_media(media_type: str, tmdb_id, tvdb_id):
    if media_type not in MediaType.values:
        raise ValidationError({"media_type": ["Use movie or series."]})
    if media_type == MediaType.MOVIE and not tmdb_id:
        raise ValidationError({"tmdb_id": ["A movie is identified by its TMDB id."]})
    if media_type == MediaType.SERIES and not tvdb_id:
        raise ValidationError({"tvdb_id": ["A series is identified by its TVDB id."]})


def add(actor, *, media_type: str, magnet: str = "", torrent_file: bytes = b"", tmdb_id=None, tvdb_id=None,
        title: str = "", year=None, season=None, client=None) -> tuple[Torrent, bool]:
    """Record the release and send it to rTorrent; (torrent, created).

    Raises ValidationError for bad input, rtorrent.RtorrentError when the
    seedbox refused (the torrent is then `failed` and retried later).
    """
    lifecycle.check(actor, "add")
    validate_media(media_type, tmdb_id, tvdb_id)
    if bool(magnet) == bool(torrent_file):
        raise ValidationError({"magnet": ["Give either a magnet or a .torrent file."]})
    name = ""
    if torrent_file:
        try:
            meta = TorrentFile(torrent_file)
        except BencodeError as exc:
            raise ValidationError({"torrent_file": [f"Not a .torrent file: {exc}."]}) from None
        infohash, name = meta.infohash, meta.name
    else:
        infohash, name = magnet_infohash(magnet)
    created = False
    torrent = Torrent.objects.filter(infohash=infohash).first()
    if torrent is None:
        try:
            with transaction.atomic():
                torrent = Torrent.objects.create(
                    infohash=infohash, name=name or title, magnet=magnet, torrent_file=torrent_file or None,
                    label=config.get("SEEDBOX_LABEL"), key=uuid.uuid4().hex, media_type=media_type,
                    tmdb_id=tmdb_id, tvdb_id=tvdb_id, title=title, year=year, season=season,
                    created_by=actor if getattr(actor, "is_authenticated", False) else None)
                events.record("seedbox.torrent.queued", torrent, actor=actor, message=f"{torrent} queued",
                              payload={"state": State.QUEUED, "from": "", "infohash": infohash})
                created = True
        except IntegrityError:
            torrent = Torrent.objects.get(infohash=infohash)
    if torrent.state == State.QUEUED:
        send(torrent, actor=actor, client=client)
    return torrent, created


def send(torrent: Torrent, actor=None, client=None) -> Torrent:
    """queued -> sent: hand the release to rTorrent with the label and the correlation key."""
    try:
        client = client or rtorrent.Client()
        client.add(torrent.infohash, magnet=torrent.magnet, torrent=bytes(torrent.torrent_file or b""),
                   label=torrent.label, key=torrent.key)
    except rtorrent.RtorrentError as exc:
        lifecycle.fail(torrent, State.QUEUED, str(exc), resume=State.QUEUED, actor=actor)
        raise
    lifecycle.transition(torrent, State.QUEUED, State.SENT, actor=actor,
                         message=f"{torrent} sent to rTorrent with label {torrent.label}")
    return torrent
