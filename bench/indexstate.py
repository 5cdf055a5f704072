"""What an index folder holds after a crash: does it open, which commit, which articles.

``read_state`` opens the folder the way the indexer and the app do (Whoosh's latest TOC, the
manifests, every stored document, and the app's per-commit arrays through ``IndexHandle``),
so a folder it reads without an error is one the app can serve.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index

from indexer.arrays.store import FOLDER as ARRAYS_FOLDER
from indexer.arrays.store import fingerprint
from indexer.build.builder import read_manifests
from indexer.text.segment_cache import FOLDER as SEGMENT_CACHE

INDEX_NAME = "MAIN"  # Whoosh's default index name: files MAIN_*, _MAIN_<generation>.toc


@dataclass
class IndexState:
    """One committed state of an index folder."""

    generation: int  # Whoosh's TOC generation: one more per commit
    digests: dict[str, str]  # article id -> digest of the record it was indexed from
    served: int  # articles the app's index handle sees
    stray: list[str] = field(default_factory=list)  # files no commit refers to

    @property
    def ids(self) -> set[str]:
        """The ids of the articles the commit holds."""
        return set(self.digests)


def stray_files(
    index_dir: Path, generation: int, segment_ids: set[str], arrays: str = ""
) -> list[str]:
    """Files of an index folder that its current commit does not use (left by a crash): the
    arrays of other commits too (``arrays/NAME``), though the last ones are kept on purpose.
    The segmentation cache is not part of a commit: it is never stray."""
    keep_prefixes = tuple(f"{segment_id}." for segment_id in segment_ids)
    stray = []
    for name in sorted(os.listdir(index_dir)):
        if name in (f"_{INDEX_NAME}_{generation}.toc", f"{INDEX_NAME}_WRITELOCK", SEGMENT_CACHE):
            continue
        if name.startswith(keep_prefixes):
            continue
        if name == ARRAYS_FOLDER:
            stray += [f"{name}/{a}" for a in sorted(os.listdir(index_dir / name)) if a != arrays]
            continue
        stray.append(name)
    return stray


def _served(index_dir: Path) -> int:
    from search_app.engine.index_handle import IndexHandle

    handle = IndexHandle(index_dir)
    try:
        with handle.current() as state:
            return int(state.tables.live.sum())
    finally:
        handle.close()


def read_state(index_dir: Path) -> IndexState:
    """Open an index folder as the indexer and the app do; raises if it cannot be read."""
    ix = index.open_dir(str(index_dir))
    generation = ix.latest_generation()
    segments = ix._segments()
    segment_ids = {segment.segment_id() for segment in segments}
    manifests = read_manifests(ix)
    with ix.searcher() as searcher:
        stored = list(searcher.all_stored_fields())  # reads every live document
    if {doc["id"] for doc in stored} != set(manifests) or len(stored) != len(manifests):
        raise ValueError(f"stored documents and manifests differ in {index_dir}")
    return IndexState(
        generation,
        {record_id: manifest.digest for record_id, manifest in manifests.items()},
        _served(index_dir),
        stray_files(index_dir, generation, segment_ids, fingerprint(segments)),
    )


def which_state(state: IndexState, before: IndexState, after: IndexState) -> str:
    """'before', 'after' or 'other': the committed state an index folder holds."""
    if state.digests == before.digests and state.generation == before.generation:
        return "before"
    if state.digests == after.digests and state.generation == after.generation:
        return "after"
    return "other"


@dataclass
class Versions:
    """An archive left at version 1, an index of version 0, and the states a build of
    version 1 into that index goes from and to."""

    archive: Path
    base: Path  # the index of version 0: copy it before building into it
    reference: Path  # the index of version 0 brought to version 1 by an uncrashed build
    before: IndexState
    after: IndexState


def prepare_versions(root: Path, files: tuple[dict, dict], jobs: int = 2) -> Versions:
    """Build version 0 of an archive (``files``: both versions' files) into ``root/base``, then
    leave the archive at version 1 and learn the state its build commits (``root/reference``)."""
    from bench.archives import write_tree
    from indexer.build.builder import build_index

    archive, base, reference = root / "archive", root / "base", root / "reference"
    write_tree(archive, files[0])
    build_index([archive], base, jobs=jobs)
    write_tree(archive, files[1])
    shutil.copytree(base, reference)
    build_index([archive], reference, jobs=jobs)
    before, after = read_state(base), read_state(reference)
    if before.ids == after.ids or after.generation != before.generation + 1:
        raise ValueError("version 1 of the archive must change the index in one commit")
    return Versions(archive, base, reference, before, after)
