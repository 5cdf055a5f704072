"""The arrays derived from an index commit: what the searcher reads in bulk, made once.

From a reader over a commit's segments (``derive``): which documents are live, their dates
and the newest-first order; each facet's values and the documents carrying each (the province
today among them, from the province as published); every article's folded syllable codes laid
end to end with a position index over them (where each code occurs, sorted once); the posting
lists of the folded syllables (``text``, ``title``: grouped from that index) and of the
syllables written with diacritics (``exact``); the near-duplicate signatures; each scored
field's document lengths; the vocabulary the spelling repairs read (``lexicon``). The indexer
writes them with its commit (``write_for_segments``); a searcher that finds none for its
commit, from an older version or a build killed at the wrong moment, derives and writes them
itself (``arrays_for``).
"""

from __future__ import annotations

import logging
import multiprocessing
import traceback
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.reading import IndexReader, MultiReader, SegmentReader

from indexer.arrays.lexicon import vocabulary_arrays
from indexer.arrays.store import (
    Arrays,
    fingerprint,
    open_arrays,
    term_key,
    write_arrays,
)
from indexer.arrays.whoosh_segments import field_lengths, field_postings, posting_arrays
from indexer.metadata.current_provinces import current_province_for
from indexer.records import FACET_FIELDS
from indexer.text.similarity import HASHES
from indexer.text.terms import FORWARD_SEPARATOR

log = logging.getLogger(__name__)
_EMPTY = np.zeros(0, dtype=np.int64)


