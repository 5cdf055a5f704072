"""Hits -> an Atom feed (RFC 4287), written by feedgen: the newest articles of a search or of
a document's timeline, for people who follow a story in a feed reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from urllib.parse import quote, urlencode, urlsplit

from feedgen.ext.base import BaseEntryExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem
from lxml import etree

from search_app.engine.facet_counts import FACET_TITLES
from search_app.engine.search import ArchiveSearch
from search_app.results import FACETS, Hit, SearchRequest

FEED_SIZE = 50  # entries in a feed: the newest results
ATOM_TYPE = "application/atom+xml"
CONTENT_TYPE = f"{ATOM_TYPE}; charset=utf-8"
SITE_NAME = "Tra cứu tin Sở Thông tin và Truyền thông"
# Partial dates ("2021", "2021-03") start their period at midnight in Vietnam.
VIETNAM = timezone(timedelta(hours=7))
_DATE_RE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
# Characters XML 1.0 cannot hold (lxml refuses them): a query from the URL may have them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class FeedInfo:
    """What a feed says about itself; URLs are absolute."""

    url: str  # the feed's canonical URL: its id and its rel="self" link
    title: str
    page: str  # the HTML page listing the same articles (rel="alternate")
    site: str  # the app's root URL, ending with "/"
    committed: datetime  # the index commit: the date of what has none of its own
    highlight: str = ""  # the query the article pages mark


class RelatedLinks(BaseEntryExtension):
    """An entry's links other than its alternate one, written whole: feedgen 1.0.0 writes
    only the ``href`` of an entry's links (lkiesow/python-feedgen#135), which would make the
    original article a second ``alternate`` link."""

    def __init__(self) -> None:
        self.links: list[dict[str, str]] = []

    def extend_atom(self, entry: etree._Element) -> etree._Element:
        """feedgen's hook, given the entry's XML element: add the links to it."""
        for attributes in self.links:
            xml_elem("link", entry, **attributes)
        return entry


def newest_hits(archive: ArchiveSearch, request: SearchRequest) -> list[Hit]:
    """The newest FEED_SIZE results of a search, ungrouped."""
    return list(archive.export(replace(request, sort="newest", page=1), limit=FEED_SIZE))


def published_at(published: str | None) -> datetime | None:
    """'2021-03-05' -> midnight that day in Vietnam; '2021-03' and '2021' -> the start of the
    month or year; unknown (or not a date) -> None."""
    match = _DATE_RE.fullmatch(published or "")
    if not match:
        return None
    parts = [int(part) for part in match.groups() if part]
    while parts:  # a day or month that does not exist: the period around it
        try:
            return datetime(*parts, *[1] * (3 - len(parts)), tzinfo=VIETNAM)
        except ValueError:
            parts.pop()
    return None


def search_title(q: str, labels: Mapping[str, list[str]], date_from: str, date_to: str) -> str:
    """A search named as its page shows it: '«chuyển đổi số» · Tỉnh, thành phố: Bắc Kạn ·
    Thời gian: từ 2021' (or 'Tất cả bài viết')."""
    parts = [f"«{q.strip()}»" if q.strip() else "Tất cả bài viết"]
    parts += [
        f"{FACET_TITLES[name]}: {', '.join(labels[name])}" for name in FACETS if labels.get(name)
    ]
    if date_from or date_to:
        span = (f" từ {vndate(date_from)}" if date_from else "") + (
            f" đến {vndate(date_to)}" if date_to else ""
        )
        parts.append("Thời gian:" + span)
    return " · ".join(parts)


def vndate(published: str) -> str:
    """'2021-01-26' -> '26/01/2021'; partial dates keep what is known (pages and feeds)."""
    return "/".join(reversed(published.split("-")))


def _text(value: str) -> str:
    return _NOT_XML.sub("", value)


def web_address(url: object) -> bool:
    """Whether a stored URL may be a link: http or https only (never javascript: or data:)."""
    return isinstance(url, str) and url.lower().startswith(("http://", "https://"))


def entry_author(hit: Hit) -> str | None:
    """Who wrote an article: its author, else its publisher, else its site's host; None
    leaves the feed's own author to stand for it."""
    if hit.author or hit.source:
        return hit.author or hit.source
    return urlsplit(hit.url).hostname if web_address(hit.url) else None


def article_url(site: str, article_id: str, q: str = "") -> str:
    """The absolute URL of an article's page, marking ``q`` when given."""
    url = site + "article/" + quote(article_id, safe="/")
    return url + ("?" + urlencode({"q": q}) if q else "")


def _add_entry(feed: FeedGenerator, info: FeedInfo, hit: Hit) -> datetime:
    """One entry of the feed; returns its ``updated``."""
    entry = feed.add_entry(order="append")
    entry.id(article_url(info.site, hit.id))  # stable: the page without the query
    entry.title(_text(hit.title or hit.id))
    published = published_at(hit.published)
    updated = published or info.committed
    entry.updated(updated)
    if published:
        entry.published(published)
    if author := entry_author(hit):
        entry.author(name=_text(author))
    # rel="alternate" is the default, and all feedgen writes of this link (see RelatedLinks).
    entry.link(href=article_url(info.site, hit.id, info.highlight), rel="alternate")
    if web_address(hit.url):
        entry.register_extension("related", RelatedLinks, atom=True, rss=False)
        original = {"href": _text(hit.url), "rel": "related", "type": "text/html"}
        entry.related.links.append({**original, "title": "Bài gốc"})
    entry.summary(_text(hit.snippet), type="html")
    return updated


def build_atom(info: FeedInfo, hits: Iterable[Hit]) -> bytes:
    """The Atom document of a feed: one entry per hit, in the given order, UTF-8."""
    feed = FeedGenerator()
    feed.id(info.url)
    feed.title(_text(info.title))
    feed.author(name=SITE_NAME, uri=info.site)
    feed.link(href=info.url, rel="self", type=ATOM_TYPE)
    feed.link(href=info.page, rel="alternate", type="text/html")
    feed.language("vi")
    dates = [_add_entry(feed, info, hit) for hit in hits]
    feed.updated(max(dates, default=info.committed))
    return feed.atom_str(pretty=True)
