"""Match and rank a parsed query with numpy over cached Whoosh postings.

Matching is exact syllable logic: every word's folded syllable must occur (``text``), OR and
NOT combine masks, and a phrase must occur in order, checked on the per-document syllable
codes (``forward``). Ranking is BM25 over ``text`` plus the title, the exact diacritics the
user typed and underthesea's words of the query; the best candidates are then re-ranked by
how much of the query they hold word for word (in the title counts most), which is what
puts a remembered headline or a remembered sentence first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from indexer.segment import segment_words
from indexer.terms import FORWARD_SEPARATOR, syllable_hash
from search_app.postings import PostingCache
from search_app.query import And, DocNumber, Node, Not, Or, ParsedQuery, Phrase, Term

SCORED_FIELDS = ("title", "text", "exact", "words")
TITLE_WEIGHT = 1.5  # a syllable in the title, on top of its weight in the text
EXACT_WEIGHT = 1.0  # the syllable spelled with the diacritics the user typed
WORD_WEIGHT = 0.5  # an underthesea word of the query
DOCNUM_WEIGHT = 3.0  # a cited document number
RERANK = 50  # candidates re-ranked by word-for-word matches
TITLE_PHRASE_BOOST = 1.0  # score x (1 + boost) when the title holds the whole query in order
TEXT_PHRASE_BOOST = 0.6  # ... when the body does
PAIR_BOOST = 0.4  # ... x (1 + boost * share of the query's adjacent pairs found adjacent)


@dataclass(frozen=True)
class Forward:
    """An article's folded syllable codes, title and body apart."""

    codes: np.ndarray  # uint32

    @property
    def title_end(self) -> int:
        """Index of the separator between title and body."""
        found = np.flatnonzero(self.codes == FORWARD_SEPARATOR)
        return int(found[0]) if len(found) else len(self.codes)

    def starts(self, sequence: np.ndarray) -> np.ndarray:
        """Positions where ``sequence`` begins."""
        codes = self.codes
        size = len(sequence)
        if size == 0 or size > len(codes):
            return np.zeros(0, np.int64)
        starts = np.flatnonzero(codes[: len(codes) - size + 1] == sequence[0])
        for i in range(1, size):
            starts = starts[codes[starts + i] == sequence[i]]
        return starts


def codes_of(terms: tuple[Term, ...] | list[Term]) -> np.ndarray:
    """The forward codes of a sequence of syllables."""
    return np.array([syllable_hash(t.folded) for t in terms], dtype=np.uint32)


