"""HTTP load: our app under gunicorn against Datasette serving the same articles (issue 3).

    python bench/http.py CORPUS [CORPUS ...] [--seconds 60] [--connections 32]

Indexes the corpus (cached in bench/.cache/, as bench/queries.py does), draws the same query
mix, and drives it as URLs with ``--connections`` concurrent keep-alive connections for
``--seconds`` against, one after the other, our app (``gunicorn --workers 2
'search_app:create_app()'``, ``/search.json``) and Datasette serving the FTS5 database
(``/fts/articles.json?_search=...&_facet=province&_facet=year&_facet_array=topics``), both on
127.0.0.1. The load comes from wrk (Debian package ``wrk``) with a Lua script cycling through
the URLs, or, without wrk, from a bounded Python client. Reports requests/s, p50/p99, errors
and the servers' peak memory, and writes the ``## HTTP load`` section of docs/benchmarks.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__" and not __package__:
    # Run as a script: import from the repository root; bench/http.py must not shadow `http`.
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

import argparse
import logging
import shutil
from collections import Counter
from dataclasses import replace
from urllib.parse import urlencode

from bench.cli import add_common_arguments
from bench.corpus import (
    ROOT,
    cache_folder,
    ensure_fts,
    ensure_index,
    load_articles,
    setup_logging,
)
from bench.load import LoadResult, Server, run_load, spot_check
from bench.mix import KINDS, Mix, Query, build_mix
from bench.tables import fmt, run_header, table, write_section

log = logging.getLogger("bench")
SECTION = "HTTP load"
FACET_PARAMS = [("_facet", "province"), ("_facet", "year"), ("_facet_array", "topics")]


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="bench/http.py",
        description=__doc__.split("\n\n")[0] + " Numbers to stdout, progress to stderr.",
    )
    add_common_arguments(parser)
    parser.add_argument("--seconds", type=float, default=60, help="load per server (default 60)")
    parser.add_argument(
        "--connections", type=int, default=32, help="concurrent connections (default 32)"
    )
    parser.add_argument(
        "--warmup-seconds", type=float, default=10, help="load before measuring (default 10)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--client",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="load generator: wrk, the Python client, or wrk when installed (default auto)",
    )
    parser.add_argument(
        "--skip-datasette", action="store_true", help="measure our app only (no ratio)"
    )
    parser.add_argument(
        "--broad",
        default="chuyen doi so",
        help="a broad query sent alone to our app after the mix, as the mix is "
        "(default 'chuyen doi so'; '' for none)",
    )
    return parser


def datasette_url(query: Query, database: str = "fts") -> str:
    """The Datasette table URL doing our search page's work for one query."""
    pairs: list[tuple[str, str]] = []
    if query.q:
        pairs.append(("_search", query.q))
    else:
        pairs.append(("_sort_desc", "published"))  # our empty query lists newest first
    pairs += [("province", v) for v in query.province]
    pairs += [("year", v) for v in query.year]
    pairs += [("topics__arraycontains", v) for v in query.topic]
    pairs += [*FACET_PARAMS, ("_size", "10"), ("_nocol", "body")]
    return f"/{database}/articles.json?" + urlencode(pairs)


def gunicorn_server(index_dir: Path, workers: int) -> Server:
    """Our app under gunicorn, as `make run` serves it."""
    command = [
        sys.executable, "-m", "gunicorn", "--workers", str(workers),
        "--bind", "127.0.0.1:{port}", "search_app:create_app()",
    ]  # fmt: skip
    env = {"FLASK_INDEX_DIR": str(index_dir)}
    return Server(f"ours (gunicorn, {workers} workers)", command, env, ROOT, "/search.json?q=a")


def datasette_server(db: Path) -> Server:
    """Datasette serving the FTS5 database, immutable, with its default settings."""
    command = [
        sys.executable, "-m", "datasette", "serve", "-i", str(db),
        "--host", "127.0.0.1", "--port", "{port}",
    ]  # fmt: skip
    return Server("Datasette", command, {}, ROOT, f"/{db.stem}/articles.json?_size=1")


def _datasette_version() -> str:
    try:
        from importlib.metadata import version

        return version("datasette")
    except ImportError:
        return "?"


def results_section(results: list[LoadResult], alone: list[LoadResult] | None = None) -> str:
    """Requests/s, latency, errors and memory per server (and of single queries sent alone),
    and the throughput ratio on the mix."""
    rows = []
    for r in [*results, *(alone or [])]:
        socket_errors = r.connect + r.read + r.write + r.timeout
        rows.append(
            [
                r.name, fmt(r.rps), fmt(r.p50_ms), fmt(r.p99_ms), f"{r.requests:,}",
                r.non_2xx, f"{socket_errors} ({r.connect}/{r.read}/{r.write}/{r.timeout})",
                fmt(r.max_rss_mib, 0),
            ]
        )  # fmt: skip
    header = ["server", "requests/s", "p50 ms", "p99 ms", "requests", "non-2xx",
              "socket errors (connect/read/write/timeout)", "max RSS MiB"]  # fmt: skip
    text = table(header, rows)
    if len(results) == 2 and results[1].rps:
        text += f"\n\nThroughput ratio ours / Datasette: **{results[0].rps / results[1].rps:.2f}×**"
    return text


