"""Posting lists as numpy arrays, with their BM25 weights.

Whoosh walks posting lists one document at a time in pure Python; a query over common
syllables (của, và, là ...) touches tens of thousands of postings. The postings of the
folded syllables (``text``, ``title``) and of the syllables written with diacritics
(``exact``), which matching and ranking read the most, are arrays the indexer derived at the
commit (``indexer.arrays``): a term's postings are a slice of them, shared by every worker.
Other fields' (underthesea's words, document numbers) are read from Whoosh block by block
when a query needs them. BM25 weights are computed on a term's slice; the last ones computed
are kept, within ``CACHE_BYTES``.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from whoosh.reading import IndexReader

from indexer.arrays.store import Arrays, term_key
from indexer.arrays.whoosh_segments import posting_arrays
from indexer.text.terms import syllable_hash

BM25_B = 0.75  # Whoosh's BM25F defaults
BM25_K1 = 1.2
CACHE_BYTES = 96 * 1024 * 1024  # weights (and Whoosh postings) kept per process
MAPPED = ("text", "title", "exact")  # the fields whose postings are derived arrays
MASK_BYTES = 16 * 1024 * 1024  # packed masks of common terms kept per process
COMMON_SHARE = 32  # a term in more than 1/32 of the documents is common: its mask is kept


@dataclass(frozen=True)
class Postings:
    """One term's live documents, how often each holds it, and its BM25 weight there."""

    docs: np.ndarray  # int32, ascending
    weights: np.ndarray  # float32
    counts: np.ndarray  # occurrences in each document (uint16 of a mapped field)

    @property
    def nbytes(self) -> int:
        """Memory the arrays hold of their own (not the slices of mapped files)."""
        return sum(a.nbytes for a in (self.docs, self.weights, self.counts) if a.flags.owndata)


EMPTY = Postings(np.zeros(0, np.int32), np.zeros(0, np.float32), np.zeros(0, np.float32))


class Recent:
    """The values used last, kept within a byte budget (thread-safe): the least recently
    used go first, the last one always stays."""

    def __init__(self, budget: Callable[[], int]) -> None:
        self._budget = budget  # read at each insertion, so that a test can lower it
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._sizes: dict[Hashable, int] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._values)

    def get(self, key: Hashable) -> Any:
        """The value kept for ``key`` (now the most recently used), or None."""
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any, size: int) -> None:
        """Keep a value of ``size`` bytes, unless one is kept for ``key`` already."""
        with self._lock:
            if key in self._values:
                return
            self._values[key], self._sizes[key] = value, size
            self._bytes += size
            while self._bytes > self._budget() and len(self._values) > 1:
                dropped, _ = self._values.popitem(last=False)
                self._bytes -= self._sizes.pop(dropped)


