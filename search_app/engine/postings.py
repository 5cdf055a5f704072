"""Whoosh posting lists as numpy arrays, with their BM25 weights, cached per searcher.

Whoosh walks posting lists one document at a time in pure Python; a query over common
syllables (của, và, là ...) touches tens of thousands of postings. Here each posting list is
read once, block by block, into (document numbers, BM25 term weights) arrays; matching,
scoring and facet counting then happen in numpy. The arrays belong to one searcher (one
commit of the index): a new commit gets a new cache.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.reading import IndexReader
from whoosh.util.numeric import byte_to_length

BM25_B = 0.75  # Whoosh's BM25F defaults
BM25_K1 = 1.2
CACHE_BYTES = 256 * 1024 * 1024

_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)


@dataclass(frozen=True)
class Postings:
    """One term's live documents and the BM25 weight of the term in each."""

    docs: np.ndarray  # int32, ascending
    weights: np.ndarray  # float32

    @property
    def nbytes(self) -> int:
        """Memory the arrays hold."""
        return self.docs.nbytes + self.weights.nbytes


EMPTY = Postings(np.zeros(0, np.int32), np.zeros(0, np.float32))


def _leaf_arrays(leaf: IndexReader, field: str, term: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Document numbers and frequencies of a term in one segment, deleted ones included."""
    if (field, term) not in leaf:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    matcher = leaf._terms.matcher(field, term, leaf.schema[field].format)
    if not isinstance(matcher, W3LeafMatcher):  # another codec: the slow, public way
        ids, weights = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        return np.array(ids, np.int64), np.array(weights, np.float32)
    id_blocks, weight_blocks = [], []
    while True:  # one block (up to 128 postings) at a time: ids are stored as deltas
        matcher._read_data()
        deltas, weights = matcher._data[0], matcher._data[1]
        size = matcher._blocklength
        id_blocks.append(np.cumsum(np.asarray(deltas, dtype=np.int64)))
        if weights is None:
            weight_blocks.append(np.ones(size, np.float32))
        elif isinstance(weights, float):
            weight_blocks.append(np.full(size, weights, np.float32))
        else:
            weight_blocks.append(np.asarray(weights, dtype=np.float32))
        if matcher._lastblock:
            break
        matcher._next_block()
    return np.concatenate(id_blocks), np.concatenate(weight_blocks)


def _leaf_lengths(leaf: IndexReader, field: str) -> np.ndarray:
    """Each document's length in a field, as Whoosh stores it (one byte, approximate)."""
    count = leaf.doc_count_all()
    try:
        column = leaf._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
        raw = column._dbfile.get(column._basepos, column._doccount)
        return _LENGTH_OF_BYTE[np.frombuffer(raw, dtype=np.uint8)][:count]
    except (AttributeError, TypeError, ValueError):  # another codec: the public way
        return np.array([leaf.doc_field_length(i, field) for i in range(count)], np.float32)


class PostingCache:
    """Numpy postings of one searcher's index, kept while memory allows (LRU)."""

    def __init__(self, reader: IndexReader, live: np.ndarray, fields: tuple[str, ...]) -> None:
        self._reader = reader
        self._live = live
        self._live_count = max(1, int(live.sum()))
        self._leaves = list(reader.leaf_readers())
        self._lengths = {field: self._field_lengths(field) for field in fields}
        self._average = {
            field: float(lengths[live].mean()) if live.any() else 1.0
            for field, lengths in self._lengths.items()
        }
        self._cache: OrderedDict[tuple[str, str], Postings] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def _field_lengths(self, field: str) -> np.ndarray:
        lengths = np.zeros(len(self._live), np.float32)
        for leaf, offset in self._leaves:
            part = _leaf_lengths(leaf, field)
            lengths[offset : offset + len(part)] = part
        return lengths

    def _load(self, field: str, term: str) -> Postings:
        encoded = term.encode("utf-8")
        parts = [
            (ids + offset, tf)
            for leaf, offset in self._leaves
            for ids, tf in [_leaf_arrays(leaf, field, encoded)]
            if len(ids)
        ]
        if not parts:
            return EMPTY
        docs = np.concatenate([ids for ids, _ in parts])
        tf = np.concatenate([t for _, t in parts])
        keep = self._live[docs]
        docs, tf = docs[keep].astype(np.int32), tf[keep]
        if not len(docs):
            return EMPTY
        return Postings(docs, self._bm25(field, docs, tf))

    def _bm25(self, field: str, docs: np.ndarray, tf: np.ndarray) -> np.ndarray:
        df = len(docs)
        idf = math.log(1.0 + (self._live_count - df + 0.5) / (df + 0.5))
        if field not in self._lengths:  # an unscored keyword field: idf alone
            return np.full(len(docs), idf, np.float32)
        norm = BM25_K1 * (1 - BM25_B + BM25_B * self._lengths[field][docs] / self._average[field])
        return (idf * tf * (BM25_K1 + 1) / (tf + norm)).astype(np.float32)

    def doc_frequency(self, field: str, term: str) -> int:
        """How many documents hold a term (deleted ones included), without reading postings."""
        return self._reader.doc_frequency(field, term)

    def get(self, field: str, term: str) -> Postings:
        """The postings of a term, read from the index the first time."""
        key = (field, term)
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                return found
        postings = self._load(field, term)
        with self._lock:
            if key not in self._cache:
                self._cache[key] = postings
                self._bytes += postings.nbytes
                while self._bytes > CACHE_BYTES and len(self._cache) > 1:
                    _, dropped = self._cache.popitem(last=False)
                    self._bytes -= dropped.nbytes
        return postings
