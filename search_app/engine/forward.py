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
_ALL = np.arange(4097)  # every place of a few values
GATHERED = 120_000  # candidates' syllables up to which word_for_word reads them whole


@dataclass(frozen=True)
class WordForWord:
    """Per candidate article: share of the query's syllable pairs held side by side; whether
    it holds the whole query in order; whether it does so in its title."""

    pair_shares: np.ndarray
    whole: np.ndarray
    in_title: np.ndarray


@dataclass(frozen=True)
class _Joined:
    """Some articles' codes end to end, each with the separator after it."""

    codes: np.ndarray
    firsts: np.ndarray  # where each article begins in ``codes``
    title_lengths: np.ndarray  # how many codes its title has

    def owners(self, positions: np.ndarray) -> np.ndarray:
        """The article (its place among them) each position is in."""
        return np.searchsorted(self.firsts, positions, side="right") - 1

    def in_title(self, positions: np.ndarray, owners: np.ndarray) -> np.ndarray:
        """Whether each position (in its owner) is in the title."""
        return positions - self.firsts[owners] < self.title_lengths[owners]


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

    def _joined(self, docs: np.ndarray) -> _Joined:
        """Some articles' codes end to end, each with the separator after it (slices copied
        one by one: 2-3x faster than gathering every position)."""
        starts, ends = self.starts[docs], self.ends[docs] + 1
        lengths = ends - starts
        pieces = [self.codes[s:e] for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]
        codes = np.concatenate(pieces) if pieces else np.zeros(0, self.codes.dtype)
        return _Joined(codes, np.cumsum(lengths) - lengths, self.title_ends[docs] - starts)

    def term_counts(
        self, codes: np.ndarray, docs: np.ndarray, limit: int = GATHERED
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """How often each of ``docs`` (rows) holds each code (columns), in the whole article
        and in its title; None when the articles hold more than ``limit`` codes."""
        if int((self.ends[docs] - self.starts[docs] + 1).sum()) > limit:
            return None
        joined = self._joined(docs)
        distinct, columns = np.unique(codes, return_inverse=True)
        found, at = _find(joined.codes, distinct)  # the separator is no query's code
        owner = joined.owners(found)
        cells = owner * len(distinct) + at
        in_title = joined.in_title(found, owner)
        shape = (len(docs), len(distinct))
        whole = np.bincount(cells, minlength=shape[0] * shape[1]).reshape(shape)
        title = np.bincount(cells[in_title], minlength=shape[0] * shape[1]).reshape(shape)
        return whole[:, columns], title[:, columns]

    def pairs_held(self, pairs: np.ndarray, docs: np.ndarray) -> np.ndarray:
        """How many of the syllable pairs (rows of ``pairs``, codes) each of ``docs`` holds
        side by side, read from the articles' own codes (a pair listed twice counts twice)."""
        joined = self._joined(docs)
        wanted, times = np.unique(_pair_keys(pairs[:, 0], pairs[:, 1]), return_counts=True)
        # A separator ends each article: no pair spans two. The pairs' keys are made only
        # where their lowest bits may be a wanted pair's.
        heads, tails = joined.codes[:-1], joined.codes[1:]
        maybe = _maybe(_mixed(heads, tails).astype(np.uint16), wanted)
        found, at = _find(_pair_keys(heads[maybe], tails[maybe]), wanted)
        owner = joined.owners(maybe[found])
        # Each (article, pair) once, however often the article repeats the pair.
        held = np.unique(owner * len(wanted) + at)
        return np.bincount(
            held // len(wanted), weights=times[held % len(wanted)], minlength=len(docs)
        ).astype(np.int64)

    def word_for_word(self, sequence: np.ndarray, docs: np.ndarray) -> WordForWord:
        """How much of a query of two or more syllables each of ``docs`` (ascending document
        numbers) holds word for word; the arrays follow ``docs``."""
        lengths = self.ends[docs] - self.starts[docs] + 1  # with the separator after each
        if int(lengths.sum()) <= GATHERED:
            return self._gathered(sequence, docs)
        return self._indexed(sequence, docs)

    def _gathered(self, sequence: np.ndarray, docs: np.ndarray) -> WordForWord:
        """``word_for_word`` on the candidates' own codes, read end to end: few candidates
        cost little whatever the syllables, where the position index pays per syllable."""
        joined = self._joined(docs)
        text = joined.codes
        total = len(text)
        # Positions where each of the query's pairs starts, found among the positions whose
        # syllable and next syllable are both in the query (a small part of the text).
        inside = np.zeros(total, dtype=bool)
        inside[_find(text, np.unique(sequence))[0]] = True
        both = np.flatnonzero(inside[:-1] & inside[1:])
        heads, tails = text[both], text[both + 1]
        pairs = [both[(heads == a) & (tails == b)] for a, b in itertools.pairwise(sequence)]
        held = np.zeros(len(docs), dtype=np.float32)
        # The whole sequence starts where every pair starts at its own offset.
        whole = np.ones(total, dtype=bool)
        for offset, starts in enumerate(pairs):
            in_doc = np.zeros(len(docs), dtype=bool)
            in_doc[joined.owners(starts)] = True
            held += in_doc
            at_offset = np.zeros(total, dtype=bool)
            at_offset[starts[starts >= offset] - offset] = True
            whole &= at_offset
        held /= max(1, len(pairs))
        starts = np.flatnonzero(whole)
        owners = joined.owners(starts)
        whole_docs = np.zeros(len(docs), dtype=bool)
        whole_docs[owners] = True
        in_title = np.zeros(len(docs), dtype=bool)
        in_title[owners[joined.in_title(starts, owners)]] = True
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


_MIX = np.uint32(0x9E3779B1)


def _mixed(heads: np.ndarray, tails: np.ndarray) -> np.ndarray:
    """The second syllable's code mixed with the first's (uint32)."""
    return tails ^ (heads * _MIX)


def _pair_keys(heads: np.ndarray, tails: np.ndarray) -> np.ndarray:
    """One 64-bit key per pair of syllable codes: the first, then the second mixed with it,
    so that the lowest bits (``_find``'s table) tell pairs with the same second apart."""
    return heads.astype(np.uint64) << np.uint64(32) | _mixed(heads, tails).astype(np.uint64)


def _maybe(buckets: np.ndarray, distinct: np.ndarray) -> np.ndarray:
    """Where values whose lowest 16 bits are ``buckets`` may be one of ``distinct``."""
    low = np.zeros(1 << 16, dtype=bool)
    low[distinct.astype(np.uint16)] = True
    return np.flatnonzero(low[buckets])


def _find(values: np.ndarray, distinct: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where ``values`` (codes or pair keys) hold one of the ``distinct`` ones (sorted), and
    which: a table of their lowest 16 bits leaves the binary search a few places (10x faster
    than ``np.isin`` on a hundred articles' codes)."""
    if not len(distinct):
        return _EMPTY, _EMPTY
    # Below a few thousand values the table costs more than it saves.
    where = (
        _maybe(values.astype(np.uint16), distinct) if len(values) > 4096 else _ALL[: len(values)]
    )
    at = np.minimum(np.searchsorted(distinct, values[where]), len(distinct) - 1)
    held = distinct[at] == values[where]
    return where[held], at[held]
