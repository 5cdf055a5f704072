"""A content-addressed cache of word segmentation, kept beside the index.

underthesea is most of a build's time, and a paragraph's words depend only on its text,
underthesea's version and ``SEGMENTATION_VERSION``. So they are stored under a hash of the
three, in ``INDEX_DIR/segment-cache/words.sqlite``: a ``--rebuild``, a new ``INDEX_FORMAT``
or an article posted again segments only the paragraphs never seen before, and a cache
entry of another underthesea version is never found. A value is the words compressed with
the paragraph itself as zlib's dictionary (about 40 bytes for 230 bytes of words).

Bounded: at most ``max_entries`` paragraphs; each entry records the last build that used it,
and the least recently used go first. The workers only read it: what they segment and use
goes back to the build's process with their chunk's report, and that one process writes it,
in a transaction once it holds ``FLUSH_ENTRIES`` entries or, ``FLUSH_SECONDS`` after its last
write, an eighth as many as the file (the keys are hashes: each entry of a small batch
rewrites a page of its own, so the batches grow with the file): workers never wait for
each other's write lock, and a Dask worker, which cannot reach the file, fills it too and
gets the words the build's process finds for its chunk (``CollectingCache``,
``CacheHooks.known``). Safe against a kill: SQLite in WAL mode; a kill loses only the entries
not yet written. A file that cannot
be read is reported once, removed and started again; the cache never fails a build and
never changes what it indexes.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import sqlite3
import time
import zlib
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from indexer.text.segment import SEGMENTATION_VERSION, use_word_cache

log = logging.getLogger(__name__)

FOLDER = "segment-cache"  # inside the index folder; Whoosh and the app ignore it
FILE = "words.sqlite"
BROKEN = "BROKEN"  # left by a worker that found the file damaged: the build clears it
FORMAT = 1  # of the tables and values: another format is started afresh
DEFAULT_MAX_ENTRIES = 20_000_000  # paragraphs; ~1.1 million articles of 17.5 paragraphs
EVICT_TO = 0.9  # evicting makes room for a tenth of the bound at once
BUSY_MS = 60_000  # how long a writer waits for another's transaction
BATCH = 500  # keys per lookup (SQLite allows 32,766 parameters)
# The build's process writes what it holds when it holds FLUSH_ENTRIES entries (~20 MB), or
# FLUSH_SECONDS after its last write if it holds 1/FLUSH_SHARE as many as the file. Written
# every 2 s, the entries took 16 µs each (337,000 arriving at a vntc_train build's rate:
# 5.5 s of CPU) and 23 µs each at 1.5 million; held until they are an eighth of the file,
# 6.2 and 6.9 µs (in the real build: 4.6 -> 1.9 s).
FLUSH_ENTRIES = 100_000
FLUSH_SECONDS = 2.0
FLUSH_SHARE = 8
_DAMAGED = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS words (
    key BLOB PRIMARY KEY, words BLOB NOT NULL, used INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS words_used ON words (used);
INSERT OR IGNORE INTO meta VALUES ('format', {format}), ('generation', 0), ('entries', 0);
"""


@dataclass(frozen=True)
class CacheSettings:
    """Whether a build uses the segmentation cache, and its bound in paragraphs."""

    enabled: bool = True
    max_entries: int = DEFAULT_MAX_ENTRIES


DEFAULT_CACHE = CacheSettings()


def cache_file(index_dir: Path) -> Path:
    """Where the segmentation cache of an index lives."""
    return Path(index_dir) / FOLDER / FILE


def namespace(underthesea: str | None = None) -> bytes:
    """What a key hashes besides the paragraph: underthesea's version and ours."""
    underthesea = underthesea or version("underthesea")
    return f"underthesea {underthesea}\0segmentation {SEGMENTATION_VERSION}\0".encode()


def paragraph_key(space: bytes, paragraph: str) -> bytes:
    """The key of a paragraph's words: a 128-bit hash of the namespace and the text."""
    return hashlib.blake2b(space + paragraph.encode("utf-8"), digest_size=16).digest()


