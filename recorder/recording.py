"""Recordings: start, stop, and the end of the ffmpeg unit (domain: the only code changing them).

Life of a recording: `recording` (the unit `rec-<session id>` runs ffmpeg into
fragmented MP4 parts) -> `stopping` (stop asked, or ffmpeg ended by itself)
-> `finalizing` (the parts are re-muxed by stream copy into one MP4 with the
moov at the start, then atomically moved in place) -> `finalized` (ffmpeg
ended cleanly), `recovered` (ffmpeg was killed or crashed: the fragments on
disk were saved) or `failed` (nothing usable; `failure` says why in one
sentence). Every step is a compare-and-set update along models.REACHED_FROM
with its Event in the same transaction. Once the recording has ended its
session is closed (as the original did after a stop): the next recording
opens a new one.

A stop that finds no ffmpeg to signal (asked while the unit was still
starting, or between two parts) finalizes at once, in the caller: no
recording waits for the cleanup job to end.
"""

import logging
import threading
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from mediasuite import events
from mediasuite.errors import Conflict
from mediasuite.models import Desired, Unit, UnitState
from mediasuite.policies import policy_for
from mediasuite.supervisor import control

from . import failures, media, sessions
from .models import (
    ACTIVE_STATES,
    DONE_STATES,
    REACHED_FROM,
    CameraSession,
    Highlight,
    Recording,
    RecordingState,
)
from .units import proxy_status

log = logging.getLogger("mediasuite.recorder")

CLEAN_EXIT_CODES = (0, 255)  # 255: ffmpeg's exit after one SIGINT, trailer written
POLL = 0.1  # seconds between two reads of a recording awaited by wait_until_done


def _record(kind, rec: Recording, actor, message, **payload):
    events.record(
        kind,
        rec,
        club=rec.club,
        owner=rec.user,
        actor=actor,
        message=message,
        payload={"session_id": rec.session.session_id, "state": rec.state, "court": rec.court_id, **payload},
    )


def _fresh(pk) -> Recording:
    return Recording.objects.select_related("session", "court", "club", "user").get(pk=pk)


def _advance(pk, target: str, **fields) -> bool:
    """Compare-and-set the recording to `target` from a state it may be reached from."""
    moved = Recording.objects.filter(pk=pk, state__in=REACHED_FROM[target]).update(state=target, **fields)
    return bool(moved)