class PostingCache:
    """Postings of one commit of the index; the last ones used are kept (LRU)."""

    def __init__(
        self, reader: IndexReader, live: np.ndarray, lengths: dict[str, np.ndarray], arrays: Arrays
    ) -> None:
        self._reader = reader
        self._live = live
        self.live_count = max(1, int(live.sum()))  # counted once per commit
        self._leaves = list(reader.leaf_readers())
        self._lengths = lengths  # each scored field's document lengths (mapped)
        self._average = {
            field: float(lengths[live].mean()) if live.any() else 1.0
            for field, lengths in self._lengths.items()
        }
        self._arrays = arrays
        self._codes = arrays["keys"]  # the folded syllables' codes, sorted
        self._exact = arrays["exact_keys"]  # the written syllables' keys, sorted
        self._cache = Recent(lambda: CACHE_BYTES)

    def _slot(self, field: str, term: str) -> int | None:
        """Where a term's postings are in a mapped field's arrays, or None when it has none."""
        if field == "exact":
            keys, key = self._exact, np.uint64(term_key(term))
        else:
            keys, key = self._codes, np.uint32(syllable_hash(term))
        at = int(np.searchsorted(keys, key))
        return at if at < len(keys) and keys[at] == key else None

    def frequencies(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """A term's live documents (ascending) and how often each holds it, read without
        computing its weights nor keeping it (a slice of the mapped arrays, for their fields)."""
        if field in MAPPED:
            slot = self._slot(field, term)
            if slot is None:
                return np.zeros(0, np.int32), np.zeros(0, np.float32)
            return self._mapped(field, slot)
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

    def written_frequencies(self, terms: tuple[str, ...]) -> list[tuple[np.ndarray, np.ndarray]]:
        """``frequencies`` in ``exact`` of those of some written syllables the index has
        (every spelling of a bare syllable, most of them no word): found in one search."""
        keys = _keys(terms)
        if not len(keys) or not len(self._exact):
            return []
        at = np.minimum(np.searchsorted(self._exact, keys), len(self._exact) - 1)
        return [self._mapped("exact", slot) for slot in at[self._exact[at] == keys].tolist()]

    def _mapped(self, field: str, slot: int) -> tuple[np.ndarray, np.ndarray]:
        """The documents and frequencies at a slot of a mapped field's arrays."""
        offsets = self._arrays[f"{field}_offsets"]
        start, end = int(offsets[slot]), int(offsets[slot + 1])
        return self._arrays[f"{field}_docs"][start:end], self._arrays[f"{field}_tf"][start:end]

    def _load(self, field: str, term: str) -> Postings:
        docs, tf = self.frequencies(field, term)
        if not len(docs):
            return EMPTY
        return Postings(docs, self._bm25(field, docs, tf.astype(np.float32)), tf)

    def bm25(self, field: str, term: str, docs: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """A term's BM25 weights in some documents of a mapped field, given how often each
        holds it (0 for none): what its postings would give them."""
        return self._bm25(field, docs, counts.astype(np.float32), self.doc_frequency(field, term))

    def _bm25(
        self, field: str, docs: np.ndarray, tf: np.ndarray, df: int | None = None
    ) -> np.ndarray:
        df = len(docs) if df is None else df
        idf = math.log(1.0 + (self.live_count - df + 0.5) / (df + 0.5))
        if field not in self._lengths:  # an unscored keyword field: idf alone
            return np.full(len(docs), idf, np.float32)
        norm = BM25_K1 * (1 - BM25_B + BM25_B * self._lengths[field][docs] / self._average[field])
        return (idf * tf * (BM25_K1 + 1) / (tf + norm)).astype(np.float32)

    def doc_frequency(self, field: str, term: str) -> int:
        """How many documents hold a term, without reading its postings (deleted ones
        included, for a field read from Whoosh)."""
        if field in MAPPED:
            slot = self._slot(field, term)
            if slot is None:
                return 0
            offsets = self._arrays[f"{field}_offsets"]
            return int(offsets[slot + 1] - offsets[slot])
        return self._reader.doc_frequency(field, term)

    def get(self, field: str, term: str) -> Postings:
        """The postings of a term, read from the index the first time."""
        found = self._cache.get((field, term))
        if found is None:
            found = self._load(field, term)
            self._cache.put((field, term), found, found.nbytes)
        return found


@lru_cache(maxsize=8192)
def _keys(terms: tuple[str, ...]) -> np.ndarray:
    """The ``exact`` keys of some written syllables."""
    return np.array([term_key(term) for term in terms], dtype=np.uint64)


class MaskCache:
    """Boolean masks over all documents of the common terms, packed 8 to a byte, the last
    ones used kept within ``MASK_BYTES``: a common syllable's mask is made of tens of
    thousands of postings, where unpacking it is one pass over an eighth of the documents."""

    def __init__(self, doc_count: int) -> None:
        self.doc_count = doc_count
        self.common = max(1, doc_count // COMMON_SHARE)  # documents from which a term is common
        self._packed = Recent(lambda: MASK_BYTES)

    def get(self, key: tuple[str, str]) -> np.ndarray | None:
        """A kept mask (a new array, free to change), or None."""
        packed = self._packed.get(key)
        if packed is None:
            return None
        return np.unpackbits(packed, count=self.doc_count).view(bool)

    def put(self, key: tuple[str, str], mask: np.ndarray) -> None:
        """Keep a mask, dropping the least recently used beyond the budget."""
        packed = np.packbits(mask)
        self._packed.put(key, packed, packed.nbytes)

    def kept(self, key: tuple[str, str], size: int, build: Callable[[], np.ndarray]) -> np.ndarray:
        """The mask of ``key``: kept if its term is common (``size`` documents), else built."""
        if size < self.common:
            return build()
        mask = self.get(key)
        if mask is None:
            mask = build()
            self.put(key, mask)
        return mask