def pack_words(paragraph: str, words: list[str]) -> bytes:
    """The words, compressed against the paragraph they come from."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zdict=paragraph.lower().encode("utf-8"))
    return packer.compress(" ".join(words).encode("utf-8")) + packer.flush()


def unpack_words(paragraph: str, blob: bytes) -> list[str]:
    """The words ``pack_words`` packed; raises zlib.error when they do not unpack."""
    unpacker = zlib.decompressobj(-15, zdict=paragraph.lower().encode("utf-8"))
    text = (unpacker.decompress(blob) + unpacker.flush()).decode("utf-8")
    return text.split(" ") if text else []


def is_damaged(error: sqlite3.Error) -> bool:
    """Whether an error says the file is not a sound database (rather than busy or full)."""
    return getattr(error, "sqlite_errorcode", None) in _DAMAGED


def connect(path: Path) -> sqlite3.Connection:
    """A connection in WAL mode with the tables made; transactions are explicit."""
    connection = sqlite3.connect(path, isolation_level=None, timeout=BUSY_MS / 1000)
    try:
        connection.execute("PRAGMA journal_mode = WAL")  # a kill loses no committed chunk
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        if "meta" in tables and _meta(connection, "format") != FORMAT:
            connection.executescript("DROP TABLE IF EXISTS words; DROP TABLE IF EXISTS meta;")
        connection.executescript(_SCHEMA.format(format=FORMAT))
    except BaseException:
        connection.close()
        raise
    return connection


def _meta(connection: sqlite3.Connection, name: str) -> int:
    row = connection.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
    return row[0] if row else 0


def evict(connection: sqlite3.Connection, max_entries: int) -> int:
    """Within a transaction: if over ``max_entries``, delete the least recently used down to
    ``EVICT_TO`` of it; returns how many entries went."""
    entries = _meta(connection, "entries")
    if entries <= max_entries:
        return 0
    excess = entries - int(max_entries * EVICT_TO)
    before = connection.total_changes
    connection.execute(
        "DELETE FROM words WHERE key IN (SELECT key FROM words ORDER BY used LIMIT ?)", (excess,)
    )
    gone = connection.total_changes - before
    connection.execute("UPDATE meta SET value = value - ? WHERE name = 'entries'", (gone,))
    return gone


class CollectingCache:
    """A ``WordCache`` that finds only the words it is given and keeps what is segmented,
    packed and keyed as the cache file holds it, until ``take`` hands it on: a Dask worker,
    far from the cache file, gets the words the index's machine found for its chunk
    (``CacheHooks.known``) and hands its new entries back with the chunk's report."""

    def __init__(self, space: bytes, known: dict[str, list[str]] | None = None) -> None:
        self._space = space
        self._known = known or {}
        self._new: dict[bytes, bytes] = {}
        self._used: set[bytes] = set()

    def get_many(self, paragraphs: list[str]) -> dict[str, list[str]]:
        known = self._known
        return {p: known[p] for p in paragraphs if p in known}

    def put(self, paragraph: str, words: list[str]) -> None:
        """Keep the words of a paragraph just segmented."""
        self._new[paragraph_key(self._space, paragraph)] = pack_words(paragraph, words)

    def take(self) -> tuple[dict[bytes, bytes], set[bytes]]:
        """The new entries and the keys used since the last ``take``, no longer held here."""
        new, used = self._new, self._used
        self._new, self._used = {}, set()
        return new, used


