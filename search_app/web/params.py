"""URL parameters <-> SearchRequest: parsing with precise messages, and the URLs of a search.

The URL holds the whole state of a search, so every result page is a permalink and every
link on it (facets, sort, pages, exports) is the same URL with one thing changed.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict

from search_app.query.language import MAX_QUERY_CHARS
from search_app.results import FACETS, SORTS, BadDate, ProvinceHint, SearchRequest, date_bound
from search_app.web.drilldown import nested_in

# Characters of a query kept from the URL: more than the parser reads (MAX_QUERY_CHARS), so
# that it can say the query was cut, and little enough to bound the work on a hostile URL.
MAX_QUERY = 4 * MAX_QUERY_CHARS
FORMATS = ("html", "json", "csv", "jsonl")
# A date as people type it in Vietnam: 05/03/2021 or 03/2021.
_DMY_RE = re.compile(r"(?:(\d{1,2})/)?(\d{1,2})/(\d{4})")


class BadParameter(Exception):
    """A search parameter that cannot be understood; shown to the user with status 400."""


def _values(args: MultiDict, name: str) -> tuple[str, ...]:
    """A repeatable parameter's non-empty values, each once, in order."""
    return tuple(dict.fromkeys(v.strip() for v in args.getlist(name) if v.strip()))


def parse_date(text: str, upper: bool) -> str:
    """A ``from``/``to`` value as the search reads it ('YYYY[-MM[-DD]]'); 'DD/MM/YYYY' and
    'MM/YYYY' are turned around. Raises BadParameter with the reason."""
    text = text.strip()
    if match := _DMY_RE.fullmatch(text):
        day, month, year = match.groups()
        text = f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
    if text:
        try:
            date_bound(text, upper)
        except BadDate as error:
            raise BadParameter(str(error)) from None
    return text


def parse_format(args: MultiDict) -> str:
    """The ``format`` parameter: html (the default), json, csv or jsonl."""
    wanted = (args.get("format") or "html").strip().lower()
    if wanted not in FORMATS:
        raise BadParameter(f"Tham số format chỉ nhận {', '.join(FORMATS)}.")
    return wanted


def parse_request(args: MultiDict) -> SearchRequest:
    """Read a SearchRequest from URL parameters; raises BadParameter with a message."""
    page_text = args.get("page", "1").strip() or "1"
    try:
        page = int(page_text)
    except ValueError:
        raise BadParameter(f"Tham số page phải là số nguyên, không phải {page_text!r}.") from None
    sort = args.get("sort", "relevance") or "relevance"
    if sort not in SORTS:
        raise BadParameter(f"Tham số sort chỉ nhận {' hoặc '.join(SORTS)}.")
    date_from = parse_date(args.get("from", ""), upper=False)
    date_to = parse_date(args.get("to", ""), upper=True)
    if date_from and date_to and date_bound(date_from, False) > date_bound(date_to, True):
        raise BadParameter(f"Ngày bắt đầu {date_from} ở sau ngày kết thúc {date_to}.")
    return SearchRequest(
        q=args.get("q", "")[:MAX_QUERY],
        **{name: _values(args, name) for name in FACETS},
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        page=max(1, min(page, 10**6)),
        verbatim=args.get("verbatim") == "1",
        near=args.get("near") == "1",
    )


# URL parameter of each SearchRequest field, in the order URLs show them.
_URL_NAMES = {
    "q": "q",
    **{name: name for name in FACETS},
    "date_from": "from",
    "date_to": "to",
    "sort": "sort",
    "page": "page",
    "verbatim": "verbatim",
    "near": "near",
}
_DEFAULTS = {"sort": "relevance", "page": 1, "verbatim": False, "near": False}


def search_url(req: SearchRequest, endpoint: str = "/search", **changes: object) -> str:
    """The URL of a search like ``req`` with some fields changed (page resets to 1)."""
    state: dict[str, object] = {
        name: list(value) if isinstance(value, tuple) else value
        for name in _URL_NAMES
        if (value := getattr(req, name, None)) is not None
    }
    state["page"] = 1
    state.update(changes)
    pairs = []
    for name, value in state.items():
        for item in value if isinstance(value, list) else [value]:
            if item in ("", None, False) or _DEFAULTS.get(name) == item:
                continue
            pairs.append((_URL_NAMES.get(name, name), 1 if item is True else item))
    return endpoint + ("?" + urlencode(pairs) if pairs else "")


def toggle_url(req: SearchRequest, facet: str, value: str) -> str:
    """The URL that selects a facet value, or unselects it when it is selected. Unselecting a
    value also drops the values chosen under it: a year's months, a province of today's
    former provinces."""
    current = list(getattr(req, facet))
    if value not in current:
        return search_url(req, **{facet: [*current, value]})
    changes: dict[str, object] = {facet: [v for v in current if v != value]}
    if nested := nested_in(facet, value):
        child, inside = nested
        changes[child] = [v for v in getattr(req, child) if not inside(v)]
    return search_url(req, **changes)


def province_hint_url(req: SearchRequest, hint: ProvinceHint) -> str:
    """The search a province hint offers that leaves none of the former provinces out: the
    query without the name, or the search without the province as published, filtered by
    the province of today."""
    today = list(dict.fromkeys([*req.current_province, hint.value]))
    if hint.named_by == "query":
        return search_url(req, q=hint.query, current_province=today)
    published = [value for value in req.province if value != hint.value]
    return search_url(req, province=published, current_province=today)


def only_year_url(req: SearchRequest, year: str) -> str:
    """The URL of a chart bar: only this year (its months kept), or no year filter when it is
    already the only one."""
    if list(req.year) == [year]:
        return toggle_url(req, "year", year)
    months = [m for m in req.month if m.startswith(year + "-")]
    return search_url(req, year=[year], month=months)


def hidden_fields(req: SearchRequest) -> list[tuple[str, str]]:
    """The (name, value) pairs a new query typed into the form keeps: filters and sort."""
    pairs = [(name, value) for name in FACETS for value in getattr(req, name)]
    if req.sort != "relevance":
        pairs.append(("sort", req.sort))
    if req.near:
        pairs.append(("near", "1"))
    return pairs