def spot_section(checks: list[dict]) -> str:
    """One connection, each URL once: status, Datasette facet time-outs, latency."""
    rows = [
        [c["name"], c["urls"], c["non_200"], c["facet_timeouts"], fmt(c["p50_ms"]),
         fmt(c["p99_ms"])]
        for c in checks
    ]  # fmt: skip
    header = ["server", "URLs", "non-200", "responses with facets timed out", "p50 ms", "p99 ms"]
    return table(header, rows)


def _summary(mix: Mix, articles: int, paths: list[Path], args: argparse.Namespace) -> str:
    kinds = Counter(q.kind for q in mix.queries)
    parts = ", ".join(f"{kinds[k]} {k}" for k in KINDS if kinds[k])
    corpus = ", ".join(f"`{p.name}`" for p in paths)
    return (
        f"- Corpus: {corpus}: {articles:,} articles\n"
        f"- URLs: the query mix of bench/queries.py, {len(mix.queries)} queries (seed "
        f"{mix.seed}): {parts}; cycled in order (one cursor shared by all connections)\n"
        f"- Load: {args.connections} connections for {args.seconds:g} s per server after a "
        f"{args.warmup_seconds:g} s warm-up, one server at a time\n"
        + (f"- Then the broad query `{args.broad}` alone, the same way\n" if args.broad else "")
    )


NOTES = """Notes:
- Ours: `gunicorn --workers 2 'search_app:create_app()'` (sync workers) with `FLASK_INDEX_DIR`,
  `GET /search.json?q=...&province=...` (top 10 hits with snippets + 3 facets with counts).
- Datasette {version}: `datasette serve -i fts.db` with default settings (`sql_time_limit_ms`
  1000, `facet_time_limit_ms` 200: a facet that takes longer is left out of the response and
  listed in `facets_timed_out`; the response is still 200). URL:
  `/fts/articles.json?_search=...&_facet=province&_facet=year&_facet_array=topics&_size=10&_nocol=body`
  (filters as `province=`, `year=`, `topics__arraycontains=`; an empty query sorts by
  `published` descending). Datasette quotes each word (all must match) and 0.65's table view
  orders search results by rowid, not by relevance.
- Socket errors include wrk's time-outs (no response within 30 s). "max RSS" is the largest
  sum of the resident memory of the server process and its children, sampled every 0.5 s.
- The spot check, after the load, requests up to 100 URLs spread over the mix, once each,
  over one connection, and reads the JSON: non-200 answers and Datasette responses that list
  timed-out facets.
"""


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; returns the exit status."""
    args = build_parser().parse_args(argv)
    setup_logging(not args.quiet)
    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"
    paths = [p.resolve() for p in args.corpus]
    articles = load_articles(paths)
    if not articles:
        log.error("no articles in %s", ", ".join(map(str, paths)))
        return 1
    folder = cache_folder(paths, args.cache)
    index_dir = ensure_index(paths, folder, args.jobs, args.rebuild)
    db = ensure_fts(articles, folder)
    mix = build_mix(articles, args.queries, args.seed)
    summary = _summary(mix, len(articles), paths, args)
    del articles
    ours = gunicorn_server(index_dir, args.workers)
    servers = [(ours, [q.url() for q in mix.queries])]
    if not args.skip_datasette:
        servers.append((datasette_server(db), [datasette_url(q, db.stem) for q in mix.queries]))
    results, checks, alone = [], [], []
    for server, urls in servers:
        with server.running():
            results.append(run_load(server, urls, args, client))
            checks.append(spot_check(server, urls))  # warm by now: no first-request costs
            if server is ours and args.broad:
                broad = run_load(server, [Query("word", args.broad).url()], args, client)
                alone.append(replace(broad, name=f"ours, only `q={args.broad}`"))
    body = "\n\n".join(
        [
            run_header() + summary + f"- Client: {client}\n",
            "### Throughput and latency\n\n" + results_section(results, alone),
            "### Spot check (one connection, every URL once)\n\n" + spot_section(checks),
            NOTES.format(version=_datasette_version()),
        ]
    )
    print(f"## {SECTION}\n\n{body}")
    if not args.no_write:
        write_section(args.out, SECTION, body)
        log.info("wrote section %r of %s", SECTION, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
