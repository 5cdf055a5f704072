"""Worker processes that extract, segment and write their own Whoosh segments.

underthesea holds the GIL, so it runs in worker processes, and so does the writing: each
worker takes chunks of records, turns them into documents and adds them to segments of its
own (``segment_writer.BulkSegmentWriter``, without the lock, as Whoosh's own multiprocessing
writer does), a new one whenever it holds ``SEGMENT_LIMIT_MB`` of postings. The parent
holds the index lock, applies deletions, and commits the workers' segments together with
the existing ones in one new TOC: until that commit, readers see the previous index, and a
crash leaves only orphan files that the next commit removes.
"""

from __future__ import annotations

import ctypes
import gc
import itertools
import logging
import multiprocessing
import os
import queue
import signal
import threading
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from whoosh.writing import SegmentWriter

from indexer.build.schema import open_index
from indexer.build.segment_writer import (
    BulkSegmentWriter,
    SegmentCodec,  # noqa: F401 - indexes written before it moved name it from here
    new_segment_writer,
)
from indexer.inputs.loading import load_records
from indexer.records import Failure, RecordTask

log = logging.getLogger(__name__)

CHUNK = 16  # records per message to a worker
# Postings a worker holds before it writes them as a segment and starts another (about 5.6 M
# postings, 10,000 VNTC articles); writing them takes about as much again for a moment. With
# 128 the tree of a vntc_train build peaked at 1,194 MiB (PSS) as both workers wrote their
# last segments; a segment of half the articles costs ~0.1 ms more an article to write.
SEGMENT_LIMIT_MB = 64


class WorkerHooks(Protocol):
    """What runs in each worker besides indexing (the segmentation cache's connection)."""

    def start(self) -> None:
        """In the worker, after the fork, before the first chunk."""

    def chunk_done(self, done: ChunkDone) -> None:
        """In the worker, after each chunk, before ``done`` is reported."""


class WorkerError(Exception):
    """A worker process failed; the build is abandoned and the index left as it was."""


@dataclass
class ChunkDone:
    """A worker's report on one chunk of records."""

    indexed: list[str] = field(default_factory=list)  # ids of the documents added
    failures: list[Failure] = field(default_factory=list)
    # (source, province, year) of each document added, for the build's statistics
    facts: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    # Segmentation cache entries made and keys used, for the build's process to write
    new_words: dict[bytes, bytes] = field(default_factory=dict)
    used_words: set[bytes] = field(default_factory=set)


_PR_SET_PDEATHSIG = 1  # prctl option: the signal a process gets when its parent dies


