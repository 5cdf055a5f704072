"""Incremental, parallel index build.

Plan in the main process (which inputs changed, which vanished), extract and segment in
worker processes (underthesea holds the GIL), write with the one Whoosh writer here, and
commit once: a build that dies leaves the previous commit intact and searchable.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from whoosh import index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import _DEF_INDEX_NAME
from whoosh.writing import CLEAR, SegmentWriter

from indexer.article import Article
from indexer.build_stats import BuildStats, source_name
from indexer.extract import ExtractionError, extract_article
from indexer.parallel import ChunkDone, commit_with_segments, index_in_workers
from indexer.schema import INDEX_FORMAT, Manifest, build_schema, to_document
from indexer.segment import segment_words
from indexer.sources import (
    Failure,
    RecordTask,
    SourceError,
    SourceFile,
    discover,
    is_under,
    read_jsonl,
    read_page,
)
from indexer.warc import load_capture
from indexer.warcplan import WarcPlan, plan_archives

log = logging.getLogger(__name__)
_SALT = INDEX_FORMAT.encode()
# Characters of an article's text that are indexed: a long report is some 100,000; beyond
# this is a dump, whose word segmentation alone would take minutes.
MAX_BODY_CHARS = 500_000


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


@dataclass
class _Plan:
    tasks: list[RecordTask] = field(default_factory=list)
    unchanged: int = 0
    seen: dict[str, str] = field(default_factory=dict)  # id -> source key
    first_at: dict[str, str] = field(default_factory=dict)  # id -> where it was first read
    failures: list[Failure] = field(default_factory=list)
    keep_sources: set[str] = field(default_factory=set)  # read partly: keep their old articles
    skipped: Counter[str] = field(default_factory=Counter)  # web archive records, by reason


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
    if index.exists_in(str(index_dir)):
        existing = index.open_dir(str(index_dir))
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


def _stamp(source: SourceFile) -> str:
    """A source's stamp as the index records it: a new INDEX_FORMAT makes every stamp stale."""
    return f"{INDEX_FORMAT}:{source.stamp}"


def _claim(plan: _Plan, record_id: str, source_key: str, location: str) -> bool:
    owner = plan.seen.get(record_id)
    if owner is not None:
        first = plan.first_at.get(record_id, owner)
        path, _, line = first.rpartition(":")
        where = f"at line {line}" if path == source_key and line.isdigit() else f"in {first}"
        plan.failures.append(Failure(location, f"duplicate id {record_id!r} (first {where})"))
        return False
    plan.seen[record_id] = source_key
    plan.first_at[record_id] = location
    return True


def _plan_source(plan: _Plan, source: SourceFile, known: dict[str, Manifest]) -> None:
    if source.kind == "jsonl":
        items: Iterable = read_jsonl(source, _SALT)
    else:
        try:
            items = [read_page(source, _SALT)]
        except (OSError, SourceError) as error:
            plan.failures.append(
                Failure(source.key, getattr(error, "strerror", None) or str(error))
            )
            plan.keep_sources.add(source.key)
            return
    for item in items:
        if isinstance(item, Failure):
            plan.failures.append(item)
            if item.truncated:
                plan.keep_sources.add(source.key)
            continue
        record, record_digest = item
        if not _claim(plan, record.id, source.key, record.location):
            continue
        old = known.get(record.id)
        if old is not None and old.digest == record_digest and old.source == source.key:
            plan.unchanged += 1
        else:
            plan.tasks.append(RecordTask(record, source.key, _stamp(source), record_digest))


def plan_build(
    sources: list[SourceFile], known: dict[str, Manifest], roots: list[Path] | None = None
) -> _Plan:
    """Decide what to (re)index: unchanged stamps skip a file unread, equal digests a record;
    web archives are planned together (``indexer.warcplan``)."""
    plan = _Plan()
    ids_by_source: dict[str, list[str]] = {}
    for manifest in known.values():
        if not manifest.sources:
            ids_by_source.setdefault(manifest.source, []).append(manifest.id)
    for source in sources:
        if source.kind == "warc":
            continue
        old_ids = ids_by_source.get(source.key, [])
        if old_ids and all(known[i].stamp == _stamp(source) for i in old_ids):
            plan.unchanged += len(old_ids)
            for record_id in old_ids:
                plan.seen.setdefault(record_id, source.key)
            continue
        _plan_source(plan, source, known)
    archives = [source for source in sources if source.kind == "warc"]
    _add_archives(plan, plan_archives(archives, known, roots or [], _stamp, _SALT))
    return plan


