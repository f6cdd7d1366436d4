"""The playout of one channel: a thread of the node's unit host (the `channel` unit kind's `run`).

It plays the channel's files one ffmpeg at a time and moves each finished
segment into the public window (see hls.py) on the channel's real-time
schedule, with timestamps that only grow (`-output_ts_offset`, see clock())
and a discontinuity tag per run; it saves the cursor after every
segment, and carries out restart requests without leaving the thread: the
old ffmpeg is killed (its output is thrown away), the folder emptied, the next
file started, its database bookkeeping done while the new ffmpeg starts up.
ffmpeg killed from outside is resumed at the cursor; a file ffmpeg cannot play
is skipped with the reason. The unit's stop event ends it. Its ffmpeg is
started through the unit's context (mediasuite.supervisor.hosted): tagged as
the channel's unit, in a session of its own, killed if the thread or the host
dies.

Fast starts whatever the key frames: ffmpeg reads the first `pacing.burst`
seconds of a file at full speed and only then paces itself to real time, so
the first segment of a run (which in copy mode ends on the file's next key
frame, up to 10 s away) is written at once; the thread releases every later
segment when the previous one has played out, so the public playlist stays on
the wall clock. ffmpeg 5.1 has no -readrate_initial_burst: the burst comes
from shifting the input's timestamps back by `burst` (-itsoffset) while -ss
with -copyts anchors the read-rate clock at the start position; the output
offset puts the timestamps back. docs/ARCHITECTURE.md says why this and not a
transcoded head.
"""

import logging
import math
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections

from . import hls, pacing, paths, playout, viewers
from .models import Channel, Delivery, Trigger, VideoFile

log = logging.getLogger("mediasuite.channels")

POLL = 0.05            # seconds between looks at ffmpeg's playlist and the wake file
FIRST_POLL = 0.01      # the same until a run's first segment is out: a restart waits on it
DB_POLL = 2.0          # seconds between looks at the database for requests from other hosts
STOP_WAIT = 3.0        # ffmpeg gets this long to end on SIGINT before SIGKILL
CRASH_LIMIT = 5        # ffmpeg crashes in CRASH_WINDOW seconds before the process gives up
CRASH_WINDOW = 60.0
ROLLOVER = 2**33 / 90000  # MPEG-TS timestamps wrap every ~26.5 h; players expect that wrap
RUN_GAP = 0.1  # seconds between the timestamps of two runs
EXIT_NOTHING_TO_PLAY = 3
EXIT_CRASHING = 4


class Stop(Exception):
    pass


@dataclass
class Queued:
    """A segment ffmpeg has finished, waiting for its time on the channel's schedule."""

    name: str
    duration: float
    video_id: int
    position: float  # the cursor once it is out: seconds into its file
    opens: dict | None  # the run it opens: what playout.first_segment records


