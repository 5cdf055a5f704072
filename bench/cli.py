"""The command-line options the query and HTTP benchmarks share."""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.corpus import DEFAULT_CACHE
from bench.tables import DEFAULT_OUT


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    """The options queries.py and http.py share: the corpus, the mix, the cache, the output."""
    parser.add_argument(
        "corpus",
        nargs="+",
        type=Path,
        metavar="CORPUS",
        help="archive JSON Lines files (.jsonl, .jsonl.gz) or folders to index",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the query mix (default 1)")
    parser.add_argument(
        "--queries", type=int, default=400, help="about how many queries in the mix (default 400)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="Markdown file whose section to replace (default docs/benchmarks.md)",
    )
    parser.add_argument("--no-write", action="store_true", help="print only; leave --out alone")
    parser.add_argument(
        "--cache",
        type=Path,
        default=DEFAULT_CACHE,
        help="cache folder for indexes and FTS5 databases (default bench/.cache)",
    )
    parser.add_argument(
        "--jobs", type=int, default=None, help="index build processes (default: all cores)"
    )
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="index the corpus again from scratch (after changing the engine without a new "
        "INDEX_FORMAT)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
