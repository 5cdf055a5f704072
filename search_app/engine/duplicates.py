"""Grouping near-duplicate results: the same announcement reposted, or paragraphs reused.

Every article's MinHash signature (``shingles`` column, see ``indexer.text.similarity``) is
laid in one array at the commit (``indexer.arrays``); a result list is then grouped page by
page, greedily in its order: an article joins the group of the same page whose leading
article it overlaps most, if by at least ``THRESHOLD`` (the share of the smaller article's
4-syllable runs found in the other). Groups never reach back to an earlier page, so every
result appears exactly once across the pages.

A signature only estimates an overlap, and badly when one article is many times longer than
the other; a pair the estimate calls similar is confirmed on the two articles' actual
shingles, computed from the syllable codes the searcher already holds.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

import numpy as np

from indexer.arrays.store import Arrays
from indexer.text.similarity import shingle_hashes
from search_app.engine.forward import ForwardStore

THRESHOLD = 0.4
MIN_SHINGLES = 20  # shorter articles are not compared: a title and a line say too little


class Signatures:
    """The near-duplicate signatures of every document of a searcher."""

    def __init__(self, arrays: Arrays, forward: ForwardStore) -> None:
        self.minima = arrays["minima"]  # (documents, HASHES) uint32
        self.sizes = arrays["sizes"]  # shingles per document; 0: too short to compare
        self.forward = forward

    def overlaps(self, docnum: int, others: np.ndarray) -> np.ndarray:
        """Estimated overlap of one document with each of ``others``."""
        return self._estimate(docnum, self.minima[others], self.sizes[others])

    def _estimate(self, docnum: int, minima: np.ndarray, sizes: np.ndarray) -> np.ndarray:
        """Estimated overlap of one document with the documents of these signatures."""
        if not self.sizes[docnum] or not len(sizes):
            return np.zeros(len(sizes))
        same = np.count_nonzero(minima == self.minima[docnum], axis=1)
        if not same.any():  # nothing in common: most results against the page's leaders
            return np.zeros(len(sizes))
        return self._shared(docnum, same, sizes)

    def _shared(self, docnum: int, same: np.ndarray, sizes: np.ndarray) -> np.ndarray:
        """The estimated overlap from the number of signature hashes each other document
        has in common with this one."""
        jaccard = same / self.minima.shape[1]
        common = jaccard / (1.0 + jaccard) * (sizes + self.sizes[docnum])
        smaller = np.maximum(1, np.minimum(sizes, self.sizes[docnum]))
        return np.where(sizes > 0, np.minimum(1.0, common / smaller), 0.0)

    def _shingles(self, docnum: int) -> np.ndarray:
        forward = self.forward
        return shingle_hashes(forward.codes[forward.starts[docnum] : forward.ends[docnum]])

    def confirmed(self, docnum: int, other: int) -> bool:
        """Whether two articles really share THRESHOLD of the smaller one's shingles."""
        mine, theirs = self._shingles(docnum), self._shingles(other)
        smaller = min(len(mine), len(theirs))
        if smaller < MIN_SHINGLES:
            return False
        common = len(np.intersect1d(mine, theirs, assume_unique=True))
        return common / smaller >= THRESHOLD

    def similar_to(self, docnum: int, others: np.ndarray) -> np.ndarray:
        """Those of ``others`` that are near-duplicates of ``docnum``."""
        likely = others[self.overlaps(docnum, others) >= THRESHOLD]
        return np.array([o for o in likely.tolist() if self.confirmed(docnum, o)], dtype=np.int64)

    def _join(self, groups: list[list[int]], docnum: int, same: np.ndarray) -> bool:
        """Add a document to the group it duplicates, if there is one (``same``: how many
        signature hashes it shares with each group's first document)."""
        leaders = np.array([group[0] for group in groups])
        shared = self._shared(docnum, same, self.sizes[leaders])
        for best in np.argsort(-shared, kind="stable"):
            if shared[best] < THRESHOLD:
                return False
            if self.confirmed(groups[best][0], docnum):
                groups[best].append(docnum)
                return True
        return False

    def page(self, ordered: Pushback, size: int) -> tuple[list[list[int]], bool]:
        """Take the next ``size`` groups from ``ordered`` (leader first in each) and say
        whether it has more documents; the first document of the next page is pushed back.

        Documents are taken as many at a time as could still fit on the page (each makes at
        most one group), and their signatures compared with the leaders' and each other's
        at once: most share nothing with any document before them."""
        groups: list[list[int]] = []
        while batch := list(itertools.islice(ordered, size + 1 - len(groups))):
            leaders = [group[0] for group in groups]
            known = np.array(leaders + batch)
            minima = self.minima[known]
            same = np.count_nonzero(minima[len(leaders) :, None, :] == minima[None], axis=2)
            same[:, len(leaders) :] = np.tril(same[:, len(leaders) :], -1)  # only those before
            same[self.sizes[batch] == 0] = 0  # too short to compare
            touches = same.any(axis=1).tolist()
            column = dict(zip(leaders, range(len(leaders)), strict=True))
            for at, docnum in enumerate(batch):
                if touches[at] and groups:
                    columns = [column[group[0]] for group in groups]
                    if self._join(groups, docnum, same[at, columns]):
                        continue
                if len(groups) == size:
                    for later in reversed(batch[at:]):
                        ordered.push(later)
                    return groups, True
                column[docnum] = len(leaders) + at
                groups.append([docnum])
        return groups, False


class Pushback:
    """An iterator that can take one item back."""

    def __init__(self, items: Iterable[int]) -> None:
        self._items: Iterator[int] = iter(items)
        self._back: list[int] = []

    def __iter__(self) -> Pushback:
        return self

    def __next__(self) -> int:
        return self._back.pop() if self._back else next(self._items)

    def push(self, item: int) -> None:
        """Give an item back: the next ``next()`` returns it."""
        self._back.append(item)
