"""Incremental, parallel index build.

Plan in the main process (which inputs changed, which vanished), extract and segment in
worker processes (underthesea holds the GIL), write with the one Whoosh writer here, and
commit once: a build that dies leaves the previous commit intact and searchable.
"""

from __future__ import annotations

import logging
import os
import pickle
import shutil
import time
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from whoosh import index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import _DEF_INDEX_NAME
from whoosh.writing import CLEAR, SegmentWriter

from indexer.arrays.derive import write_for_segments
from indexer.arrays.store import remove_others
from indexer.build.cluster import index_on_cluster, open_cluster
from indexer.build.parallel import ChunkDone, commit_with_segments, index_in_workers
from indexer.build.plan import plan_build, vanished_ids
from indexer.build.schema import Manifest, build_schema, index_exists, open_index, to_document
from indexer.build.stats import BuildStats, source_name
from indexer.inputs.limits import cap_text
from indexer.inputs.loading import load_record
from indexer.inputs.sources import SourceError, discover
from indexer.pages.extract import extract_article
from indexer.records import Article, ExtractionError, Failure, RecordTask
from indexer.text.segment import paragraphs_of, segment_texts, segment_words
from indexer.text.segment_cache import DEFAULT_CACHE, CacheHooks, CacheSettings, build_cache

log = logging.getLogger(__name__)


class BuildError(Exception):
    """The build could not run at all (index locked, index folder unusable)."""


@dataclass
class BuildReport:
    """What a build did."""

    indexed: int = 0
    unchanged: int = 0
    deleted: int = 0
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0
    skipped: Counter[str] = field(default_factory=Counter)  # web archive records, by reason
    stats: BuildStats = field(default_factory=BuildStats)

    @property
    def failed(self) -> int:
        """How many inputs could not be indexed."""
        return len(self.failures)

    def summary(self) -> str:
        """One line for the end of a build."""
        skipped = ""
        if self.skipped:
            reasons = ", ".join(f"{reason} {count}" for reason, count in self.skipped.most_common())
            skipped = f", skipped {self.skipped.total()} archive records ({reasons})"
        return (
            f"indexed {self.indexed}, unchanged {self.unchanged}, deleted {self.deleted}, "
            f"failed {self.failed}{skipped} in {self.seconds:.1f} s"
        )


def _remove_segment_files(ix: index.Index, writer: SegmentWriter) -> None:
    """Delete what a cancelled writer left of its new segment (Whoosh leaves the files)."""
    prefix = writer.newsegment.segment_id() + "."
    for name in list(ix.storage.list()):
        if name.startswith(prefix):
            ix.storage.delete_file(name)


def open_or_create(index_dir: Path) -> index.Index:
    """Open the index in a folder, creating it (or recreating an older format) as needed."""
    index_dir.mkdir(parents=True, exist_ok=True)
    schema = build_schema()
    try:
        existing = open_index(index_dir) if index_exists(index_dir) else None
    except (ImportError, AttributeError, pickle.UnpicklingError) as error:
        raise BuildError(
            f"the index in {index_dir} was written by a version whose classes this one does "
            f"not have ({error}): move it away and build again"
        ) from error
    if existing is not None:
        if sorted(existing.schema.names()) == sorted(schema.names()):
            return existing
        log.warning("index in %s has an older format: rebuilding it", index_dir)
    return index.create_in(str(index_dir), schema)


def read_manifests(ix: index.Index) -> dict[str, Manifest]:
    """The manifest of every live article in the index, by id."""
    manifests: dict[str, Manifest] = {}
    with ix.reader() as reader:
        if not reader.has_column("manifest"):
            return manifests
        column = reader.column_reader("manifest")
        for docnum in reader.all_doc_ids():
            value = column[docnum]
            if value:
                manifest = Manifest.from_bytes(value)
                manifests[manifest.id] = manifest
    return manifests


def extract_task(task: RecordTask) -> Article | Failure:
    """The article a planned record holds, or why it cannot be indexed."""
    record = task.record
    try:
        record = load_record(record)  # a page file's bytes, a capture (unless cluster.py did)
        article = extract_article(record)
    except (ExtractionError, SourceError) as error:
        # The message may start with the location already: say it once.
        return Failure(record.location, str(error).removeprefix(f"{record.location}: "))
    if record.capture is not None:
        article = replace(article, captured=record.capture.captured, urls=list(record.capture.urls))
    return replace(article, body=cap_text(article.body, record.location))


def index_records(tasks: list[RecordTask]) -> list[dict | Failure]:
    """Extract, segment and turn records into Whoosh documents (runs in a worker), each step
    for all the records before the next: underthesea's model and our code each stay in the
    processor's caches for a whole step (record by record, the steps besides underthesea
    took ~0.5 ms an article more, 2.4 ms instead of 1.9 on VNTC)."""
    articles = [extract_task(task) for task in tasks]
    texts = [article.text for article in articles if not isinstance(article, Failure)]
    words = iter(segment_texts(texts))
    documents: list[dict | Failure] = []
    for task, article in zip(tasks, articles, strict=True):
        if isinstance(article, Failure):
            documents.append(article)
            continue
        manifest = Manifest(article.id, task.source, task.stamp, task.digest, task.sources)
        documents.append(to_document(article, next(words), manifest))
    return documents


