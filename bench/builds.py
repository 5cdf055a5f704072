"""Running ``python -m indexer`` as a user does, watching it, and killing it with SIGKILL.

Each build starts in a session of its own, so its worker processes share its process group:
killing the group is what a terminal's Ctrl-C or a service manager's stop does; killing the
build's own process alone is what the kernel's out-of-memory killer or ``kill -9 PID`` does.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def indexer_command(
    paths: list[Path], index_dir: Path, jobs: int = 2, extra: tuple[str, ...] = ()
) -> list[str]:
    """The command line of a quiet build of ``paths`` into ``index_dir`` (plus ``extra``)."""
    return [
        sys.executable,
        "-m",
        "indexer",
        *map(str, paths),
        "--index",
        str(index_dir),
        "--jobs",
        str(jobs),
        "--quiet",
        *extra,
    ]


def start_build(
    paths: list[Path], index_dir: Path, jobs: int = 2, extra: tuple[str, ...] = ()
) -> subprocess.Popen:
    """Start a build in a new session (its process group id is its pid)."""
    return subprocess.Popen(
        indexer_command(paths, index_dir, jobs, extra),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def run_build(
    paths: list[Path], index_dir: Path, jobs: int = 2, timeout: float = 300.0
) -> subprocess.CompletedProcess:
    """Run a build to its end (the command a user types, in the foreground)."""
    return subprocess.run(
        indexer_command(paths, index_dir, jobs),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def children(pid: int) -> list[int]:
    """The child processes of a process (its workers), empty once it is gone."""
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as listing:
                found.extend(int(child) for child in listing.read().split())
    except (FileNotFoundError, ProcessLookupError):
        return []
    return found


def group_members(pgid: int) -> list[int]:
    """The live (not zombie) processes of a process group."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(entry))
    return members


def end_group(pgid: int) -> None:
    """SIGKILL whatever is left of a process group this module started."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)


def wait_until(
    condition: Callable[[], bool], process: subprocess.Popen, timeout: float = 120.0
) -> bool:
    """Poll ``condition`` every millisecond while ``process`` runs; False if it ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.001)
    raise TimeoutError("the build neither got there nor ended")


@dataclass
class Killed:
    """A build killed with SIGKILL."""

    phase: str  # where it was: starting, indexing, committing, committed, finished
    orphans: list[int]  # processes of its group still alive after the kill


def phase_of(process: subprocess.Popen, index_dir: Path, generation: int, had_workers: bool) -> str:
    """Where a build is: 'starting' (before its workers), 'indexing' (workers running),
    'committing' (workers done, no new commit yet), 'committed', or 'finished' (exited)."""
    if process.poll() is not None:
        return "finished"
    if (index_dir / f"_MAIN_{generation + 1}.toc").exists():
        return "committed"
    if children(process.pid):
        return "indexing"
    return "committing" if had_workers else "starting"


def kill_build(
    process: subprocess.Popen,
    index_dir: Path,
    generation: int,
    whole_group: bool,
    had_workers: bool = False,
) -> Killed:
    """SIGKILL a build (its process, or its whole group) and say where it was."""
    phase = phase_of(process, index_dir, generation, had_workers)
    if whole_group:
        end_group(process.pid)
    elif process.poll() is None:
        process.kill()
    process.wait()
    # Not communicate(): orphaned workers hold the pipes open and it would wait for them.
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()
    time.sleep(0.05)  # let the kernel finish tearing the killed processes down
    return Killed(phase, group_members(process.pid))


def new_files(index_dir: Path, baseline: set[str], suffix: str = "") -> list[str]:
    """Files of an index folder that were not there before a build, ending in ``suffix``."""
    try:
        names = os.listdir(index_dir)
    except FileNotFoundError:
        return []
    return [name for name in names if name not in baseline and name.endswith(suffix)]
