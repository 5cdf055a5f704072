"""SIGKILL during a build: the index opens, holds exactly one committed state, a re-run ends it.

Each trial copies an index of version 0 of a generated archive (bench/archives.py), runs
`python -m indexer` over version 1 (new, edited and removed articles) and kills it with
SIGKILL at a point of the build found by watching its processes and files, not after a
delay: while its workers index, once a worker's finished segment is on disk, as soon as the
workers are done (the commit), and once the new commit's TOC is there. bench/crash.py runs
the same at random moments, many times.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.archives import archive_versions, synthetic_articles
from bench.builds import (
    Killed,
    children,
    end_group,
    group_members,
    kill_build,
    new_files,
    run_build,
    start_build,
    wait_until,
)
from bench.indexstate import IndexState, Versions, prepare_versions, read_state, which_state
from indexer.build.builder import build_index

BEFORE, NEW = 40, 30  # articles of version 0, articles version 1 adds (68 in version 1)


@pytest.fixture(scope="module")
def setup(tmp_path_factory) -> Versions:
    files = archive_versions(synthetic_articles(BEFORE + NEW, seed=6), BEFORE)
    return prepare_versions(tmp_path_factory.mktemp("crash"), files)


@dataclass
class Trial:
    """What one killed build left, and what a re-run made of it."""

    killed: Killed
    left: IndexState  # the index right after the kill
    rerun_status: int
    rerun_stderr: str
    final: IndexState
    survivors: list[int]  # processes of the killed build still alive after the re-run


KillPoint = Callable[[int, Path, set[str]], bool]  # (pid, index folder, files before) -> kill now


def workers_indexing(pid: int, index_dir: Path, baseline: set[str]) -> bool:
    # The parent's writer and at least one worker's have opened their segments.
    return bool(children(pid)) and len(new_files(index_dir, baseline, ".trm")) >= 2


def segment_on_disk(pid: int, index_dir: Path, baseline: set[str]) -> bool:
    # A worker has finished its segment (the last column it writes is there), no commit yet.
    return bool(new_files(index_dir, baseline, ".manifest.col"))


def new_commit(pid: int, index_dir: Path, baseline: set[str]) -> bool:
    return any(name.endswith(".toc") for name in new_files(index_dir, baseline))


class WorkersDone:
    """True once the build's workers have all exited: it is committing."""

    def __init__(self) -> None:
        self.had_workers = False

    def __call__(self, pid: int, index_dir: Path, baseline: set[str]) -> bool:
        if children(pid):
            self.had_workers = True
            return False
        return self.had_workers


def crash(
    setup: Versions,
    index_dir: Path,
    kill_point: KillPoint,
    whole_group: bool,
    jobs: int = 2,
    extra: tuple[str, ...] = (),
) -> Trial:
    """Copy the version-0 index, build version 1 into it, SIGKILL at ``kill_point``, re-run."""
    shutil.copytree(setup.base, index_dir)
    baseline = set(os.listdir(index_dir))
    process = start_build([setup.archive], index_dir, jobs, extra)
    try:
        if not wait_until(lambda: kill_point(process.pid, index_dir, baseline), process):
            raise RuntimeError(f"the build ended before the kill point: {process.communicate()}")
        had_workers = getattr(kill_point, "had_workers", True)
        killed = kill_build(process, index_dir, setup.before.generation, whole_group, had_workers)
        left = read_state(index_dir)
        rerun = run_build([setup.archive], index_dir, timeout=120)
        final = read_state(index_dir)
        survivors = group_members(process.pid)
    finally:
        end_group(process.pid)  # orphans of a killed parent hold the index lock
    return Trial(killed, left, rerun.returncode, rerun.stderr, final, survivors)


@pytest.mark.parametrize(
    ("kill_point", "states"),
    [
        (lambda: workers_indexing, {"before"}),
        (lambda: segment_on_disk, {"before"}),
        (WorkersDone, {"before", "after"}),  # the commit takes milliseconds: either side
        (lambda: new_commit, {"after"}),
    ],
    ids=["workers-indexing", "segment-on-disk", "committing", "toc-written"],
)
def test_sigkill_leaves_one_committed_state_and_a_rerun_completes(
    setup, tmp_path, kill_point, states
):
    trial = crash(setup, tmp_path / "ix", kill_point(), whole_group=True)
    left = which_state(trial.left, setup.before, setup.after)
    assert left in states
    assert trial.left.served == len(trial.left.digests)  # the app opens it and sees them all
    assert trial.rerun_status == 0, trial.rerun_stderr
    assert which_state(trial.final, setup.before, setup.after) == "after"
    assert trial.final.served == len(setup.after.digests)
    if left == "before":  # the re-run's commit removes the killed build's segment files
        assert [name for name in trial.final.stray if name.startswith("MAIN")] == []


def test_sigkill_of_the_indexer_process_alone_frees_the_index(setup, tmp_path):
    """The out-of-memory killer or `kill -9 PID` ends the indexer, not its workers: they are
    forked after the write lock is taken and share its file descriptor, and wait forever for
    the rest of the work from the dead parent. (A --rebuild on one worker: 68 articles are more
    chunks than the work queue holds, so the worker is left waiting, not finishing.)"""
    trial = crash(setup, tmp_path / "ix", workers_indexing, False, jobs=1, extra=("--rebuild",))
    assert trial.rerun_status == 0, trial.rerun_stderr
    assert which_state(trial.final, setup.before, setup.after) == "after"
    assert trial.survivors == []


def test_a_build_with_nothing_to_do_leaves_no_files(setup, tmp_path):
    """Every run of the indexer over an unchanged archive (a cron job, a re-run after a build
    that had committed before it was killed) adds three unused files until a build commits."""
    shutil.copytree(setup.reference, tmp_path / "ix")
    for _ in range(2):
        report = build_index([setup.archive], tmp_path / "ix", jobs=1)
        if report.indexed or report.deleted:
            raise RuntimeError("the archive changed")
    assert read_state(tmp_path / "ix").stray == []