def _add_archives(plan: _Plan, archives: WarcPlan) -> None:
    """Merge the web archives' plan into the build's; an id taken by a page fails."""
    plan.unchanged += archives.unchanged
    plan.failures += archives.failures
    plan.keep_sources |= archives.keep_sources
    plan.skipped.update(archives.skipped)
    tasks = {task.record.id: task for task in archives.tasks}
    for record_id, source in archives.seen.items():
        task = tasks.get(record_id)
        location = task.record.location if task else source
        if _claim(plan, record_id, source, location) and task is not None:
            plan.tasks.append(task)


def vanished_ids(plan: _Plan, known: dict[str, Manifest], roots: list[Path]) -> list[str]:
    """Indexed articles whose input is gone from the given folders or no longer holds them."""
    return [
        record_id
        for record_id, manifest in known.items()
        if record_id not in plan.seen
        and manifest.source not in plan.keep_sources
        and is_under(manifest.source, roots)
    ]


def extract_task(task: RecordTask) -> Article | Failure:
    """The article a planned record holds, or why it cannot be indexed."""
    record = task.record
    try:
        if record.capture is not None:
            record = load_capture(record)
        article = extract_article(record)
    except (ExtractionError, SourceError) as error:
        # The message may start with the location already: say it once.
        return Failure(record.location, str(error).removeprefix(f"{record.location}: "))
    if record.capture is not None:
        article = replace(article, captured=record.capture.captured, urls=list(record.capture.urls))
    if len(article.body) > MAX_BODY_CHARS:
        log.warning(
            "%s: text of %d characters: only the first %d are indexed",
            record.location,
            len(article.body),
            MAX_BODY_CHARS,
        )
        article = replace(article, body=_cut(article.body, MAX_BODY_CHARS))
    return article


def _cut(text: str, limit: int) -> str:
    """The text up to ``limit`` characters, ended at a paragraph (else a space) if one is near."""
    head = text[:limit]
    for mark in ("\n", " "):
        end = head.rfind(mark)
        if end > limit // 2:
            return head[:end]
    return head


def index_record(task: RecordTask) -> dict | Failure:
    """Extract, segment and turn one record into a Whoosh document (runs in a worker)."""
    article = extract_task(task)
    if isinstance(article, Failure):
        return article
    words = segment_words(article.title + "\n" + article.body)
    manifest = Manifest(article.id, task.source, task.stamp, task.digest, task.sources)
    return to_document(article, words, manifest)


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
) -> BuildReport:
    """Bring the index in ``index_dir`` up to date with the inputs under ``paths``."""
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
        return _build_locked(paths, index_dir, rebuild, jobs, progress, started)
    finally:
        lock.release()


def _build_locked(
    paths: list[Path],
    index_dir: Path,
    rebuild: bool,
    jobs: int | None,
    progress: bool,
    started: float,
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

        def on_chunk(done: ChunkDone) -> None:
            report.failures.extend(done.failures)
            report.indexed += len(done.indexed)
            for source, province, year in done.facts:
                report.stats.add_article(source_name(source, roots), province, year)
            for record_id in done.indexed:  # replaced: the old version goes
                if record_id in known:
                    writer.delete_by_term("id", record_id)
            bar.tick(len(done.indexed) + len(done.failures))

        segments = []
        if plan.tasks:
            segment_words("khởi động")  # load the model once, before forking: workers share it
            segments = index_in_workers(
                index_dir, plan.tasks, jobs or os.cpu_count() or 1, index_record, on_chunk
            )
        bar.close()
        for record_id in vanished_ids(plan, known, roots):
            writer.delete_by_term("id", record_id)
            report.deleted += 1
        if report.indexed or report.deleted or rebuild:
            commit_with_segments(writer, segments, CLEAR if rebuild else None)
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
