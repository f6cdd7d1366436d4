"""The recorder's supervised unit kinds: camera-proxy, recording, synthetic-camera.

camera-proxy (`cam-<court id>`): config {"url", "kind", "court"}; the proxy
  process writes its port and a status file into its unit folder.
recording (`rec-<session id>`): config {"recording": <pk>}; waits for the
  court's proxy, then is ffmpeg writing the next part of the recording. Its
  log is `<session id>.ffmpeg.log` beside the MP4.
synthetic-camera: config {"port", "fps", "size"}; the demo court's camera.
"""

import json
import sys
import time
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from mediasuite.supervisor import transitions
from mediasuite.supervisor.registry import UnitKind, register, unit_dir

PROXY_STALE_AFTER = 10.0  # the proxy writes its status every second
RECORDING_SILENT_AFTER = 30.0  # no byte written to the part for this long: stuck
CAMERA_SENTENCE = "Camera "  # how every camera_messages sentence starts


def proxy_dir(name: str) -> Path:
    return Path(settings.UNITS_DIR) / name


def proxy_status(name: str) -> dict | None:
    """The proxy's last status (connected, fps, last frame age, reconnects ...), None when not running."""
    try:
        status = json.loads((proxy_dir(name) / "status.json").read_text())
    except (OSError, ValueError):
        return None
    if time.time() - status.get("updated", 0) > PROXY_STALE_AFTER:
        return None
    return status


def proxy_port(name: str) -> int | None:
    try:
        return int((proxy_dir(name) / "port").read_text())
    except (OSError, ValueError):
        return None


def _proxy_command(unit):
    return [
        sys.executable,
        "-m",
        "recorder.proxy",
        "--source",
        unit.config["url"],
        "--dir",
        str(unit_dir(unit)),
        "--ffmpeg",
        settings.FFMPEG,
    ]


def _proxy_prepare(unit):
    folder = unit_dir(unit)
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("port", "status.json", "events.jsonl", "events.offset"):
        (folder / name).unlink(missing_ok=True)


def _forward_camera_events(unit):
    """Turn the proxy's new lines in events.jsonl (camera lost / back) into Events.

    The offset of the last line forwarded is kept beside the file, so each
    line becomes one Event however often this runs or restarts.
    """
    from mediasuite import events

    from .models import Court, Recording

    folder = unit_dir(unit)
    log_file, offset_file = folder / "events.jsonl", folder / "events.offset"
    try:
        size = log_file.stat().st_size
        offset = int(offset_file.read_text()) if offset_file.exists() else 0
    except (OSError, ValueError):
        return
    if size <= offset:
        return
    with open(log_file, "rb") as handle:
        handle.seek(offset)
        data = handle.read(size - offset)
    complete = data[: data.rfind(b"\n") + 1]
    court = Court.objects.filter(pk=unit.config.get("court")).select_related("club").first()
    if court is not None:
        active = Recording.objects.filter(court=court, state="recording").select_related("session").first()
        for raw in complete.splitlines():
            try:
                item = json.loads(raw)
            except ValueError:
                continue
            events.record(f"recorder.camera.{item.get('kind', 'event')}", court, club=court.club,
                          message=f"{court.name}: {item.get('message', '')}",
                          payload={"court": court.pk, "reconnects": item.get("reconnects"),
                                   "at": item.get("at"),
                                   "recording": active.session.session_id if active else None})
    offset_file.write_text(str(offset + len(complete)))


def _proxy_progress(unit, child):
    """Forward camera events, keep the unit's reason on the camera's problem (a sentence), spot a stall."""
    _forward_camera_events(unit)
    status = unit_dir(unit) / "status.json"
    try:
        current = json.loads(status.read_text())
    except (OSError, ValueError):
        current = {}
    message = current.get("message", "")
    # The camera's sentence, and its removal once the camera is back (not the reason of the last start).
    if message != unit.reason and (message or unit.reason.startswith(CAMERA_SENTENCE)):
        transitions.note(unit.pk, message)
        unit.reason = message
    age = time.time() - max(current.get("updated", 0), child.started)
    if age > PROXY_STALE_AFTER:
        return f"stuck: the proxy has not written {status} for {age:.0f}s"
    return None


