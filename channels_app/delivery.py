"""What players read: the M3U playlist and the XMLTV guide, computed from the cursors."""

from datetime import timedelta
from urllib.parse import urlencode
from xml.sax.saxutils import escape, quoteattr

from django.utils import timezone

from mediasuite.text import one_line

from . import playout, selection

GUIDE_HOURS = 24


def _query(token: str | None, **extra) -> str:
    params = {**({"token": token} if token else {}), **{k: v for k, v in extra.items() if v}}
    return f"?{urlencode(params)}" if params else ""


def m3u(channels, base: str, token: str | None) -> str:
    lines = [f'#EXTM3U url-tvg="{base}/xmltv.xml{_query(token)}"']
    for channel in channels:
        attrs = [f'tvg-id="{channel.name}"', f'tvg-name="{_attr(channel.title)}"']
        if channel.logo:
            attrs.append(f'tvg-logo="{_attr(channel.logo)}"')
        if channel.number is not None:
            attrs += [f'tvg-chno="{channel.number}"', f'channel-number="{channel.number}"']
        attrs.append(f'group-title="{_attr(channel.group or "MediaSuite")}"')
        lines.append(f"#EXTINF:-1 {' '.join(attrs)},{one_line(channel.title)}")
        lines.append(f"{base}/hls/{channel.name}/live.m3u8{_query(token)}")
    return "\n".join(lines) + "\n"


def _attr(text: str) -> str:
    return one_line(text).replace('"', "'")


def _xml(text: str) -> str:
    """Text for the guide: XML 1.0 has no control characters."""
    return escape(one_line(text))


def schedule(channel, hours: int = GUIDE_HOURS) -> list[tuple]:
    """[(start, stop, title)] from now for `hours`, following the cursor and the probed durations.

    Series mode is exact; random mode cannot know its future, so after the
    current file the guide shows the channel's name for the rest of the time.
    """
    now = timezone.now()
    end = now + timedelta(hours=hours)
    videos = playout.playable(channel)
    current = next((v for v in videos if v.pk == channel.current_file_id), None)
    if current is None or not channel.started_at:
        return [(now, end, channel.title)]
    start = channel.started_at
    items, video = [], current
    while start < end and video is not None:
        stop = start + timedelta(seconds=video.duration or 0)
        if stop <= start:
            break
        items.append((start, stop, _title(video)))
        start = stop
        if channel.mode != "series":
            break
        video, _ = selection.next_series(videos, video.pk)
    if start < end:
        items.append((start, end, channel.title))
    return items


def _title(video) -> str:
    return video.name.rsplit(".", 1)[0].replace("_", " ")


def _time(moment) -> str:
    return moment.strftime("%Y%m%d%H%M%S +0000")


def xmltv(channels, base: str) -> str:
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<tv generator-info-name="MediaSuite">']
    for channel in channels:
        icon = f"<icon src={quoteattr(one_line(channel.logo))}/>" if channel.logo else ""
        out.append(f"  <channel id={quoteattr(channel.name)}>"
                   f"<display-name>{_xml(channel.title)}</display-name>{icon}</channel>")
    for channel in channels:
        for start, stop, title in schedule(channel):
            out.append(f"  <programme start={quoteattr(_time(start))} stop={quoteattr(_time(stop))} "
                       f"channel={quoteattr(channel.name)}><title>{_xml(title)}</title></programme>")
    out.append("</tv>")
    return "\n".join(out) + "\n"
