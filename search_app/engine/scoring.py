"""BM25 of a query's candidates, added up term by term and field by field.

Many candidates: each term's weights are added into an array over all documents. Few: each
candidate is looked up in the term's posting list, or, for the folded syllables (``text``,
``title``), counted in the candidates' own syllable codes, read once for every term of the
query: a long query's dozens of terms then cost one pass over a few articles instead of a
binary search per term and field. Either way a candidate's score is the same sum, in the
same order, of the same float32 weights.
"""

from __future__ import annotations

import numpy as np

from indexer.text.terms import syllable_hash
from search_app.engine.forward import ForwardStore
from search_app.engine.postings import PostingCache

DENSE_FROM = 2000  # candidates from which weights are added over all documents
# Counting the candidates' codes costs about 30 ns a code, looking a term up in its text and
# title postings about 20 µs (measured): the codes are counted up to this many per term.
CODES_PER_TERM = 600
_FOLDED = ("text", "title")  # fields whose counts are those of the syllable codes


class CandidateScores:
    """The BM25 scores of some candidates (ascending document numbers)."""

    def __init__(
        self,
        postings: PostingCache,
        forward: ForwardStore,
        candidates: np.ndarray,
        folded: list[str],
    ) -> None:
        self._postings = postings
        self._candidates = candidates
        self._scores = np.zeros(len(candidates), dtype=np.float32)
        self._dense: np.ndarray | None = None
        self._counts: dict[str, np.ndarray] | None = None
        self._column: dict[str, int] = {}
        if len(candidates) > DENSE_FROM:
            self._dense = np.zeros(len(forward.starts), dtype=np.float32)
        elif folded:
            distinct = list(dict.fromkeys(folded))
            codes = np.array([syllable_hash(term) for term in distinct], dtype=np.uint32)
            counts = forward.term_counts(codes, candidates, CODES_PER_TERM * len(codes))
            if counts is not None:
                self._counts = dict(zip(_FOLDED, counts, strict=True))
                self._column = {term: i for i, term in enumerate(distinct)}

    def add(self, field: str, term: str, weight: float) -> None:
        """Add a term's weights in one field, times ``weight``."""
        if self._counts is not None and field in _FOLDED and term in self._column:
            counts = self._counts[field][:, self._column[term]]
            if counts.any():
                self._scores += weight * self._postings.bm25(field, term, self._candidates, counts)
            return
        postings = self._postings.get(field, term)
        if self._dense is not None:
            # ``np.add.at``: 2.7x faster than ``dense[docs] += ...`` (numpy 2), the same sums.
            np.add.at(self._dense, postings.docs, weight * postings.weights)
            return
        if not len(postings.docs):
            return
        at = np.minimum(postings.docs.searchsorted(self._candidates), len(postings.docs) - 1)
        found = postings.docs[at] == self._candidates
        self._scores[found] += weight * postings.weights[at[found]]

    def result(self) -> np.ndarray:
        """The candidates' scores, in their order."""
        return self._dense[self._candidates] if self._dense is not None else self._scores
