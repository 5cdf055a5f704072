"""Benchmark the index build against its floor: underthesea's word segmentation alone.

    python bench/build.py CORPUS.jsonl[.gz] [...] [--jobs N] [--index DIR] [--out FILE]

1. The floor: the same underthesea calls the build makes (``segment_words`` on each article's
   title and body) on the same text, over the same number of processes, and nothing else;
   measured before the full build and again after it, the ratio taken against the mean of
   the two (this shared machine's speed drifts by up to 10% within minutes).
2. The build: ``python -m indexer CORPUS --index DIR --rebuild``, the real command line, from
   scratch, with the peak memory of its whole process tree sampled from /proc: PSS (a page
   the workers share, such as the underthesea model loaded before the fork, counts once) and
   the sum of the processes' RSS (which counts it in each). RSS is read four times a second,
   PSS once a second or when RSS has grown 2% past its highest: the sampler takes ~1% of a
   core from the build it times (4.5% when it read PSS four times a second).
3. The same command again with nothing changed.
4. ``--rebuild`` again: every article indexed anew, its paragraphs' words read from the
   segmentation cache that the full build (2) filled.
5. With ``--dask``: the same full build with ``--scheduler`` on a Dask scheduler and one
   single-threaded worker process per job on this machine, against the local build; peak memory
   counts the scheduler and workers too. Written to the "Index build on Dask" section.
Prints the numbers and writes them to the "Index build" section of docs/benchmarks.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this folder comes first on sys.path, where bench/http.py would hide the
# standard library's http: put the project root there instead.
ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

import argparse
import multiprocessing
import os
import shutil
import subprocess
import threading
import time

from bench.dask_cluster import local_dask
from bench.procmem import descendants, rss, smaps_rollup
from bench.sections import machine_summary, write_section
from indexer.inputs.sources import Failure, discover, read_jsonl, read_page
from indexer.pages.extract import extract_article
from indexer.records import ExtractionError
from indexer.text.segment import segment_words
from indexer.text.segment_cache import cache_size


def load_texts(paths: list[Path]) -> list[str]:
    """The title and body of every article the build would index, as it segments them."""
    sources, _ = discover(paths)
    texts = []
    for source in sources:
        items = read_jsonl(source, b"") if source.kind == "jsonl" else [read_page(source, b"")]
        for item in items:
            if isinstance(item, Failure):
                continue
            try:
                article = extract_article(item[0])
            except ExtractionError:
                continue
            texts.append(article.text)
    return texts


def _segment(text: str) -> int:
    return len(segment_words(text))


def segmentation_floor(texts: list[str], jobs: int) -> float:
    """Seconds to segment ``texts`` over ``jobs`` processes."""
    segment_words("khởi động")  # load the model before forking, as the build does
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        for _ in pool.imap_unordered(_segment, texts, chunksize=16):
            pass
    return time.perf_counter() - started


def _pss(pid: int) -> int:
    """Proportional memory of one process, in bytes: a page shared by n processes counts 1/n
    (the underthesea model the workers share after the fork counts once in the tree)."""
    try:
        return smaps_rollup(pid).get("Pss", 0)
    except OSError:
        return 0


def run_build(args: list[str], others: list[int] = ()) -> tuple[float, tuple[int, int], str]:
    """Run the indexer; returns seconds, the peak PSS and RSS of its process tree (and of the
    trees of ``others``, e.g. Dask workers), and its summary."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "indexer", *args], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    peak_pss = peak_rss = 0

    def sample() -> None:
        # RSS is read four times a second; PSS (the kernel walks every page of each process,
        # 7 ms for a build's three) when RSS is 2% past its highest so far, else once a
        # second: read four times a second, it took 2% of the machine from the build.
        nonlocal peak_pss, peak_rss
        pss_read = 0.0
        while process.poll() is None:
            pids = [p for pid in (process.pid, *others) for p in descendants(pid)]
            tree_rss = sum(map(rss, pids))
            now = time.monotonic()
            if tree_rss > peak_rss * 1.02 or now - pss_read >= 1.0:
                peak_pss = max(peak_pss, sum(map(_pss, pids)))
                pss_read = now
            peak_rss = max(peak_rss, tree_rss)
            time.sleep(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    seconds = time.perf_counter() - started
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"indexer failed with status {process.returncode}")
    return seconds, (peak_pss, peak_rss), output.strip().splitlines()[-1]


