"""Builds beside builds, beside the app, and on a full disk: the figures of docs/reliability.md.

    python bench/concurrent.py [CORPUS.jsonl[.gz] ...] [--articles N] [--pairs N]

On the archive of bench/crash.py (versions 0 and 1 of the corpus's first articles, by default
../shared/corpus/vntc_train.jsonl.gz, else synthetic):

1. **Concurrent builds**: ``--pairs`` times, two `python -m indexer` started at once, on the
   index of version 0 (an update) and on an empty folder (a first build): their exit
   statuses, their messages, and the state the index is left in.
2. **Serving during a build**: the app under gunicorn (2 workers, as `make run`) answering a
   client that asks back to back while version 1 is built; then whether, and when, it serves
   a new article: under the same steady load, and with requests 1.5 s apart.
3. **Full disk**: a 64 MiB tmpfs (root only; else a file size limit, `ulimit -f`) holding
   the index of version 0, filled until a given room is left, and the build of version 1.

Writes the "Concurrent builds", "Serving during a build" and "Full disk" sections.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    # Run as a script: import from the repository root (and never shadow the stdlib).
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

import argparse
import os
import shlex
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

import numpy as np

from bench.archives import archive_versions, corpus_articles, synthetic_articles
from bench.builds import ROOT, end_group, indexer_command, run_build, start_build
from bench.crash import DEFAULT_CORPUS
from bench.http import gunicorn_server
from bench.indexstate import Versions, prepare_versions, read_state, which_state
from bench.reliability_doc import DEFAULT_OUT, write_reliability
from bench.sections import machine_summary
from bench.tables import engine_version

SECTIONS = ["Concurrent builds", "Serving during a build", "Full disk"]
TESTS = {
    "Concurrent builds": "`tests/test_concurrency.py::test_two_builds_at_once_one_builds_the_"
    "other_exits_2`; two first builds of an empty folder can race (problem 4 below).",
    "Serving during a build": "`tests/test_concurrency.py`: `test_the_app_answers_during_a_"
    "build_and_serves_it_after_the_commit`, and, marked xfail, `test_a_busy_app_switches_to_"
    "the_new_commit` (problem 2 below) and `test_articles_of_the_served_commit_answer_while_a_"
    "newer_one_is_loaded` (problem 3).",
    "Full disk": "`tests/test_concurrency.py`: `test_a_full_disk_leaves_the_previous_index_"
    "intact` (a 4 MiB tmpfs), `test_a_full_disk_ends_the_build` (xfail, problem 5 below), and "
    "where no tmpfs can be mounted `test_write_errors_leave_the_previous_index_intact` "
    "(`ulimit -f`).",
}
QUERY = "/search.json?" + urllib.parse.urlencode({"q": "thông tin"})


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:140] if lines else ""


def _state(index_dir: Path, versions: Versions) -> str:
    try:
        state = read_state(index_dir)
    except Exception as error:  # reported, whatever it is
        return f"cannot open: {type(error).__name__}"
    if state.digests == versions.after.digests:
        return "version 1"
    return which_state(state, versions.before, versions.after)


def concurrent_builds(versions: Versions, workdir: Path, pairs: int) -> str:
    """Pairs of builds started together, on an existing index and on an empty folder."""
    rows = []
    for start in ("index of version 0", "empty folder"):
        outcomes: Counter[str] = Counter()
        states: Counter[str] = Counter()
        for _ in range(pairs):
            index_dir = workdir / "pair"
            shutil.rmtree(index_dir, ignore_errors=True)
            if start != "empty folder":
                shutil.copytree(versions.base, index_dir)
            builds = [start_build([versions.archive], index_dir) for _ in range(2)]
            for build in builds:
                out, err = build.communicate()
                end_group(build.pid)
                message = _last_line(err) if build.returncode else _last_line(out)[:8] + "…"
                message = message.replace(str(index_dir), "DIR")
                outcomes[f"exit {build.returncode}: `{message}`"] += 1
            states[_state(index_dir, versions)] += 1
        rows.append(
            f"| {start} | {pairs} | "
            + "<br>".join(f"{n} × {what}" for what, n in sorted(outcomes.items()))
            + " | "
            + ", ".join(f"{n} × {what}" for what, n in states.items())
            + " |"
        )
    header = "| builds started together on | pairs | the builds' exits | index afterwards |"
    return "\n".join([header, "|---|---:|---|---|", *rows])


def _get(base: str, path: str) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(base + path, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.perf_counter() - started


def _until_served(base: str, path: str, gap: float, limit: float) -> tuple[float | None, int]:
    """Seconds until ``path`` answers 200, asking every ``gap`` s (None: not in ``limit``)."""
    started = time.monotonic()
    asked = 0
    while time.monotonic() - started < limit:
        asked += 1
        if _get(base, path)[0] == 200:
            return time.monotonic() - started, asked
        time.sleep(gap)
    return None, asked


def _ms(seconds: list[float]) -> str:
    p50, p95 = np.percentile(np.asarray(seconds) * 1000, [50, 95])
    return f"{p50:.1f} / {p95:.1f}"


def serving(versions: Versions, workdir: Path, new_id: str) -> str:
    """The app under gunicorn during and after a build of version 1."""
    lines = []
    for load in ("steady", "paused"):
        index_dir = workdir / "served"
        shutil.rmtree(index_dir, ignore_errors=True)
        shutil.copytree(versions.base, index_dir)
        with gunicorn_server(index_dir, workers=2).running() as server:
            base = f"http://127.0.0.1:{server.port}"
            idle = [_get(base, QUERY)[1] for _ in range(50)]
            build = start_build([versions.archive], index_dir)
            during, statuses = [], Counter()
            while build.poll() is None:
                status, seconds = _get(base, QUERY)
                during.append(seconds)
                statuses[status] += 1
            build.communicate()
            end_group(build.pid)
            gap = 0.0 if load == "steady" else 1.5
            served, asked = _until_served(base, f"/article/{new_id}", gap, 30.0)
        when = "not within 30 s" if served is None else f"after {served:.1f} s"
        lines.append(
            f"| {load} ({'back to back' if not gap else 'a request every 1.5 s'}) "
            f"| {_ms(idle)} | {len(during)} | {_ms(during)} "
            f"| {', '.join(f'{n} × {s}' for s, n in sorted(statuses.items()))} "
            f"| {when} ({asked} requests) |"
        )
    header = (
        "| after the commit, requests | p50 / p95 ms, idle | requests during the build "
        "| p50 / p95 ms, during | statuses during | new article served |"
    )
    return "\n".join([header, "|---|---:|---:|---:|---|---|", *lines])


def _mount(disk: Path) -> bool:
    try:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(disk)], capture_output=True
        )
    except FileNotFoundError:
        return False
    return mounted.returncode == 0


def _size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def full_disk(versions: Versions, workdir: Path) -> str:
    """Builds of version 1 on a file system with little room left."""
    disk = workdir / "disk"
    disk.mkdir()
    if not _mount(disk):
        return _file_size_limit(versions, workdir)
    growth = _size(versions.reference) - _size(versions.base)
    rows = []
    try:
        for share in (0.0, 0.1, 0.5, 0.9, 1.0, 1.5):
            index_dir = disk / "ix"
            shutil.rmtree(index_dir, ignore_errors=True)
            shutil.copytree(versions.base, index_dir)
            stat = os.statvfs(disk)
            room = int(growth * share)
            filler = disk / "filler"
            filler.write_bytes(b"\0" * max(0, stat.f_bavail * stat.f_frsize - room))
            build = start_build([versions.archive], index_dir)
            try:
                out, err = build.communicate(timeout=120)
                ending = f"{build.returncode} | `{_last_line(err if build.returncode else out)}`"
            except subprocess.TimeoutExpired:
                end_group(build.pid)
                build.communicate()
                ending = "none | hung at exit (ended after 120 s): see the problems below"
            left = _state(index_dir, versions)
            stray = _size(index_dir) - _size(versions.base) if left == "before" else 0
            filler.unlink()
            rerun = run_build([versions.archive], index_dir)
            rows.append(
                f"| {room // 1024} KiB ({share:.0%}) | {ending} | {left} "
                f"| {stray // 1024} KiB | {rerun.returncode}: {_state(index_dir, versions)} |"
            )
    finally:
        subprocess.run(["umount", str(disk)], check=False)
    header = (
        f"A 64 MiB tmpfs; the build of version 1 adds {growth // 1024} KiB of segments.\n\n"
        "| room left | exit | last line | index after | left on the disk by the failed build "
        "| re-run once there is room |"
    )
    return "\n".join([header, "|---|---:|---|---|---:|---|", *rows])


def _file_size_limit(versions: Versions, workdir: Path) -> str:
    """The fallback without tmpfs: writes past 16 KiB per file fail with EFBIG."""
    index_dir = workdir / "limited"
    shutil.copytree(versions.base, index_dir)
    command = ["bash", "-c", 'ulimit -f 16 && exec "$@"', "bash"]
    command += indexer_command([versions.archive], index_dir)
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    left = _state(index_dir, versions)
    rerun = run_build([versions.archive], index_dir)
    return (
        "No tmpfs could be mounted: a file size limit (`ulimit -f 16`) made the build's writes "
        f"fail instead. Exit {result.returncode}, `{_last_line(result.stderr)}`; the index "
        f"after: {left}; a re-run without the limit: exit {rerun.returncode}, "
        f"{_state(index_dir, versions)}."
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="*", type=Path, help="archive JSON Lines files")
    parser.add_argument("--articles", type=int, default=240, help="articles of version 0")
    parser.add_argument("--pairs", type=int, default=10, help="pairs of builds started together")
    parser.add_argument(
        "--sections", nargs="+", choices=SECTIONS, default=SECTIONS, help="what to measure"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--no-write", action="store_true", help="print only")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Measure and report."""
    args = parse_args(argv)
    corpus = args.corpus or ([DEFAULT_CORPUS] if DEFAULT_CORPUS.exists() else [])
    total = args.articles + args.articles // 2
    articles = corpus_articles(corpus, total) if corpus else synthetic_articles(total)
    origin = f"{len(articles)} articles of {corpus[0].name}" if corpus else "synthetic articles"
    command = shlex.join(
        ["python", "bench/concurrent.py", *(sys.argv[1:] if argv is None else argv)]
    )
    head = (
        f"{machine_summary()} Engine: {engine_version()}.\n\nCommand: `{command}`. Archive: "
        f"{origin} (bench/archives.py: version 0 holds {args.articles}, version 1 adds "
        f"{total - args.articles}, edits 3, drops 2).\n\n"
    )
    workdir = Path(tempfile.mkdtemp(prefix="concurrent-"))
    try:
        versions = prepare_versions(workdir, archive_versions(articles, args.articles))
        measures = {
            "Concurrent builds": lambda: concurrent_builds(versions, workdir, args.pairs),
            "Serving during a build": lambda: serving(
                versions, workdir, articles[args.articles].id
            ),
            "Full disk": lambda: full_disk(versions, workdir),
        }
        for title in args.sections:
            table = measures[title]()
            print(f"## {title}\n\n{table}\n", flush=True)
            if not args.no_write:
                write_reliability(args.out, title, f"{head}{table}\n\nTests: {TESTS[title]}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
