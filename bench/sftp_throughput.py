"""Pull one file from a loopback sshd: MediaSuite's transfer vs OpenSSH's `sftp` (and paramiko's defaults).

    .venv/bin/python bench/sftp_throughput.py [--size-mib 1024] [--runs 1]

Starts its own sshd (a generated host key, an unprivileged port, a temp
dir), writes a file of --size-mib MiB, then times, interleaved in each run:
OpenSSH's `sftp` client, MediaSuite's transfer (seedbox.transfer's
file_tasks/run_tasks/join_ranges, as the transfer jobs run it with the
default settings: one pipelined stream), the same in 2 ranges over 2 SSH
connections (SEEDBOX_SPLIT_MIN set), and paramiko's plain `SFTPClient.get`.
Prints MiB/s and the ratios to OpenSSH (target: >= 80 %).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

import paramiko  # noqa: E402
from django.conf import settings  # noqa: E402

from seedbox import transfer  # noqa: E402
from tests.seedbox.conftest import Seedbox  # noqa: E402


def timed(label, func, size):
    os.sync()  # the previous run's gigabyte written back first, so that no run pays for another's
    start = time.perf_counter()
    func()
    seconds = time.perf_counter() - start
    rate = size / seconds / 2**20
    print(f"  {label:<28} {seconds:7.2f} s  {rate:8.1f} MiB/s", flush=True)
    return rate


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    size = args.size_mib * 2**20
    with tempfile.TemporaryDirectory(prefix="sftp-bench-") as tmp:
        box = Seedbox(Path(tmp) / "box")
        box.start_sshd()
        try:
            remote = box.remote_root / "big.bin"
            block = os.urandom(16 * 2**20)
            with open(remote, "wb") as handle:
                for _ in range(0, size, len(block)):
                    handle.write(block)
            os.truncate(remote, size)
            local = Path(tmp) / "local.bin"
            ssh_opts = ["-i", str(box.client_key), "-o", f"UserKnownHostsFile={box.known_hosts}",
                        "-o", "StrictHostKeyChecking=yes", "-P", str(box.ssh_port)]

            def openssh():
                local.unlink(missing_ok=True)
                subprocess.run(["sftp", "-q", *ssh_opts, f"{box.user}@127.0.0.1:{remote}", str(local)],
                               check=True, stdout=subprocess.DEVNULL)

            for name, value in box.env(Path(tmp) / "staging").items():
                setattr(settings, name, int(value) if name.endswith("_PORT") else value)
            settings.SEEDBOX_SPLIT_MIN = 0
            part = Path(tmp) / "mediasuite" / "big.bin.part"

            def mediasuite(parallel=settings.SEEDBOX_TRANSFER_PARALLEL):
                part.unlink(missing_ok=True)
                assert not part.with_suffix("").exists()
                tasks = transfer.file_tasks(str(remote), part, size, parallel)
                transfer.run_tasks(tasks, parallel)
                transfer.join_ranges(part)
                assert part.stat().st_size == size

            def mediasuite_two_ranges():
                settings.SEEDBOX_SPLIT_MIN = 1
                try:
                    mediasuite(parallel=2)
                finally:
                    settings.SEEDBOX_SPLIT_MIN = 0

            def paramiko_defaults():
                local.unlink(missing_ok=True)
                client = paramiko.SSHClient()
                client.load_host_keys(str(box.known_hosts))
                client.connect("127.0.0.1", port=box.ssh_port, username=box.user,
                               key_filename=str(box.client_key), look_for_keys=False, allow_agent=False)
                client.open_sftp().get(str(remote), str(local))
                client.close()

            print(f"Pulling {args.size_mib} MiB over loopback SFTP, {args.runs} interleaved run(s); "
                  f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
            contenders = (("MediaSuite transfer", mediasuite),
                          ("MediaSuite, 2 ranges", mediasuite_two_ranges),
                          ("paramiko defaults (get)", paramiko_defaults))
            ratios = {label: [] for label, _ in contenders}
            for run in range(1, args.runs + 1):
                print(f"run {run}")
                base = timed("OpenSSH sftp", openssh, size)
                for label, func in contenders:
                    ratios[label].append(timed(label, func, size) / base)
            for label, values in ratios.items():
                values.sort()
                target = "  (target >= 80 %)" if label == "MediaSuite transfer" else ""
                print(f"{label} / OpenSSH: median {100 * values[len(values) // 2]:.0f} %, "
                      f"best {100 * values[-1]:.0f} %{target}")
        finally:
            box.stop()


if __name__ == "__main__":
    main()
