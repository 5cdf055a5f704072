"""Match and rank a parsed query with numpy over cached Whoosh postings.

Matching is exact syllable logic. A syllable typed with diacritics must occur spelled so
(``exact``); in a query typed without any, a syllable matches in any spelling (``text``,
folded), and in a query typed with some, a syllable typed bare matches only where the
article writes it bare (``SPELLED``). A word of several syllables or a phrase must occur with
its syllables side by side, in order, checked on the per-document syllable codes
(``forward``); OR and NOT combine masks. ``FOLDED`` matches every syllable in any spelling,
for when the spelling typed finds next to nothing. A plain query's conjuncts are its
``Clauses``: the documents holding all of them are the strict set, and those holding most of
them, weighted by how telling (rare) each is, the near matches.

Ranking is BM25 over ``text`` plus the title, the exact diacritics the user typed and
underthesea's words of the query; the best candidates are then re-ranked by how much of the
query they hold word for word (in the title counts most), which is what puts a remembered
headline or a remembered sentence first.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from functools import partial

import numpy as np

from indexer.text.terms import syllable_hash
from indexer.text.vietnamese import spellings
from search_app.engine.forward import ForwardStore
from search_app.engine.postings import MaskCache, PostingCache, Postings, Recent
from search_app.engine.scoring import CandidateScores
from search_app.query.language import (
    LONG_QUERY,
    Alternatives,
    And,
    DocNumber,
    Node,
    Not,
    Or,
    ParsedQuery,
    Phrase,
    Term,
    Word,
)

SCORED_FIELDS = ("title", "text", "exact", "words")
# How a query's syllables must be spelled in a matching article:
SPELLED = "spelled"  # as typed: accented ones so, bare ones without any diacritic
ACCENTED = "accented"  # accented ones as typed, bare ones in any spelling
FOLDED = "folded"  # every one in any spelling
TITLE_WEIGHT = 1.5  # a syllable in the title, on top of its weight in the text
EXACT_WEIGHT = 1.0  # the syllable spelled with the diacritics the user typed
WORD_WEIGHT = 0.5  # an underthesea word of the query
DOCNUM_WEIGHT = 3.0  # a cited document number
ALTERNATIVE_WEIGHT = 0.3  # a syllable of another form of an abbreviation than the one typed
SEQUENCES_KEPT = 512  # words' and phrases' document lists (and rarity orders) per commit
PAIR_BOOST = 1.0  # score x (1 + boost * share of the query's adjacent pairs found adjacent)
NEAR_SHARE = 0.5  # a near match holds at least this share of a query's weight
NEAR_POWER = 2.0  # a near match's score x (share of the query's weight it holds) ** power
# Pasted text (more than LONG_QUERY syllables):
KEEP_TERMS = 32  # its rarest distinct syllables carry its BM25 score ...
OTHERS_WEIGHT = 0.5  # ... its others add this share of theirs, unless they are common:
OTHERS_SHARE = 0.1  # in more than this share of the articles
QTF_K3 = 8.0  # a syllable it repeats weighs more: BM25's query term frequency saturation
PASTED_CLAUSES = 128  # its near matches hold NEAR_SHARE_PASTED of its rarest syllables' weight
NEAR_SHARE_PASTED = 0.1
PASTED_WINDOW = 100  # its best candidates are raised by the share they hold side by side ...
PASTED_PAIRS = 256  # ... of its adjacent syllable pairs holding one of its KEEP_TERMS
PASTED_PAIR_BOOST = 10.0  # score x (1 + boost * that share): copied text shares sequences


@dataclass
class Clauses:
    """The conjuncts of a plain query, and which documents hold each."""

    nodes: list[Node]  # the positive conjuncts (a pasted text: its telling syllables)
    masks: list[np.ndarray]
    weights: np.ndarray  # how telling each is: its inverse document frequency
    allowed: np.ndarray  # documents no excluded conjunct ("-word") matches
    near_share: float  # the share of the weight a near match holds at least

    def strict(self) -> np.ndarray:
        """Documents holding every conjunct."""
        mask = self.allowed.copy()
        for clause in self.masks:
            mask &= clause
        return mask

    def coverage(self) -> np.ndarray:
        """Per document, the share of the conjuncts' weight it holds."""
        held = np.zeros(len(self.allowed), dtype=np.float32)
        for clause, weight in zip(self.masks, self.weights, strict=True):
            held += clause * weight  # adding 0 elsewhere: faster than a masked add, the same
        return held / max(float(self.weights.sum()), 1e-9)

    def near(self, coverage: np.ndarray) -> np.ndarray:
        """Documents holding most of the query (the strict set among them)."""
        if len(self.masks) < 2:
            return np.zeros(len(self.allowed), dtype=bool)
        return self.allowed & (coverage >= self.near_share)

    def missing(self, docnum: int) -> list[Node]:
        """The conjuncts a document lacks."""
        return [node for node, mask in zip(self.nodes, self.masks, strict=True) if not mask[docnum]]


