"""Every article's folded syllable codes in one array, with a position index over them.

The index keeps, per article, the codes of its folded syllables (title, separator, body) in
the ``forward`` column. The indexer lays them end to end in one array and sorts them once
into "where does each code occur" (``indexer.arrays``); the searcher maps both. A phrase is
then found from the occurrences of its rarest syllable alone, checking the neighbours of
each: the cost follows that syllable's frequency, not the number of candidate articles, so
every candidate of a query can be checked for the query word for word.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from indexer.arrays.store import Arrays

_EMPTY = np.zeros(0, dtype=np.int64)
GATHERED = 120_000  # candidates' syllables up to which word_for_word reads them whole


@dataclass(frozen=True)
class WordForWord:
    """Per candidate article: share of the query's syllable pairs held side by side; whether
    it holds the whole query in order; whether it does so in its title."""

    pair_shares: np.ndarray
    whole: np.ndarray
    in_title: np.ndarray


class ForwardStore:
    """All articles' syllable codes: ``codes[starts[d]:ends[d]]`` is article ``d``; where
    each code occurs: ``order[first[k]:first[k] + counts[k]]`` for the code ``keys[k]``."""

    def __init__(self, arrays: Arrays) -> None:
        self.codes = arrays["codes"]
        self.starts = arrays["starts"]
        self.ends = arrays["ends"]
        self.title_ends = arrays["title_ends"]  # an article's title ends at its first separator
        self._order = arrays["order"]  # positions grouped by code, ascending within a code
        self._first = arrays["first"]
        self._keys = arrays["keys"]
        self._counts = arrays["counts"]

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

    def positions_in(self, code: int, docs: np.ndarray) -> np.ndarray:
        """Positions of a code inside some articles (ascending document numbers)."""
        everywhere = self.positions(code)
        low = np.searchsorted(everywhere, self.starts[docs])
        high = np.searchsorted(everywhere, self.ends[docs])
        counts = high - low
        if not counts.sum():
            return _EMPTY
        # Concatenate the ranges everywhere[low[i]:high[i]] without a Python loop.
        offsets = np.repeat(low - (np.cumsum(counts) - counts), counts)
        return everywhere[offsets + np.arange(counts.sum())]

    def owners(self, positions: np.ndarray) -> np.ndarray:
        """The article each position belongs to."""
        return np.searchsorted(self.starts, positions, side="right") - 1

    def sequence_starts(self, sequence: np.ndarray, docs: np.ndarray | None = None) -> np.ndarray:
        """Positions where ``sequence`` begins (in ``docs`` only, if given), found from the
        occurrences of its rarest syllable."""
        if not len(sequence):
            return _EMPTY
        pivot = min(range(len(sequence)), key=lambda i: self.count(int(sequence[i])))
        code = int(sequence[pivot])
        found = self.positions(code) if docs is None else self.positions_in(code, docs)
        starts = found.astype(np.int64) - pivot
        starts = starts[(starts >= 0) & (starts + len(sequence) <= len(self.codes))]
        for i, code in enumerate(sequence):
            if i != pivot:
                starts = starts[self.codes[starts + i] == code]
        return starts

    def _mark(self, positions: np.ndarray, doc_count: int) -> np.ndarray:
        marked = np.zeros(doc_count, dtype=bool)
        marked[self.owners(positions)] = True
        return marked

    def holding(self, sequence: np.ndarray, docs: np.ndarray | None, doc_count: int) -> np.ndarray:
        """Which of ``docs`` (None: of all articles) hold ``sequence`` word for word."""
        return self._mark(self.sequence_starts(sequence, docs), doc_count)

    def _text(self, docs: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The codes of some articles end to end, each with the separator after it, and the
        position of each code in the whole index."""
        total = int(lengths.sum())
        first = np.cumsum(lengths) - lengths
        where = np.repeat(self.starts[docs] - first, lengths) + np.arange(total)
        return self.codes[where], where

    def term_counts(
        self, codes: np.ndarray, docs: np.ndarray, limit: int = GATHERED
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """How often each of ``docs`` (rows) holds each code (columns), in the whole article
        and in its title; None when the articles hold more than ``limit`` codes."""
        lengths = self.ends[docs] - self.starts[docs] + 1
        if int(lengths.sum()) > limit:
            return None
        text, where = self._text(docs, lengths)
        distinct, columns = np.unique(codes, return_inverse=True)
        at = np.minimum(np.searchsorted(distinct, text), len(distinct) - 1)
        found = np.flatnonzero(distinct[at] == text)  # the separator is no query's code
        owner = np.repeat(np.arange(len(docs)), lengths)[found]
        cells = owner * len(distinct) + at[found]
        in_title = where[found] < self.title_ends[docs][owner]
        shape = (len(docs), len(distinct))
        whole = np.bincount(cells, minlength=shape[0] * shape[1]).reshape(shape)
        title = np.bincount(cells[in_title], minlength=shape[0] * shape[1]).reshape(shape)
        return whole[:, columns], title[:, columns]

    def pairs_held(self, pairs: np.ndarray, docs: np.ndarray) -> np.ndarray:
        """How many of the syllable pairs (rows of ``pairs``, codes) each of ``docs`` holds
        side by side, read from the articles' own codes (a pair listed twice counts twice)."""
        lengths = self.ends[docs] - self.starts[docs] + 1
        text, _ = self._text(docs, lengths)
        wanted, times = np.unique(_pair_keys(pairs[:, 0], pairs[:, 1]), return_counts=True)
        keys = _pair_keys(text[:-1], text[1:])  # a separator ends each article: no pair spans two
        at = np.flatnonzero(np.isin(keys, wanted))
        owner = np.repeat(np.arange(len(docs)), lengths)[at]
        # Each (article, pair) once, however often the article repeats the pair.
        held = np.unique(owner * len(wanted) + np.searchsorted(wanted, keys[at]))
        return np.bincount(
            held // len(wanted), weights=times[held % len(wanted)], minlength=len(docs)
        ).astype(np.int64)

    def word_for_word(self, sequence: np.ndarray, docs: np.ndarray) -> WordForWord:
        """How much of a query of two or more syllables each of ``docs`` (ascending document
        numbers) holds word for word; the arrays follow ``docs``."""
        lengths = self.ends[docs] - self.starts[docs] + 1  # with the separator after each
        if int(lengths.sum()) <= GATHERED:
            return self._gathered(sequence, docs, lengths)
        return self._indexed(sequence, docs)

    def _gathered(self, sequence: np.ndarray, docs: np.ndarray, lengths: np.ndarray) -> WordForWord:
        """``word_for_word`` on the candidates' own codes, read end to end: few candidates
        cost little whatever the syllables, where the position index pays per syllable."""
        total = int(lengths.sum())
        text, where = self._text(docs, lengths)
        owner = np.repeat(np.arange(len(docs)), lengths)
        # Positions where each of the query's pairs starts, found among the positions whose
        # syllable and next syllable are both in the query (a small part of the text).
        distinct = np.unique(sequence)
        inside = np.isin(text, distinct)
        both = np.flatnonzero(inside[:-1] & inside[1:])
        heads, tails = text[both], text[both + 1]
        pairs = [both[(heads == a) & (tails == b)] for a, b in itertools.pairwise(sequence)]
        held = np.zeros(len(docs), dtype=np.float32)
        # The whole sequence starts where every pair starts at its own offset.
        whole = np.ones(total, dtype=bool)
        for offset, starts in enumerate(pairs):
            in_doc = np.zeros(len(docs), dtype=bool)
            in_doc[owner[starts]] = True
            held += in_doc
            at_offset = np.zeros(total, dtype=bool)
            at_offset[starts[starts >= offset] - offset] = True
            whole &= at_offset
        held /= max(1, len(pairs))
        starts = np.flatnonzero(whole)
        owners = owner[starts]
        whole_docs = np.zeros(len(docs), dtype=bool)
        whole_docs[owners] = True
        in_title = np.zeros(len(docs), dtype=bool)
        in_title[owners[where[starts] < self.title_ends[docs][owners]]] = True
        return WordForWord(held, whole_docs, in_title)

    def _indexed(self, sequence: np.ndarray, docs: np.ndarray) -> WordForWord:
        """``word_for_word`` from the occurrences of each pair's rarer syllable in ``docs``
        (each syllable's looked up once)."""
        at = np.minimum(self._keys.searchsorted(sequence), len(self._keys) - 1)
        counts = np.where(self._keys[at] == sequence, self._counts[at], 0)
        firsts = self.starts[docs]
        found: dict[int, np.ndarray] = {}
        pairs: list[np.ndarray] = []
        held = np.zeros(len(docs), dtype=np.float32)
        for i in range(len(sequence) - 1):
            pivot = i if counts[i] <= counts[i + 1] else i + 1  # the rarer, the first on a tie
            code = int(sequence[pivot])
            if code not in found:
                found[code] = self.positions_in(code, docs).astype(np.int64)
            starts = found[code] - (pivot - i)
            starts = starts[(starts >= 0) & (starts + 2 <= len(self.codes))]
            other = 2 * i + 1 - pivot  # the pair's other syllable
            starts = starts[self.codes[starts + (other - i)] == sequence[other]]
            pairs.append(starts)
            in_doc = np.zeros(len(docs), dtype=bool)
            in_doc[np.searchsorted(firsts, starts, side="right") - 1] = True
            held += in_doc
        held /= max(1, len(pairs))
        # The whole sequence starts where every pair starts at its own offset.
        whole = pairs[0] if pairs else _EMPTY
        for offset, starts in enumerate(pairs[1:], start=1):
            whole = np.intersect1d(whole, starts - offset, assume_unique=True)
        owners = np.searchsorted(firsts, whole, side="right") - 1
        whole_docs = np.zeros(len(docs), dtype=bool)
        whole_docs[owners] = True
        in_title = np.zeros(len(docs), dtype=bool)
        in_title[owners[whole < self.title_ends[docs][owners]]] = True
        return WordForWord(held, whole_docs, in_title)


def _pair_keys(heads: np.ndarray, tails: np.ndarray) -> np.ndarray:
    """One 64-bit key per pair of syllable codes."""
    return heads.astype(np.uint64) << np.uint64(32) | tails.astype(np.uint64)
