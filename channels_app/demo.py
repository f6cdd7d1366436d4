"""Demo channels for `make run`: two folders of generated clips, one series, one random, each with a
generated logo, in the group "Demo"."""

from demo.clips import make_clip

from . import catalog, logos, paths
from .models import Channel

DEMO = {
    "Demo Series": (True, [("Episode 1", 440), ("Episode 2", 550), ("Episode 3", 660)]),
    "Demo Mix": (False, [("Clip red", 330), ("Clip green", 495), ("Clip blue", 587)]),
}
SECONDS = 20.0


def create(stdout):
    """Only when there is no channel at all: the operator's own channels are never touched."""
    if Channel.objects.exists():
        return
    root = paths.channels_root()
    for folder, (series, clips) in DEMO.items():
        target = root / folder
        for label, tone in clips:
            path = target / f"{label}.mp4"
            if not path.exists():
                make_clip(path, SECONDS, label=f"{folder}: {label}", frequency=tone)
        if series:
            (target / "series.txt").write_text("Files play in alphabetical order.\n")
    totals = catalog.scan()
    for channel in Channel.objects.filter(logo_image="", logo=""):
        catalog.update(None, channel, group=channel.group or "Demo")
        logos.generate(channel)
    stdout.write(f"Demo channels: {totals['channels']} created in {root} (see /channels/).")