class SegmentCache(CollectingCache):
    """One process's connection to the cache: ``segment_words``'s ``WordCache``.

    Lookups read at once; new words and the use of old ones are held until ``take`` hands
    them to another process or ``flush`` writes them, in one transaction. An error stops
    this process from using the cache (a damaged file is marked for the build to clear),
    never the build."""

    def __init__(self, path: Path, generation: int, max_entries: int, space: bytes) -> None:
        super().__init__(space)
        self._path = path
        self._generation = generation
        self._max_entries = max_entries
        self._entries: int | None = None  # in the file, as of this process's last write
        self._connection: sqlite3.Connection | None = None
        try:
            self._connection = sqlite3.connect(path, isolation_level=None, timeout=BUSY_MS / 1000)
            self._connection.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as error:
            self._fail(error)

    def get_many(self, paragraphs: list[str]) -> dict[str, list[str]]:
        """The words of those of ``paragraphs`` that are cached."""
        if self._connection is None or not paragraphs:
            return {}
        keys = {paragraph_key(self._space, p): p for p in paragraphs}
        found: dict[str, list[str]] = {}
        listed = list(keys)
        try:
            for start in range(0, len(listed), BATCH):
                batch = listed[start : start + BATCH]
                marks = ",".join("?" * len(batch))
                rows = self._connection.execute(
                    f"SELECT key, words, used FROM words WHERE key IN ({marks})", batch
                )
                for key, blob, used in rows:
                    found[keys[key]] = unpack_words(keys[key], blob)
                    if used != self._generation:
                        self._used.add(key)
        except sqlite3.Error as error:
            self._fail(error)
            return {}
        except (zlib.error, UnicodeDecodeError) as error:
            self._fail(sqlite3.DatabaseError(f"an entry does not unpack: {error}"), damaged=True)
            return {}
        return found

    def put(self, paragraph: str, words: list[str]) -> None:
        """Keep the words of a paragraph just segmented, for ``take`` or the next ``flush``."""
        if self._connection is not None:
            super().put(paragraph, words)

    def add(self, new: dict[bytes, bytes], used: set[bytes]) -> None:
        """Hold entries another process made and used (``take``), for the next ``flush``."""
        if self._connection is not None:
            self._new.update(new)
            self._used |= used

    def pending(self) -> int:
        """Entries held for the next ``flush``."""
        return len(self._new) + len(self._used)

    def entries(self) -> int:
        """How many entries the file holds (read once, then kept by ``flush``: only the
        build's process writes)."""
        if self._connection is None:
            return 0
        if self._entries is None:
            try:
                self._entries = _meta(self._connection, "entries")
            except sqlite3.Error as error:
                self._fail(error)
                return 0
        return self._entries

    def holds_entries(self) -> bool:
        """Whether the cache file holds any entry (a cache to look paragraphs up in)."""
        return self.entries() > 0

    def flush(self) -> None:
        """Write the new entries and mark the ones used, in one transaction; evict if full."""
        if self._connection is None or not (self._new or self._used):
            return
        new, used = self.take()
        connection = self._connection
        try:
            connection.execute("BEGIN IMMEDIATE")
            try:
                before = connection.total_changes
                connection.executemany(  # in key order: fewer pages written in between
                    "INSERT OR IGNORE INTO words VALUES (?, ?, ?)",
                    [(key, new[key], self._generation) for key in sorted(new)],
                )
                added = connection.total_changes - before
                connection.executemany(
                    "UPDATE words SET used = ? WHERE key = ?",
                    [(self._generation, key) for key in sorted(used)],
                )
                connection.execute(
                    "UPDATE meta SET value = value + ? WHERE name = 'entries'", (added,)
                )
                evict(connection, self._max_entries)
                entries = _meta(connection, "entries")
                connection.execute("COMMIT")
                self._entries = entries
            except BaseException:
                if connection.in_transaction:  # SQLite may have rolled it back itself
                    connection.execute("ROLLBACK")
                raise
        except sqlite3.Error as error:
            self._fail(error)

    def close(self) -> None:
        """Write what is pending and close the connection."""
        self.flush()
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _fail(self, error: sqlite3.Error, damaged: bool = False) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if damaged or is_damaged(error):
            log.debug("segmentation cache %s is damaged: %s", self._path, error)
            with suppress(OSError):
                (self._path.parent / BROKEN).touch()
        else:  # busy for a minute, a full disk: this process goes on without it
            log.debug("segmentation cache %s not used: %s", self._path, error)