def _die_with(parent: int) -> None:
    """End this worker when the build process dies, even by SIGKILL: a worker left behind
    would hold the index lock it inherited and wait for work forever (Linux only)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the parent's own cleanup has to do
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def add_to_segment(writer: BulkSegmentWriter, document: dict | Failure, done: ChunkDone) -> None:
    """Add a record's document to a worker's segment and note it in ``done``, or note its
    failure."""
    if isinstance(document, Failure):
        done.failures.append(document)
        return
    writer.add_document(**document)
    done.indexed.append(document["id"])
    meta = document.get("meta") or {}
    done.facts.append((document["source"], meta.get("province"), document.get("year")))


def _worker(
    index_dir: str,
    tasks: multiprocessing.Queue,
    results: multiprocessing.Queue,
    make_documents: Callable[[list[RecordTask]], list[dict | Failure]],
    parent: int,
    hooks: WorkerHooks | None = None,
) -> None:
    """Index chunks from ``tasks`` into a new segment; put the segment on ``results``."""
    _die_with(parent)
    try:
        if hooks is not None:
            hooks.start()
        ix = open_index(index_dir)
        writer = new_segment_writer(ix)
        segments, added = [], False
        while (chunk := tasks.get()) is not None:
            done = ChunkDone()
            for document in make_documents(chunk):
                add_to_segment(writer, document, done)
            added = added or bool(done.indexed)
            if writer.held_mb() >= SEGMENT_LIMIT_MB:
                segments.append(writer._finalize_segment())
                writer, added = new_segment_writer(ix), False
            if hooks is not None:
                hooks.chunk_done(done)
            results.put(done)
        # Never writer.cancel() or commit(): they delete the temporary folder that all
        # writers of the index share. The parent's commit removes what is left over.
        if added:
            segments.append(writer._finalize_segment())
        else:
            writer._close_segment()
        results.put(("segments", segments))
    except BaseException:
        results.put(("error", traceback.format_exc()))


def _chunks(tasks: Iterator[RecordTask]) -> Iterator[list[RecordTask]]:
    while chunk := list(itertools.islice(tasks, CHUNK)):
        yield chunk


def _feed(
    tasks: list[RecordTask], inbox: multiprocessing.Queue, workers: int, stop: threading.Event
) -> None:
    # JSON Lines records are read again here, as the workers take them: never all at once.
    items = itertools.chain(_chunks(load_records(tasks)), [None] * workers)
    for item in items:
        while not stop.is_set():
            try:
                inbox.put(item, timeout=0.5)
                break
            except queue.Full:
                continue


def index_in_workers(
    index_dir: Path,
    tasks: list[RecordTask],
    jobs: int,
    make_documents: Callable[[list[RecordTask]], list[dict | Failure]],
    on_chunk: Callable[[ChunkDone], None],
    hooks: WorkerHooks | None = None,
) -> list:
    """Index ``tasks`` in up to ``jobs`` processes; returns the new Whoosh segments."""
    workers = max(1, min(jobs, -(-len(tasks) // CHUNK)))
    context = multiprocessing.get_context("fork")
    inbox = context.Queue(maxsize=workers * 4)
    outbox = context.Queue()
    processes = [
        context.Process(
            target=_worker,
            args=(str(index_dir), inbox, outbox, make_documents, os.getpid(), hooks),
            daemon=True,
        )
        for _ in range(workers)
    ]
    # The parent's objects move out of the collector's reach before the fork: a collection in
    # a worker would otherwise write to every one of them and copy their pages (the plan's
    # records, most of all) into each worker.
    gc.freeze()
    try:
        for process in processes:
            process.start()
    finally:
        gc.unfreeze()
    stop = threading.Event()
    feeder = threading.Thread(target=_feed, args=(tasks, inbox, workers, stop), daemon=True)
    feeder.start()
    segments: list = []
    finished = 0
    try:
        while finished < workers:
            try:
                message = outbox.get(timeout=1.0)
            except queue.Empty:
                if any(p.exitcode not in (None, 0) for p in processes):
                    raise WorkerError("a worker process died") from None
                continue
            if isinstance(message, ChunkDone):
                on_chunk(message)
            elif message[0] == "segments":
                finished += 1
                segments.extend(message[1])
            else:
                raise WorkerError(f"a worker failed:\n{message[1]}")
    finally:
        stop.set()
        if finished < workers:  # nobody will read what is still queued: don't wait to flush it
            inbox.cancel_join_thread()
        for process in processes:
            if finished < workers and process.is_alive():
                process.terminate()
            process.join()
        feeder.join()
    return segments


def commit_with_segments(
    writer: SegmentWriter,
    segments: list,
    mergetype=None,
    before_commit: Callable[[list], object] | None = None,
) -> None:
    """Commit the parent writer's deletions and merges together with the workers' segments
    (what ``SegmentWriter.commit`` does, plus the extra segments). ``before_commit`` gets the
    segments of the commit before it becomes visible."""
    final = writer._merge_segments(mergetype, False, True)
    if writer._added:  # the merge policy merged small segments into this writer
        final.append(writer._finalize_segment())
    else:
        writer._close_segment()
    if before_commit is not None:
        before_commit(final + segments)
    writer._commit_toc(final + segments)
    writer._finish()
