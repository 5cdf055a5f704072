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
from whoosh.reading import IndexReader

from indexer.arrays.whoosh_segments import posting_arrays

BM25_B = 0.75  # Whoosh's BM25F defaults
BM25_K1 = 1.2
CACHE_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class Postings:
    """One term's live documents, how often each holds it, and its BM25 weight there."""

    docs: np.ndarray  # int32, ascending
    weights: np.ndarray  # float32
    counts: np.ndarray  # float32: occurrences in each document

    @property
    def nbytes(self) -> int:
        """Memory the arrays hold."""
        return self.docs.nbytes + self.weights.nbytes + self.counts.nbytes


EMPTY = Postings(np.zeros(0, np.int32), np.zeros(0, np.float32), np.zeros(0, np.float32))


class PostingCache:
    """Numpy postings of one searcher's index, kept while memory allows (LRU)."""

    def __init__(
        self, reader: IndexReader, live: np.ndarray, lengths: dict[str, np.ndarray]
    ) -> None:
        self._reader = reader
        self._live = live
        self._live_count = max(1, int(live.sum()))
        self._leaves = list(reader.leaf_readers())
        self._lengths = lengths  # each scored field's document lengths (mapped)
        self._average = {
            field: float(lengths[live].mean()) if live.any() else 1.0
            for field, lengths in self._lengths.items()
        }
        self._cache: OrderedDict[tuple[str, str], Postings] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def _frequencies(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """A term's live documents (ascending) and how often each holds it."""
        encoded = term.encode("utf-8")
        parts = [
            (ids + offset, tf)
            for leaf, offset in self._leaves
            for ids, tf in [posting_arrays(leaf, field, encoded)]
            if len(ids)
        ]
        if not parts:
            return np.zeros(0, np.int32), np.zeros(0, np.float32)
        docs = np.concatenate([ids for ids, _ in parts])
        tf = np.concatenate([t for _, t in parts])
        keep = self._live[docs]
        return docs[keep].astype(np.int32), tf[keep]

    def _load(self, field: str, term: str) -> Postings:
        docs, tf = self._frequencies(field, term)
        if not len(docs):
            return EMPTY
        return Postings(docs, self._bm25(field, docs, tf), tf.astype(np.float32))

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
