"""Which articles a search returns, what its count counts, and in which order they come.

The strict set holds every word of the query as a word, spelled as typed: where diacritics
were typed, syllables typed without any must be written without any too (``Engine.match``).
When diacritics were typed and the strict set has fewer than ``FOLDED_BELOW`` articles, the
articles matching the query in any spelling join it, and a notice says so. For a plain query
(words, phrases, document numbers, exclusions; no OR), the near matches follow: the articles
holding most of the query, weighted by how telling the words they lack are (``Clauses``),
ranked by their score times the share they hold.

The count, the facets, the year chart and the exports are the strict set's, so that a count
means "articles about this"; the near matches are counted apart, and join the rest when the
request asks for them (``near``) or when no article holds the whole query (pasted text).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from search_app.engine.index_handle import IndexState
from search_app.engine.matching import ACCENTED, FOLDED, SPELLED, Clauses
from search_app.query.language import (
    LONG_QUERY,
    Alternatives,
    And,
    Node,
    Or,
    ParsedQuery,
    Phrase,
    Term,
    Word,
)
from search_app.results import SearchRequest, date_bound

FOLDED_BELOW = 5  # with fewer articles spelled as typed, those spelled otherwise join them
RELAXED_NOTICE = "Không có bài nào chứa đủ mọi từ đã gõ: đang hiển thị các bài chứa nhiều từ nhất."
FOLDED_NOTICE = (
    "Có ít bài viết đúng dấu như đã gõ: đang hiển thị cả các bài viết cùng chữ nhưng khác dấu."
)


@dataclass
class Selection:
    """A search's documents: the strict set and the near matches, both filtered, and what
    the facets count."""

    strict: np.ndarray  # boolean over documents, facet filters applied
    near: np.ndarray  # the same for the near matches (none of the strict set)
    counted: np.ndarray  # what the facets count, before the facet filters
    filters: dict[str, np.ndarray]
    clauses: Clauses | None = None
    coverage: np.ndarray | None = None  # per document, the share of the query it holds
    notices: list[str] = field(default_factory=list)
    folded: bool = False  # matched without diacritics: the spelling typed found too little
    counts_near: bool = False  # the facets count the near matches too

    @property
    def total(self) -> int:
        """Articles holding the whole query."""
        return int(np.count_nonzero(self.strict))

    @property
    def near_total(self) -> int:
        """Articles holding most of it."""
        return int(np.count_nonzero(self.near))


def filter_masks(state: IndexState, request: SearchRequest) -> dict[str, np.ndarray]:
    """The request's facet and date filters, each a mask over documents."""
    tables = state.tables
    filters = {
        name: tables.fields[name].mask(tables.doc_count, list(values))
        for name, values in request.filters().items()
        if values
    }
    if request.date_from or request.date_to:
        low = date_bound(request.date_from, upper=False) if request.date_from else 1
        high = date_bound(request.date_to, upper=True) if request.date_to else 99999999
        filters["_dates"] = (tables.date_key >= low) & (tables.date_key <= high)
    return filters


def _has_accents(parsed: ParsedQuery) -> bool:
    """Whether diacritics were typed where spelling matters (not in document numbers,
    which match in any spelling)."""

    def accented(node: Node) -> bool:
        if isinstance(node, Term):
            return node.accented
        if isinstance(node, (Word, Phrase)):
            return any(term.accented for term in node.terms)
        if isinstance(node, Alternatives):
            return accented(node.typed)
        if isinstance(node, (And, Or)):
            return any(accented(child) for child in node.nodes)
        return False  # document numbers; what is excluded says nothing of the typing

    return parsed.root is not None and accented(parsed.root)


def _matches(
    state: IndexState, parsed: ParsedQuery, spelling: str
) -> tuple[np.ndarray, Clauses | None]:
    engine = state.engine
    clauses = engine.clauses(parsed, spelling)
    strict = clauses.strict() if clauses is not None else engine.match(parsed.root, spelling)
    return strict & state.tables.live, clauses


def select(state: IndexState, parsed: ParsedQuery, request: SearchRequest) -> Selection:
    """The documents a search returns and counts."""
    live = state.tables.live
    filters = filter_masks(state, request)
    if parsed.root is None:
        return Selection(_filtered(live, filters), np.zeros_like(live), live, filters)
    notices: list[str] = []
    accents = _has_accents(parsed)
    strict, clauses = _matches(state, parsed, SPELLED if accents else ACCENTED)
    was_folded = False
    found = np.count_nonzero(_filtered(strict, filters))
    if accents and found < FOLDED_BELOW and _folded_may_add(state, parsed, filters, found):
        folded, folded_clauses = _matches(state, parsed, FOLDED)
        if np.count_nonzero(_filtered(folded, filters)) > found:
            strict, clauses, was_folded = strict | folded, folded_clauses, True
            notices.append(FOLDED_NOTICE)
    near = np.zeros_like(live)
    coverage = None
    if clauses is not None:
        coverage = clauses.coverage()
        near = clauses.near(coverage) & live & ~strict
    counts_near = bool(request.near or not _filtered(strict, filters).any())
    counted = strict | near if counts_near else strict
    if not strict.any() and near.any():
        notices.append(RELAXED_NOTICE)
    return Selection(
        _filtered(strict, filters),
        _filtered(near, filters),
        counted,
        filters,
        clauses,
        coverage,
        notices,
        folded=was_folded,
        counts_near=counts_near,
    )


def _folded_may_add(
    state: IndexState, parsed: ParsedQuery, filters: dict[str, np.ndarray], found: int
) -> bool:
    """Whether more than ``found`` articles might match in any spelling: not when fewer hold
    every syllable of a pasted text (its 128 telling ones take 2 ms to match; a shorter
    query's few cost less than asking)."""
    if len(parsed.positive_terms()) <= LONG_QUERY:
        return True
    holding = state.engine.holding_every_syllable(parsed)
    return holding is None or np.count_nonzero(_filtered(holding, filters)) > found


def _filtered(mask: np.ndarray, filters: dict[str, np.ndarray]) -> np.ndarray:
    result = mask.copy()
    for other in filters.values():
        result &= other
    return result


def ordered(
    state: IndexState, parsed: ParsedQuery, selection: Selection, sort: str, first: int
) -> Iterator[int]:
    """The strict set, then the near matches, best first (or newest first), each computed
    as far as needed; ``first`` is how many the first batch ranks."""
    for mask, factor in ((selection.strict, None), (selection.near, selection.coverage)):
        if parsed.root is None or sort == "newest":
            yield from state.tables.newest_first(mask).tolist()
            continue
        candidates = np.flatnonzero(mask)
        limit, done = first, 0
        while done < len(candidates):
            ranked = state.engine.rank(parsed, candidates, limit, factor)
            yield from ranked[done:]
            done, limit = len(ranked), limit * 4