def cached_words(hooks: CacheHooks, tasks: list[RecordTask]) -> dict[str, list[str]]:
    """The cached words of the paragraphs of ``tasks``' articles, found by the build's process
    for workers that cannot read the cache (a VNTC article takes ~0.3 ms to extract here,
    ~13 to segment there)."""
    paragraphs: list[str] = []
    for task in tasks:
        article = extract_task(task)
        if not isinstance(article, Failure):
            paragraphs.extend(paragraphs_of(article.text))
    return hooks.known(list(dict.fromkeys(paragraphs)))


class _Progress:
    """A progress bar on a terminal, nothing elsewhere."""

    def __init__(self, total: int, enabled: bool) -> None:
        self._bar = None
        if enabled and total:
            from tqdm import tqdm

            # A terminal that reports no size (0 rows) would hide the bar: assume 80x20.
            size = shutil.get_terminal_size((80, 20))
            self._bar = tqdm(
                total=total, unit=" articles", leave=False, ncols=size.columns, nrows=size.lines
            )

    def tick(self, count: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(count)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def build_index(
    paths: list[Path],
    index_dir: Path,
    rebuild: bool = False,
    jobs: int | None = None,
    progress: bool = False,
    segment_cache: CacheSettings = DEFAULT_CACHE,
    scheduler: str | None = None,
) -> BuildReport:
    """Bring the index in ``index_dir`` up to date with the inputs under ``paths`` (on the
    Dask cluster whose scheduler is at ``scheduler``, if given)."""
    started = time.perf_counter()
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BuildError(f"cannot create the index folder {index_dir}: {error}") from error
    # The lock first: two first builds of an empty folder must not both create the index.
    lock = FileStorage(str(index_dir)).lock(f"{_DEF_INDEX_NAME}_WRITELOCK")  # as ix.writer()
    if not lock.acquire(blocking=False):
        raise BuildError(
            f"another build is writing to {index_dir}; wait for it to finish and run again"
        )
    try:
        with open_cluster(scheduler) as cluster:  # an unreachable scheduler fails at once
            return _build_locked(
                paths, index_dir, rebuild, jobs, progress, started, segment_cache, cluster
            )
    finally:
        lock.release()


def _build_locked(
    paths: list[Path],
    index_dir: Path,
    rebuild: bool,
    jobs: int | None,
    progress: bool,
    started: float,
    segment_cache: CacheSettings = DEFAULT_CACHE,
    cluster=None,
) -> BuildReport:
    ix = open_or_create(index_dir)
    writer = SegmentWriter(ix, _lk=False, limitmb=64)
    try:
        sources, failures = discover(paths)
        known = {} if rebuild else read_manifests(ix)
        roots = [p.resolve() if p.exists() else p.absolute() for p in paths]
        plan = plan_build(sources, known, roots)
        report = BuildReport(
            unchanged=plan.unchanged, failures=failures + plan.failures, skipped=plan.skipped
        )
        bar = _Progress(len(plan.tasks), progress)

        segments = []
        # Opened only when there is something to index (it counts the builds that use it).
        cache = build_cache(index_dir, segment_cache) if plan.tasks else nullcontext()
        with cache as cache_hooks:

            def on_chunk(done: ChunkDone) -> None:
                report.failures.extend(done.failures)
                report.indexed += len(done.indexed)
                for source, province, year in done.facts:
                    report.stats.add_article(source_name(source, roots), province, year)
                for record_id in done.indexed:  # replaced: the old version goes
                    if record_id in known:
                        writer.delete_by_term("id", record_id)
                if cache_hooks is not None:
                    cache_hooks.received(done)
                bar.tick(len(done.indexed) + len(done.failures))

            if plan.tasks and cluster is not None:
                collect = cache_hooks is not None
                cached = None
                if collect and cache_hooks.holds_entries():  # else nothing to look up
                    cached = partial(cached_words, cache_hooks)
                segments = index_on_cluster(
                    cluster, index_dir, plan.tasks, on_chunk, collect, cached
                )
            elif plan.tasks:
                segment_words("khởi động")  # load the model before forking: workers share it
                segments = index_in_workers(
                    index_dir,
                    plan.tasks,
                    jobs or os.cpu_count() or 1,
                    index_records,
                    on_chunk,
                    cache_hooks,
                )
        plan.tasks.clear()  # indexed: their records go before the commit derives its arrays
        bar.close()
        for record_id in vanished_ids(plan, known, roots):
            writer.delete_by_term("id", record_id)
            report.deleted += 1
        if report.indexed or report.deleted or rebuild:
            committed: list[str] = []

            def write_arrays(final: list) -> None:
                committed.append(write_for_segments(index_dir, ix.storage, ix.schema, final))

            commit_with_segments(writer, segments, CLEAR if rebuild else None, write_arrays)
            # A server still mapping the previous commit's arrays keeps them until it moves on.
            remove_others(index_dir, set(committed))
        else:
            writer.cancel()
            _remove_segment_files(ix, writer)
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise
    for failure in report.failures:
        report.stats.add_failure(failure, roots)
    report.seconds = time.perf_counter() - started
    return report