def _lock_starts():
    """Serialise starts so that the concurrency limit holds between web processes."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(5005)")
    # SQLite: the IMMEDIATE transaction already holds the write lock.


def start(actor, session: CameraSession, minutes: int | None = None) -> Recording:
    minutes = settings.RECORDER_DEFAULT_MINUTES if minutes is None else minutes
    with transaction.atomic():
        _lock_starts()
        session = CameraSession.objects.select_related("court__club", "user").get(pk=session.pk)
        if actor is not None and not policy_for(CameraSession).allows(actor, "record", session):
            raise PermissionDenied("You may record only your own sessions (club admins: their club's).")
        if not session.is_open:
            raise Conflict(f"Session {session.session_id} is closed; open a new session to record.")
        if Recording.objects.filter(session=session).exists():
            raise Conflict(
                f"Session {session.session_id} already has a recording (one MP4 per session); "
                "open a new session for another match."
            )
        if Recording.objects.filter(court=session.court, state__in=ACTIVE_STATES).exists():
            raise Conflict(
                f"The court {session.court.name} is already being recorded; stop that recording first."
            )
        active = Recording.objects.filter(state__in=ACTIVE_STATES).count()
        if active >= settings.MAX_CONCURRENT_RECORDINGS:
            raise Conflict(
                f"{active} recordings are running, the most this server allows "
                f"(MAX_CONCURRENT_RECORDINGS={settings.MAX_CONCURRENT_RECORDINGS}); try again when "
                "one has stopped."
            )
        club = session.court.club
        rec = Recording.objects.create(
            session=session,
            club=club,
            court=session.court,
            user=session.user,
            planned_seconds=int(minutes * 60),
            file=f"{club.pk}/{session.session_id}.mp4",
            log_file=f"{club.pk}/{session.session_id}.ffmpeg.log",
        )
        rec = _fresh(rec.pk)
        sessions.ensure_proxy(session.court)
        control.ensure_unit(
            rec.unit_name,
            "recording",
            {"recording": rec.pk, "parts": str(rec.parts_dir)},
            club=club,
            owner=session.user,
            desired=Desired.RUNNING,
        )
        CameraSession.objects.filter(pk=session.pk).update(last_activity=timezone.now())
        _record(
            "recorder.recording.started",
            rec,
            actor,
            f"Recording started on {session.court.name} for {minutes} min",
            planned_seconds=rec.planned_seconds,
        )
    return rec


def stop(actor, rec: Recording, reason: str = "stopped by user") -> Recording:
    """Ask the unit to stop (SIGINT, 10 s, SIGKILL); the file is finalized when ffmpeg has ended."""
    with transaction.atomic():
        if actor is not None and not policy_for(Recording).allows(actor, "stop", rec):
            raise PermissionDenied("You may stop only your own recordings (club admins: their club's).")
        done = _advance(
            rec.pk,
            RecordingState.STOPPING,
            stopped_at=timezone.now(),
            stop_reason=reason,
            stopped_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        if not done:
            raise Conflict(
                f"The recording of {rec.session.session_id} is {_fresh(rec.pk).state}, not recording."
            )
        rec = _fresh(rec.pk)
        unit = Unit.objects.filter(name=rec.unit_name).first()
        if unit is not None:
            control.stop(None, unit)
        by = f" by {actor}" if actor is not None else ""
        _record(
            "recorder.recording.stopping",
            rec,
            actor,
            f"Recording of {rec.session.session_id} {reason}{by}",
            reason=reason,
        )
    return settle(rec)


def _unit_idle(unit: Unit | None) -> bool:
    """No process of the unit runs, and none will: it is wanted stopped (or gone) and has no pid."""
    return unit is None or (
        unit.desired == Desired.STOPPED
        and unit.pid is None
        and unit.state in (UnitState.STOPPED, UnitState.BACKOFF, UnitState.FAILED)
    )


def settle(rec: Recording) -> Recording:
    """Finalize a stopping recording whose unit has no ffmpeg to end (so no on_exit will come)."""
    unit = Unit.objects.filter(name=rec.unit_name).first()
    if rec.state == RecordingState.STOPPING and _unit_idle(unit):
        return finalize(rec.pk, unit.exit_code if unit else None) or _fresh(rec.pk)
    return rec


def wait_until_done(rec: Recording, timeout: float) -> Recording:
    """The recording once it is finalized, recovered or failed; as it is when `timeout` passes first.

    The supervisor (another process) ends ffmpeg and finalizes: the database is
    the only thing both see, so it is read every POLL seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        rec = settle(_fresh(rec.pk))
        if rec.state in DONE_STATES or time.monotonic() >= deadline:
            return rec
        time.sleep(POLL)