def ffmpeg_command(video: VideoFile, offset: float, clock: float, run_dir: Path, run: str,
                   reference: VideoFile | None) -> list[str]:
    """ffmpeg playing `video` from `offset` into `run_dir`, its output timestamps starting at `clock`.

    The input is read `burst` seconds ahead of real time from the start (see
    the module's docstring), then at real time.
    """
    seg = settings.CHANNELS_SEGMENT_SECONDS
    burst = pacing.burst(video)
    first = min(seg, 0.5)  # the first segments' length: a restart's first one is out at once
    # The run's own playlist lists all the burst writes within milliseconds, and a few more: a segment
    # that left it before the loop looked would be lost (a gap, and the next file's clock too low).
    listed = math.ceil(burst / first) + 4
    argv = [settings.FFMPEG, "-hide_banner", "-nostdin", "-loglevel", "warning",
            "-copyts", "-ss", f"{offset:.3f}", "-noaccurate_seek", "-itsoffset", f"{-burst:.3f}", "-re",
            "-i", str(paths.file_path(video)), "-map", "0:v:0", "-map", "0:a:0?", "-sn", "-dn"]
    width, height, fps, rate, channels = _format(reference)
    audio = ["-c:a", "aac", "-b:a", "128k", "-ar", str(rate), "-ac", str(channels)]
    if video.delivery == Delivery.TRANSCODE:
        gop = max(1, round(fps * min(seg, 1.0)))
        argv += ["-vf", f"scale={width}:{height}:force_original_aspect_ratio=decrease,"
                        f"pad={width}:{height}:(ow-iw)/2:(oh-ih)/2,fps={fps}",
                 # the fps filter makes the frame rate constant; ffmpeg's own sync would drop the
                 # frames the burst's shift put below zero
                 "-fps_mode", "passthrough", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
                 "-g", str(gop), "-keyint_min", str(gop), "-sc_threshold", "0", *audio]
    elif video.delivery == Delivery.AUDIO:
        argv += ["-c:v", "copy", *audio]
    else:
        argv += ["-c", "copy"]
    argv += ["-output_ts_offset", f"{clock + burst - offset:.3f}", "-f", "hls", "-hls_time", f"{seg:g}",
             "-hls_init_time", f"{first:g}", "-hls_list_size", str(listed), "-hls_flags", "temp_file",
             "-hls_segment_filename", str(run_dir / f"{run}_%d.ts"), str(run_dir / f".{run}.m3u8")]
    return argv


def _format(reference: VideoFile | None) -> tuple:
    """(width, height, fps, sample rate, audio channels) that transcoded files are brought to."""
    if reference is None:
        return 1280, 720, 25, 48000, 2
    return (reference.width or 1280, reference.height or 720, reference.fps or 25,
            reference.sample_rate or 48000, reference.audio_channels or 2)


