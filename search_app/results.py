"""What a search is asked and what it answers: plain records shared by the views and the API."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.records import DERIVED_FACETS, FACET_FIELDS

FACETS = (*DERIVED_FACETS, *FACET_FIELDS)
SORTS = ("relevance", "newest")
HIT_FIELDS = (
    "id", "title", "url", "published", "province", "current_province", "topics", "snippet",
)  # fmt: skip
_DATE_RE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


class BadDate(ValueError):
    """A ``from`` or ``to`` parameter that is not a date."""


def date_bound(text: str, upper: bool) -> int:
    """'2021' -> 20210000 (from) or 20219999 (to); '2021-03-05' -> 20210305: comparable with
    the index's date keys, where a partial date counts as its whole period."""
    match = _DATE_RE.fullmatch(text.strip())
    if not match:
        raise BadDate(f"Ngày {text!r} không đúng dạng năm, năm-tháng hoặc năm-tháng-ngày.")
    year, month, day = match.group(1), match.group(2), match.group(3)
    if (month and not 1 <= int(month) <= 12) or (day and not 1 <= int(day) <= 31):
        raise BadDate(f"Ngày {text!r} không có thật.")
    missing = "99" if upper else "00"
    return int(year + (month or missing).zfill(2) + (day or missing).zfill(2))


@dataclass(frozen=True)
class SearchRequest:
    """Everything a search URL says: the query, facet filters, date range, sort and page."""

    q: str = ""
    current_province: tuple[str, ...] = ()  # the province today (since the 2025 merger)
    province: tuple[str, ...] = ()  # the province as published
    year: tuple[str, ...] = ()
    month: tuple[str, ...] = ()
    topic: tuple[str, ...] = ()
    cited: tuple[str, ...] = ()
    date_from: str = ""
    date_to: str = ""
    sort: str = "relevance"
    page: int = 1
    verbatim: bool = False  # search the query as typed, without reading it as Telex or VNI
    near: bool = False  # count the near matches too (facets, chart, exports)

    def filters(self) -> dict[str, tuple[str, ...]]:
        """Selected facet values by facet name."""
        return {name: getattr(self, name) for name in FACETS}


@dataclass
class FacetValue:
    """One value of a facet: ``value`` goes in the URL, ``label`` is for people."""

    value: str
    label: str
    count: int
    selected: bool

    def to_json(self) -> dict:
        """The value as the API returns it (``asdict`` is ten times slower)."""
        return {
            "value": self.value, "label": self.label, "count": self.count,
            "selected": self.selected,
        }  # fmt: skip


@dataclass
class Facet:
    """A facet and its values, most frequent first."""

    name: str
    title: str
    values: list[FacetValue]


@dataclass
class Similar:
    """A near-duplicate of a result, grouped under it."""

    id: str
    title: str
    published: str | None
    province: str | None

    def to_json(self) -> dict:
        """The near-duplicate as the API returns it."""
        return {
            "id": self.id, "title": self.title, "published": self.published,
            "province": self.province,
        }  # fmt: skip


@dataclass
class Hit:
    """One result, ready to show; ``snippet`` and ``title_html`` are safe HTML."""

    id: str
    title: str
    title_html: str
    url: str | None
    published: str | None
    province: str | None  # as published
    current_province: str | None  # the unit it belongs to today; None when national
    topics: list[str]
    snippet: str
    author: str | None = None
    source: str | None = None
    similar: list[Similar] = field(default_factory=list)
    near: bool = False  # holds most of the query, not all of it
    missing: list[str] = field(default_factory=list)  # near: the words of the query it lacks

    def to_json(self) -> dict:
        """The fields the API returns for a result."""
        return {key: getattr(self, key) for key in HIT_FIELDS}


@dataclass
class ProvinceHint:
    """A province of today that the query or a filter names, and the former provinces it
    took in whose articles that search leaves out (they name the old province)."""

    value: str  # its ``current_province`` facet value: "thai-nguyen"
    name: str  # "Thái Nguyên"
    took_in: list[str]  # the former provinces left out: ["Bắc Kạn"]
    named_by: str  # "query", or "filter" (the province as published)
    query: str = ""  # by a query: the query without the name, to filter by the unit instead
    expanded: str = ""  # by a query: the query naming the former provinces too

    def to_json(self) -> dict:
        """The hint as the API returns it."""
        return {
            "current_province": self.value, "name": self.name, "took_in": self.took_in,
            "named_by": self.named_by, "query": self.query, "expanded": self.expanded,
        }  # fmt: skip


@dataclass
class SearchPage:
    """One page of results with the facets of the whole result set."""

    request: SearchRequest
    total: int  # articles holding every word of the query
    page: int
    pages: int
    page_size: int
    hits: list[Hit]
    facets: dict[str, Facet]
    notices: list[str] = field(default_factory=list)
    searched: str = ""  # the query actually searched, when it differs from the one typed
    suggestion: str = ""  # "did you mean": the query with diacritics restored
    near: int = 0  # articles holding most of the query, listed after the others
    counted: str = "all"  # what the facets and the chart count: "all" words, or "near" too
    provinces: list[ProvinceHint] = field(default_factory=list)  # since the 2025 merger

    def to_json(self) -> dict:
        """The JSON the API returns."""
        hits = []
        for hit in self.hits:
            entry = hit.to_json()
            entry["near"] = hit.near
            entry["missing"] = hit.missing
            entry["similar"] = [s.to_json() for s in hit.similar]
            hits.append(entry)
        return {
            "query": self.request.q,
            "searched": self.searched or self.request.q,
            "suggestion": self.suggestion or None,
            "total": self.total,
            "near": self.near,
            "counted": self.counted,
            "page": self.page,
            "pages": self.pages,
            "hits": hits,
            "facets": {
                name: [value.to_json() for value in facet.values]
                for name, facet in self.facets.items()
            },
            "notices": self.notices,
            "province_hints": [hint.to_json() for hint in self.provinces],
        }


@dataclass
class ArticlePage:
    """One article in full; ``paragraphs_html`` and ``title_html`` are safe HTML."""

    id: str
    title: str
    title_html: str
    paragraphs: list[str]
    paragraphs_html: list[str]
    url: str | None
    published: str | None
    province: str | None  # as published
    current_province: str | None  # the unit it belongs to today
    topics: list[str]
    author: str | None
    source: str | None
    kicker: str | None
    cited: list[str]
    captured: str | None = None  # when a web archive captured the page (not its date)
    urls: list[str] = field(default_factory=list)  # every address the same text was found at
    related: list[Similar] = field(default_factory=list)
    similar: list[Similar] = field(default_factory=list)

    def to_json(self) -> dict:
        """The article as the API returns it: its text in paragraphs, its metadata, and its
        near-duplicates and related articles."""
        return {
            "id": self.id, "title": self.title, "url": self.url, "published": self.published,
            "province": self.province, "current_province": self.current_province,
            "topics": self.topics, "author": self.author, "source": self.source,
            "kicker": self.kicker, "cited": self.cited, "captured": self.captured,
            "urls": self.urls, "paragraphs": self.paragraphs,
            "similar": [s.to_json() for s in self.similar],
            "related": [s.to_json() for s in self.related],
        }  # fmt: skip


@dataclass
class DocumentPage:
    """A legal document number and the articles citing it, oldest first (a timeline)."""

    key: str  # as written in the articles, e.g. "570/QĐ-UBND"
    value: str  # the facet value, e.g. "570/qd-ubnd"
    articles: list[Similar]
