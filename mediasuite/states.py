"""One colour and icon per state, for every page, the admin and the notifications.

A state is shown as `<span class="badge state state-<name>">name</span>` (the
`state_badge` template tag, `MediaSuite.setState` in JS); the classes come
from `/states.css`, written from the table below, so that a state has the
same colour wherever it appears. The tone says what a state means to the
operator: something in progress (blue), a good end (green), something that
needs attention (amber), a failure (red), nothing happening (grey).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Tone:
    name: str
    background: str
    color: str
    icon: str  # a Bootstrap Icons name; its glyph is drawn before the state's name
    level: str  # the Bootstrap colour name of this tone, for alerts and buttons


# Bootstrap's colours, spelled out so that the admin (which has no Bootstrap) shows the same ones.
PROGRESS = Tone("progress", "#0d6efd", "#fff", "arrow-repeat", "primary")
GOOD = Tone("good", "#198754", "#fff", "check-circle-fill", "success")
ATTENTION = Tone("attention", "#ffc107", "#000", "exclamation-triangle-fill", "warning")
BAD = Tone("bad", "#dc3545", "#fff", "x-octagon-fill", "danger")
IDLE = Tone("idle", "#6c757d", "#fff", "dash-circle", "secondary")
TONES = (PROGRESS, GOOD, ATTENTION, BAD, IDLE)

# The glyphs of the icons used here, from the vendored bootstrap-icons.min.css.
GLYPHS = {"arrow-repeat": "f130", "check-circle-fill": "f26a", "exclamation-triangle-fill": "f33a",
          "x-octagon-fill": "f626", "dash-circle": "f2e6", "play-circle-fill": "f4f2",
          "record-circle-fill": "f517"}

STATES: dict[str, Tone] = {
    # supervised units (mediasuite.models.UnitState) and a channel's restart triggers
    "stopped": IDLE, "starting": PROGRESS, "running": GOOD, "backoff": ATTENTION, "stopping": PROGRESS,
    "failed": BAD, "crash": BAD, "watchdog": ATTENTION, "manual": GOOD, "start": GOOD, "end": GOOD,
    "config": GOOD,
    # channel files (channels_app.models.Delivery)
    "copy": GOOD, "audio": GOOD, "transcode": ATTENTION, "skip": BAD,
    # recordings (recorder.models.RecordingState) and cameras
    "recording": PROGRESS, "finalizing": PROGRESS, "finalized": GOOD, "recovered": ATTENTION,
    "connected": GOOD, "disconnected": ATTENTION,
    # torrents (seedbox.models.State)
    "queued": PROGRESS, "sent": PROGRESS, "downloading": PROGRESS, "remote_complete": PROGRESS,
    "transferring": PROGRESS, "transferred": PROGRESS, "import_pending": PROGRESS, "importing": PROGRESS,
    "imported": GOOD, "remote_cleaned": GOOD, "import_blocked": ATTENTION, "ignored": IDLE,
    # trailers (trailers.models.Status, DownloadState)
    "locked": GOOD, "unlocked": PROGRESS, "none": BAD, "idle": IDLE, "done": GOOD,
    # updates (mediasuite.models.UpdateJob.State)
    "pending": PROGRESS, "precheck": PROGRESS, "backup": PROGRESS, "fetch": PROGRESS, "reset": PROGRESS,
    "restore_config": PROGRESS, "install": PROGRESS, "migrate": PROGRESS, "restarting": PROGRESS,
    "verifying": PROGRESS, "rolling_back": ATTENTION, "rolled_back": ATTENTION,
    # background services (the settings page)
    "active": GOOD,
    # Sonarr/Radarr download queue items (their `status`; queued, downloading and failed are above)
    "completed": GOOD, "warning": ATTENTION, "paused": IDLE, "delay": IDLE,
    "downloadclientunavailable": BAD,
    # the Plex library (library/): watched state, Sonarr's completeness, what a row action did
    "watched": GOOD, "in_progress": PROGRESS, "not_started": IDLE, "complete": GOOD, "incomplete": ATTENTION,
    "in_arr": GOOD, "archived": IDLE, "rejected": IDLE, "moved": GOOD, "deleted": IDLE, "dry_run": ATTENTION,
}

# States whose icon says more than their tone's.
ICONS = {"running": "play-circle-fill", "recording": "record-circle-fill"}


def key(state) -> str:
    return str(state or "").lower()


def tone(state) -> Tone:
    """The state's tone; an unknown state is grey, never green."""
    return STATES.get(key(state), IDLE)


def alert_level(state) -> str:
    """The colour of a reason shown about `state`: red for a failure, amber for anything else."""
    return "danger" if tone(state) is BAD else "warning"


def css_class(state) -> str:
    return f"state state-{key(state)}"


def stylesheet() -> str:
    """The `.state` badge and one rule per state: its tone's colours and its icon."""
    lines = [
        ".state { display: inline-block; padding: .3em .6em; border-radius: .375rem; font-size: .75em;"
        " font-weight: 600; line-height: 1; white-space: nowrap; vertical-align: baseline;"
        " background-color: #6c757d; color: #fff; }",
        ".state::before { font-family: bootstrap-icons; font-weight: 400; margin-right: .3em;"
        " vertical-align: -.1em; }",
    ]
    for name, state_tone in sorted(STATES.items()):
        glyph = GLYPHS[ICONS.get(name, state_tone.icon)]
        colours = f"background-color: {state_tone.background}; color: {state_tone.color};"
        lines.append(f".state-{name} {{ {colours} }} .state-{name}::before {{ content: \"\\{glyph}\"; }}")
    return "\n".join(lines) + "\n"


def script_table() -> dict:
    """What states.js needs: each state's tone and Bootstrap colour name."""
    return {name: {"tone": t.name, "level": t.level} for name, t in STATES.items()}
