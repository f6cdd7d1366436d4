"""The process of the built-in `heartbeat` unit kind: writes a file every interval.

Runs without Django (fast to start). Test knobs:
  --crash-while FILE  exit at start with --exit-code while FILE exists (a crash loop)
  --hang-while FILE   stay alive but stop writing while FILE exists (a stuck unit)
SIGINT or SIGTERM ends it cleanly with exit code 0.
"""

import argparse
import os
import signal
import sys
import time


def main(argv=None):
    parser = argparse.ArgumentParser(prog="heartbeat_proc")
    parser.add_argument("--file", required=True)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--crash-while", default="")
    parser.add_argument("--hang-while", default="")
    parser.add_argument("--exit-code", type=int, default=3)
    args = parser.parse_args(argv)

    if args.crash_while and os.path.exists(args.crash_while):
        print(f"heartbeat: refusing to start while {args.crash_while} exists", flush=True)
        return args.exit_code

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    os.makedirs(os.path.dirname(os.path.abspath(args.file)), exist_ok=True)
    print(f"heartbeat: pid {os.getpid()} writing {args.file} every {args.interval}s", flush=True)
    try:
        while True:
            if not (args.hang_while and os.path.exists(args.hang_while)):
                tmp = f"{args.file}.{os.getpid()}.tmp"
                with open(tmp, "w") as handle:
                    handle.write(f"{os.getpid()} {time.time()}\n")
                os.replace(tmp, args.file)
            time.sleep(args.interval)
    except Stop:
        pass
    print("heartbeat: stopped", flush=True)
    return 0


class Stop(Exception):
    pass


def _stop(*_):
    raise Stop


if __name__ == "__main__":
    sys.exit(main())
