"""Shared set-up of the channel benches: a throwaway data dir, Django, clips, a supervisor."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_on_a_fresh_data_dir() -> Path:
    data = Path(tempfile.mkdtemp(prefix="mediasuite-bench-"))
    os.environ["MEDIASUITE_DATA_DIR"] = str(data)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediasuite.settings")
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return data


def start(*args, label: str, data: Path, env: dict | None = None) -> subprocess.Popen:
    log = open(data / f"{label}.log", "wb")  # noqa: SIM115
    return subprocess.Popen([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True,
                            env={**os.environ, "MEDIASUITE_PROCESS": label, **(env or {})})


def stop(process: subprocess.Popen):
    import signal

    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def percentile(values, p) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]
