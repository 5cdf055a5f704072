"""SearchRequest -> SearchPage: parse, match, count facets, rank, page and highlight.

No Flask here: the views, the benchmarks and the tests all call ``ArchiveSearch.search``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np
from whoosh.searching import Searcher

from indexer.segment import segment_words
from search_app.engine import LONG_QUERY
from search_app.facets import FACET_FIELDS, FacetTables
from search_app.index_handle import IndexHandle, IndexUnavailable
from search_app.labels import facet_label
from search_app.query import DocNumber, Node, Not, ParsedQuery, Phrase, Term, parse_query
from search_app.snippets import Highlight, highlight, snippet

SORTS = ("relevance", "newest")
RELAXED_NOTICE = "Không có bài nào chứa đủ mọi từ đã gõ: đang hiển thị các bài chứa nhiều từ nhất."
FACET_TITLES = {"province": "Tỉnh, thành phố", "year": "Năm", "topic": "Chủ đề"}


@dataclass(frozen=True)
class SearchRequest:
    """Everything a search URL says: the query, facet filters, sort and page."""

    q: str = ""
    province: tuple[str, ...] = ()
    year: tuple[str, ...] = ()
    topic: tuple[str, ...] = ()
    sort: str = "relevance"
    page: int = 1

    def filters(self) -> dict[str, tuple[str, ...]]:
        """Selected facet values by facet name."""
        return {"province": self.province, "year": self.year, "topic": self.topic}


@dataclass
class FacetValue:
    """One value of a facet: ``value`` goes in the URL, ``label`` is for people."""

    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    """A facet and its values, most frequent first."""

    name: str
    title: str
    values: list[FacetValue]


@dataclass
class Hit:
    """One result, ready to show; ``snippet`` and ``title_html`` are safe HTML."""

    id: str
    title: str
    title_html: str
    url: str | None
    published: str | None
    province: str | None
    topics: list[str]
    snippet: str
    author: str | None = None
    source: str | None = None


@dataclass
class SearchPage:
    """One page of results with the facets of the whole result set."""

    request: SearchRequest
    total: int
    page: int
    pages: int
    page_size: int
    hits: list[Hit]
    facets: dict[str, Facet]
    notices: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        """The JSON the API returns."""
        return {
            "query": self.request.q,
            "total": self.total,
            "page": self.page,
            "pages": self.pages,
            "hits": [
                {
                    key: getattr(hit, key)
                    for key in ("id", "title", "url", "published", "province", "topics", "snippet")
                }
                for hit in self.hits
            ],
            "facets": {
                name: [asdict(value) for value in facet.values]
                for name, facet in self.facets.items()
            },
            "notices": self.notices,
        }


@dataclass
class ArticlePage:
    """One article in full; ``paragraphs_html`` and ``title_html`` are safe HTML."""

    id: str
    title: str
    title_html: str
    paragraphs_html: list[str]
    url: str | None
    published: str | None
    province: str | None
    topics: list[str]
    author: str | None
    source: str | None
    kicker: str | None
    cited: list[str]


def highlight_spec(parsed: ParsedQuery) -> Highlight:
    """What to mark for a query: its positive words, phrases and document numbers."""
    terms: set[str] = set()
    sequences: list[tuple[str, ...]] = []

    def walk(node: Node) -> None:
        if isinstance(node, Term):
            terms.add(node.folded)
        elif isinstance(node, (Phrase, DocNumber)):
            sequences.append(tuple(t.folded for t in node.terms))
        elif not isinstance(node, Not):
            for child in node.nodes:
                walk(child)

    if parsed.root is not None:
        walk(parsed.root)
    return Highlight(frozenset(terms), tuple(dict.fromkeys(sequences)))


class ArchiveSearch:
    """Searches one index folder; safe to share between threads."""

    def __init__(self, handle: IndexHandle, page_size: int = 10) -> None:
        self.handle = handle
        self.page_size = page_size

    def warm_up(self) -> None:
        """Open the index (if there is one) and load the word segmenter now, so that the
        first request does not pay for them."""
        segment_words("khởi động")
        try:
            with self.handle.current():
                pass
        except IndexUnavailable:
            pass

    def search(self, request: SearchRequest) -> SearchPage:
        """Run a search and build the page of results the request asks for."""
        parsed = parse_query(request.q)
        with self.handle.current() as state:
            searcher, tables, engine = state.searcher, state.tables, state.engine
            notices = list(parsed.notices)
            if parsed.root is None:
                matched = tables.live.copy()
            else:
                matched = engine.match(parsed.root) & tables.live
                if not matched.any() and parsed.is_plain:
                    matched = engine.match_most(parsed.positive_terms()) & tables.live
                    if matched.any():
                        notices.append(RELAXED_NOTICE)
            filters = {
                name: tables.fields[name].mask(tables.doc_count, list(values))
                for name, values in request.filters().items()
                if values
            }
            allowed = matched.copy()
            for mask in filters.values():
                allowed &= mask
            total = int(allowed.sum())
            pages = max(1, math.ceil(total / self.page_size))
            page = min(max(1, request.page), pages)
            if parsed.root is None or request.sort == "newest":
                docnums = self._newest(tables, allowed, page)
            else:
                ranked = engine.rank(parsed, np.flatnonzero(allowed), page * self.page_size)
                docnums = ranked[(page - 1) * self.page_size :]
            spec = highlight_spec(parsed)
            terms = parsed.positive_terms()
            if len(terms) > LONG_QUERY:  # pasted text: mark its telling words, not every "của"
                spec = Highlight(frozenset(t.folded for t in engine.informative(terms)))
            hits = [self._hit(searcher, docnum, spec) for docnum in docnums]
            facets = _facets(searcher, tables, request, matched, filters)
        return SearchPage(request, total, page, pages, self.page_size, hits, facets, notices)

    def _newest(self, tables: FacetTables, allowed: np.ndarray, page: int) -> list[int]:
        ordered = tables.newest_first(allowed)
        start = (page - 1) * self.page_size
        return ordered[start : start + self.page_size].tolist()

    def _hit(self, searcher: Searcher, docnum: int, spec: Highlight) -> Hit:
        stored = searcher.stored_fields(docnum)
        meta = stored.get("meta") or {}
        return Hit(
            id=stored["id"],
            title=stored.get("title", ""),
            title_html=highlight(stored.get("title", ""), spec),
            url=meta.get("url"),
            published=meta.get("published"),
            province=meta.get("province"),
            topics=list(meta.get("topics") or []),
            snippet=snippet(stored.get("body", ""), spec),
            author=meta.get("author"),
            source=meta.get("source"),
        )

    def article(self, article_id: str, q: str = "") -> ArticlePage | None:
        """One article in full with the query's matches marked, or None for an unknown id."""
        spec = highlight_spec(parse_query(q)) if q else Highlight()
        with self.handle.current() as state:
            stored = state.searcher.document(id=article_id)
        if stored is None:
            return None
        meta = stored.get("meta") or {}
        title = stored.get("title", "")
        paragraphs = [p for p in stored.get("body", "").split("\n") if p.strip()]
        return ArticlePage(
            id=stored["id"],
            title=title,
            title_html=highlight(title, spec),
            paragraphs_html=[highlight(p, spec) for p in paragraphs],
            url=meta.get("url"),
            published=meta.get("published"),
            province=meta.get("province"),
            topics=list(meta.get("topics") or []),
            author=meta.get("author"),
            source=meta.get("source"),
            kicker=meta.get("kicker"),
            cited=list(meta.get("cited") or []),
        )


def _facets(
    searcher: Searcher,
    tables: FacetTables,
    request: SearchRequest,
    matched: np.ndarray,
    filters: dict[str, np.ndarray],
) -> dict[str, Facet]:
    """Counts of each facet over the results filtered by the *other* facets, so that a
    value's count is what choosing it would give, and values of one facet combine with OR."""
    selected_by_name = request.filters()
    facets = {}
    for name in FACET_FIELDS:
        base = matched.copy()
        for other, mask in filters.items():
            if other != name:
                base &= mask
        table = tables.fields[name]
        counts = table.counts(base)
        selected = set(selected_by_name[name])
        values = [
            FacetValue(
                value, facet_label(searcher, tables, name, value), int(count), value in selected
            )
            for value, count in zip(table.values, counts, strict=True)
            if count or value in selected
        ]
        known = {v.value for v in values}
        values += [
            FacetValue(value, facet_label(searcher, tables, name, value), 0, True)
            for value in selected - known
        ]
        values.sort(key=lambda v: (-v.count, v.label))
        facets[name] = Facet(name, FACET_TITLES[name], values)
    return facets