def _live(reader: IndexReader, doc_count: int) -> np.ndarray:
    live = np.zeros(doc_count, dtype=bool)
    live[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
    return live


def _column(reader: IndexReader, name: str):
    return reader.column_reader(name) if reader.has_column(name) else None


def _dates(reader: IndexReader, doc_count: int) -> dict[str, np.ndarray]:
    column = _column(reader, "date_key")
    if column is None:
        date_key = np.zeros(doc_count, dtype=np.int32)
    else:
        date_key = np.fromiter((column[i] for i in range(doc_count)), np.int32, doc_count)
    # Newest first, then the most recently added first: sorting a result set newest first
    # is then a filter of this order.
    docs = np.arange(doc_count)
    newest = docs[np.lexsort((-docs, -date_key))].astype(np.int32)
    return {"date_key": date_key, "newest": newest}


def _facet(reader: IndexReader, name: str, live: np.ndarray) -> tuple[list[str], dict]:
    """A facet's values and, for each document carrying one, the value's ordinal."""
    found: dict[bytes, list[np.ndarray]] = defaultdict(list)
    for leaf, offset in reader.leaf_readers():
        if name not in leaf.indexed_field_names():
            continue
        for term in leaf.lexicon(name):
            ids, _ = posting_arrays(leaf, name, term)
            ids = ids + offset
            ids = ids[live[ids]]
            if len(ids):
                found[term].append(ids)
    values = sorted(found)
    docs = [np.concatenate(found[term]) for term in values]
    ords = [np.full(len(d), i, dtype=np.int32) for i, d in enumerate(docs)]
    arrays = {
        f"facet_{name}_docs": np.concatenate(docs).astype(np.int32) if docs else _EMPTY,
        f"facet_{name}_ords": np.concatenate(ords) if ords else _EMPTY.astype(np.int32),
    }
    return [v.decode("utf-8") for v in values], arrays


def _current_provinces(values: list[str], arrays: dict) -> tuple[list[str], dict]:
    """The ``current_province`` facet from the ``province`` one: each value of the province
    as published numbers the unit it belongs to today (none for a national or unknown one)."""
    units = [current_province_for(value) for value in values]
    slugs = sorted({unit.slug for unit in units if unit is not None})
    ordinal = {slug: i for i, slug in enumerate(slugs)}
    table = np.array([ordinal[u.slug] if u else -1 for u in units] + [-1], dtype=np.int32)
    docs, ords = arrays["facet_province_docs"], arrays["facet_province_ords"]
    mapped = table[ords]
    keep = mapped >= 0
    return slugs, {
        "facet_current_province_docs": docs[keep].astype(np.int32),
        "facet_current_province_ords": mapped[keep],
    }


def _forward(reader: IndexReader, doc_count: int) -> dict[str, np.ndarray]:
    """Every document's syllable codes end to end, and where each code occurs."""
    column = _column(reader, "forward")
    parts = [(column[d] if column is not None else b"") or b"" for d in range(doc_count)]
    lengths = np.fromiter((len(p) // 4 for p in parts), dtype=np.int64, count=doc_count)
    # A separator after each article: no sequence runs from one article into the next.
    ends = np.cumsum(lengths + 1) - 1
    starts = ends - lengths
    codes = np.frombuffer(b"".join(p + b"\0\0\0\0" for p in parts), dtype=np.uint32)
    # An article's title ends at its first separator.
    separators = np.flatnonzero(codes == FORWARD_SEPARATOR)
    title_ends = separators[np.searchsorted(separators, starts)] if len(starts) else _EMPTY
    # Positions grouped by code, ascending within a code; runs of equal codes.
    order = np.argsort(codes, kind="stable").astype(np.int32)
    sorted_codes = codes[order]
    first = np.flatnonzero(np.diff(sorted_codes)) + 1
    first = np.concatenate(([0], first)) if len(codes) else _EMPTY
    return {
        "codes": codes,
        "starts": starts,
        "ends": ends,
        "title_ends": title_ends,
        "order": order,
        "first": first,
        "keys": sorted_codes[first],
        "counts": np.diff(np.append(first, len(codes))),
    }


def _runs(key: np.ndarray, owner: np.ndarray, keys: int) -> tuple[np.ndarray, ...]:
    """Postings from occurrences sorted by key, then position: (documents, occurrences in
    each, offsets per key)."""
    if not len(key):
        return _EMPTY.astype(np.int32), _EMPTY.astype(np.uint16), np.zeros(keys + 1, np.int64)
    new = np.ones(len(key), dtype=bool)
    new[1:] = (key[1:] != key[:-1]) | (owner[1:] != owner[:-1])
    start = np.flatnonzero(new)
    docs = owner[start].astype(np.int32)
    times = np.minimum(np.diff(np.append(start, len(key))), 65535).astype(np.uint16)
    offsets = np.searchsorted(key[start], np.arange(keys + 1)).astype(np.int64)
    return docs, times, offsets


def _syllable_postings(forward: dict[str, np.ndarray], live: np.ndarray) -> dict:
    """The ``text`` and ``title`` postings (folded syllables), from the syllable codes: for
    the code ``keys[k]``, ``text_docs[text_offsets[k]:text_offsets[k + 1]]``, ascending,
    and how often each holds it. Deleted documents and the separators are left out."""
    order, starts, keys = forward["order"], forward["starts"], forward["keys"]
    key = np.repeat(np.arange(len(keys), dtype=np.int32), forward["counts"])
    owner = (np.searchsorted(starts, order, side="right") - 1).astype(np.int32)
    keep = (keys[key] != FORWARD_SEPARATOR) & live[owner]
    key, owner, where = key[keep], owner[keep], order[keep]
    arrays = {}
    text = _runs(key, owner, len(keys))
    in_title = where < forward["title_ends"][owner]
    title = _runs(key[in_title], owner[in_title], len(keys))
    for name, (docs, times, offsets) in (("text", text), ("title", title)):
        arrays.update({f"{name}_docs": docs, f"{name}_tf": times, f"{name}_offsets": offsets})
    return arrays


def _exact_postings(reader: IndexReader, live: np.ndarray) -> dict[str, np.ndarray]:
    """The ``exact`` postings (syllables written with diacritics), keyed by ``term_key``:
    for ``exact_keys[k]``, ``exact_docs[exact_offsets[k]:exact_offsets[k + 1]]``."""
    found: dict[str, list[tuple[np.ndarray, np.ndarray]]] = defaultdict(list)
    for leaf, offset in reader.leaf_readers():
        for term, ids, times in field_postings(leaf, "exact"):
            ids = ids + offset
            keep = live[ids]
            if keep.any():
                found[term].append((ids[keep], times[keep]))
    keyed = sorted((term_key(term), term) for term in found)
    docs = [np.concatenate([ids for ids, _ in found[term]]) for _, term in keyed]
    times = [np.concatenate([tf for _, tf in found[term]]) for _, term in keyed]
    sizes = np.array([len(d) for d in docs], dtype=np.int64)
    return {
        "exact_keys": np.array([key for key, _ in keyed], dtype=np.uint64),
        "exact_offsets": np.concatenate(([0], np.cumsum(sizes))).astype(np.int64),
        "exact_docs": np.concatenate(docs).astype(np.int32) if docs else _EMPTY,
        "exact_tf": np.minimum(np.concatenate(times), 65535).astype(np.uint16)
        if times
        else _EMPTY.astype(np.uint16),
    }


def _signatures(reader: IndexReader, doc_count: int) -> dict[str, np.ndarray]:
    """Each document's MinHash signature and shingle count (0: too short to compare)."""
    column = _column(reader, "shingles")
    minima = np.zeros((doc_count, HASHES), dtype=np.uint32)
    sizes = np.zeros(doc_count, dtype=np.int64)
    for docnum in range(doc_count):
        data = column[docnum] if column is not None else b""
        if data and len(data) == 4 * (HASHES + 1):
            values = np.frombuffer(data, dtype=np.uint32)
            minima[docnum] = values[:HASHES]
            sizes[docnum] = values[HASHES]
    return {"minima": minima, "sizes": sizes}


def _lengths(reader: IndexReader, doc_count: int) -> dict[str, np.ndarray]:
    """Each scored field's document lengths, as Whoosh stores them."""
    arrays = {}
    for name, field in reader.schema.items():
        if not field.scorable:
            continue
        lengths = np.zeros(doc_count, dtype=np.float32)
        for leaf, offset in reader.leaf_readers():
            part = field_lengths(leaf, name)
            lengths[offset : offset + len(part)] = part
        arrays[f"lengths_{name}"] = lengths
    return arrays


def _term_arrays(reader: IndexReader, live: np.ndarray) -> tuple[dict[str, np.ndarray], dict]:
    """The arrays read from term tables and postings (facets, ``exact``, the vocabulary), and
    the facet values they number."""
    arrays: dict[str, np.ndarray] = {}
    facets = {}
    for name in FACET_FIELDS:
        facets[name], facet_arrays = _facet(reader, name, live)
        arrays.update(facet_arrays)
    facets["current_province"], current = _current_provinces(facets["province"], arrays)
    arrays.update(current)
    arrays.update(_exact_postings(reader, live))
    arrays.update(vocabulary_arrays(reader))
    return arrays, facets


def _document_arrays(reader: IndexReader, live: np.ndarray) -> dict[str, np.ndarray]:
    """The arrays read document by document: dates, syllable codes and the postings grouped
    from them, signatures, lengths."""
    doc_count = len(live)
    arrays = {"live": live, **_dates(reader, doc_count)}
    forward = _forward(reader, doc_count)
    arrays.update(forward)
    arrays.update(_syllable_postings(forward, live))
    arrays.update(_signatures(reader, doc_count))
    arrays.update(_lengths(reader, doc_count))
    return arrays


def derive(reader: IndexReader) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """The arrays of the commit a reader sees, and the facet values they number."""
    doc_count = reader.doc_count_all()
    live = _live(reader, doc_count)
    term_arrays, facets = _term_arrays(reader, live)
    arrays = {**_document_arrays(reader, live), **term_arrays}
    return arrays, {"doc_count": doc_count, "facets": facets}


@contextmanager
def _segments_reader(storage, schema, segments: list) -> Iterator[IndexReader]:
    readers = [SegmentReader(storage, schema, segment) for segment in segments]
    reader = MultiReader(readers) if len(readers) != 1 else readers[0]
    try:
        yield reader
    finally:
        reader.close()


def _send_term_arrays(storage, schema, segments: list, connection) -> None:
    """In a child process: derive the term arrays of ``segments`` and send them back, an
    array a message (never all of them pickled at once), then the facet values."""
    try:
        try:
            with _segments_reader(storage, schema, segments) as reader:
                arrays, facets = _term_arrays(reader, _live(reader, reader.doc_count_all()))
            while arrays:
                connection.send(("array", *arrays.popitem()))
            connection.send(("facets", facets))
        except BaseException:
            connection.send(("error", traceback.format_exc()))
    finally:
        connection.close()


def _receive_term_arrays(connection) -> tuple[dict[str, np.ndarray], dict]:
    arrays = {}
    while True:
        try:
            kind, *message = connection.recv()
        except EOFError:
            raise RuntimeError("the process deriving the term arrays died") from None
        if kind == "error":
            raise RuntimeError(f"deriving the term arrays failed:\n{message[0]}")
        if kind == "facets":
            return arrays, message[0]
        name, array = message
        arrays[name] = array


def derive_segments(storage, schema, segments: list) -> tuple[dict[str, np.ndarray], dict]:
    """``derive`` of a reader over ``segments``, its term arrays made by a second process
    meanwhile: a build commits when its workers are done, so a core is free (on vntc_train
    3.7 s where one process takes 5.6). A failure there raises ``RuntimeError`` here."""
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(
        target=_send_term_arrays, args=(storage, schema, segments, sending), daemon=True
    )
    child.start()
    sending.close()
    try:
        with _segments_reader(storage, schema, segments) as reader:
            doc_count = reader.doc_count_all()
            arrays = _document_arrays(reader, _live(reader, doc_count))
        term_arrays, facets = _receive_term_arrays(receiving)
    finally:
        receiving.close()  # a child still sending stops
        child.join(timeout=10)
        if child.is_alive():
            child.terminate()
            child.join()
    return {**arrays, **term_arrays}, {"doc_count": doc_count, "facets": facets}


def write_for_segments(index_dir: Path, storage, schema, segments: list) -> str:
    """Derive and write the arrays of the commit about to be made of ``segments`` (before
    it is, so that no commit is ever visible without them); the name of their folder."""
    name = fingerprint(segments)
    if open_arrays(index_dir, name) is None:
        arrays, meta = derive_segments(storage, schema, segments)
        write_arrays(index_dir, name, arrays, meta)
    return name


def arrays_for(index_dir: Path, reader: IndexReader, latest: bool = True) -> Arrays:
    """The arrays of the commit a reader sees: mapped from disk, derived and written first
    when they are missing (kept in memory when the folder cannot be written, or when the
    commit is no longer the ``latest``: its arrays would outlive it)."""
    name = fingerprint(reader.segments() or [])
    found = open_arrays(index_dir, name)
    if found is not None:
        return found
    log.info("deriving the arrays of commit %s of %s", name, index_dir)
    arrays, meta = derive(reader)
    if not latest:
        return Arrays(name, meta, arrays)
    try:
        write_arrays(index_dir, name, arrays, meta)
    except OSError as error:
        log.warning("cannot write the arrays of %s (%s): keeping them in memory", index_dir, error)
        return Arrays(name, meta, arrays)
    return open_arrays(index_dir, name) or Arrays(name, meta, arrays)
