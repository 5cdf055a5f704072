"""Which web archive captures become articles, and what an incremental build redoes.

Duplicates are decided over all the WARC and ARC files of the index together:
- the same URL (``indexer.inputs.warc.url_key``: scheme, ``www.`` and tracking parameters
  aside) captured more than once: the newest capture (WARC-Date; on a tie the later record)
  is the article;
- the same body under several URLs: one article, whose id is the shortest of the URLs,
  keeping all of them (``Article.urls``);
- pages that are only nearly the same are left to the search side, which groups them by
  their MinHash shingles (``indexer.text.similarity``, ``search_app.engine.duplicates``).

Incremental builds: each article from a web archive records in its manifest the files its
URLs were captured in, with their stamps, and the first article records every file (one read
only partly without a stamp). When every file is recorded with its current stamp and none
recorded under the given paths has vanished, no archive is read. Otherwise every archive is
scanned again (headers and body digests, no extraction, which is the cheap part), and only
the articles whose capture, URLs or files changed are extracted and indexed again. A file
that cannot be read to its end is scanned, and reported, on every build until it can be;
its articles stay meanwhile.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from indexer.build.schema import Manifest
from indexer.inputs.sources import SourceFile, digest, is_under, reopen
from indexer.inputs.warc import Capture, scan_archive
from indexer.records import CaptureRef, Failure, Location, RawRecord, RecordTask

OLDER = "older capture"
SAME_TEXT = "same text as another URL"


@dataclass(frozen=True)
class Group:
    """One article from web archives: a capture, and every URL that served its body."""

    id: str
    capture: Capture  # the one to extract
    urls: tuple[str, ...]  # target URIs, the capture's own first
    sources: dict[str, str]  # every file holding a capture of these URLs -> its stamp


@dataclass
class WarcPlan:
    """What to do about the web archives, for ``plan.plan_build``."""

    tasks: list[RecordTask] = field(default_factory=list)
    unchanged: int = 0
    seen: dict[str, str] = field(default_factory=dict)  # id -> source key
    failures: list[Failure] = field(default_factory=list)
    keep_sources: set[str] = field(default_factory=set)  # read partly: keep their articles
    skipped: Counter[str] = field(default_factory=Counter)  # records not indexed, by reason


def newest_captures(captures: list[Capture]) -> tuple[dict[str, Capture], dict[str, set[str]]]:
    """The newest capture of each URL key, and the files holding any capture of it.

    ``captures`` come in reading order, so that on equal dates the later record wins.
    """
    newest: dict[str, Capture] = {}
    files: dict[str, set[str]] = {}
    for capture in captures:
        files.setdefault(capture.key, set()).add(capture.source)
        best = newest.get(capture.key)
        if best is None or capture.captured >= best.captured:
            newest[capture.key] = capture
    return newest, files


def _canonical(capture: Capture) -> tuple[int, str]:
    return len(capture.key), capture.key


def resolve(captures: list[Capture], stamps: dict[str, str]) -> tuple[list[Group], Counter[str]]:
    """The articles a set of captures makes, by id, and how many captures each rule merged."""
    newest, files = newest_captures(captures)
    merged: Counter[str] = Counter({OLDER: len(captures) - len(newest)})
    by_body: dict[str, list[Capture]] = {}
    for capture in newest.values():
        by_body.setdefault(capture.payload, []).append(capture)
    groups = []
    for same in by_body.values():
        same.sort(key=_canonical)
        merged[SAME_TEXT] += len(same) - 1
        sources = {key: stamps[key] for c in same for key in sorted(files[c.key])}
        groups.append(Group(same[0].key, same[0], tuple(c.url for c in same), sources))
    groups.sort(key=lambda group: group.id)
    return groups, +merged


def _recorded(known: dict[str, Manifest]) -> dict[str, set[str]]:
    """Every file that web archive articles record, with the stamps they record for it."""
    recorded: dict[str, set[str]] = {}
    for manifest in known.values():
        for key, stamp in manifest.sources.items():
            recorded.setdefault(key, set()).add(stamp)
    return recorded


def _collection(sources: list[SourceFile], recorded: dict[str, set[str]]) -> list[SourceFile]:
    """The archives given plus those recorded by earlier builds that are still there."""
    given = {source.key for source in sources}
    again = [reopen(key) for key in sorted(recorded) if key not in given]
    found = sources + [s for s in again if s is not None and s.kind == "warc"]
    return sorted(found, key=lambda source: source.key)


def _task(group: Group, stamps: dict[str, str], salt: bytes) -> RecordTask:
    capture = group.capture
    ref = CaptureRef(capture.source, capture.offset, capture.url, capture.captured, group.urls)
    location = Location(capture.source, offset=capture.offset)
    record = RawRecord(group.id, "warc", location, capture=ref)
    parts = (capture.payload, capture.url, capture.captured, "\n".join(group.urls))
    record_digest = digest(salt, *(part.encode() for part in parts))
    return RecordTask(record, capture.source, stamps[capture.source], record_digest, group.sources)


def _unchanged(task: RecordTask, old: Manifest | None, anchor: bool) -> bool:
    if old is None or old.digest != task.digest or old.source != task.source:
        return False
    # The anchor records every file's stamp: a touched file must be recorded anew.
    return old.sources == task.sources if anchor else set(old.sources) == set(task.sources)


def plan_archives(
    sources: list[SourceFile],
    known: dict[str, Manifest],
    roots: list[Path],
    stamp: Callable[[SourceFile], str],
    salt: bytes,
) -> WarcPlan:
    """Decide what to (re)index of the web archives ``sources`` (and those recorded before)."""
    plan = WarcPlan()
    recorded = _recorded(known)
    collection = _collection(sources, recorded)
    stamps = {source.key: stamp(source) for source in collection}
    present = set(stamps)
    vanished = [key for key in recorded if key not in present and is_under(key, roots)]
    if all(stamps[key] in recorded.get(key, ()) for key in stamps) and not vanished:
        given = {source.key for source in sources}
        for record_id, manifest in known.items():
            if manifest.sources:
                plan.seen[record_id] = manifest.source
                plan.unchanged += manifest.source in given
        return plan
    captures: list[Capture] = []
    for source in collection:
        scan = scan_archive(source)
        captures += scan.captures
        plan.skipped.update(scan.skipped)
        if scan.failure is not None:
            plan.failures.append(scan.failure)
            plan.keep_sources.add(source.key)
    # A file read only partly is recorded with no stamp: the next build scans it again.
    record_stamps = {
        key: "" if key in plan.keep_sources else value for key, value in stamps.items()
    }
    groups, merged = resolve(captures, record_stamps)
    plan.skipped.update(merged)
    for number, group in enumerate(groups):
        if number == 0:  # the anchor: every file, so that an unchanged set is recognised
            group = Group(group.id, group.capture, group.urls, record_stamps)
        task = _task(group, stamps, salt)
        plan.seen[group.id] = task.source
        if _unchanged(task, known.get(group.id), anchor=number == 0):
            plan.unchanged += 1
        else:
            plan.tasks.append(task)
    return plan
