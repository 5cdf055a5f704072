"""What a page's JSON-LD says of its article: headline, dates, author, publisher and text.

Modern news pages describe their article in ``<script type="application/ld+json">`` blocks
(schema.org ``NewsArticle``, ``Article``, ``BlogPosting``...), often alone, with the text
itself drawn by a script. ``indexer.pages.htmlpage`` reads this before its heuristics. A block
that is not valid JSON, or describes something else (a ``BreadcrumbList``, a ``WebSite``), is
passed over.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bs4 import BeautifulSoup, Tag

ARTICLE_TYPES = frozenset(
    {
        "Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting",
        "Report", "OpinionNewsArticle", "BackgroundNewsArticle", "TechArticle", "LiveBlogPosting",
    }
)  # fmt: skip
MAX_BLOCK = 2_000_000  # characters of one block read at most


@dataclass(frozen=True)
class LinkedArticle:
    """The fields of a page's article as its JSON-LD gives them (raw text, not normalized)."""

    headline: str | None = None
    published: str | None = None
    authors: tuple[str, ...] = ()
    publisher: str | None = None
    body: str | None = None
    url: str | None = None


def _nodes(value: Any) -> Iterator[dict]:
    """Every object of a JSON-LD document: the top ones, lists and ``@graph`` members."""
    if isinstance(value, list):
        for item in value:
            yield from _nodes(item)
    elif isinstance(value, dict):
        yield value
        yield from _nodes(value.get("@graph"))


def _types(node: dict) -> set[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.rsplit("/", 1)[-1] for k in kinds if isinstance(k, str)}


def _text(value: Any) -> str | None:
    """A plain string field (or the first string of a list); None for anything else."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), None)
    return value.strip() or None if isinstance(value, str) else None


def _names(value: Any) -> tuple[str, ...]:
    """Names of a Person/Organization field: a string, an object with ``name``, or a list."""
    items = value if isinstance(value, list) else [value]
    found = []
    for item in items:
        name = _text(item.get("name")) if isinstance(item, dict) else _text(item)
        if name:
            found.append(name)
    return tuple(found)


def _url(node: dict) -> str | None:
    page = node.get("mainEntityOfPage")
    if isinstance(page, dict):
        page = page.get("@id") or page.get("url")
    return _text(node.get("url")) or _text(page)


def _blocks(soup: BeautifulSoup) -> Iterator[Any]:
    for script in soup.find_all("script", type=lambda t: t and "ld+json" in t.lower()):
        if not isinstance(script, Tag):
            continue
        text = script.string or script.get_text()
        try:
            yield json.loads(text[:MAX_BLOCK])
        except ValueError:
            continue


def linked_article(soup: BeautifulSoup) -> LinkedArticle | None:
    """The article the page's JSON-LD describes (the one with the longest text when there
    are several), or None. Read before the page's scripts are removed."""
    found = [
        node for block in _blocks(soup) for node in _nodes(block) if _types(node) & ARTICLE_TYPES
    ]
    if not found:
        return None
    node = max(found, key=lambda n: len(_text(n.get("articleBody")) or ""))
    return LinkedArticle(
        headline=_text(node.get("headline")) or _text(node.get("name")),
        published=_text(node.get("datePublished")) or _text(node.get("dateCreated")),
        authors=_names(node.get("author")),
        publisher=next(iter(_names(node.get("publisher"))), None),
        body=_text(node.get("articleBody")),
        url=_url(node),
    )
