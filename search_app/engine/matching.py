"""Match and rank a parsed query with numpy over cached Whoosh postings.

Matching is exact syllable logic: every word's folded syllable must occur (``text``), OR and
NOT combine masks, and a phrase must occur in order, checked on the per-document syllable
codes (``forward``). Ranking is BM25 over ``text`` plus the title, the exact diacritics the
user typed and underthesea's words of the query; the best candidates are then re-ranked by
how much of the query they hold word for word (in the title counts most), which is what
puts a remembered headline or a remembered sentence first.
"""

from __future__ import annotations

import numpy as np

from indexer.text.segment import segment_words
from indexer.text.terms import syllable_hash
from search_app.engine.forward import ForwardStore
from search_app.engine.postings import PostingCache
from search_app.query.language import (
    Alternatives,
    And,
    DocNumber,
    Node,
    Not,
    Or,
    ParsedQuery,
    Phrase,
    Term,
)

SCORED_FIELDS = ("title", "text", "exact", "words")
TITLE_WEIGHT = 1.5  # a syllable in the title, on top of its weight in the text
EXACT_WEIGHT = 1.0  # the syllable spelled with the diacritics the user typed
WORD_WEIGHT = 0.5  # an underthesea word of the query
DOCNUM_WEIGHT = 3.0  # a cited document number
ALTERNATIVE_WEIGHT = 0.3  # a syllable of another form of an abbreviation than the one typed
LONG_QUERY = 12  # syllables: longer queries are pasted text, ranked on their rarest words
KEEP_TERMS = 32  # syllables of a long query that count
PAIR_BOOST = 1.0  # score x (1 + boost * share of the query's adjacent pairs found adjacent)


def codes_of(terms: tuple[Term, ...] | list[Term]) -> np.ndarray:
    """The forward codes of a sequence of syllables."""
    return np.array([syllable_hash(t.folded) for t in terms], dtype=np.uint32)


