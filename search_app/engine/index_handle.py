"""One Whoosh searcher per process, reused across requests and refreshed after a build.

Opening a searcher costs about 200 ms and the per-document arrays seconds on a large archive,
so they live as long as the index does not change. At most once a second a request checks
for a newer commit; if there is one, a background thread loads it while requests go on with
the current one, which is then swapped out. Until a first build exists the handle raises
``IndexUnavailable``; if a newer commit cannot be opened the old one keeps serving.
"""

from __future__ import annotations

import logging
import os
import pickle
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from indexer.arrays.derive import arrays_for
from indexer.arrays.store import Arrays
from indexer.build.schema import build_schema, index_exists, open_index
from search_app.engine.duplicates import Signatures
from search_app.engine.facets import FacetTables
from search_app.engine.forward import ForwardStore
from search_app.engine.matching import SCORED_FIELDS, Engine
from search_app.engine.postings import PostingCache
from search_app.query.spelling import Vocabulary

log = logging.getLogger(__name__)
# What opening an index folder raises when its files are damaged, or were written by a
# version whose pickled classes this one does not have.
_UNREADABLE = (
    OSError,
    index.IndexError,
    EOFError,
    ValueError,
    ImportError,
    AttributeError,
    pickle.UnpicklingError,
)


class IndexUnavailable(Exception):
    """There is no index to search yet, or it cannot be opened."""


@dataclass
class IndexState:
    """Everything a request needs of one commit of the index."""

    searcher: Searcher
    arrays: Arrays  # the commit's derived arrays, mapped
    tables: FacetTables
    engine: Engine
    signatures: Signatures
    committed: float = 0.0  # when the commit was written (its table of contents' mtime)
    users: int = 0  # exports still reading it after a newer commit took its place
    _vocabulary: Vocabulary | None = field(default=None, repr=False)

    @property
    def vocabulary(self) -> Vocabulary:
        """The archive's vocabulary for the query repairs, over the mapped arrays, made on
        first use (most queries never need it). Take the handle's lock around it."""
        if self._vocabulary is None:
            self._vocabulary = Vocabulary.from_arrays(self.arrays)
        return self._vocabulary

    @classmethod
    def load(cls, searcher: Searcher, index_dir: Path) -> IndexState:
        """Map the arrays of the commit a searcher sees (derived first if they are missing)."""
        reader = searcher.reader()
        arrays = arrays_for(index_dir, reader, latest=searcher.up_to_date())
        tables = FacetTables.from_arrays(arrays)
        # Whoosh opens a segment's stored fields on first use; the next build's commit may
        # delete the files of segments it merges. Open them now, while they exist.
        for leaf, _ in reader.leaf_readers():
            if leaf.doc_count_all():
                leaf.stored_fields(0)
        lengths = {name: arrays[f"lengths_{name}"] for name in SCORED_FIELDS}
        postings = PostingCache(reader, tables.live, lengths, arrays)
        forward = ForwardStore(arrays)
        engine = Engine(postings, tables.live, forward)
        signatures = Signatures(arrays, forward)
        return cls(searcher, arrays, tables, engine, signatures, _commit_time(index_dir, reader))


def _commit_time(index_dir: Path, reader: IndexReader) -> float:
    """When a commit was written: the time of Whoosh's table of contents for its generation
    (``_MAIN_<generation>.toc``, the last file a commit writes); 0 when it cannot be read."""
    try:
        return (index_dir / f"_MAIN_{reader.generation()}.toc").stat().st_mtime
    except OSError:
        return 0.0


class IndexHandle:
    """The current state of an index folder."""

    def __init__(self, index_dir: Path, refresh_seconds: float = 1.0) -> None:
        self.index_dir = Path(index_dir)
        self.refresh_seconds = refresh_seconds
        self._lock = threading.RLock()
        self.lock = self._lock  # serializes use of the searcher (Whoosh's readers seek)
        self._state: IndexState | None = None
        self._pid = os.getpid()  # the process that opened the state
        self._checked = 0.0
        self._loading: threading.Thread | None = None

    def _open_searcher(self) -> Searcher:
        """A new searcher of the latest commit (not ``Searcher.refresh()``, which closes parts
        of the searcher requests may still be using)."""
        try:  # Whoosh opens an index to tell whether there is one
            if not index_exists(self.index_dir):
                raise IndexUnavailable(
                    f"no index in {self.index_dir}: build one with `python -m indexer`"
                )
            ix = open_index(self.index_dir)
        except _UNREADABLE as error:
            raise IndexUnavailable(
                f"the index in {self.index_dir} cannot be opened: {error}"
            ) from error
        missing = set(build_schema().names()) - set(ix.schema.names())
        if missing:
            raise IndexUnavailable(
                f"the index in {self.index_dir} was built by an older version (it has no "
                f"{', '.join(sorted(missing))}): rebuild it with `python -m indexer --rebuild`"
            )
        return ix.searcher()

    def _open(self) -> None:
        self._install(self._open_searcher())

    def _install(self, searcher: Searcher) -> None:
        self._install_state(IndexState.load(searcher, self.index_dir))

    def _install_state(self, state: IndexState) -> None:
        old, self._state = self._state, state
        if old is not None and not old.users:
            old.searcher.close()

    def _load_newer(self) -> None:
        try:
            state = IndexState.load(self._open_searcher(), self.index_dir)
        except (IndexUnavailable, *_UNREADABLE) as error:
            log.warning("keeping the current index: cannot open the newer one: %s", error)
            state = None
        with self._lock:
            self._loading = None
            if state is not None:
                self._install_state(state)

    def _refresh(self) -> None:
        assert self._state is not None
        if self._loading is not None:
            return
        try:
            fresh = self._state.searcher.up_to_date()
        except (OSError, index.IndexError, EOFError, ValueError) as error:
            log.warning("cannot check the index for a newer commit: %s", error)
            return
        if not fresh:
            self._loading = threading.Thread(target=self._load_newer, daemon=True)
            self._loading.start()

    @contextmanager
    def current(self) -> Iterator[IndexState]:
        """The newest loaded index state, held for the duration of a request."""
        with self._lock:
            now = time.monotonic()
            if self._pid != os.getpid():
                # Forked from the process that opened it (a server's workers): Whoosh's open
                # files would share their read positions with the parent's. Open it anew.
                self._state, self._loading, self._pid = None, None, os.getpid()
            if self._state is None:
                self._open()
                self._checked = now
            elif now - self._checked >= self.refresh_seconds:
                self._refresh()
                self._checked = now  # counted from the last check, not the last request
            assert self._state is not None
            yield self._state

    @contextmanager
    def pinned(self) -> Iterator[IndexState]:
        """The current state, kept open after a newer commit replaces it until the caller is
        done (a long export); take ``lock`` around each use of it."""
        with self.current() as state:
            state.users += 1
        try:
            yield state
        finally:
            with self._lock:
                state.users -= 1
                if state is not self._state and not state.users:
                    state.searcher.close()

    def wait_for_refresh(self, timeout: float = 30.0) -> None:
        """Wait until a background load (if one runs) is done."""
        loading = self._loading
        if loading is not None:
            loading.join(timeout)

    def close(self) -> None:
        """Close the searcher."""
        self.wait_for_refresh()
        with self._lock:
            if self._state is not None:
                self._state.searcher.close()
            self._state = None
