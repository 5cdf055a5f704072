"""What a Dask worker runs for a build: a chunk of records in, a Whoosh segment's files out.

A task extracts, segments and writes its records into a fresh segment of a throwaway index in
a temporary folder on the worker (same schema and codec as the local build's workers), then
returns the segment with its files as bytes, so the machine holding the index needs no shared
file system; the words it segmented come back too, for the index machine's segmentation
cache, which a worker cannot read: the index machine sends the words it found there for the
chunk's paragraphs instead. A task keeps no state between runs: when Dask runs it again (its
worker died), it writes a new segment from scratch.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from whoosh import index

from indexer.build.builder import index_records
from indexer.build.parallel import ChunkDone, add_to_segment
from indexer.build.schema import INDEX_FORMAT, build_schema
from indexer.build.segment_writer import new_segment_writer
from indexer.records import RecordTask
from indexer.text.segment import use_word_cache
from indexer.text.segment_cache import CollectingCache, namespace


@dataclass
class ChunkResult:
    """A worker's answer for one chunk: its report, and its segment with the segment's files."""

    number: int  # the chunk's place in the build, so that a repeated answer is used once
    done: ChunkDone
    segment: object | None = None  # a Whoosh segment; None when no record was indexed
    files: dict[str, bytes] = field(default_factory=dict)  # file name after the segment id


def worker_versions() -> dict[str, str]:
    """What must match between the build's machine and a worker for identical indexes."""
    return {
        "Python": "{}.{}".format(*sys.version_info[:2]),
        "INDEX_FORMAT": INDEX_FORMAT,
        "underthesea": version("underthesea"),
        "whoosh": version("whoosh-reloaded"),
    }


def index_chunk(
    number: int,
    tasks: list[RecordTask],
    collect_words: bool = False,
    known_words: dict[str, list[str]] | None = None,
) -> ChunkResult:
    """Index ``tasks`` into a new segment in a temporary folder; return it with its files
    (and, with ``collect_words``, the segmentation cache entries of the paragraphs it
    segmented: those of ``known_words``, found in the cache by the index's machine, it does
    not segment again)."""
    with tempfile.TemporaryDirectory(prefix="indexer-chunk-") as folder:
        ix = index.create_in(folder, build_schema())
        writer = new_segment_writer(ix)
        done = ChunkDone()
        cache = CollectingCache(namespace(), known_words) if collect_words else None
        use_word_cache(cache)
        try:
            for document in index_records(tasks):
                add_to_segment(writer, document, done)
        finally:
            use_word_cache(None)
        if cache is not None:
            done.new_words, done.used_words = cache.take()
        if not done.indexed:
            writer._close_segment()
            return ChunkResult(number, done)
        segment = writer._finalize_segment()
        prefix = segment.segment_id()
        files = {
            path.name[len(prefix) :]: path.read_bytes()
            for path in Path(folder).iterdir()
            if path.name.startswith(prefix + ".")
        }
        ix.close()
        return ChunkResult(number, done, segment, files)