class Runner:
    def __init__(self, channel_name: str, context):
        self.context = context
        self.channel = Channel.objects.select_related("unit").get(name=channel_name)
        self.directory = paths.hls_dir(self.channel)
        self.window = hls.Window(self.directory, settings.CHANNELS_WINDOW,
                                 pacing.target_duration(playout.playable(self.channel)))
        self.queue: list[Queued] = []  # segments ffmpeg has finished, waiting for their time
        self.due: float | None = None  # when the next segment is due on the schedule; None: as it comes
        self.written_until = 0.0  # the end of the timestamps ffmpeg has written so far
        self.wake = playout.wake_file(self.channel.name)
        self.wake_seen = paths.mtime(self.wake)
        self.launched = playout.launch_file(self.channel.name)
        self.crashes: list[float] = []
        self.audience = (0, 0)
        self.process: subprocess.Popen | None = None
        self.ffmpeg_log = Path(settings.UNIT_LOG_DIR) / f"channel-{self.channel.name}.ffmpeg.log"

    def clock(self, trigger: str, video: VideoFile, offset: float) -> float:
        """The timestamp the next run starts at; a new release schedule unless the run continues one.

        Timestamps only grow within the process: a run starts at the wall
        clock or just above everything written so far (a file's audio can
        outlast its last video frame by some milliseconds), and a run resuming
        mid-file starts one segment higher still, as copy mode begins at the key
        frame before the cursor. A file that follows another (or resumes after
        its ffmpeg was killed) continues the release schedule; a start or
        restart begins a new one, its first segment released as soon as it is
        written.
        """
        now = time.time()
        if trigger not in (Trigger.END_OF_FILE, Trigger.CRASH) or self.due is None or self.due < now:
            self.due = None
        start = max(now, self.written_until + RUN_GAP)
        return start + (pacing.segment_seconds(video) if offset > 0 else 0.0)

    # -- life cycle ------------------------------------------------------------------------

    @property
    def stopping(self) -> bool:
        return self.context.stop.is_set()

    def run(self) -> int:
        try:
            plan = self._first_plan(time.time())
            while not self.stopping:
                plan = self.play(*plan)
        except playout.NothingToPlay as exc:
            playout.cannot_play(self.channel, str(exc))
            log.error("%s", exc)
            return EXIT_NOTHING_TO_PLAY
        except Stop:
            pass
        finally:
            self._end_ffmpeg()
        return 0

    def _first_plan(self, started: float):
        """Resume at the cursor, unless a restart is waiting to be carried out."""
        request = playout.claim_restart(self.channel.pk)
        if request:
            return self._plan_from_request(request)
        self.channel.refresh_from_db()
        trigger = playout.resume_trigger(self.channel.pk) or "start"
        video = self.channel.current_file
        videos = playout.playable(self.channel)
        if video is None or video.pk not in {v.pk for v in videos}:
            video, index = playout.choose_next(self.channel, videos)
            return video, 0.0, index, trigger, started, None
        index = [v.pk for v in videos].index(video.pk)
        offset = self.channel.offset if self.channel.offset < (video.duration or 0) - 1 else 0.0
        return video, offset, index, trigger, started, None

    def _plan_from_request(self, request):
        self.channel.refresh_from_db()
        videos = playout.playable(self.channel)
        chosen = next((v for v in videos if v.pk == request["restart_file_id"]), None)
        if chosen is not None:
            video, index = chosen, videos.index(chosen)
        else:
            video, index = playout.choose_next(self.channel, videos)
        self.window.clear()
        requested = request["restart_requested_at"].timestamp()
        return video, 0.0, index, request["restart_trigger"] or Trigger.MANUAL, requested, \
            request["restart_actor_id"]

    # -- one file --------------------------------------------------------------------------

    def play(self, video, offset, index, trigger, requested, actor_id):
        """Play `video` from `offset` until it ends or something else must play; return the next plan.

        The segments it finishes join the release queue, which may still hold
        the end of the previous file: the next file's ffmpeg starts a segment
        length before the queue runs out, so its first segment is ready on time.
        """
        self.launched.touch()  # the watchdog's clock starts again with every file, before the database work
        opening = {"trigger": trigger, "previous": self.channel.current_file, "video": video,
                   "offset": offset, "requested": requested, "actor_id": actor_id, "index": index}
        run = f"r{self.window.next_sequence}"
        private = self.directory / f".{run}.m3u8"
        finished = hls.RunPlaylist(private)
        reference = None if video.delivery == Delivery.COPY else \
            VideoFile.objects.filter(channel=self.channel, delivery=Delivery.COPY).first()
        clock = self.clock(trigger, video, offset)
        argv = ffmpeg_command(video, offset, clock % ROLLOVER, self.directory, run, reference)
        with open(self.ffmpeg_log, "ab") as ffmpeg_log:
            ffmpeg_log.write(f"--- {time.strftime('%F %T')} {video.name} at {offset:.1f}s\n".encode())
            ffmpeg_log.flush()
            self.launched.touch()
            self.process = self.context.popen(argv, stdin=subprocess.DEVNULL, stdout=ffmpeg_log,
                                              stderr=ffmpeg_log)
        playout.begin(self.channel, video, offset, index)  # while ffmpeg starts up (a few hundred ms)
        seen, position, last_db = set(), offset, time.monotonic()
        while True:
            code = self.process.poll()
            for name, duration in finished.finished():
                if name not in seen and (self.directory / name).exists():
                    position += duration
                    self.queue.append(Queued(name, duration, video.pk, position, None if seen else opening))
                    seen.add(name)
                    self.written_until = clock + position - offset
            self._release()
            if self.stopping:
                raise Stop
            if code is not None and (code != 0 or self._next_file_may_start()):
                private.unlink(missing_ok=True)
                return self._after_exit(video, index, code, bool(seen), position)
            if self._woken() or time.monotonic() - last_db >= DB_POLL:
                last_db = time.monotonic()
                close_old_connections()
                request = playout.claim_restart(self.channel.pk)
                if request:
                    self.launched.touch()
                    self._end_ffmpeg(discard=True)
                    self.queue.clear()
                    private.unlink(missing_ok=True)
                    return self._plan_from_request(request)
            self.context.stop.wait(POLL if seen else FIRST_POLL)

    def _release(self):
        """Publish the queued segments whose time has come: each when the one before it has played out."""
        while self.queue and (self.due is None or time.time() >= self.due):
            segment = self.queue.pop(0)
            self.due = (self.due or time.time()) + segment.duration
            self.window.add(segment.name, segment.duration, discontinuity=segment.opens is not None)
            if segment.video_id == self.channel.current_file_id:  # not the end of the previous file
                playout.advanced(self.channel, segment.position)
            self._count_viewers()
            if segment.opens is not None:
                playout.first_segment(self.channel, **segment.opens)

    def _next_file_may_start(self) -> bool:
        """A segment length before the queued segments have played out, the next file's ffmpeg starts."""
        now = time.time()
        queued_until = (self.due or now) + sum(segment.duration for segment in self.queue)
        return now >= queued_until - settings.CHANNELS_SEGMENT_SECONDS

    def _count_viewers(self):
        counted = viewers.counts([self.channel.pk]).get(self.channel.pk, (0, 0))
        if counted != self.audience:
            self.audience = counted
            playout.report_viewers(self.channel, counted)

    def _woken(self) -> bool:
        mtime = paths.mtime(self.wake)
        if mtime != self.wake_seen:
            self.wake_seen = mtime
            return True
        return False

    def _after_exit(self, video, index, code, produced: bool, position: float):
        self.process = None
        self.channel.refresh_from_db()
        if code == 0:
            following, following_index = playout.choose_next(self.channel)
            return following, 0.0, following_index, Trigger.END_OF_FILE, time.time(), None
        if code < 0 and (produced or -code in (signal.SIGKILL, signal.SIGTERM, signal.SIGINT)):
            # Killed from outside (or crashed mid-file): the file is fine, resume it at the cursor.
            self._count_crash(video, code)
            log.warning("Channel %s: ffmpeg was killed (signal %s) playing %s; resuming at %.1fs.",
                        self.channel.name, -code, video.name, position)
            return video, position, index, Trigger.CRASH, time.time(), None
        if produced:
            log.warning("Channel %s: ffmpeg stopped with code %s at %.1fs of %s; going on with the next "
                        "file. See %s.", self.channel.name, code, position, video.name, self.ffmpeg_log)
        else:
            playout.file_failed(self.channel, video, f"ffmpeg exited with code {code} before its first "
                                                     f"segment; see {self.ffmpeg_log}")
        following, following_index = playout.choose_next(self.channel)
        return following, 0.0, following_index, Trigger.END_OF_FILE, time.time(), None

    def _count_crash(self, video, code):
        now = time.monotonic()
        self.crashes = [t for t in self.crashes if now - t < CRASH_WINDOW] + [now]
        if len(self.crashes) >= CRASH_LIMIT:
            playout.cannot_play(self.channel, f"ffmpeg crashed {len(self.crashes)} times in "
                                              f"{CRASH_WINDOW:.0f} s (last exit {code} on {video.name}); "
                                              f"read {self.ffmpeg_log.name}, then restart the channel.")
            raise SystemExit(EXIT_CRASHING)

    def _end_ffmpeg(self, discard: bool = False):
        """Stop ffmpeg: SIGINT lets it finish its segment; a restart `discard`s its output, so SIGKILL."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        if discard:
            process.kill()
            process.wait()
            return
        process.send_signal(signal.SIGINT)
        try:
            process.wait(STOP_WAIT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run(unit, context) -> int:
    """Play the unit's channel until the unit's stop event is set; the exit code of the unit."""
    return Runner(unit.config["channel"], context).run()
