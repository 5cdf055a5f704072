"""Turn a parsed query into Whoosh queries: what must match, and what only ranks.

Every syllable matches on folded terms (a syllable typed without diacritics finds all
spellings); a syllable typed with diacritics also scores its exact form, so exact matches
rank first without the others being excluded. Ranking adds the whole query as a phrase in
the title and body and the underthesea words of the query.
"""

from __future__ import annotations

from dataclasses import dataclass

from whoosh import query as wq

from indexer.segment import segment_words
from search_app.query import And, DocNumber, Node, Not, Or, ParsedQuery, Phrase, Term

TITLE_BOOST = 2.0  # a syllable in the title counts twice one in the body
EXACT_BOOST = 1.5  # the syllable with the diacritics the user typed
TITLE_PHRASE_BOOST = 6.0  # the whole query, in order, in the title: a remembered headline
BODY_PHRASE_BOOST = 3.0
WORD_BOOST = 1.0
DOCNUM_BOOST = 4.0


@dataclass
class CompiledQuery:
    """``match`` decides which articles are results; ``rank`` adds to their scores."""

    match: wq.Query
    rank: wq.Query | None

    @property
    def scored(self) -> wq.Query:
        """The query to score results with."""
        return self.match if self.rank is None else wq.AndMaybe(self.match, self.rank)


def _term(node: Term) -> wq.Query:
    clauses: list[wq.Query] = [
        wq.Term("title", node.folded, boost=TITLE_BOOST),
        wq.Term("body", node.folded),
    ]
    if node.accented:
        clauses += [
            wq.Term("title_exact", node.text, boost=TITLE_BOOST * EXACT_BOOST),
            wq.Term("body_exact", node.text, boost=EXACT_BOOST),
        ]
    return wq.Or(clauses)


def _phrase(terms: tuple[Term, ...], boost: float = 1.0) -> wq.Query:
    folded = [t.folded for t in terms]
    return wq.Or(
        [
            wq.Phrase("title", folded, boost=TITLE_BOOST * boost),
            wq.Phrase("body", folded, boost=boost),
        ]
    )


def _exact_terms(terms: tuple[Term, ...]) -> list[wq.Query]:
    return [wq.Term("body_exact", t.text, boost=EXACT_BOOST) for t in terms if t.accented]


def _docnum(node: DocNumber) -> wq.Query:
    term = wq.Term("docnums", node.number.query_term(), boost=DOCNUM_BOOST)
    return wq.Or([term, _phrase(node.terms)])


def compile_node(node: Node) -> wq.Query:
    """The Whoosh query that decides whether an article matches ``node``."""
    if isinstance(node, Term):
        return _term(node)
    if isinstance(node, Phrase):
        exact = _exact_terms(node.terms)
        phrase = _phrase(node.terms)
        return wq.AndMaybe(phrase, wq.Or(exact)) if exact else phrase
    if isinstance(node, DocNumber):
        return _docnum(node)
    if isinstance(node, Not):
        return wq.Not(compile_node(node.node))
    if isinstance(node, And):
        parts = [compile_node(child) for child in node.nodes]
        if all(isinstance(child, Not) for child in node.nodes):
            parts.insert(0, wq.Every())
        return wq.And(parts)
    if isinstance(node, Or):
        return wq.Or([compile_node(child) for child in node.nodes])
    raise TypeError(f"unknown query node {node!r}")


def _rank(parsed: ParsedQuery) -> wq.Query | None:
    terms = parsed.positive_terms()
    clauses: list[wq.Query] = []
    if parsed.is_plain and len(terms) > 1:
        folded = [t.folded for t in terms]
        clauses.append(wq.Phrase("title", folded, boost=TITLE_PHRASE_BOOST))
        clauses.append(wq.Phrase("body", folded, boost=BODY_PHRASE_BOOST))
    if len(terms) > 1:
        text = " ".join(t.text for t in terms)
        clauses += [
            wq.Term("words", word, boost=WORD_BOOST)
            for word in dict.fromkeys(segment_words(text))
            if "_" in word
        ]
    return wq.Or(clauses) if clauses else None


def compile_query(parsed: ParsedQuery) -> CompiledQuery | None:
    """Whoosh queries for a parsed query, or None when it has nothing to search for."""
    if parsed.root is None:
        return None
    match = compile_node(parsed.root)
    if isinstance(parsed.root, Not):
        match = wq.And([wq.Every(), match])
    return CompiledQuery(match, _rank(parsed))
