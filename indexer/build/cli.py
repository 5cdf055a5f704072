"""python -m indexer [PATH ...] [--index DIR] [--rebuild] [--jobs N] [--scheduler ADDRESS]
[--quiet] [--dry-run] [--no-segment-cache] [--segment-cache-entries N]"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from indexer.build.builder import BuildError, build_index
from indexer.build.parallel import WorkerError
from indexer.build.preview import COLUMNS, describe, preview
from indexer.records import Failure
from indexer.text.segment_cache import DEFAULT_MAX_ENTRIES, CacheSettings

DEFAULT_ARCHIVE = Path("archive")
DEFAULT_INDEX = Path("index")


def build_parser() -> argparse.ArgumentParser:
    """The command line of the indexer."""
    parser = argparse.ArgumentParser(
        prog="python -m indexer",
        description=(
            "Build or update the search index from archive pages, JSON Lines exports and web "
            "archives (WARC, ARC)."
        ),
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        default=[DEFAULT_ARCHIVE],
        metavar="PATH",
        help="folders (walked recursively) or files to index (default: archive/)",
    )
    parser.add_argument(
        "--index",
        type=Path,
        default=DEFAULT_INDEX,
        metavar="DIR",
        help="index folder (default: index/)",
    )
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="index everything again instead of only what changed",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="worker processes for extraction and word segmentation (default: all cores)",
    )
    parser.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="run extraction, segmentation and segment writing on the Dask cluster of this "
        "scheduler (see README: Building on a Dask cluster)",
    )
    parser.add_argument(
        "--quiet", action="store_true", help="no progress bar, no warnings, no statistics"
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="print what would be indexed (id, date, province, topics, title; tab-separated) "
        "without writing the index",
    )
    parser.add_argument(
        "--no-segment-cache",
        action="store_true",
        help="segment every paragraph with underthesea, without reading or writing the "
        "segmentation cache (DIR/segment-cache/)",
    )
    parser.add_argument(
        "--segment-cache-entries",
        type=int,
        default=DEFAULT_MAX_ENTRIES,
        metavar="N",
        help="paragraphs the segmentation cache keeps, the least recently used going first "
        f"(default: {DEFAULT_MAX_ENTRIES:,})",
    )
    return parser


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the indexer's command line."""
    return build_parser().parse_args(argv)


def dry_run(args: argparse.Namespace) -> int:
    """Print what a build would index, one line per article, without writing the index."""
    result, items = preview(args.paths, args.index, rebuild=args.rebuild, jobs=args.jobs)
    print("\t".join(COLUMNS), flush=True)
    for item in items:
        if isinstance(item, Failure):
            print(f"skipped {item.location}: {item.reason}", file=sys.stderr, flush=True)
        else:
            print(describe(item), flush=True)
    if not args.quiet:
        for line in result.stats.lines():
            print(line, file=sys.stderr)
    print(result.summary(), file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run a build; exit status 1 only when nothing could be indexed."""
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.ERROR if args.quiet else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        force=True,
    )
    if args.dry_run:
        return dry_run(args)
    try:
        report = build_index(
            args.paths,
            args.index,
            rebuild=args.rebuild,
            jobs=args.jobs,
            progress=sys.stderr.isatty() and not args.quiet,
            segment_cache=CacheSettings(
                enabled=not args.no_segment_cache, max_entries=args.segment_cache_entries
            ),
            scheduler=args.scheduler,
        )
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except WorkerError as error:
        print(f"error: the build stopped, the index is as it was before: {error}", file=sys.stderr)
        return 1
    except OSError as error:  # a full disk, a folder gone: the last commit is still intact
        print(f"error: the build stopped, the index is as it was before: {error}", file=sys.stderr)
        return 1
    for failure in report.failures:
        print(f"skipped {failure.location}: {failure.reason}", file=sys.stderr)
    if not args.quiet:
        for line in report.stats.lines():
            print(line, file=sys.stderr)
    print(report.summary())
    nothing_indexed = report.indexed == 0 and report.unchanged == 0
    return 1 if nothing_indexed and (report.failed or not report.deleted) else 0
