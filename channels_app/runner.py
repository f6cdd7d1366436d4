"""The playout of one channel: a thread of the node's unit host (the `channel` unit kind's `run`).

It plays the channel's files one ffmpeg at a time (`-re`, so segments come
out in real time), moves each finished segment into the public window (see
hls.py) with continuous timestamps (`-output_ts_offset` = the channel's clock)
and a discontinuity tag per file, saves the cursor after every segment, and
carries out restart requests without leaving the process: the old ffmpeg is
stopped (SIGINT, it finishes its segment), the folder emptied, the next file
started. ffmpeg killed from outside is resumed at the cursor; a file ffmpeg
cannot play is skipped with the reason. The unit's stop event ends it. Its
ffmpeg is started through the unit's context (mediasuite.supervisor.hosted):
tagged as the channel's unit, in a session of its own, killed if the thread
or the host dies.
"""

import logging
import signal
import subprocess
import time
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections

from . import hls, paths, playout, viewers
from .models import Channel, Delivery, Trigger, VideoFile

log = logging.getLogger("mediasuite.channels")

POLL = 0.05            # seconds between looks at ffmpeg's playlist and the wake file
DB_POLL = 2.0          # seconds between looks at the database for requests from other hosts
STOP_WAIT = 3.0        # ffmpeg gets this long to end on SIGINT before SIGKILL
CRASH_LIMIT = 5        # ffmpeg crashes in CRASH_WINDOW seconds before the process gives up
CRASH_WINDOW = 60.0
ROLLOVER = 2**33 / 90000  # MPEG-TS timestamps wrap every ~26.5 h; players expect that wrap
EXIT_NOTHING_TO_PLAY = 3
EXIT_CRASHING = 4


class Stop(Exception):
    pass


def ffmpeg_command(video: VideoFile, offset: float, clock: float, run_dir: Path, run: str,
                   reference: VideoFile | None) -> list[str]:
    seg = settings.CHANNELS_SEGMENT_SECONDS
    argv = [settings.FFMPEG, "-hide_banner", "-nostdin", "-loglevel", "warning", "-re"]
    if offset > 0.5:
        argv += ["-ss", f"{offset:.3f}"]
    argv += ["-i", str(paths.file_path(video)), "-map", "0:v:0", "-map", "0:a:0?", "-sn", "-dn"]
    if video.delivery == Delivery.TRANSCODE and reference is not None:
        width, height, fps = reference.width or 1280, reference.height or 720, reference.fps or 25
        gop = max(1, round(fps * min(seg, 1.0)))
        argv += ["-vf", f"scale={width}:{height}:force_original_aspect_ratio=decrease,"
                        f"pad={width}:{height}:(ow-iw)/2:(oh-ih)/2,fps={fps}",
                 "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
                 "-g", str(gop), "-keyint_min", str(gop), "-sc_threshold", "0",
                 "-c:a", "aac", "-b:a", "128k", "-ar", str(reference.sample_rate or 48000),
                 "-ac", str(reference.audio_channels or 2)]
    else:
        argv += ["-c", "copy"]
    argv += ["-output_ts_offset", f"{clock:.3f}", "-f", "hls", "-hls_time", f"{seg:g}",
             "-hls_init_time", f"{min(seg, 0.5):g}", "-hls_list_size", "4", "-hls_flags", "temp_file",
             "-hls_segment_filename", str(run_dir / f"{run}_%d.ts"), str(run_dir / f".{run}.m3u8")]
    return argv


class Runner:
    def __init__(self, channel_name: str, context):
        self.context = context
        self.channel = Channel.objects.select_related("unit").get(name=channel_name)
        self.directory = paths.hls_dir(self.channel)
        self.window = hls.Window(self.directory, settings.CHANNELS_WINDOW, settings.CHANNELS_SEGMENT_SECONDS)
        self.wake = playout.wake_file(self.channel.name)
        self.wake_seen = paths.mtime(self.wake)
        self.launched = playout.launch_file(self.channel.name)
        self.crashes: list[float] = []
        self.audience = (0, 0)
        self.process: subprocess.Popen | None = None
        self.ffmpeg_log = Path(settings.UNIT_LOG_DIR) / f"channel-{self.channel.name}.ffmpeg.log"

    @staticmethod
    def clock() -> float:
        """The timestamp the next ffmpeg run starts at: wall time, as ffmpeg -re plays in real time.

        Each run's last timestamp is about the wall time at which it ended, so
        the next run (in this process or a later one) always continues above it.
        """
        return time.time() % ROLLOVER

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
        """Play `video` from `offset` until it ends or something else must play; return the next plan."""
        self.launched.touch()  # the watchdog's clock starts again with every file, before the database work
        previous = self.channel.current_file
        playout.begin(self.channel, video, offset, index)
        run = f"r{self.window.next_sequence}"
        private = self.directory / f".{run}.m3u8"
        reference = VideoFile.objects.filter(channel=self.channel, delivery=Delivery.COPY).first()
        argv = ffmpeg_command(video, offset, self.clock(), self.directory, run, reference)
        with open(self.ffmpeg_log, "ab") as ffmpeg_log:
            ffmpeg_log.write(f"--- {time.strftime('%F %T')} {video.name} at {offset:.1f}s\n".encode())
            ffmpeg_log.flush()
            self.launched.touch()
            self.process = self.context.popen(argv, stdin=subprocess.DEVNULL, stdout=ffmpeg_log,
                                              stderr=ffmpeg_log)
        published, position, last_db = set(), offset, time.monotonic()
        first = True
        while True:
            code = self.process.poll()
            for name, duration in hls.finished_segments(private):
                if name in published or not (self.directory / name).exists():
                    continue
                published.add(name)
                self.window.add(name, duration, discontinuity=first)
                position += duration
                playout.advanced(self.channel, position)
                self._count_viewers()
                if first:
                    first = False
                    playout.first_segment(self.channel, trigger=trigger, previous=previous, video=video,
                                          offset=offset, requested=requested, actor_id=actor_id, index=index)
            if code is not None:
                private.unlink(missing_ok=True)
                if self.stopping:
                    raise Stop
                return self._after_exit(video, index, code, bool(published), position)
            if self.stopping:
                raise Stop
            if self._woken() or time.monotonic() - last_db >= DB_POLL:
                last_db = time.monotonic()
                close_old_connections()
                request = playout.claim_restart(self.channel.pk)
                if request:
                    self.launched.touch()
                    self._end_ffmpeg()
                    private.unlink(missing_ok=True)
                    return self._plan_from_request(request)
            self.context.stop.wait(POLL)

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

    def _end_ffmpeg(self):
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
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