def codes_of(terms: tuple[Term, ...] | list[Term]) -> np.ndarray:
    """The forward codes of a sequence of syllables."""
    return np.array([syllable_hash(t.folded) for t in terms], dtype=np.uint32)


class Engine:
    """Matching and ranking for one searcher's index."""

    def __init__(self, postings: PostingCache, live: np.ndarray, forward: ForwardStore) -> None:
        self.postings = postings
        self.live = live
        self.forward = forward
        self._sequences = Recent(lambda: SEQUENCES_KEPT)  # each counted as 1
        self._rarity = Recent(lambda: SEQUENCES_KEPT)
        self.masks = MaskCache(len(live))

    def _mask(self, field: str, term: str) -> np.ndarray:
        docs = self.postings.get(field, term).docs

        def build() -> np.ndarray:
            mask = np.zeros(len(self.live), dtype=bool)
            mask[docs] = True
            return mask

        return self.masks.kept((field, term), len(docs), build)

    def _bare_mask(self, folded: str) -> np.ndarray:
        """Documents holding a syllable written without any diacritic ('ban', not 'bàn'):
        more occurrences of its folded form than of all its accented spellings together."""
        everywhere = self.postings.get("text", folded)
        build = partial(self._count_bare, folded, everywhere)
        return self.masks.kept(("bare", folded), len(everywhere.docs), build)

    def _count_bare(self, folded: str, everywhere: Postings) -> np.ndarray:
        left = everywhere.counts.astype(np.float64)
        for docs, counts in self.postings.written_frequencies(spellings(folded)):
            if len(docs):
                np.subtract.at(left, np.searchsorted(everywhere.docs, docs), counts)
        mask = np.zeros(len(self.live), dtype=bool)
        mask[everywhere.docs[left > 0.5]] = True
        return mask

    def _term_mask(self, term: Term, spelling: str) -> np.ndarray:
        if term.accented and spelling != FOLDED:
            return self._mask("exact", term.text)
        if spelling == SPELLED and term.text.isalpha() and spellings(term.folded):
            return self._bare_mask(term.folded)
        return self._mask("text", term.folded)

    def _sequence_mask(self, terms: tuple[Term, ...], spelling: str) -> np.ndarray:
        mask = self.live.copy()
        for term in terms:
            mask &= self._term_mask(term, spelling)
        return mask & self._adjacent(codes_of(terms))

    def _adjacent(self, codes: np.ndarray) -> np.ndarray:
        """Documents holding these syllable codes side by side, remembered per commit (a
        query matched twice, as typed and then in any spelling, asks twice)."""
        key = codes.tobytes()
        docs = self._sequences.get(key)
        if docs is None:
            # Every occurrence of the rarest syllable is checked: cheaper, measured, than
            # finding the occurrences inside each candidate first.
            found = self.forward.holding(codes, None, len(self.live))
            docs = np.flatnonzero(found).astype(np.int32)
            self._sequences.put(key, docs, 1)  # counted, not weighed: SEQUENCES_KEPT of them
        mask = np.zeros(len(self.live), dtype=bool)
        mask[docs] = True
        return mask

    def match(self, node: Node, spelling: str = ACCENTED) -> np.ndarray:
        """Boolean mask of the live documents that match a query node, its syllables spelled
        as ``spelling`` says (SPELLED, ACCENTED or FOLDED)."""
        if isinstance(node, Term):
            return self._term_mask(node, spelling) & self.live
        if isinstance(node, (Word, Phrase)):
            return self._sequence_mask(node.terms, spelling)
        if isinstance(node, DocNumber):
            found = self._mask("docnums", node.number.query_term())
            return (found & self.live) | self._sequence_mask(node.terms, FOLDED)
        if isinstance(node, Not):
            return self.live & ~self.match(node.node, spelling)
        if isinstance(node, Alternatives):
            mask = self.match(node.typed, spelling)
            for other in node.others:
                mask |= self.match(other, spelling)
            return mask
        masks = [self.match(child, spelling) for child in node.nodes]
        combined = masks[0].copy()
        for mask in masks[1:]:
            if isinstance(node, And):
                combined &= mask
            else:
                combined |= mask
        return combined

    def _conjuncts(self, parsed: ParsedQuery) -> tuple[list[Node], list[Node], bool] | None:
        """A plain query's positive conjuncts, its exclusions, and whether it is pasted text;
        None for OR queries.

        A pasted text's conjuncts are its telling syllables (``informative``), and its dashes
        exclude nothing.
        """
        root = parsed.root
        if root is None or isinstance(root, Or):
            return None
        nodes = list(root.nodes) if isinstance(root, And) else [root]
        if any(isinstance(node, Or) for node in nodes):
            return None
        terms = parsed.positive_terms()
        if len(terms) > LONG_QUERY:
            return list(self.informative(terms, PASTED_CLAUSES)), [], True
        positive = [node for node in nodes if not isinstance(node, Not)]
        return positive, [node for node in nodes if isinstance(node, Not)], False

    def clauses(self, parsed: ParsedQuery, spelling: str = ACCENTED) -> Clauses | None:
        """A plain query's conjuncts with their masks and weights; None for OR queries."""
        conjuncts = self._conjuncts(parsed)
        if conjuncts is None:
            return None
        positive, excluded, pasted = conjuncts
        allowed = self.live.copy()
        for node in excluded:
            allowed &= self.match(node, spelling)
        masks = [self.match(node, spelling) for node in positive]
        live = self.postings.live_count
        counts = np.array([np.count_nonzero(mask) for mask in masks], dtype=np.float64)
        weights = np.log(1.0 + (live - counts + 0.5) / (counts + 0.5))
        weights[counts == 0] = 0.0  # a word no article has tells no article from another
        share = NEAR_SHARE_PASTED if pasted else NEAR_SHARE
        return Clauses(positive, masks, weights.astype(np.float32), allowed, share)

    def holding_every_syllable(self, parsed: ParsedQuery) -> np.ndarray | None:
        """The live documents holding, in any spelling, every syllable a plain query's strict
        set must hold: a mask over all of them, found from the rarest syllable up (the few
        documents left are looked up in the others' postings); None when a conjunct may match
        without its syllables (abbreviations, document numbers) or the query has an OR."""
        conjuncts = self._conjuncts(parsed)
        if conjuncts is None or not conjuncts[0]:
            return None
        folded = set()
        for node in conjuncts[0]:
            if isinstance(node, Term):
                folded.add(node.folded)
            elif isinstance(node, (Word, Phrase)):
                folded.update(term.folded for term in node.terms)
            else:
                return None
        by_rarity = sorted(folded, key=lambda f: self.postings.doc_frequency("text", f))
        docs = self.postings.get("text", by_rarity[0]).docs
        for syllable in by_rarity[1:]:
            if not len(docs):
                break
            others = self.postings.get("text", syllable).docs
            if not len(others):
                docs = others
                break
            at = np.minimum(others.searchsorted(docs), len(others) - 1)
            docs = docs[others[at] == docs]
        mask = np.zeros(len(self.live), dtype=bool)
        mask[docs] = True
        return mask & self.live

    def informative(self, terms: list[Term], keep: int = KEEP_TERMS) -> list[Term]:
        """A long query's rarest distinct syllables (at most ``keep``): the common ones add
        next to nothing to BM25 and cost as much as the rest together."""
        distinct = list({t.folded: t for t in terms}.values())
        if len(distinct) <= keep:
            return distinct
        rarest = set(self._by_rarity(tuple(t.folded for t in distinct))[:keep])
        return [t for t in distinct if t.folded in rarest]

    def _by_rarity(self, folded: tuple[str, ...]) -> list[str]:
        """Syllables from the rarest, in their order on a tie: remembered, since a pasted
        text asks for its telling syllables half a dozen times."""
        order = self._rarity.get(folded)
        if order is None:
            frequency = {f: self.postings.doc_frequency("text", f) for f in folded}
            order = sorted(folded, key=frequency.__getitem__)
            self._rarity.put(folded, order, 1)
        return order

    def _weighted_terms(self, terms: list[Term]) -> list[tuple[Term, float, bool]]:
        """The syllables that score a query, each with its weight and whether it also scores
        in the title and spelled as typed: a short query's all; a pasted text's telling ones
        (by how often it repeats each), then its other syllables that are not common, at
        OTHERS_WEIGHT, in the text only."""
        telling = self.informative(terms)
        if len(terms) <= LONG_QUERY:
            return [(term, 1.0, True) for term in telling]
        repeats = Counter(t.folded for t in terms)

        def weight(term: Term) -> float:
            times = repeats[term.folded]
            return (QTF_K3 + 1) * times / (QTF_K3 + times)

        weighted = [(term, weight(term), True) for term in telling]
        kept = {t.folded for t in telling}
        ceiling = OTHERS_SHARE * self.postings.live_count
        for term in {t.folded: t for t in terms}.values():
            if term.folded in kept:
                continue
            if self.postings.doc_frequency("text", term.folded) <= ceiling:
                weighted.append((term, OTHERS_WEIGHT * weight(term), False))
        return weighted

    def _scores(self, parsed: ParsedQuery, candidates: np.ndarray) -> np.ndarray:
        """BM25 scores of the candidates (in their order)."""
        weighted = self._weighted_terms(parsed.positive_terms())
        alternatives = list(dict.fromkeys(_alternative_terms(parsed.root)))
        folded = [t.folded for t, _, _ in weighted] + [t.folded for t in alternatives]
        scores = CandidateScores(self.postings, self.forward, candidates, folded)
        for term, weight, everywhere in weighted:
            scores.add("text", term.folded, weight)
            if everywhere:
                scores.add("title", term.folded, weight * TITLE_WEIGHT)
                if term.accented:
                    scores.add("exact", term.text, weight * EXACT_WEIGHT)
        for word in dict.fromkeys(_words(parsed.root)):  # underthesea's, as the articles'
            scores.add("words", word, WORD_WEIGHT)
        for number in _document_numbers(parsed.root):
            scores.add("docnums", number.number.query_term(), DOCNUM_WEIGHT)
        for term in alternatives:
            scores.add("text", term.folded, ALTERNATIVE_WEIGHT)
            scores.add("title", term.folded, ALTERNATIVE_WEIGHT * TITLE_WEIGHT)
        return scores.result()

    def more_like(self, terms: list[Term], exclude: np.ndarray, limit: int) -> list[int]:
        """Articles sharing the most telling of an article's syllables (more like this):
        those other articles hold too, but not too many; ``exclude`` masks the article and
        its near-duplicates."""
        live = self.postings.live_count
        frequency = {t.folded: self.postings.doc_frequency("text", t.folded) for t in terms}
        telling = [t for t in terms if 2 <= frequency[t.folded] <= live // 5]
        telling = sorted(telling, key=lambda t: frequency[t.folded])[:KEEP_TERMS]
        counts = np.zeros(len(self.live), dtype=np.int16)
        for term in telling:
            np.add.at(counts, self.postings.get("text", term.folded).docs, 1)
        candidates = np.flatnonzero((counts >= 2) & self.live & ~exclude)
        return self.rank_terms(telling, candidates, limit)

    def rank_terms(self, terms: list[Term], candidates: np.ndarray, limit: int) -> list[int]:
        """The ``limit`` candidates scoring best on some syllables (more like this)."""
        root = And(tuple(terms)) if len(terms) > 1 else (terms[0] if terms else None)
        return self.rank(ParsedQuery("", root), candidates, limit)

    def _pasted_pairs(
        self, terms: list[Term], candidates: np.ndarray, scores: np.ndarray
    ) -> np.ndarray:
        """A pasted text's best candidates (a fixed number, so that the order never depends
        on how far it is computed) raised by the share of its telling syllable pairs they
        hold side by side: text copied from an article shares its word sequences."""
        telling = {t.folded for t in self.informative(terms)}
        pairs = list(
            dict.fromkeys(
                (a.folded, b.folded)
                for a, b in itertools.pairwise(terms)
                if a.folded in telling or b.folded in telling
            )
        )[:PASTED_PAIRS]
        if not pairs:
            return scores
        window = _best(scores, PASTED_WINDOW)
        docs = np.sort(candidates[window])
        held = np.zeros(len(self.live), dtype=np.float32)
        codes = np.array([[syllable_hash(a), syllable_hash(b)] for a, b in pairs], np.uint32)
        held[docs] = self.forward.pairs_held(codes, docs)
        scores = scores.copy()
        scores[window] *= 1.0 + PASTED_PAIR_BOOST * held[candidates[window]] / len(pairs)
        return scores

    def rank(
        self,
        parsed: ParsedQuery,
        candidates: np.ndarray,
        limit: int,
        factor: np.ndarray | None = None,
    ) -> list[int]:
        """The ``limit`` best of the candidate document numbers (ascending), best first;
        ``factor`` (per document) scales their scores: the share of the query a near match
        holds."""
        if not len(candidates) or limit <= 0:
            return []
        scores = self._scores(parsed, candidates).astype(np.float64)
        if factor is not None:
            scores *= factor[candidates] ** NEAR_POWER
        terms = parsed.positive_terms()
        if len(terms) > LONG_QUERY:
            scores = self._pasted_pairs(terms, candidates, scores)
        elif parsed.is_plain and len(terms) > 1:
            # Raised by the share of the query's syllable pairs held side by side; and all
            # candidates holding the whole query word for word come first (in the title, then
            # in the body), which is what puts a remembered headline or sentence first.
            found = self.forward.word_for_word(codes_of(terms), candidates)
            scores *= 1.0 + PAIR_BOOST * found.pair_shares
            level = found.whole + found.in_title.astype(np.float64)
            scores += level * (scores.max() + 1.0)
        if limit < len(candidates):
            top = np.argpartition(-scores, limit - 1)[:limit]
            candidates, scores = candidates[top], scores[top]
        return candidates[np.lexsort((candidates, -scores))].tolist()


def _best(scores: np.ndarray, count: int) -> np.ndarray:
    """Where the ``count`` highest scores are (the first ones on a tie), in no order: the
    first ``count`` of a stable sort, without sorting everything."""
    if len(scores) <= count:
        return np.arange(len(scores))
    lowest = np.partition(scores, len(scores) - count)[len(scores) - count]
    above = np.flatnonzero(scores > lowest)
    return np.concatenate([above, np.flatnonzero(scores == lowest)[: count - len(above)]])


def _words(node: Node | None) -> list[str]:
    """The query's words of several syllables typed with diacritics, as the ``words`` field
    spells them ('chuyển_đổi')."""
    if isinstance(node, Word) and any(t.accented for t in node.terms):
        return ["_".join(t.text for t in node.terms)]
    if isinstance(node, Alternatives):
        return _words(node.typed)
    if isinstance(node, (And, Or)):
        return [word for child in node.nodes for word in _words(child)]
    return []


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
