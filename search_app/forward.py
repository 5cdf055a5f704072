"""Every article's folded syllable codes in one array, with a position index over them.

The index keeps, per article, the codes of its folded syllables (title, separator, body) in
the ``forward`` column. Loaded once per searcher, they are laid end to end in one numpy
array and sorted once into "where does each code occur". A phrase is then found from the
occurrences of its rarest syllable alone, checking the neighbours of each: the cost follows
that syllable's frequency, not the number of candidate articles, so every candidate of a
query can be checked for the query word for word.
"""

from __future__ import annotations

import numpy as np

from indexer.terms import FORWARD_SEPARATOR

_EMPTY = np.zeros(0, dtype=np.int64)


class ForwardStore:
    """All articles' syllable codes: ``codes[starts[d]:ends[d]]`` is article ``d``."""

    def __init__(self, codes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> None:
        self.codes = codes
        self.starts = starts
        self.ends = ends
        # An article's title ends at its first separator.
        separators = np.flatnonzero(codes == FORWARD_SEPARATOR)
        self.title_ends = separators[np.searchsorted(separators, starts)] if len(starts) else _EMPTY
        # Positions grouped by code, ascending within a code.
        self._order = np.argsort(codes, kind="stable").astype(np.int32)
        sorted_codes = codes[self._order]
        self._keys, self._first, self._counts = np.unique(
            sorted_codes, return_index=True, return_counts=True
        )

    @classmethod
    def load(cls, column, doc_count: int) -> ForwardStore:
        """Read the ``forward`` column of every document."""
        parts = [column[docnum] or b"" for docnum in range(doc_count)]
        lengths = np.fromiter((len(p) // 4 for p in parts), dtype=np.int64, count=doc_count)
        # A separator after each article: no sequence runs from one article into the next.
        ends = np.cumsum(lengths + 1) - 1
        starts = ends - lengths
        joined = b"".join(p + b"\0\0\0\0" for p in parts)
        return cls(np.frombuffer(joined, dtype=np.uint32), starts, ends)

    def count(self, code: int) -> int:
        """How often a code occurs in the whole index."""
        at = np.searchsorted(self._keys, code)
        return int(self._counts[at]) if at < len(self._keys) and self._keys[at] == code else 0

    def positions(self, code: int) -> np.ndarray:
        """Every position of a code, ascending."""
        at = np.searchsorted(self._keys, code)
        if at >= len(self._keys) or self._keys[at] != code:
            return _EMPTY
        first = self._first[at]
        return self._order[first : first + self._counts[at]]

    def owners(self, positions: np.ndarray) -> np.ndarray:
        """The article each position belongs to."""
        return np.searchsorted(self.starts, positions, side="right") - 1

    def sequence_starts(self, sequence: np.ndarray) -> np.ndarray:
        """Positions where ``sequence`` begins, found from its rarest syllable."""
        if not len(sequence):
            return _EMPTY
        pivot = min(range(len(sequence)), key=lambda i: self.count(int(sequence[i])))
        starts = self.positions(int(sequence[pivot])).astype(np.int64) - pivot
        starts = starts[(starts >= 0) & (starts + len(sequence) <= len(self.codes))]
        for i, code in enumerate(sequence):
            if i != pivot:
                starts = starts[self.codes[starts + i] == code]
        return starts

    def holding(self, sequence: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Articles holding ``sequence`` word for word, and those holding it in their title."""
        starts = self.sequence_starts(sequence)
        owners = self.owners(starts)
        return np.unique(owners), np.unique(owners[starts < self.title_ends[owners]])

    def pair_shares(self, sequence: np.ndarray, doc_count: int) -> np.ndarray:
        """Per article, the share of the sequence's adjacent pairs it holds side by side."""
        shares = np.zeros(doc_count, dtype=np.float32)
        pairs = len(sequence) - 1
        for i in range(pairs):
            docs = np.unique(self.owners(self.sequence_starts(sequence[i : i + 2])))
            shares[docs] += 1.0 / pairs
        return shares