class Engine:
    """Matching and ranking for one searcher's index."""

    def __init__(self, postings: PostingCache, live: np.ndarray, forward_column) -> None:
        self.postings = postings
        self.live = live
        self._forward_column = forward_column

    def forward(self, docnum: int) -> Forward:
        """The syllable codes of one article."""
        data = self._forward_column[docnum] or b""
        return Forward(np.frombuffer(data, dtype=np.uint32))

    def _mask(self, field: str, term: str) -> np.ndarray:
        mask = np.zeros(len(self.live), dtype=bool)
        mask[self.postings.get(field, term).docs] = True
        return mask

    def _phrase_mask(self, terms: tuple[Term, ...]) -> np.ndarray:
        mask = self.live.copy()
        for term in terms:
            mask &= self._mask("text", term.folded)
        sequence = codes_of(terms)
        for docnum in np.flatnonzero(mask):
            if not len(self.forward(int(docnum)).starts(sequence)):
                mask[docnum] = False
        return mask

    def match(self, node: Node) -> np.ndarray:
        """Boolean mask of the live documents that match a query node."""
        if isinstance(node, Term):
            return self._mask("text", node.folded)
        if isinstance(node, Phrase):
            return self._phrase_mask(node.terms)
        if isinstance(node, DocNumber):
            return self._mask("docnums", node.number.query_term()) | self._phrase_mask(node.terms)
        if isinstance(node, Not):
            return self.live & ~self.match(node.node)
        masks = [self.match(child) for child in node.nodes]
        combined = masks[0].copy()
        for mask in masks[1:]:
            if isinstance(node, And):
                combined &= mask
            else:
                combined |= mask
        return combined

    def match_most(self, terms: list[Term]) -> np.ndarray:
        """Documents holding most of the syllables: half of a short query, a fifth of a long
        one (a pasted paragraph); the fallback when no document holds them all."""
        distinct = list(dict.fromkeys(t.folded for t in terms))
        if len(distinct) < 2:
            return np.zeros(len(self.live), dtype=bool)
        share = 0.5 if len(distinct) <= 10 else 0.2
        needed = max(1, round(share * len(distinct)))
        counts = np.zeros(len(self.live), dtype=np.int16)
        for term in distinct:
            counts[self.postings.get("text", term).docs] += 1
        return counts >= needed

    def _scores(self, parsed: ParsedQuery) -> np.ndarray:
        scores = np.zeros(len(self.live), dtype=np.float32)

        def add(field: str, term: str, weight: float) -> None:
            postings = self.postings.get(field, term)
            scores[postings.docs] += weight * postings.weights

        terms = parsed.positive_terms()
        for term in dict.fromkeys(terms):
            add("text", term.folded, 1.0)
            add("title", term.folded, TITLE_WEIGHT)
            if term.accented:
                add("exact", term.text, EXACT_WEIGHT)
        if len(terms) > 1 and any(t.accented for t in terms):
            for word in dict.fromkeys(segment_words(" ".join(t.text for t in terms))):
                if "_" in word:
                    add("words", word, WORD_WEIGHT)
        for number in _document_numbers(parsed.root):
            add("docnums", number.number.query_term(), DOCNUM_WEIGHT)
        return scores

    def _boost(self, docnum: int, sequence: np.ndarray, pairs: np.ndarray) -> float:
        """How much of the query the article holds word for word, as a score factor."""
        forward = self.forward(docnum)
        codes = forward.codes.astype(np.uint64)
        found = np.isin(pairs, (codes[:-1] << np.uint64(32)) | codes[1:])
        if found.all():
            starts = forward.starts(sequence)
            if len(starts):
                return TITLE_PHRASE_BOOST if starts[0] < forward.title_end else TEXT_PHRASE_BOOST
        return PAIR_BOOST * float(found.mean())

    def rank(self, parsed: ParsedQuery, candidates: np.ndarray, limit: int) -> list[int]:
        """The ``limit`` best of the candidate document numbers, best first."""
        if not len(candidates) or limit <= 0:
            return []
        scores = self._scores(parsed)[candidates]
        keep = min(len(candidates), max(limit, RERANK))
        top = np.argpartition(-scores, keep - 1)[:keep] if keep < len(candidates) else None
        order = np.arange(len(candidates)) if top is None else top
        order = order[np.lexsort((candidates[order], -scores[order]))]
        ranked = [(float(scores[i]), int(candidates[i])) for i in order]
        terms = parsed.positive_terms()
        if parsed.is_plain and len(terms) > 1:
            sequence = codes_of(terms)
            wide = sequence.astype(np.uint64)
            pairs = (wide[:-1] << np.uint64(32)) | wide[1:]
            window = [
                (score * (1.0 + self._boost(docnum, sequence, pairs)), docnum)
                for score, docnum in ranked[:RERANK]
            ]
            window.sort(key=lambda pair: (-pair[0], pair[1]))
            ranked[:RERANK] = window
        return [docnum for _, docnum in ranked[:limit]]


def _document_numbers(node: Node | None) -> list[DocNumber]:
    if node is None or isinstance(node, Not):
        return []
    if isinstance(node, DocNumber):
        return [node]
    if isinstance(node, (And, Or)):
        return [found for child in node.nodes for found in _document_numbers(child)]
    return []
