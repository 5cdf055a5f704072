"""What a build must do: which records to (re)index, which are unchanged, which vanished.

A file whose stamp (size and mtime) the index already records for all its articles is not
read; a file that is read yields records, and a record whose digest (its bytes and
INDEX_FORMAT) the index holds is unchanged. Web archives are planned together
(``warcplan``). An id claimed twice is a failure that names where it was first read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from indexer.build.schema import INDEX_FORMAT, Manifest
from indexer.build.warcplan import WarcPlan, plan_archives
from indexer.inputs.sources import SourceError, SourceFile, is_under, read_jsonl, read_page
from indexer.records import Failure, Location, RecordTask

SALT = INDEX_FORMAT.encode()  # in every record digest: a new format makes them all stale


@dataclass
class Plan:
    """What a build will do."""

    tasks: list[RecordTask] = field(default_factory=list)
    unchanged: int = 0
    seen: dict[str, str] = field(default_factory=dict)  # id -> source key
    first_at: dict[str, Location] = field(default_factory=dict)  # id -> where first read
    failures: list[Failure] = field(default_factory=list)
    keep_sources: set[str] = field(default_factory=set)  # read partly: keep their old articles
    skipped: Counter[str] = field(default_factory=Counter)  # web archive records, by reason


def source_stamp(source: SourceFile) -> str:
    """A source's stamp as the index records it: a new INDEX_FORMAT makes every stamp stale."""
    return f"{INDEX_FORMAT}:{source.stamp}"


def _claim(plan: Plan, record_id: str, source_key: str, location: Location) -> bool:
    """Take an id for the record at ``location``; False (and a failure) when it is taken."""
    owner = plan.seen.get(record_id)
    if owner is not None:
        first = plan.first_at.get(record_id, Location(owner))
        same_file = first.path == source_key and first.line is not None
        where = f"at line {first.line}" if same_file else f"in {first}"
        plan.failures.append(Failure(location, f"duplicate id {record_id!r} (first {where})"))
        return False
    plan.seen[record_id] = source_key
    plan.first_at[record_id] = location
    return True


def _plan_source(plan: Plan, source: SourceFile, known: dict[str, Manifest]) -> None:
    if source.kind == "jsonl":
        items: Iterable = read_jsonl(source, SALT)
    else:
        try:
            items = [read_page(source, SALT)]
        except (OSError, SourceError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            plan.failures.append(Failure(Location(source.key), reason))
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
            # Its text is read again when it is indexed (``inputs/loading.py``): the plan of
            # a large archive holds ids and places, not articles.
            record = replace(record, content=b"", fields={}, reread_from=str(source.path))
            plan.tasks.append(RecordTask(record, source.key, source_stamp(source), record_digest))


def plan_build(
    sources: list[SourceFile], known: dict[str, Manifest], roots: list[Path] | None = None
) -> Plan:
    """Decide what to (re)index: unchanged stamps skip a file unread, equal digests a record;
    web archives are planned together (``warcplan``)."""
    plan = Plan()
    ids_by_source: dict[str, list[str]] = {}
    for manifest in known.values():
        if not manifest.sources:
            ids_by_source.setdefault(manifest.source, []).append(manifest.id)
    for source in sources:
        if source.kind == "warc":
            continue
        old_ids = ids_by_source.get(source.key, [])
        if old_ids and all(known[i].stamp == source_stamp(source) for i in old_ids):
            plan.unchanged += len(old_ids)
            for record_id in old_ids:
                plan.seen.setdefault(record_id, source.key)
            continue
        _plan_source(plan, source, known)
    archives = [source for source in sources if source.kind == "warc"]
    _add_archives(plan, plan_archives(archives, known, roots or [], source_stamp, SALT))
    return plan


def _add_archives(plan: Plan, archives: WarcPlan) -> None:
    """Merge the web archives' plan into the build's; an id taken by a page fails."""
    plan.unchanged += archives.unchanged
    plan.failures += archives.failures
    plan.keep_sources |= archives.keep_sources
    plan.skipped.update(archives.skipped)
    tasks = {task.record.id: task for task in archives.tasks}
    for record_id, source in archives.seen.items():
        task = tasks.get(record_id)
        location = task.record.location if task else Location(source)
        if _claim(plan, record_id, source, location) and task is not None:
            plan.tasks.append(task)


def vanished_ids(plan: Plan, known: dict[str, Manifest], roots: list[Path]) -> list[str]:
    """Indexed articles whose input is gone from the given folders or no longer holds them."""
    return [
        record_id
        for record_id, manifest in known.items()
        if record_id not in plan.seen
        and manifest.source not in plan.keep_sources
        and is_under(manifest.source, roots)
    ]