class Engine:
    """Matching and ranking for one searcher's index."""

    def __init__(self, postings: PostingCache, live: np.ndarray, forward: ForwardStore) -> None:
        self.postings = postings
        self.live = live
        self.forward = forward

    def _mask(self, field: str, term: str) -> np.ndarray:
        mask = np.zeros(len(self.live), dtype=bool)
        mask[self.postings.get(field, term).docs] = True
        return mask

    def _phrase_mask(self, terms: tuple[Term, ...]) -> np.ndarray:
        mask = self.live.copy()
        for term in terms:
            mask &= self._mask("text", term.folded)
        return mask & self.forward.holding(codes_of(terms), np.flatnonzero(mask), len(self.live))

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
        if isinstance(node, Alternatives):
            mask = self.match(node.typed)
            for other in node.others:
                mask |= self.match(other)
            return mask
        masks = [self.match(child) for child in node.nodes]
        combined = masks[0].copy()
        for mask in masks[1:]:
            if isinstance(node, And):
                combined &= mask
            else:
                combined |= mask
        return combined

    def informative(self, terms: list[Term]) -> list[Term]:
        """A long query's rarest distinct syllables (at most KEEP_TERMS): the common ones add
        next to nothing to BM25 and cost as much as the rest together."""
        distinct = list({t.folded: t for t in terms}.values())
        if len(distinct) <= KEEP_TERMS:
            return distinct
        frequency = {t.folded: self.postings.doc_frequency("text", t.folded) for t in distinct}
        rarest = sorted(distinct, key=lambda t: frequency[t.folded])[:KEEP_TERMS]
        return [t for t in distinct if t in rarest]

    def match_most(self, terms: list[Term]) -> np.ndarray:
        """Documents holding most of the syllables: half of a short query, a quarter of a long
        one (a pasted paragraph); the fallback when no document holds them all."""
        kept = self.informative(terms)
        if len(kept) < 2:
            return np.zeros(len(self.live), dtype=bool)
        share = 0.5 if len(kept) <= LONG_QUERY else 0.25
        needed = max(1, round(share * len(kept)))
        counts = np.zeros(len(self.live), dtype=np.int16)
        for term in kept:
            counts[self.postings.get("text", term.folded).docs] += 1
        return counts >= needed

    def _scores(self, parsed: ParsedQuery, candidates: np.ndarray) -> np.ndarray:
        """BM25 scores of the candidates (in their order)."""
        scores = np.zeros(len(candidates), dtype=np.float32)
        dense = np.zeros(len(self.live), dtype=np.float32) if len(candidates) > 2000 else None

        def add(field: str, term: str, weight: float) -> None:
            postings = self.postings.get(field, term)
            if dense is not None:  # many candidates: add into an array over all documents
                dense[postings.docs] += weight * postings.weights
                return
            # Few candidates: look each one up in the posting list.
            at = np.searchsorted(postings.docs, candidates)
            inside = at < len(postings.docs)
            found = np.zeros(len(candidates), dtype=bool)
            found[inside] = postings.docs[at[inside]] == candidates[inside]
            scores[found] += weight * postings.weights[at[found]]

        terms = parsed.positive_terms()
        for term in self.informative(terms):
            add("text", term.folded, 1.0)
            add("title", term.folded, TITLE_WEIGHT)
            if term.accented:
                add("exact", term.text, EXACT_WEIGHT)
        if 1 < len(terms) <= LONG_QUERY and any(t.accented for t in terms):
            for word in dict.fromkeys(segment_words(" ".join(t.text for t in terms))):
                if "_" in word:
                    add("words", word, WORD_WEIGHT)
        for number in _document_numbers(parsed.root):
            add("docnums", number.number.query_term(), DOCNUM_WEIGHT)
        for term in dict.fromkeys(_alternative_terms(parsed.root)):
            add("text", term.folded, ALTERNATIVE_WEIGHT)
            add("title", term.folded, ALTERNATIVE_WEIGHT * TITLE_WEIGHT)
        return dense[candidates] if dense is not None else scores

    def more_like(self, terms: list[Term], exclude: np.ndarray, limit: int) -> list[int]:
        """Articles sharing the most telling of an article's syllables (more like this):
        those other articles hold too, but not too many; ``exclude`` masks the article and
        its near-duplicates."""
        live = max(1, int(self.live.sum()))
        frequency = {t.folded: self.postings.doc_frequency("text", t.folded) for t in terms}
        telling = [t for t in terms if 2 <= frequency[t.folded] <= live // 5]
        telling = sorted(telling, key=lambda t: frequency[t.folded])[:KEEP_TERMS]
        counts = np.zeros(len(self.live), dtype=np.int16)
        for term in telling:
            counts[self.postings.get("text", term.folded).docs] += 1
        candidates = np.flatnonzero((counts >= 2) & self.live & ~exclude)
        return self.rank_terms(telling, candidates, limit)

    def rank_terms(self, terms: list[Term], candidates: np.ndarray, limit: int) -> list[int]:
        """The ``limit`` candidates scoring best on some syllables (more like this)."""
        root = And(tuple(terms)) if len(terms) > 1 else (terms[0] if terms else None)
        return self.rank(ParsedQuery("", root), candidates, limit)

    def rank(self, parsed: ParsedQuery, candidates: np.ndarray, limit: int) -> list[int]:
        """The ``limit`` best of the candidate document numbers, best first."""
        if not len(candidates) or limit <= 0:
            return []
        scores = self._scores(parsed, candidates).astype(np.float64)
        terms = parsed.positive_terms()
        if parsed.is_plain and 1 < len(terms) <= LONG_QUERY:
            # Raised by the share of the query's syllable pairs held side by side; and all
            # candidates holding the whole query word for word come first (in the title, then
            # in the body), which is what puts a remembered headline or sentence first.
            found = self.forward.word_for_word(codes_of(terms), candidates, len(self.live))
            scores *= 1.0 + PAIR_BOOST * found.pair_shares[candidates]
            level = found.whole[candidates] + found.in_title[candidates].astype(np.float64)
            scores += level * (scores.max() + 1.0)
        if limit < len(candidates):
            top = np.argpartition(-scores, limit - 1)[:limit]
            candidates, scores = candidates[top], scores[top]
        return candidates[np.lexsort((candidates, -scores))].tolist()


def _alternative_terms(node: Node | None) -> list[Term]:
    """The syllables of the other forms of the query's abbreviations and long forms."""
    if isinstance(node, Alternatives):
        found = []
        for other in node.others:
            found += [other] if isinstance(other, Term) else list(getattr(other, "terms", ()))
        return found
    if isinstance(node, (And, Or)):
        return [term for child in node.nodes for term in _alternative_terms(child)]
    return []


def _document_numbers(node: Node | None) -> list[DocNumber]:
    if node is None or isinstance(node, Not):
        return []
    if isinstance(node, DocNumber):
        return [node]
    if isinstance(node, (And, Or)):
        return [found for child in node.nodes for found in _document_numbers(child)]
    return []