def folder_size(folder: Path) -> int:
    """Bytes in a folder."""
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def main(argv: list[str] | None = None) -> None:
    """Measure and report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="+", type=Path, help="archive JSON Lines files")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--index", type=Path, default=ROOT / "bench" / ".cache" / "build-index")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--skip-floor", action="store_true", help="only time the build")
    parser.add_argument("--dask", action="store_true", help="also build on a local Dask cluster")
    args = parser.parse_args(argv)
    corpus = [p.resolve() for p in args.corpus]

    print("reading the corpus ...", file=sys.stderr)
    texts = load_texts(corpus)
    chars = sum(map(len, texts))
    floor = None
    if not args.skip_floor:
        print(
            f"segmentation floor: {len(texts)} articles on {args.jobs} processes ...",
            file=sys.stderr,
        )
        floor = segmentation_floor(texts, args.jobs)
        print(f"floor {floor:.1f} s", file=sys.stderr)

    shutil.rmtree(args.index, ignore_errors=True)
    common = [*map(str, corpus), "--index", str(args.index), "--jobs", str(args.jobs), "--quiet"]
    print("full build ...", file=sys.stderr)
    build_s, peak, summary = run_build([*common, "--rebuild"])
    print(summary, file=sys.stderr)
    floors = [floor] if floor else []
    if floor:
        print("segmentation floor again ...", file=sys.stderr)
        floors.append(segmentation_floor(texts, args.jobs))
        print(f"floor {floors[-1]:.1f} s", file=sys.stderr)
        floor = sum(floors) / len(floors)
    print("re-run with nothing changed ...", file=sys.stderr)
    rerun_s, _, rerun_summary = run_build(common)
    print(rerun_summary, file=sys.stderr)
    print("rebuild with the segmentation cache warm ...", file=sys.stderr)
    warm_s, warm_peak, warm_summary = run_build([*common, "--rebuild"])
    print(warm_summary, file=sys.stderr)
    cache = cache_size(args.index)

    rows = [
        ("articles", f"{len(texts):,}"),
        ("characters", f"{chars:,}"),
        (
            "segmentation floor (before, after the build)",
            " / ".join(f"{f:.1f} s" for f in floors) or "not measured",
        ),
        ("full build (`--rebuild`)", f"{build_s:.1f} s"),
        ("build / mean floor", f"{build_s / floor:.2f}" if floor else "n/a"),
        ("articles/s", f"{len(texts) / build_s:,.0f}"),
        ("characters/s", f"{chars / build_s:,.0f}"),
        ("peak memory (process tree, PSS)", f"{peak[0] / 2**20:,.0f} MiB"),
        ("peak memory (process tree, RSS summed)", f"{peak[1] / 2**20:,.0f} MiB"),
        ("index size", f"{(folder_size(args.index) - cache) / 2**20:,.0f} MiB"),
        ("re-run, nothing changed", f"{rerun_s:.1f} s"),
        ("rebuild, segmentation cache warm", f"{warm_s:.1f} s"),
        ("warm rebuild / full build", f"{warm_s / build_s:.2f}"),
        ("peak memory, warm rebuild (PSS)", f"{warm_peak[0] / 2**20:,.0f} MiB"),
        ("segmentation cache size", f"{cache / 2**20:,.1f} MiB"),
        ("cache size per 1,000 articles", f"{cache / len(texts) * 1000 / 2**20:,.2f} MiB"),
    ]
    table = "| measure | value |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in rows)
    for key, value in rows:
        print(f"{key:30s} {value}")
    command = "python bench/build.py " + " ".join(sys.argv[1:] if argv is None else argv)
    body = f"{machine_summary()}\n\nCommand: `{command}` ({args.jobs} processes)\n\n{table}\n"
    write_section(args.out, "Index build", body)
    if args.dask:
        dask_body = measure_dask(common, args.jobs, build_s, peak, args.index)
        header = f"{machine_summary()}\n\nCommand: `{command}`"
        write_section(args.out, "Index build on Dask", f"{header}\n\n{dask_body}")


def measure_dask(
    common: list[str], jobs: int, local_s: float, local_peak: tuple[int, int], index: Path
) -> str:
    """The full build on ``jobs`` local Dask workers against the local build; a section body."""
    shutil.rmtree(index, ignore_errors=True)
    print(f"full build on Dask, {jobs} workers ...", file=sys.stderr)
    with local_dask(jobs) as cluster:
        dask_s, peak, summary = run_build(
            [*common, "--rebuild", "--scheduler", cluster.address], cluster.pids
        )
    print(summary, file=sys.stderr)
    rows = [
        ("local full build", f"{local_s:.1f} s", f"{local_peak[0] / 2**20:,.0f} MiB"),
        (f"Dask full build, {jobs} workers", f"{dask_s:.1f} s", f"{peak[0] / 2**20:,.0f} MiB"),
        ("Dask / local", f"{dask_s / local_s:.2f}", ""),
    ]
    for row in rows:
        print(f"{row[0]:30s} {row[1]:>10s} {row[2]}")
    table = "| build | time | peak memory (all processes, PSS) |\n|---|---|---|\n"
    table += "\n".join(f"| {a} | {b} | {c} |" for a, b, c in rows)
    note = (
        f"Both on the same {jobs} cores: the scheduler, the workers (one thread each) and the "
        "indexer on 127.0.0.1, started as on a real cluster (`dask scheduler`, `dask worker`)."
    )
    return f"{note}\n\n{table}\n"


if __name__ == "__main__":
    main()