class CacheHooks:
    """The cache in a build: each worker opens a connection of its own after the fork
    (``start``) to look paragraphs up, and hands what it segmented and used back with each
    chunk's report (``chunk_done``); the build's process writes them (``received``)."""

    def __init__(self, path: Path, generation: int, max_entries: int, space: bytes) -> None:
        self.path, self.generation, self.max_entries = path, generation, max_entries
        self._space = space
        self._cache: SegmentCache | None = None  # a worker's, set after the fork
        self._writer: SegmentCache | None = None  # the build process's, opened when needed
        self._written = time.monotonic()

    def start(self) -> None:
        """In a worker: open its connection and have ``segment_words`` use it."""
        self._cache = SegmentCache(self.path, self.generation, self.max_entries, self._space)
        use_word_cache(self._cache)

    def chunk_done(self, done) -> None:
        """In a worker: put what it segmented and used since the last chunk in ``done``."""
        if self._cache is not None:
            done.new_words, done.used_words = self._cache.take()

    def _writing(self) -> SegmentCache:
        if self._writer is None:
            self._writer = SegmentCache(self.path, self.generation, self.max_entries, self._space)
        return self._writer

    def holds_entries(self) -> bool:
        """In the build's process: whether there is anything to look up."""
        return self._writing().holds_entries()

    def known(self, paragraphs: list[str]) -> dict[str, list[str]]:
        """In the build's process: the cached words of ``paragraphs``, for workers that cannot
        read the file (a Dask cluster's); their use is written with the next flush."""
        return self._writing().get_many(paragraphs)

    def received(self, done) -> None:
        """In the build's process: hold a chunk's new and used entries; write them when
        enough are held (``FLUSH_ENTRIES``, ``FLUSH_SECONDS``, ``FLUSH_SHARE``)."""
        if not (done.new_words or done.used_words):
            return
        writer = self._writing()
        writer.add(done.new_words, done.used_words)
        pending, now = writer.pending(), time.monotonic()
        if pending >= FLUSH_ENTRIES or (
            now - self._written >= FLUSH_SECONDS and pending * FLUSH_SHARE >= writer.entries()
        ):
            writer.flush()
            self._written = now

    def close(self) -> None:
        """In the build's process, after the workers: write what is held."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None


def _remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def _prepare(path: Path) -> int:
    """Open (or start afresh) the cache file and count one more build; its generation."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        connection = connect(path)
    except sqlite3.DatabaseError as error:
        if not is_damaged(error):
            raise
        log.warning("segmentation cache %s cannot be read (%s): starting a new one", path, error)
        _remove(path.parent)
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = connect(path)
    with closing(connection):
        connection.execute("UPDATE meta SET value = value + 1 WHERE name = 'generation'")
        return _meta(connection, "generation")


def _finish(path: Path, max_entries: int) -> None:
    """After the workers: clear a cache a worker found damaged, else bound it and fold the
    write-ahead log into the file."""
    if (path.parent / BROKEN).exists():
        log.warning("segmentation cache %s is damaged: removed, the next build starts anew", path)
        _remove(path.parent)
        return
    with closing(connect(path)) as connection:
        connection.execute("BEGIN IMMEDIATE")
        evict(connection, max_entries)
        connection.execute("COMMIT")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


@contextmanager
def build_cache(index_dir: Path, settings: CacheSettings) -> Iterator[CacheHooks | None]:
    """The cache for one build's workers (None when disabled or unusable): prepared in the
    build's process before the fork, bounded and checkpointed after the workers."""
    if not settings.enabled:
        yield None
        return
    path = cache_file(index_dir)
    try:
        generation = _prepare(path)
    except (sqlite3.Error, OSError) as error:
        log.warning("segmentation cache %s cannot be used (%s): building without it", path, error)
        yield None
        return
    hooks = CacheHooks(path, generation, settings.max_entries, namespace())
    try:
        yield hooks
    finally:
        hooks.close()
    try:
        _finish(path, settings.max_entries)
    except sqlite3.DatabaseError as error:
        log.warning("segmentation cache %s: %s (the index is built)", path, error)
        if is_damaged(error):
            _remove(path.parent)
    except OSError as error:
        log.warning("segmentation cache %s: %s (the index is built)", path, error)


def cache_size(index_dir: Path) -> int:
    """Bytes the segmentation cache of an index takes on disk."""
    folder = Path(index_dir) / FOLDER
    if not folder.is_dir():
        return 0
    return sum(entry.stat().st_size for entry in os.scandir(folder) if entry.is_file())