def _proxy_orphaned(unit):
    from .models import Court

    if Court.objects.filter(pk=unit.config.get("court")).exists():
        return None
    return f"its court (id {unit.config.get('court')}) was deleted"


register(
    UnitKind(
        name="camera-proxy",
        command=_proxy_command,
        prepare=_proxy_prepare,
        progress=_proxy_progress,
        orphaned=_proxy_orphaned,
        description="One upstream connection to a court camera, shared by the recorder and previews.",
    )
)


def _recording(unit):
    from .models import Recording

    return Recording.objects.select_related("session", "court").get(pk=unit.config["recording"])


def _recording_row(unit):
    from .models import Recording

    return Recording.objects.filter(pk=unit.config.get("recording")).first()


def _recording_may_start(unit):
    """Only a recording still `recording` has an ffmpeg to (re)start; an ended one is never resumed."""
    rec = _recording_row(unit)
    if rec is None:
        return (f"Unit {unit.name} belonged to a recording that was deleted; "
                "start a new recording on the court instead.")
    if rec.state != "recording":
        return (f"Unit {unit.name} belongs to a recording that has ended ({rec.state}); "
                "start a new recording on the court instead.")
    return None


def _recording_orphaned(unit):
    return None if _recording_row(unit) is not None else "its recording was deleted"


def _next_part(rec) -> Path:
    folder = rec.parts_dir
    folder.mkdir(parents=True, exist_ok=True)
    used = [p for p in folder.glob("*.mp4") if p.stat().st_size > 0]
    return folder / f"{len(used):03d}.mp4"


def _recording_command(unit):
    from . import media

    rec = _recording(unit)
    if rec.state != "recording":
        # The stop came while the supervisor was about to start it: no new part after the end.
        raise RuntimeError(f"the recording is {rec.state}, not recording; nothing to start")
    remaining = rec.planned_seconds - (timezone.now() - rec.started_at).total_seconds()
    port_file = proxy_dir(rec.court.proxy_unit_name) / "port"
    kind = "rtsp" if rec.court.camera_kind == "rtsp" else "mjpeg"
    ffmpeg = media.record_command("{input}", _next_part(rec), int(remaining + 0.999), kind)
    return [sys.executable, "-m", "recorder.capture", "--port-file", str(port_file), "--wait", "20",
            "--path", "/raw.ts" if kind == "rtsp" else "/raw.mjpeg", "--", *ffmpeg]  # fmt: skip


def _recording_log(unit):
    rec = _recording(unit)
    return rec.path.with_name(f"{rec.session.session_id}.ffmpeg.log")


def _recording_progress(unit, child):
    parts = Path(unit.config["parts"]) if unit.config.get("parts") else _recording(unit).parts_dir  # no query
    newest = max((p.stat().st_mtime for p in parts.glob("*.mp4")), default=0.0)
    age = time.time() - max(newest, child.started + 20)
    if age > RECORDING_SILENT_AFTER:
        return f"stuck: no video written for {age:.0f}s (is the camera proxy running?)"
    return None


def _recording_exit(unit, code, expected):
    from . import recording

    recording.unit_exited(unit, code, expected)


register(
    UnitKind(
        name="recording",
        command=_recording_command,
        log_path=_recording_log,
        prepare=lambda unit: _recording(unit).parts_dir.mkdir(parents=True, exist_ok=True),
        progress=_recording_progress,
        on_exit=_recording_exit,
        may_start=_recording_may_start,
        orphaned=_recording_orphaned,
        description="ffmpeg writing one court recording (fragmented MP4, finalized at the end).",
    )
)


def _camera_command(unit):
    config = unit.config
    return [
        sys.executable,
        "-m",
        "demo.mjpeg_camera",
        "--port",
        str(config.get("port", 8089)),
        "--fps",
        str(config.get("fps", 10)),
        "--size",
        str(config.get("size", "640x360")),
    ]


register(
    UnitKind(
        name="synthetic-camera",
        command=_camera_command,
        description="A synthetic MJPEG camera (clock and counter drawn with Pillow) for the demo court.",
    )
)
