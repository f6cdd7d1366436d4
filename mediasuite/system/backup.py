"""Save and restore what an update must not lose: configuration files and the database.

Backups go to <data dir>/backups/update-<job id>/. The database is copied
with SQLite's online backup API (consistent while other processes use it) or
dumped with `pg_dump -Fc` on PostgreSQL and restored with `pg_restore --clean`.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection, connections


class BackupError(Exception):
    pass


def folder(job_id: int) -> Path:
    root = settings.DATA_DIR / "backups"
    root.mkdir(mode=0o700, exist_ok=True)
    path = root / f"update-{job_id}"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def _private_file(path: Path) -> Path:
    """Create `path` empty with mode 0600, so the copy written into it is never readable by others."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    return path


def config_files() -> list[str]:
    """The configured files that exist now, relative to the checkout."""
    return [name for name in settings.UPDATE_CONFIG_FILES if (settings.BASE_DIR / name).is_file()]


def save_config(job_id: int) -> list[str]:
    saved = []
    for name in config_files():
        target = folder(job_id) / "config" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(settings.BASE_DIR / name, target)
        saved.append(name)
    return saved


def restore_config(job_id: int) -> list[str]:
    """Put back every saved file that is missing or differs; the names restored."""
    root = folder(job_id) / "config"
    restored = []
    for saved in sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []:
        name = saved.relative_to(root)
        live = settings.BASE_DIR / name
        if not live.is_file() or live.read_bytes() != saved.read_bytes():
            live.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(saved, live)
            restored.append(str(name))
    return restored


def _pg_env(db: dict) -> dict:
    env = dict(os.environ)
    env.update(PGHOST=db.get("HOST") or "127.0.0.1", PGPORT=str(db.get("PORT") or 5432),
               PGUSER=db.get("USER") or "", PGDATABASE=db["NAME"])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _pg(argv: list[str], db: dict) -> None:
    if shutil.which(argv[0]) is None:
        raise BackupError(f"{argv[0]} is not installed: install postgresql-client.")
    done = subprocess.run(argv, env=_pg_env(db), capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise BackupError(f"{argv[0]} failed: {done.stderr.strip()[-300:]}")


def save_database(job_id: int) -> Path:
    db = connections["default"].settings_dict
    if connection.vendor == "sqlite":
        target = _private_file(folder(job_id) / "db.sqlite3")
        source = sqlite3.connect(db["NAME"], timeout=30)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        return target
    if connection.vendor == "postgresql":
        target = _private_file(folder(job_id) / "db.pgdump")
        _pg(["pg_dump", "-Fc", "--no-owner", "-f", str(target)], db)
        return target
    raise BackupError(f"Backing up a {connection.vendor} database is not supported; "
                      "use SQLite or PostgreSQL.")


def restore_database(backup: Path) -> None:
    """Put the saved database back (the updater's own connection is closed first)."""
    db = connections["default"].settings_dict
    connections.close_all()
    if backup.suffix == ".sqlite3":
        source = sqlite3.connect(backup)
        live = sqlite3.connect(db["NAME"], timeout=60)
        try:
            source.backup(live)
        finally:
            live.close()
            source.close()
        return
    _pg(["pg_restore", "--clean", "--if-exists", "--no-owner", "-d", db["NAME"], str(backup)], db)
