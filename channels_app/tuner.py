"""The HDHomeRun tuner as Plex and Jellyfin see it: its documents, its tuners, and its streams.

The shapes follow SiliconDust's HTTP API as HDHomeRun devices answer it
(discover.json, lineup.json, lineup_status.json, the UPnP device.xml) and as
Plex's and Jellyfin's tuner code reads it. A stream is the channel's own HLS
segments, sent one after the other as one MPEG-TS from the live edge: no
ffmpeg per viewer, and the channel's restarts and file changes pass through
(its timestamps keep growing across runs; see channels_app.runner).

Tuners are held in the database (a ViewerSession of kind `tuner`, beating
every second while the stream is read), so the limit holds across web
processes and nodes; one stream more than the tuner count is refused with
503 and `X-HDHomeRun-Error: 805 All Tuners In Use`, as a device refuses it.
"""

import hashlib
from datetime import timedelta
from xml.sax.saxutils import escape

from django.utils import timezone

from mediasuite import config
from mediasuite.installation import installation_id
from mediasuite.models import Desired

from . import hls, paths
from .models import Channel, ViewerSession, new_key

DEFAULT_COUNT = "2"
DEFAULT_NAME = "MediaSuite"
MODEL_NUMBER = "HDTC-2US"  # an HDHomeRun EXTEND: the model Plex and Jellyfin take for a network tuner
FIRMWARE_NAME = "hdhomeruntc_atsc"
FIRMWARE_VERSION = "20200101"
BUSY_ERROR = "805 All Tuners In Use"
# A tuner whose stream has not beaten for this long is free again (a reader that vanished).
HELD_SECONDS = 10


def tuner_count() -> int:
    value = config.get("CHANNELS_TUNER_COUNT") or DEFAULT_COUNT
    return int(value) if value.isdigit() and int(value) > 0 else int(DEFAULT_COUNT)


def friendly_name() -> str:
    return config.get("CHANNELS_TUNER_NAME") or DEFAULT_NAME


def device_id() -> str:
    """Eight hex digits, stable for the installation (two installations are two tuners)."""
    return hashlib.sha256(installation_id().encode()).hexdigest()[:8].upper()


def discover(base_url: str) -> dict:
    return {
        "FriendlyName": friendly_name(),
        "Manufacturer": "Silicondust",
        "ModelNumber": MODEL_NUMBER,
        "FirmwareName": FIRMWARE_NAME,
        "FirmwareVersion": FIRMWARE_VERSION,
        "DeviceID": device_id(),
        "DeviceAuth": hashlib.sha256(f"auth:{installation_id()}".encode()).hexdigest()[:24],
        "BaseURL": base_url,
        "LineupURL": f"{base_url}/lineup.json",
        "TunerCount": tuner_count(),
    }


def lineup_status() -> dict:
    """What a device says when no channel scan runs: the lineup is ready."""
    return {"ScanInProgress": 0, "ScanPossible": 1, "Source": "Cable", "SourceList": ["Cable"]}


def playing_channels():
    """The channels meant to play, numbered, in number order (a stopped channel is no lineup entry)."""
    return Channel.objects.filter(unit__desired=Desired.RUNNING).exclude(number=None).order_by("number")


def address(base: str, token: str) -> str:
    """The tuner's base URL carrying a channel access token: what Plex and Jellyfin keep."""
    return f"{base}/hdhr/{token}"


def stream_url(base_url: str, channel: Channel) -> str:
    return f"{base_url}/auto/v{channel.number}"


def lineup(channels, base_url: str) -> list[dict]:
    return [{"GuideNumber": str(channel.number), "GuideName": channel.title, "VideoCodec": "H264",
             "AudioCodec": "AAC", "HD": 1, "URL": stream_url(base_url, channel)} for channel in channels]


