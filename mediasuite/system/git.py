"""The checkout being updated: what runs, what its tracked branch holds, and how to move it."""

import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings


class GitError(Exception):
    pass


@dataclass(frozen=True)
class Commit:
    sha: str
    date: str
    subject: str

    @property
    def version(self) -> str:
        """What /api/health reports for this commit (mediasuite.version)."""
        return self.sha[:12]

    def as_dict(self) -> dict:
        return {"commit": self.sha, "version": self.version, "date": self.date, "subject": self.subject}


def run(*args, cwd: Path | None = None, timeout: float = 120, strip: bool = True) -> str:
    """`git <args>` in the checkout; its stdout (stripped), or GitError with git's own message."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd or settings.BASE_DIR, capture_output=True, text=True,
                              timeout=timeout)
    except FileNotFoundError:
        raise GitError("git is not installed: install it (apt-get install git).") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"`git {' '.join(args)}` took longer than {timeout:.0f} s.") from None
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise GitError(f"`git {' '.join(args)}` failed: {detail[-1] if detail else done.returncode}")
    return done.stdout.strip() if strip else done.stdout


def commit(ref: str = "HEAD") -> Commit:
    sha, date, subject = run("log", "-1", "--format=%H%n%cI%n%s", ref, "--").split("\n", 2)
    return Commit(sha, date, subject)


def upstream() -> str:
    """The tracked remote branch, e.g. `origin/main`; GitError when the branch tracks none."""
    try:
        return run("rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}")
    except GitError:
        branch = run("rev-parse", "--abbrev-ref", "HEAD")
        raise GitError(f"The branch {branch} tracks no remote branch: set one with "
                       f"`git branch --set-upstream-to=origin/{branch}`.") from None


def remote_of(tracked: str) -> str:
    branch = run("rev-parse", "--abbrev-ref", "HEAD")
    return run("config", f"branch.{branch}.remote") or tracked.split("/", 1)[0]


def local_changes() -> list[str]:
    """Tracked files changed in the work tree (untracked and ignored files do not count)."""
    out = run("status", "--porcelain", "--untracked-files=no", strip=False)
    return [line[3:] for line in out.splitlines() if line.strip()]


def fetch(remote: str) -> None:
    run("fetch", "--prune", remote, timeout=300)


def reset_and_clean(ref: str, keep: list[str]) -> None:
    """Check out `ref` exactly; remove untracked files except ignored ones and `keep` (never -x)."""
    run("reset", "--hard", ref)
    excludes = [arg for path in keep for arg in ("-e", path)]
    run("clean", "-fd", *excludes)


def changed(old: str, new: str, path: str) -> bool:
    return bool(run("diff", "--name-only", old, new, "--", path))
