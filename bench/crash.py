"""Kill the indexer with SIGKILL at random moments of a build and check what it leaves.

    python bench/crash.py [CORPUS.jsonl[.gz] ...] [--articles N] [--trials N] [--seed N]

An archive in two versions (bench/archives.py: the first articles of the corpus, by default
../shared/corpus/vntc_train.jsonl.gz, or synthetic Vietnamese without one): version 0 is
indexed once; each trial copies that index, starts `python -m indexer` on version 1 (new,
edited and removed articles) and SIGKILLs it after a delay drawn uniformly from [0, the
duration of an uncrashed build] with the seed given. Half the trials kill the build's whole
process group (Ctrl-C in a terminal, a service manager's stop), half the indexer's process
alone (the out-of-memory killer, `kill -9 PID`); ``--commit-trials`` more kill the group as
soon as the workers are done, in the commit. After each kill: the index must open as the app
opens it and hold exactly the state before or after the build; a re-run starts at once and
must complete it. Prints the figures and writes the "Crashes" section of docs/reliability.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    # Run as a script: import from the repository root (and never shadow the stdlib).
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

import argparse
import random
import shlex
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass

from bench.archives import archive_versions, corpus_articles, synthetic_articles
from bench.builds import (
    ROOT,
    children,
    end_group,
    group_members,
    kill_build,
    run_build,
    start_build,
)
from bench.indexstate import Versions, prepare_versions, read_state, which_state
from bench.reliability_doc import DEFAULT_OUT, write_reliability
from bench.sections import machine_summary
from bench.tables import engine_version

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "vntc_train.jsonl.gz"
PHASES = ("starting", "indexing", "committing", "committed", "finished")


@dataclass
class Trial:
    """One killed build and what became of the index."""

    kill: str  # "group" or "process"
    delay: float | None  # seconds after the start; None: as soon as the workers were done
    phase: str
    left: str  # the state right after the kill: before, after, other, or why it cannot open
    orphans: int  # processes of the build still alive after the kill
    rerun: int  # exit status of a re-run started right after the kill
    rerun_after_orphans: int | None  # exit status of a re-run once the orphans were ended
    final: str  # the state after the re-run(s)
    stray: int  # files the final commit does not use


def _state(index_dir: Path, versions: Versions) -> str:
    try:
        return which_state(read_state(index_dir), versions.before, versions.after)
    except Exception as error:  # whatever the index does, the trial reports it and goes on
        return f"cannot open: {type(error).__name__}: {error}"


def _kill_after(versions: Versions, index_dir: Path, delay: float | None, group: bool):
    """Start a build and SIGKILL it after ``delay`` s (None: once its workers are done)."""
    process = start_build([versions.archive], index_dir)
    started = time.monotonic()
    had_workers = False
    while process.poll() is None:
        workers = bool(children(process.pid))
        had_workers = had_workers or workers
        if delay is None and had_workers and not workers:
            break
        if delay is not None and time.monotonic() - started >= delay:
            break
        time.sleep(0.001)
    generation = versions.before.generation
    return process, kill_build(process, index_dir, generation, group, had_workers)


def run_trial(versions: Versions, workdir: Path, delay: float | None, group: bool) -> Trial:
    """One trial on a fresh copy of the version-0 index."""
    index_dir = workdir / "ix"
    shutil.rmtree(index_dir, ignore_errors=True)
    shutil.copytree(versions.base, index_dir)
    process, killed = _kill_after(versions, index_dir, delay, group)
    try:
        left = _state(index_dir, versions)
        rerun = run_build([versions.archive], index_dir).returncode
        again = None
        if rerun != 0 and group_members(process.pid):
            end_group(process.pid)
            time.sleep(0.1)
            again = run_build([versions.archive], index_dir).returncode
    finally:
        end_group(process.pid)
    final = _state(index_dir, versions)
    stray = len(read_state(index_dir).stray) if final == "after" else -1
    kind = "group" if group else "process"
    return Trial(kind, delay, killed.phase, left, len(killed.orphans), rerun, again, final, stray)


def _count(trials: list[Trial], test) -> int:
    return sum(1 for trial in trials if test(trial))


def summary_table(trials: list[Trial]) -> str:
    """Per kind of kill: where the kills landed and what they left."""
    groups = {
        "process group, random moment": [t for t in trials if t.kill == "group" and t.delay],
        "indexer process alone, random moment": [t for t in trials if t.kill == "process"],
        "process group, in the commit": [t for t in trials if t.delay is None],
    }
    lines = [
        "| SIGKILL to | trials | starting / indexing / committing / committed / finished "
        "| opens | holds before / after / other | re-run completes at once | re-run exits 2 "
        "(orphaned workers hold the lock) | completes once the orphans are ended "
        "| unused files after the re-run |",
        "|---|---:|---|---:|---|---:|---:|---:|---:|",
    ]
    for name, group in groups.items():
        if not group:
            continue
        phases = Counter(t.phase for t in group)
        left = Counter(t.left for t in group)
        lines.append(
            f"| {name} | {len(group)} | {' / '.join(str(phases[p]) for p in PHASES)} "
            f"| {_count(group, lambda t: not t.left.startswith('cannot'))} "
            f"| {left['before']} / {left['after']} / "
            f"{len(group) - left['before'] - left['after']} "
            f"| {_count(group, lambda t: t.rerun == 0 and t.final == 'after')} "
            f"| {_count(group, lambda t: t.rerun == 2)} "
            f"| {_count(group, lambda t: t.rerun_after_orphans == 0 and t.final == 'after')} "
            f"| {sum(max(t.stray, 0) for t in group)} in "
            f"{_count(group, lambda t: t.stray > 0)} trials |"
        )
    return "\n".join(lines)


def trial_table(trials: list[Trial]) -> str:
    """Every trial, in order."""
    lines = [
        "| # | SIGKILL to | at (s) | phase | index after the kill | orphans | re-run exit "
        "| exit once orphans ended | final | unused files |",
        "|---:|---|---:|---|---|---:|---:|---:|---|---:|",
    ]
    for number, t in enumerate(trials, 1):
        at = "commit" if t.delay is None else f"{t.delay:.2f}"
        again = "" if t.rerun_after_orphans is None else str(t.rerun_after_orphans)
        lines.append(
            f"| {number} | {t.kill} | {at} | {t.phase} | {t.left} | {t.orphans} | {t.rerun} "
            f"| {again} | {t.final} | {t.stray} |"
        )
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="*", type=Path, help="archive JSON Lines files")
    parser.add_argument("--articles", type=int, default=240, help="articles of version 0")
    parser.add_argument("--trials", type=int, default=20, help="random kills of each kind")
    parser.add_argument("--commit-trials", type=int, default=5, help="kills in the commit")
    parser.add_argument("--seed", type=int, default=1, help="seed of the kill moments")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes of the build")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--no-write", action="store_true", help="print only")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Run the trials and report."""
    args = parse_args(argv)
    corpus = args.corpus or ([DEFAULT_CORPUS] if DEFAULT_CORPUS.exists() else [])
    total = args.articles + args.articles // 2
    if corpus:
        articles = corpus_articles(corpus, total)
        origin = f"the first {len(articles)} articles of {', '.join(p.name for p in corpus)}"
    else:
        articles = synthetic_articles(total, seed=args.seed)
        origin = f"{total} synthetic articles"
    workdir = Path(tempfile.mkdtemp(prefix="crash-"))
    try:
        print(f"indexing version 0 and 1 of {origin} ...", file=sys.stderr)
        versions = prepare_versions(workdir, archive_versions(articles, args.articles), args.jobs)
        shutil.copytree(versions.base, workdir / "timed")
        started = time.monotonic()
        if run_build([versions.archive], workdir / "timed", args.jobs).returncode != 0:
            raise SystemExit("the uncrashed build failed")
        duration = time.monotonic() - started
        rng = random.Random(args.seed)
        plan = [(rng.uniform(0, duration), n % 2 == 0) for n in range(2 * args.trials)]
        plan += [(None, True)] * args.commit_trials
        trials = []
        for number, (delay, group) in enumerate(plan, 1):
            trial = run_trial(versions, workdir, delay, group)
            print(f"{number}/{len(plan)}: {trial}", file=sys.stderr)
            trials.append(trial)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    given = sys.argv[1:] if argv is None else argv
    command = shlex.join(["python", "bench/crash.py", *given])
    body = (
        f"{machine_summary()} Engine: {engine_version()}.\n\n"
        f"Command: `{command}`. Archive: {origin}; version 0 holds "
        f"{len(versions.before.ids)} of them, version 1 {len(versions.after.ids)} (adds "
        f"{len(versions.after.ids - versions.before.ids)}, edits 3, drops 2). An uncrashed "
        f"build of version 1 into the index of version 0 takes {duration:.1f} s "
        f"(`--jobs {args.jobs}`); the random kills land uniformly in [0, {duration:.1f}] s "
        f"(seed {args.seed}). Tests: `tests/test_crash.py` kills at chosen points (while the "
        "workers index, once a segment is on disk, in the commit, after the new TOC); killing "
        "the indexer's process alone is problem 1 below.\n\n"
        f"{summary_table(trials)}\n\n{trial_table(trials)}\n"
    )
    print(summary_table(trials))
    if not args.no_write:
        write_reliability(args.out, "Crashes", body)


if __name__ == "__main__":
    main()