def mark_highlight(actor, rec: Recording) -> Highlight:
    """Store the current moment of a running recording; it is cut into a clip after the stop."""
    with transaction.atomic():
        if actor is not None and not policy_for(Recording).allows(actor, "stop", rec):
            raise PermissionDenied("You may mark highlights only on your own recordings.")
        locked = (
            Recording.objects.select_for_update().filter(pk=rec.pk, state=RecordingState.RECORDING).first()
        )
        if locked is None:
            raise Conflict("Highlights are marked while recording; this recording is not running.")
        offset = round((timezone.now() - locked.started_at).total_seconds(), 2)
        highlight = Highlight.objects.create(
            recording=locked,
            offset=offset,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        _record(
            "recorder.highlight.marked",
            rec,
            actor,
            f"Highlight at {offset:.0f}s of {rec.session.session_id}",
            offset=offset,
            highlight=highlight.pk,
        )
    return highlight


def cut_highlights(rec: Recording, duration: float | None):
    """Cut each highlight of the finished MP4 into a clip by stream copy (keyframes every second)."""
    for number, highlight in enumerate(rec.highlights.order_by("offset"), start=1):
        start = max(0.0, highlight.offset - settings.RECORDER_HIGHLIGHT_BEFORE)
        if duration is not None and start >= duration:
            continue
        relative = f"{rec.club_id}/{rec.session.session_id}.hl{number}.mp4"
        clip = media.cut(
            rec.path,
            Path(settings.RECORDER_ROOT) / relative,
            start,
            settings.RECORDER_HIGHLIGHT_BEFORE + settings.RECORDER_HIGHLIGHT_AFTER,
        )
        if clip is not None:
            Highlight.objects.filter(pk=highlight.pk).update(clip=relative, clip_duration=clip)


PLAN_SLACK = 2.0  # seconds: ffmpeg's -t counts from its own start, a little after the request


def unit_exited(unit, code, expected):
    """on_exit hook of the `recording` unit kind (in the supervisor): end or resume the recording.

    - a stop that was asked for, the planned duration reached (ffmpeg's `-t`), or
      ffmpeg killed by a signal (kill -9, a crash): the recording ends and is
      finalized (the re-mux runs in a thread so the supervisor loop keeps its beat);
    - ffmpeg ended early by itself (its input ended or timed out: the camera or its
      proxy went away): the recording goes on; the supervisor starts the unit again
      after its backoff, into the next part, and the parts are joined at the end.

    A supervisor that dies does not end the recording: the next one adopts its ffmpeg
    (mediasuite.supervisor.adoption), whose exit code is then unknown (None).
    """
    rec = (
        Recording.objects.select_related("session", "court", "club", "user")
        .filter(pk=unit.config.get("recording"))
        .first()
    )
    if rec is None:
        return
    if code is None and expected:
        # An ffmpeg adopted after a supervisor restart (its exit status is not ours to read) that was
        # stopped on request: SIGINT, ffmpeg's clean stop; the re-mux still checks the file.
        code = CLEAN_EXIT_CODES[1]
    if not expected:
        planned_end = rec.elapsed() >= rec.planned_seconds - PLAN_SLACK
        if code is not None and code >= 0 and not planned_end and rec.state == RecordingState.RECORDING:
            with transaction.atomic():
                _record("recorder.recording.interrupted", rec, None,
                        f"Recording of {rec.session.session_id}: ffmpeg's input ended (exit {code}); "
                        "it goes on into a new part when the camera is back", exit_code=code)
            return
        reason = "planned duration reached" if planned_end else f"ffmpeg ended unexpectedly (exit {code})"
        with transaction.atomic():
            if _advance(rec.pk, RecordingState.STOPPING, stopped_at=timezone.now(), stop_reason=reason):
                rec = _fresh(rec.pk)
                _record(
                    "recorder.recording.stopping",
                    rec,
                    None,
                    f"Recording of {rec.session.session_id}: {reason}",
                    reason=reason,
                    exit_code=code,
                )
        fresh = Unit.objects.filter(pk=unit.pk, desired=Desired.RUNNING).first()
        if fresh is not None:
            control.stop(None, fresh)
    threading.Thread(
        target=_finalize_thread, args=(rec.pk, code), name=f"finalize-{rec.pk}", daemon=True
    ).start()


def _finalize_thread(pk, code):
    try:
        finalize(pk, code)
    except Exception:
        log.exception(
            "Finalizing recording %s failed; the cleanup job will try again (its parts are kept).", pk
        )
    finally:
        close_old_connections()
        connection.close()


def finalize(pk: int, code: int | None) -> Recording | None:
    """Re-mux the parts into the final MP4 and record the outcome; None when another finalizer has it."""
    with transaction.atomic():
        if not _advance(pk, RecordingState.FINALIZING):
            return None
        rec = _fresh(pk)
        Recording.objects.filter(pk=pk, stopped_at__isnull=True).update(stopped_at=timezone.now())
        _record("recorder.recording.finalizing", rec, None, f"Finalizing the MP4 of {rec.session.session_id}")
    result = media.assemble(rec.parts_dir, rec.path)
    tail = media.log_tail(rec.path.with_name(rec.path.stem + ".ffmpeg.log"))
    if result.ok:
        media.thumbnail(rec.path, rec.thumbnail_path)
        cut_highlights(rec, result.duration)
        outcome = RecordingState.FINALIZED if code in CLEAN_EXIT_CODES else RecordingState.RECOVERED
        message = (
            f"Recording of {rec.session.session_id} {outcome}: {result.duration:.1f}s, {result.size} bytes"
        )
        failure = ""
    else:
        outcome = RecordingState.FAILED
        failure = failures.explain(result.error, tail, proxy_status(rec.court.proxy_unit_name),
                                   rec.court.proxy_unit_name)
        message = f"Recording of {rec.session.session_id} failed: {failure}"
    with transaction.atomic():
        _advance(
            pk,
            outcome,
            failure=failure,
            size=result.size,
            duration=result.duration,
            exit_code=code,
            stderr_tail=(tail if not result.ok or outcome != RecordingState.FINALIZED else tail[-2000:])[
                -4000:
            ],
        )
        rec = _fresh(pk)
        _record(
            f"recorder.recording.{outcome}",
            rec,
            None,
            message,
            exit_code=code,
            size=result.size,
            duration=result.duration,
            parts=result.parts,
            error=result.error,
        )
        # In the same transaction: whoever sees the recording ended sees its session closed too.
        sessions.close(None, rec.session, "closed: its recording ended")
    (log.info if outcome != RecordingState.FAILED else log.error)("%s", message)
    return rec


def recover_orphans() -> int:
    """Finalize recordings whose ffmpeg is gone but that were never finalized (a supervisor crash).

    Called by the cleanup job; a recording whose unit is still wanted running
    is left alone (the supervisor restores it into a new part).
    """
    count = 0
    stale = timezone.now() - timedelta(minutes=10)
    for rec in Recording.objects.select_related("session").filter(state__in=ACTIVE_STATES):
        unit = Unit.objects.filter(name=rec.unit_name).first()
        idle = unit is None or (
            unit.desired == Desired.STOPPED
            and unit.state in (UnitState.STOPPED, UnitState.FAILED, UnitState.BACKOFF)
        )
        if rec.state == RecordingState.FINALIZING and rec.stopped_at and rec.stopped_at < stale:
            # A finalizer that died: the one step back, so that this finalize may claim it again.
            Recording.objects.filter(pk=rec.pk, state=RecordingState.FINALIZING).update(
                state=RecordingState.STOPPING
            )
        elif not idle:
            continue
        if finalize(rec.pk, unit.exit_code if unit else None):
            count += 1
    return count


def delete(actor, rec: Recording, reason: str = "deleted") -> int:
    """Remove the video, its log and thumbnail, and the row; returns the bytes freed."""
    with transaction.atomic():
        if actor is not None and not policy_for(Recording).allows(actor, "files", rec):
            raise PermissionDenied("Only admins may delete videos.")
        locked = Recording.objects.select_for_update().filter(pk=rec.pk).first()
        if locked is None:
            return 0
        if locked.state in ACTIVE_STATES:
            raise Conflict("This recording is still running; stop it before deleting the video.")
        freed = 0
        clips = [h.clip_path for h in rec.highlights.exclude(clip="")]
        for path in (rec.path, rec.thumbnail_path, rec.path.with_name(rec.path.stem + ".ffmpeg.log"), *clips):
            if path.is_file():
                freed += path.stat().st_size
                path.unlink()
        _record(
            "recorder.recording.deleted",
            rec,
            actor,
            f"Video of {rec.session.session_id} {reason}",
            reason=reason,
            size=freed,
        )
        Unit.objects.filter(name=rec.unit_name, desired=Desired.STOPPED).delete()
        locked.delete()
    return freed