def device_xml(base_url: str) -> str:
    """The UPnP device description SSDP points at (urn:schemas-upnp-org:device-1-0)."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<root xmlns="urn:schemas-upnp-org:device-1-0">\n'
        "  <specVersion><major>1</major><minor>0</minor></specVersion>\n"
        f"  <URLBase>{escape(base_url)}</URLBase>\n"
        "  <device>\n"
        "    <deviceType>urn:schemas-upnp-org:device:MediaServer:1</deviceType>\n"
        f"    <friendlyName>{escape(friendly_name())}</friendlyName>\n"
        "    <manufacturer>Silicondust</manufacturer>\n"
        "    <manufacturerURL>https://www.silicondust.com/</manufacturerURL>\n"
        f"    <modelName>{MODEL_NUMBER}</modelName>\n"
        f"    <modelNumber>{MODEL_NUMBER}</modelNumber>\n"
        f"    <serialNumber>{device_id()}</serialNumber>\n"
        f"    <UDN>uuid:{udn()}</UDN>\n"
        "  </device>\n"
        "</root>\n")


def udn() -> str:
    digest = hashlib.sha256(f"udn:{installation_id()}".encode()).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"


# -- tuners ------------------------------------------------------------------------------------


def _held():
    return ViewerSession.objects.filter(kind=ViewerSession.TUNER,
                                        last_seen__gte=timezone.now() - timedelta(seconds=HELD_SECONDS))


def take(channel: Channel, user) -> ViewerSession | None:
    """A tuner for a stream of `channel`, or None when every tuner is in use.

    The new session is written first, then ranked among the held ones by id:
    of two requests racing for the last tuner, the later one sees the earlier
    and gives its own back.
    """
    session = ViewerSession.objects.create(channel=channel, key=new_key()[:32], kind=ViewerSession.TUNER,
                                           user=user if getattr(user, "is_authenticated", False) else None,
                                           last_seen=timezone.now())
    ahead = _held().filter(pk__lt=session.pk).count()
    if ahead >= tuner_count():
        session.delete()
        return None
    return session


def beat(session_id: int, channel_id: int) -> bool:
    """The stream is still read: keep the tuner. False when the stream should end (the channel was stopped
    or deleted, or the tuner was taken back)."""
    held = ViewerSession.objects.filter(pk=session_id).update(last_seen=timezone.now())
    playing = Channel.objects.filter(pk=channel_id, unit__desired=Desired.RUNNING).exists()
    return bool(held) and playing


def give_back(session_id: int):
    ViewerSession.objects.filter(pk=session_id).delete()


def in_use() -> int:
    return _held().count()


# -- the stream --------------------------------------------------------------------------------


def listed(channel: Channel) -> list[tuple[int, str]]:
    """(media sequence number, file name) of the segments the channel's live playlist lists now."""
    directory = paths.hls_dir(channel)
    try:
        text = (directory / hls.PLAYLIST).read_text()
    except OSError:
        return []
    found, sequence = [], None
    for line in text.splitlines():
        if line.startswith("#EXT-X-MEDIA-SEQUENCE:"):
            sequence = int(line.split(":", 1)[1])
        elif line and not line.startswith("#") and sequence is not None:
            found.append((sequence, line.strip()))
            sequence += 1
    return found


def following(segments: list[tuple[int, str]], sent: int | None) -> list[tuple[int, str]]:
    """The segments to send next: the newest one to a new reader (the live edge), then every later one.

    Sequence numbers only grow while the channel's folder lives; when they
    went back (the folder was emptied and numbered again) the reader jumps to
    the newest segment.
    """
    if not segments:
        return []
    if sent is None or segments[-1][0] < sent:
        return segments[-1:]
    return [item for item in segments if item[0] > sent]


def check() -> str:
    """Settings → Connections → Test: what Plex and Jellyfin would be told."""
    return (f"{friendly_name()} (DeviceID {device_id()}): {tuner_count()} tuner(s), {in_use()} in use, "
            f"{playing_channels().count()} channel(s) in the lineup")
