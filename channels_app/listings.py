"""The schedule of every channel and what players read of it: the M3U, the XMLTV and the guide page.

One schedule (`schedule`) feeds the XMLTV, the /guide/ grid and the tuner's
lineup: the current file from the cursor, then the next files, in natural
order for a series channel and from the channel's kept plan for a random one
(channels_app.plan), each for its probed duration.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.utils import timezone

from mediasuite.text import one_line

from . import logos, plan, playout, selection
from .models import Channel, Mode, VideoFile

GUIDE_HOURS = 24


def public_base(request) -> str:
    """The address players are given: MEDIASUITE_CHANNELS_PUBLIC_URL, else the one the request came to."""
    return settings.CHANNELS_PUBLIC_URL.rstrip("/") or request.build_absolute_uri("/").rstrip("/")


def query_string(token: str | None, **extra) -> str:
    """`?token=...&<extra>` for a player URL (empty values left out), or ''."""
    params = {**({"token": token} if token else {}), **{k: v for k, v in extra.items() if v}}
    return f"?{urlencode(params)}" if params else ""


@dataclass(frozen=True)
class Programme:
    start: datetime
    stop: datetime
    title: str
    video: VideoFile | None  # None: nothing known to play (the channel's name fills the time)


def title(video: VideoFile) -> str:
    return video.name.rsplit(".", 1)[0].replace("_", " ")


def schedule(channel: Channel, hours: float = GUIDE_HOURS, now: datetime | None = None) -> list[Programme]:
    """The programmes from the current one until `hours` from now (the last one may end later)."""
    now = now or timezone.now()
    end = now + timedelta(hours=hours)
    videos = playout.playable(channel)
    current = next((v for v in videos if v.pk == channel.current_file_id), None)
    if current is None or not channel.started_at:
        return [Programme(now, end, channel.title, None)]
    start = channel.started_at
    if channel.mode == Mode.SERIES:
        following = _series_after(videos, current, start, end)
    else:
        following = plan.upcoming(channel, videos, (end - start).total_seconds() - (current.duration or 0))
    items = []
    for video in [current, *following]:
        stop = start + timedelta(seconds=video.duration or 0)
        if stop <= start or start >= end:
            break
        items.append(Programme(start, stop, title(video), video))
        start = stop
    if start < end:
        items.append(Programme(start, end, channel.title, None))
    return items


def _series_after(videos, current, start, end) -> list:
    following, video, seconds = [], current, (end - start).total_seconds() - (current.duration or 0)
    while seconds > 0:
        video, _ = selection.next_series(videos, video.pk)
        if not video.duration:
            break
        following.append(video)
        seconds -= video.duration
    return following


def guide_id(channel: Channel) -> str:
    """The channel's id in the XMLTV and the M3U's tvg-id: the name and the row's id, in the dotted form
    of xmltv.dtd (letters, digits and '-' between dots), unique and stable across renumbering."""
    return f"{channel.name.replace('_', '-')}.{channel.pk}.mediasuite"


def display_names(channel: Channel) -> list[str]:
    """The guide's names of a channel: its title, then its number with the title, then its number."""
    names = [channel.title]
    if channel.number is not None:
        names += [f"{channel.number} {channel.title}", str(channel.number)]
    return names


def m3u(channels, base: str, token: str | None) -> str:
    lines = [f'#EXTM3U url-tvg="{base}/xmltv.xml{query_string(token)}"']
    for channel in channels:
        attrs = [f'tvg-id="{guide_id(channel)}"', f'tvg-name="{_attr(channel.title)}"']
        logo = logos.url(channel, base, query_string(token))
        if logo:
            attrs.append(f'tvg-logo="{_attr(logo)}"')
        if channel.number is not None:
            attrs += [f'tvg-chno="{channel.number}"', f'channel-number="{channel.number}"']
        attrs.append(f'group-title="{_attr(channel.group or "MediaSuite")}"')
        lines.append(f"#EXTINF:-1 {' '.join(attrs)},{one_line(channel.title)}")
        lines.append(f"{base}/hls/{channel.name}/live.m3u8{query_string(token)}")
    return "\n".join(lines) + "\n"


def _attr(text: str) -> str:
    return one_line(text).replace('"', "'")


def _xml(text: str) -> str:
    """Text for the guide: XML 1.0 has no control characters."""
    return escape(one_line(text))


def _time(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M%S +0000")


def xmltv(channels, base: str, token: str | None = None) -> str:
    """XMLTV (xmltv.dtd): every channel with its names, number and logo, then 24 h of its programmes."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<!DOCTYPE tv SYSTEM "xmltv.dtd">',
           '<tv generator-info-name="MediaSuite">']
    for channel in channels:
        names = "".join(f"<display-name>{_xml(name)}</display-name>" for name in display_names(channel))
        logo = logos.url(channel, base, query_string(token))
        icon = f"<icon src={quoteattr(one_line(logo))}/>" if logo else ""
        out.append(f"  <channel id={quoteattr(guide_id(channel))}>{names}{icon}</channel>")
    for channel in channels:
        for item in schedule(channel):
            times = f"start={quoteattr(_time(item.start))} stop={quoteattr(_time(item.stop))}"
            out.append(f"  <programme {times} channel={quoteattr(guide_id(channel))}>"
                       f"<title>{_xml(item.title)}</title></programme>")
    out.append("</tv>")
    return "\n".join(out) + "\n"


def grid(channels, hours: float, now: datetime | None = None) -> dict:
    """The guide page's data: each channel with its programmes from now for `hours` (the same schedule
    as the XMLTV; the programme playing now is the first of each channel)."""
    now = now or timezone.now()
    rows = []
    for channel in channels:
        items = [item for item in schedule(channel, hours, now) if item.stop > now]
        rows.append({
            "name": channel.name, "title": channel.title, "number": channel.number, "group": channel.group,
            "logo": logos.url(channel, "") if channel.logo_image else channel.logo,
            "url": channel.get_absolute_url(),
            "programmes": [{"title": item.title, "start": item.start, "stop": item.stop,
                            "file": item.video.name if item.video else None,
                            "url": (f"{channel.get_absolute_url()}#file-{item.video.pk}" if item.video else
                                    channel.get_absolute_url())} for item in items]})
    return {"now": now, "hours": hours, "channels": rows}
