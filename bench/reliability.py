"""Hostile queries and load, for docs/reliability.md (issue 6).

    python bench/reliability.py CORPUS [CORPUS ...] [--seconds 60] [--connections 32]

Indexes the corpus (cached in bench/.cache/, as the other benchmarks do), then:

1. **Hostile queries**, in process: a seeded set of queries built to be expensive or strange
   (10,000-character pastes, hundreds of operators, unbalanced quotes and brackets, wildcards,
   field syntax, control characters, random Unicode) run through ``ArchiveSearch.search``;
   the time of each, and whether any raised.
2. **Load**: our app under gunicorn (as ``make run`` serves it) on 127.0.0.1, driven by wrk
   (or the bounded Python client) with ``--connections`` connections for ``--seconds`` over
   the benchmark query mix plus the hostile queries as URLs; requests/s, p50/p99, errors,
   and the server's memory sampled every second, to show whether it stays flat.

Writes the ``## Hostile queries`` and ``## Load`` sections of docs/reliability.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__" and not __package__:
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

import argparse
import http.client
import logging
import random
import shutil
import threading
import time
from urllib.parse import urlencode

import numpy as np

from bench.cli import add_common_arguments
from bench.corpus import ROOT, cache_folder, ensure_index, load_articles, setup_logging
from bench.http import gunicorn_server
from bench.load import HOST, Server, python_load, tree_rss, wrk_load
from bench.mix import build_mix
from bench.tables import fmt, percentiles, run_header, table, write_section

log = logging.getLogger("bench")
OUT = ROOT / "docs" / "reliability.md"
SYNTAX = ['"', "(", ")", "-", " OR ", " AND ", "NOT ", "|", "*", "?", "~2", "^3", ":",
          "title:", "\\", "570/QĐ-UBND", "QĐ 570", "quyết định số", "UBND", "chuyeenr",
          "d9o6i3", "%", "&", "<script>", "\x00", "\u0301", "\u200b", "\ufeff"]  # fmt: skip


def hostile_queries(words: list[str], count: int, seed: int) -> dict[str, list[str]]:
    """Queries by kind, built from the corpus's own words and query syntax."""
    rng = random.Random(seed)
    per = max(1, count // 7)

    def text(n: int) -> str:
        return " ".join(rng.choice(words) for _ in range(n))

    return {
        "paste of 10,000 characters": [text(2500)[:10_000] for _ in range(per)],
        "300 OR between words": [" OR ".join(rng.choices(words, k=300)) for _ in range(per)],
        "nested brackets and quotes": [
            "(" * 50 + text(20) + '"' * 7 + ")" * 20 + " -" + text(3) for _ in range(per)
        ],
        "wildcards and field syntax": [
            " ".join(f"*{w[:2]}* title:{w}" for w in rng.choices(words, k=20)) for _ in range(per)
        ],
        "syntax soup": ["".join(rng.choice(SYNTAX) for _ in range(200)) for _ in range(per)],
        "control characters": [
            "".join(chr(rng.randrange(0, 32)) + rng.choice(words) for _ in range(50))
            for _ in range(per)
        ],
        "random Unicode": [
            "".join(chr(rng.randrange(32, 0x2FFFF)) for _ in range(rng.randrange(1, 500)))
            .encode("utf-8", "ignore")
            .decode("utf-8")
            for _ in range(per)
        ],
    }


def time_hostile(index_dir: Path, queries: dict[str, list[str]]) -> tuple[str, int]:
    """Run each query in process; a Markdown table of times by kind, and how many raised."""
    from search_app.engine.index_handle import IndexHandle
    from search_app.engine.search import ArchiveSearch
    from search_app.results import SearchRequest

    search = ArchiveSearch(IndexHandle(index_dir))
    search.warm_up()
    rows, failures = [], 0
    everything: list[float] = []
    for kind, texts in queries.items():
        seconds = []
        for q in texts:
            started = time.perf_counter()
            try:
                search.search(SearchRequest(q=q))
            except Exception:  # a failure is what this measures; it must not stop the run
                log.exception("query raised: %r", q[:200])
                failures += 1
            seconds.append(time.perf_counter() - started)
        everything += seconds
        p = percentiles(seconds)
        rows.append([kind, str(len(texts)), fmt(p["p50"]), fmt(p["p99"]), fmt(p["max"])])
    p = percentiles(everything)
    rows.append(["**all**", str(len(everything)), fmt(p["p50"]), fmt(p["p99"]), fmt(p["max"])])
    search.handle.close()
    return table(["kind", "queries", "p50 ms", "p99 ms", "max ms"], rows), failures


class MemoryTimeline(threading.Thread):
    """The server tree's resident memory every second while the load runs."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.samples = pid, []
        self._stop_event = threading.Event()

    def run(self) -> None:
        started = time.monotonic()
        while not self._stop_event.is_set():
            self.samples.append((time.monotonic() - started, tree_rss(self.pid) / 2**20))
            self._stop_event.wait(1.0)

    def stop(self) -> list[tuple[float, float]]:
        self._stop_event.set()
        self.join()
        return self.samples


def _headers(server: Server) -> dict[str, str]:
    connection = http.client.HTTPConnection(HOST, server.port, timeout=30)
    try:
        connection.request("GET", "/search?q=a")
        response = connection.getresponse()
        response.read()
        return dict(response.getheaders())
    finally:
        connection.close()


def load_section(server: Server, urls: list[str], args, client: str) -> str:
    """Warm up, then load the server while sampling its memory."""
    drive = wrk_load if client == "wrk" else python_load
    if args.warmup_seconds > 0:
        drive(server, urls, args.connections, args.warmup_seconds)
    timeline = MemoryTimeline(server.process.pid)
    timeline.start()
    try:
        result = drive(server, urls, args.connections, args.seconds)
    finally:
        samples = timeline.stop()
    errors = result.non_2xx + result.connect + result.read + result.write + result.timeout
    mib = np.array([m for _, m in samples])
    thirds = np.array_split(mib, 3)
    headers = _headers(server)
    log.info("%.1f requests/s, %d errors", result.rps, errors)
    rows = [
        ["requests", f"{result.requests:,}"],
        ["requests/s", fmt(result.rps)],
        ["p50 / p99 ms", f"{fmt(result.p50_ms)} / {fmt(result.p99_ms)}"],
        ["errors (non-2xx, connect, read, write, timeout)", str(errors)],
        ["memory at start / middle / end, MiB (mean of each third)",
         " / ".join(fmt(float(part.mean()), 0) for part in thirds if len(part))],
        ["memory min / max, MiB", f"{fmt(float(mib.min()), 0)} / {fmt(float(mib.max()), 0)}"],
        ["Server header", headers.get("Server", "(none)")],
        ["Content-Security-Policy", headers.get("Content-Security-Policy", "(none)")],
    ]  # fmt: skip
    return table(["measure", "value"], rows)


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="bench/reliability.py", description=__doc__.split("\n\n")[0]
    )
    add_common_arguments(parser)
    parser.set_defaults(out=OUT)
    parser.add_argument("--seconds", type=float, default=60, help="load time (default 60)")
    parser.add_argument("--connections", type=int, default=32, help="connections (default 32)")
    parser.add_argument("--warmup-seconds", type=float, default=10, help="default 10")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--hostile", type=int, default=350, help="hostile queries (default 350)")
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run both measurements; returns the exit status (1 when a query raised or a request
    failed)."""
    args = build_parser().parse_args(argv)
    setup_logging(not args.quiet)
    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"
    paths = [p.resolve() for p in args.corpus]
    articles = load_articles(paths)
    index_dir = ensure_index(paths, cache_folder(paths, args.cache), args.jobs, args.rebuild)
    mix = build_mix(articles, args.queries, args.seed)
    words = sorted(
        {w for a in articles[:2000] for w in (a.title + " " + a.body[:500]).split() if w.isalpha()}
    )
    count = len(articles)
    del articles
    hostile = hostile_queries(words, args.hostile, args.seed)
    log.info("hostile queries: %d", sum(map(len, hostile.values())))
    hostile_table, raised = time_hostile(index_dir, hostile)
    urls = [q.url() for q in mix.queries]
    strange = [q for texts in hostile.values() for q in texts]
    urls += ["/search.json?" + urlencode({"q": q}) for q in strange[:: max(1, len(strange) // 40)]]
    with gunicorn_server(index_dir, args.workers).running() as server:
        load_table = load_section(server, urls, args, client)
    header = run_header() + f"- Index: {count:,} articles of {', '.join(p.name for p in paths)}\n"
    sections = {
        "Hostile queries": header
        + f"- Searched in process, one at a time; queries that raised: {raised}\n\n"
        + hostile_table,
        "Load": header
        + f"- gunicorn, {args.workers} workers; {client}, {args.connections} connections, "
        f"{args.seconds:g} s after {args.warmup_seconds:g} s of warm-up, cycling through "
        f"{len(urls)} URLs (the benchmark mix of bench/queries.py and about 40 of the hostile "
        "queries)\n\n" + load_table,
    }
    for title, body in sections.items():
        print(f"## {title}\n\n{body}\n")
        if not args.no_write:
            write_section(args.out, title, body)
    return 1 if raised else 0


if __name__ == "__main__":
    sys.exit(main())
