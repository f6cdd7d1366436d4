"""Start the recording ffmpeg once the camera proxy listens: `python -m recorder.capture`.

    python -m recorder.capture --port-file <proxy dir>/port --wait 20 -- ffmpeg ... -i {input} ...

The recording unit and its court's proxy unit start together; this waits
(at most --wait seconds) for the proxy's port file and a successful connect,
puts the proxy's /raw.mjpeg URL in place of `{input}`, and then *becomes*
ffmpeg (exec): same pid, same process group, so the supervisor's SIGINT and
SIGKILL reach ffmpeg directly. No Django: it must start in milliseconds.

A stop (SIGINT/SIGTERM) that comes before the exec ends this process instead
of being lost in it: Python only notes a signal and acts on it at its next
bytecode, which never comes once exec has replaced the program (ffmpeg would
then record until the supervisor's SIGKILL, 10 s later).
"""

import argparse
import os
import signal
import socket
import sys
import time
from pathlib import Path

STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def proxy_port(port_file: Path, deadline: float, asked: list) -> int | None:
    while time.monotonic() < deadline and not asked:
        try:
            port = int(port_file.read_text().strip())
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return port
        except (OSError, ValueError):
            time.sleep(0.1)
    return None


def main(argv=None):
    parser = argparse.ArgumentParser(description="Wait for the camera proxy, then exec ffmpeg.")
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--wait", type=float, default=20.0)
    parser.add_argument("--path", default="/raw.mjpeg")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = [part for part in args.command if part != "--"]
    asked = []
    for number in STOP_SIGNALS:
        signal.signal(number, lambda received, frame: asked.append(received))
    port = proxy_port(Path(args.port_file), time.monotonic() + args.wait, asked)
    if asked:
        end_by(asked[0])
    if port is None:
        print(
            f"The camera proxy did not start listening within {args.wait:.0f}s (no usable {args.port_file}); "
            "see the log of its unit (cam-<court id>) in the admin.",
            file=sys.stderr,
            flush=True,
        )
        return 3
    url = f"http://127.0.0.1:{port}{args.path}"
    command = [url if part == "{input}" else part for part in command]
    print("exec: " + " ".join(command), file=sys.stderr, flush=True)
    exec_unless_stopped(command, asked)


def end_by(number: int):
    """Die of the stop signal (exit status -number, as without a handler)."""
    signal.signal(number, signal.SIG_DFL)
    os.kill(os.getpid(), number)
    raise SystemExit(128 + number)


def exec_unless_stopped(command: list[str], asked: list):
    # Blocking runs the handlers of signals already received (CPython checks on return).
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    if asked:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
        end_by(asked[0])
    for number in STOP_SIGNALS:
        signal.signal(number, signal.SIG_DFL)
    # From here a stop signal ends the process (default action) until ffmpeg installs its own handler.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    os.execvp(command[0], command)


if __name__ == "__main__":
    sys.exit(main())
