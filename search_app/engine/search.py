"""SearchRequest -> SearchPage: parse, match, filter, count facets, rank, group and highlight.

No Flask here: the views, the exports, the benchmarks and the tests all call
``ArchiveSearch``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from itertools import islice

import numpy as np
from whoosh.searching import Searcher

from indexer.metadata.current_provinces import current_province_for
from indexer.text.segment import segment_words
from indexer.text.vietnamese import SYLLABLE_RE, fold, normalize_text
from search_app.engine.duplicates import Pushback
from search_app.engine.facet_counts import count_facets, facet_label
from search_app.engine.index_handle import IndexHandle, IndexState, IndexUnavailable
from search_app.engine.selection import Selection, ordered, select
from search_app.engine.snippets import Highlight, highlight, prepare_snippets, snippet
from search_app.query.abbreviations import expand_query
from search_app.query.keyboard import convert_query
from search_app.query.language import (
    LONG_QUERY,
    Alternatives,
    DocNumber,
    Node,
    Not,
    ParsedQuery,
    Phrase,
    Term,
    Word,
    parse_query,
)
from search_app.query.provinces import province_hints
from search_app.query.spelling import repair
from search_app.query.words import group_words
from search_app.results import (
    ArticlePage,
    DocumentPage,
    Hit,
    SearchPage,
    SearchRequest,
    Similar,
)

RELATED = 5  # "related articles" on an article page
EXACT_PAGES = 100  # results up to which the number of (grouped) pages is counted exactly
SUGGEST_BELOW = 5  # "did you mean" is offered when a query finds fewer results than this
TYPED_QUERY = 200  # characters: a longer query is pasted text, never Telex nor misspelt


def highlight_spec(parsed: ParsedQuery, folded: bool = False) -> Highlight:
    """What to mark for a query: its positive syllables, words, phrases and document numbers,
    spelled as typed (any spelling of what was typed without diacritics, or of everything
    when ``folded``)."""
    terms: set[str] = set()
    sequences: list[tuple[str, ...]] = []
    numbers: set[str] = set()

    def spelled(term: Term) -> str:
        return term.folded if folded else term.text

    def walk(node: Node) -> None:
        if isinstance(node, Term):
            terms.add(spelled(node))
        elif isinstance(node, (Word, Phrase)):
            sequences.append(tuple(spelled(t) for t in node.terms))
        elif isinstance(node, DocNumber):
            numbers.add(node.number.query_term())
            sequences.append(tuple(t.folded for t in node.terms))
        elif isinstance(node, Alternatives):
            for form in (node.typed, *node.others):
                walk(form)
        elif not isinstance(node, Not):
            for child in node.nodes:
                walk(child)

    if parsed.root is not None:
        walk(parsed.root)
    return Highlight(frozenset(terms), tuple(dict.fromkeys(sequences)), frozenset(numbers))


def _label(node: Node) -> str:
    """A conjunct of a query as people read it, for "missing" words."""
    if isinstance(node, Term):
        return node.text
    if isinstance(node, Word):
        return node.text
    if isinstance(node, Phrase):
        return '"' + " ".join(t.text for t in node.terms) + '"'
    if isinstance(node, DocNumber):
        return node.number.text or node.number.key
    if isinstance(node, Alternatives):
        return _label(node.typed)
    return " ".join(t.text for t in ParsedQuery("", node).positive_terms())


def _current_name(province: str | None) -> str | None:
    """The name of the unit today of a province as published ('Bắc Kạn' -> 'Thái Nguyên')."""
    unit = current_province_for(province)
    return unit.name if unit is not None else None


def _similar(searcher: Searcher, docnum: int) -> Similar:
    stored = searcher.stored_fields(docnum)
    meta = stored.get("meta") or {}
    return Similar(
        stored["id"], stored.get("title", ""), meta.get("published"), meta.get("province")
    )


class ArchiveSearch:
    """Searches one index folder; safe to share between threads."""

    def __init__(self, handle: IndexHandle, page_size: int = 10) -> None:
        self.handle = handle
        self.page_size = page_size

    def warm_up(self, index: bool = True) -> None:
        """Load the word segmenter and the snippets' tables and (with ``index``) open the
        index, if there is one, now: the first request does not pay for them."""
        segment_words("khởi động")
        prepare_snippets()
        if not index:
            return
        try:
            with self.handle.current():
                pass
        except IndexUnavailable:
            pass

    @staticmethod
    def _parse(state: IndexState, query: str) -> ParsedQuery:
        """The query parsed, abbreviations expanded and loose syllables grouped into words."""
        return group_words(expand_query(parse_query(query)), lambda: state.vocabulary)

    def _page_of_groups(
        self,
        state: IndexState,
        parsed: ParsedQuery,
        selection: Selection,
        request: SearchRequest,
    ) -> tuple[int, int, list[list[int]]]:
        """The page asked for (or the last one), the number of pages, and its groups."""
        listed = selection.total + selection.near_total
        pages = max(1, math.ceil(listed / self.page_size))
        wanted = min(max(1, request.page), pages)
        first = 4 * self.page_size * max(1, request.page)
        ordering = Pushback(ordered(state, parsed, selection, request.sort, first))
        groups: list[list[int]] = []
        for number in range(1, wanted + 1):
            groups, more = state.signatures.page(ordering, self.page_size)
            if not more:  # grouping made fewer pages than articles would
                return number, number, groups
        if listed <= EXACT_PAGES:  # count the pages left, so that the last page link is right
            counted = wanted
            while more:
                _, more = state.signatures.page(ordering, self.page_size)
                counted += 1
            pages = counted
        return wanted, pages, groups

    @staticmethod
    def _keyboard_reading(state: IndexState, request: SearchRequest) -> str:
        """The query read as Telex or VNI when it was typed with the Vietnamese keyboard off
        ("chuyeenr ddooir soos"), else ""."""
        if request.verbatim or len(request.q) > TYPED_QUERY:
            return ""
        # Asked only of words that change when read as Telex or VNI: most queries never
        # load the vocabulary.
        return convert_query(request.q, lambda syllable: state.vocabulary.knows(syllable)) or ""

    @staticmethod
    def _suggestion(
        state: IndexState, query: str, found: int, filters: dict[str, np.ndarray]
    ) -> str:
        """ "Did you mean": the query with typos fixed and diacritics restored, when the query
        found little and the suggestion finds more (or the same, better spelled)."""
        if found >= SUGGEST_BELOW or len(query) > TYPED_QUERY:
            return ""
        query = normalize_text(query)  # typed decomposed (NFD): the repairs read letters whole
        candidate = repair(query, state.vocabulary)
        parsed = ArchiveSearch._parse(state, candidate) if candidate else None
        if parsed is None or parsed.root is None or parsed.notices:
            return ""
        matched = state.engine.match(parsed.root) & state.tables.live
        for mask in filters.values():
            matched &= mask
        count = int(np.count_nonzero(matched))
        better = count > found or (count and fold(candidate) == fold(query))
        return candidate if better else ""

    def search(self, request: SearchRequest) -> SearchPage:
        """Run a search and build the page of results the request asks for."""
        with self.handle.current() as state:
            searched = self._keyboard_reading(state, request)
            query = searched or request.q
            parsed = self._parse(state, query)
            selection = select(state, parsed, request)
            page, pages, groups = self._page_of_groups(state, parsed, selection, request)
            spec = self._spec(state, parsed, selection)
            hits = []
            for group in groups:
                hit = self._hit(state.searcher, group[0], spec, selection)
                hit.similar = [_similar(state.searcher, d) for d in group[1:]]
                hits.append(hit)
            facets = count_facets(
                state.searcher, state.tables, request, selection.counted, selection.filters
            )
            found = selection.total
            suggestion = self._suggestion(state, query, found, selection.filters) if query else ""
        published = {v.value: v.count for v in facets["province"].values}
        return SearchPage(
            request,
            selection.total,
            page,
            pages,
            self.page_size,
            hits,
            facets,
            parsed.notices + selection.notices,
            searched=searched,
            suggestion=suggestion,
            near=selection.near_total,
            counted="near" if selection.counts_near else "all",
            provinces=province_hints(query, request, published),
        )

    def export(self, request: SearchRequest, limit: int | None = None) -> Iterator[Hit]:
        """Every result of a search that its count counts (or the first ``limit``), in order,
        not grouped (for CSV, JSON Lines and feeds). The index commit it started on stays
        open until the last is out."""
        with self.handle.pinned() as state:
            with self.handle.lock:
                query = self._keyboard_reading(state, request) or request.q
                parsed = self._parse(state, query)
                selection = select(state, parsed, request)
                if not selection.counts_near:  # what the count counts, no more
                    selection = replace(selection, near=np.zeros_like(selection.near))
                spec = self._spec(state, parsed, selection)
                ranked = ordered(state, parsed, selection, request.sort, 4 * self.page_size)
                order = list(islice(ranked, limit))
            for start in range(0, len(order), 100):
                with self.handle.lock:
                    hits = [
                        self._hit(state.searcher, d, spec, selection)
                        for d in order[start : start + 100]
                    ]
                yield from hits

    def committed(self) -> datetime:
        """When the index commit searched now was written (UTC): a stable instant for what
        has no date of its own."""
        with self.handle.current() as state:
            return datetime.fromtimestamp(state.committed, UTC)

    def filter_labels(self, request: SearchRequest) -> dict[str, list[str]]:
        """The labels of the facet values a request selects, by facet ('bac-kan' ->
        'Bắc Kạn'), for titles that name a search."""
        with self.handle.current() as state:
            return {
                name: [facet_label(state.searcher, state.tables, name, v) for v in values]
                for name, values in request.filters().items()
                if values
            }

    def matched_ids(self, request: SearchRequest) -> list[str]:
        """The ids of the articles a search counts, in document order (for checks)."""
        with self.handle.current() as state:
            query = self._keyboard_reading(state, request) or request.q
            selection = select(state, self._parse(state, query), request)
            counted = selection.counted.copy()
            for mask in selection.filters.values():
                counted &= mask
            return [state.searcher.stored_fields(int(d))["id"] for d in np.flatnonzero(counted)]

    @staticmethod
    def _spec(state: IndexState, parsed: ParsedQuery, selection: Selection) -> Highlight:
        terms = parsed.positive_terms()
        if len(terms) > LONG_QUERY:  # pasted text: mark its telling words, not every "của"
            return Highlight(frozenset(t.folded for t in state.engine.informative(terms)))
        return highlight_spec(parsed, folded=selection.folded)

    @staticmethod
    def _hit(searcher: Searcher, docnum: int, spec: Highlight, selection: Selection) -> Hit:
        stored = searcher.stored_fields(docnum)
        meta = stored.get("meta") or {}
        near = bool(selection.near[docnum])
        clauses = selection.clauses
        missing = clauses.missing(docnum) if near and clauses and len(clauses.nodes) <= 8 else []
        return Hit(
            near=near,
            missing=[_label(node) for node in missing],
            id=stored["id"],
            title=stored.get("title", ""),
            title_html=highlight(stored.get("title", ""), spec),
            url=meta.get("url"),
            published=meta.get("published"),
            province=meta.get("province"),
            current_province=_current_name(meta.get("province")),
            topics=list(meta.get("topics") or []),
            snippet=snippet(stored.get("body", ""), spec),
            author=meta.get("author"),
            source=meta.get("source"),
        )

    def article(self, article_id: str, q: str = "") -> ArticlePage | None:
        """One article in full with the query's matches marked, its near-duplicates and
        related articles; None for an unknown id."""
        with self.handle.current() as state:
            spec = highlight_spec(self._parse(state, q)) if q else Highlight()
            docnum = state.searcher.document_number(id=article_id)
            if docnum is None:
                return None
            stored = state.searcher.stored_fields(docnum)
            title, body = stored.get("title", ""), stored.get("body", "")
            similar, related = self._neighbours(state, docnum, title + "\n" + body)
        meta = stored.get("meta") or {}
        paragraphs = [p for p in body.split("\n") if p.strip()]
        return ArticlePage(
            id=stored["id"],
            title=title,
            title_html=highlight(title, spec),
            paragraphs=paragraphs,
            paragraphs_html=[highlight(p, spec) for p in paragraphs],
            url=meta.get("url"),
            published=meta.get("published"),
            province=meta.get("province"),
            current_province=_current_name(meta.get("province")),
            topics=list(meta.get("topics") or []),
            author=meta.get("author"),
            source=meta.get("source"),
            kicker=meta.get("kicker"),
            cited=list(meta.get("cited") or []),
            captured=meta.get("captured"),
            urls=list(meta.get("urls") or []),
            related=related,
            similar=similar,
        )

    def _neighbours(
        self, state: IndexState, docnum: int, text: str
    ) -> tuple[list[Similar], list[Similar]]:
        """An article's near-duplicates, and the articles most like it (more like this)."""
        everyone = np.flatnonzero(state.tables.live)
        everyone = everyone[everyone != docnum]
        duplicates = state.signatures.similar_to(docnum, everyone)
        terms = [Term(s) for s in dict.fromkeys(fold(s) for s in SYLLABLE_RE.findall(text))]
        exclude = np.zeros(len(state.tables.live), dtype=bool)
        exclude[[docnum, *duplicates]] = True
        ranked = state.engine.more_like(terms, exclude, RELATED)
        return (
            [_similar(state.searcher, int(d)) for d in duplicates[:20]],
            [_similar(state.searcher, int(d)) for d in ranked],
        )

    def document(self, value: str) -> DocumentPage | None:
        """The articles citing a document number (a ``cited`` facet value), oldest first."""
        with self.handle.current() as state:
            docs = state.tables.fields["cited"].docs_with(value)
            docs = docs[state.tables.live[docs]]
            if not len(docs):
                return None
            dates = state.tables.date_key[docs]
            order = docs[np.lexsort((docs, dates, dates == 0))]  # undated ones last
            articles = [_similar(state.searcher, int(d)) for d in order]
            key = self._cited_key(state.searcher, int(order[0]), value)
        return DocumentPage(key, value, articles)

    @staticmethod
    def _cited_key(searcher: Searcher, docnum: int, value: str) -> str:
        for key in (searcher.stored_fields(docnum).get("meta") or {}).get("cited") or []:
            if fold(key) == value:
                return key
        return value.upper()
