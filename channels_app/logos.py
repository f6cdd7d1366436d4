"""Channel logos: an uploaded image (checked and re-encoded with Pillow), a generated one, or a URL.

Images live in the installation's data directory (`CHANNELS_LOGO_DIR`) as PNG
files named after the channel and their content, so that a new logo has a new
URL and players' caches never show the old one.
"""

import hashlib
import io
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

from mediasuite import events
from mediasuite.policies import policy_for

from .models import Channel

MOST_BYTES = 2 * 1024 * 1024
MOST_PIXELS = 4096 * 4096
SIDE = 256  # stored logos fit in SIDE x SIDE
FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}
COLOURS = ("#1f6feb", "#a371f7", "#d29922", "#2da44e", "#cf222e", "#0969da", "#8250df", "#bf3989")


def logo_dir() -> Path:
    return Path(settings.CHANNELS_LOGO_DIR)


def path(channel: Channel) -> Path | None:
    return logo_dir() / channel.logo_image if channel.logo_image else None


def url(channel: Channel, base: str, query: str = "") -> str:
    """The logo players load: the stored image's URL, else the operator's URL, else ''."""
    if channel.logo_image:
        return f"{base}/channels/{channel.name}/logo/{channel.logo_image}{query}"
    return channel.logo


def _encode(image: Image.Image) -> bytes:
    image = image.convert("RGBA")
    image.thumbnail((SIDE, SIDE))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def read_upload(data: bytes) -> bytes:
    """The PNG to store for an uploaded image, or ValidationError saying what is wrong with it."""
    if not data:
        raise ValidationError({"logo": ["The uploaded logo is empty; choose a PNG, JPEG, GIF or WebP."]})
    if len(data) > MOST_BYTES:
        raise ValidationError({"logo": [f"The logo is {len(data) // 1024} KiB; upload one under "
                                        f"{MOST_BYTES // 1024 // 1024} MiB."]})
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind, (width, height) = probe.format, probe.size
            if kind not in FORMATS:
                raise ValidationError({"logo": [f"A {kind} image is not taken; upload a PNG, JPEG, GIF or "
                                                "WebP."]})
            if width * height > MOST_PIXELS:
                raise ValidationError({"logo": [f"The logo is {width}x{height} pixels; upload one of at most "
                                                "4096x4096."]})
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            return _encode(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError({"logo": ["The uploaded file is not an image that can be read; upload a PNG, "
                                        "JPEG, GIF or WebP."]}) from None


def _save(channel: Channel, png: bytes, actor, message: str) -> Channel:
    name = f"{channel.name}-{hashlib.sha256(png).hexdigest()[:12]}.png"
    logo_dir().mkdir(parents=True, exist_ok=True)
    temporary = logo_dir() / f".{name}.tmp"
    temporary.write_bytes(png)
    temporary.replace(logo_dir() / name)
    old = path(channel)
    with transaction.atomic():
        Channel.objects.filter(pk=channel.pk).update(logo_image=name)
        events.record("channel.changed", channel, actor=actor, message=message,
                      payload={"channel": channel.name, "changed": ["logo"]})
    channel.logo_image = name
    if old is not None and old.name != name:
        old.unlink(missing_ok=True)
    return channel


def upload(actor, channel: Channel, data: bytes) -> Channel:
    if actor is not None and not policy_for(Channel).allows(actor, "change", channel):
        raise PermissionDenied(f"{actor} may not change channel {channel.name}.")
    return _save(channel, read_upload(data), actor, f"Channel {channel.name}: logo uploaded")


def remove(actor, channel: Channel) -> Channel:
    """Back to the logo URL (if any): the uploaded image is deleted."""
    if actor is not None and not policy_for(Channel).allows(actor, "change", channel):
        raise PermissionDenied(f"{actor} may not change channel {channel.name}.")
    old = path(channel)
    with transaction.atomic():
        Channel.objects.filter(pk=channel.pk).update(logo_image="")
        events.record("channel.changed", channel, actor=actor,
                      message=f"Channel {channel.name}: logo removed",
                      payload={"channel": channel.name, "changed": ["logo"]})
    channel.logo_image = ""
    if old is not None:
        old.unlink(missing_ok=True)
    return channel


def generate(channel: Channel) -> Channel:
    """A plain logo for a channel without one (the demo channels): its number on a colour of its own."""
    colour = COLOURS[(channel.number or channel.pk) % len(COLOURS)]
    image = Image.new("RGBA", (SIDE, SIDE), colour)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=120)
    label = str(channel.number or "")
    box = draw.textbbox((0, 0), label, font=font)
    draw.text(((SIDE - (box[2] - box[0])) / 2 - box[0], (SIDE - (box[3] - box[1])) / 2 - box[1]), label,
              fill="white", font=font)
    return _save(channel, _encode(image), None, f"Channel {channel.name}: logo generated")
