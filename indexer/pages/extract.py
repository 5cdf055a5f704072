"""RawRecord -> Article: the page's own title, date, author and body, then province and topics.

A text scrape is read by ``textpage``, an HTML page by ``htmlpage``; a JSON Lines
record has no page. Values given by a JSON Lines record or a sidecar win over what the page says.
A provincial publisher's host or site name gives the province (``indexer.metadata.sites``), then
what the site's header and footer state (``indexer.metadata.statements``); else a
province is scored by where its name stands (a credited source weighs most, then the title,
kicker, lead and body) and kept only when it clearly leads.

``ExtractionError`` is defined in ``indexer.pages.textpage``, next to the parsers that raise it;
callers import it from here.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from indexer.metadata.dates import normalize_published
from indexer.metadata.gazetteer import (
    ProvinceMention,
    find_province_mentions,
    name_spans,
    resolve_province,
)
from indexer.metadata.sites import is_national_host, publishing_province
from indexer.metadata.statements import stated_province
from indexer.metadata.topics import assign_topics
from indexer.pages.htmlpage import parse_html_page
from indexer.pages.textpage import Page, clean_lines, has_article_text, parse_text_page
from indexer.records import Article, ExtractionError, Location, RawRecord
from indexer.text.vietnamese import normalize_text

logger = logging.getLogger(__name__)

NO_TEXT = "no article text found"  # the failure of a page whose article text was not found
TITLE_CHARS = 150  # a title derived from the body is cut at a word boundary near this length
# Province scores (bare name, after "tỉnh"/"TP.") by where the name stands.
PUBLISHER_SCORE = 10.0
TITLE_SCORES = (6.0, 8.0)
KICKER_SCORES = (3.0, 4.0)
LEAD_SCORES = (2.0, 3.0)
BODY_SCORES = (1.0, 2.0)
MIN_PROVINCE_SCORE = 2.0  # one "tỉnh X" in the body is enough when no other province competes
PROVINCE_DOMINANCE = 2.0  # the best province must score this many times the runner-up
LISTED_PROVINCES = 3  # a sentence naming this many provinces lists them: it tells of none

_PUBLISHER_TAG_RE = re.compile(r"\s*\([^()]{1,25}\)\s*[-–]\s*")  # "Tiêu đề (NLĐ)- Nội dung"
_SENTENCE_END_RE = re.compile(r"[.!?…](?=\s+\S)")
_SENTENCE_RE = re.compile(r"(?<=[.!?…;])\s+|\n")


def derive_title(body: str) -> str:
    """A headline for a record that lost its own: the body's first sentence, shortened."""
    first = body.strip().split("\n", 1)[0]
    tag = _PUBLISHER_TAG_RE.search(first[: TITLE_CHARS + 100])
    if tag and tag.start() == 0:
        first = first[tag.end() :]
    elif tag and len(first[: tag.start()].split()) >= 3:
        first = first[: tag.start()]
    end = _SENTENCE_END_RE.search(first)
    title = (first[: end.start()] if end else first).strip().rstrip(".")
    if len(title) > TITLE_CHARS:
        title = title[:TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",;:-–") + "…"
    return title


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    """Where each sentence of a text starts and ends."""
    start = 0
    for separator in _SENTENCE_RE.finditer(text):
        yield start, separator.start()
        start = separator.end()
    yield start, len(text)


def _telling_mentions(text: str) -> list[ProvinceMention]:
    """The province mentions of a text that say where it is from: not those of a sentence
    that lists several provinces ("Hà Nội, TP Hồ Chí Minh, Đà Nẵng và Bắc Ninh đã ..."),
    which is about none of them."""
    names = name_spans(text)  # one scan of the text: only the sentences naming one are read
    if not names:
        return []
    found = []
    following = 0  # the first name not ending before the sentence
    for start, end in _sentences(text):
        while following < len(names) and names[following][1] <= start:
            following += 1
        if following == len(names):
            break
        if names[following][0] >= end:
            continue
        mentions = find_province_mentions(text[start:end])
        if len({m.province for m in mentions}) < LISTED_PROVINCES:
            found.extend(mentions)
    return found


def _detect_province(page: Page) -> str | None:
    """The province an article is from: its publisher, title, kicker, else the dominant one.

    A provincial site's host or name (``indexer.metadata.sites``), else what its header and
    footer state (``indexer.metadata.statements``), decides before the article's text is read.
    """
    publisher = publishing_province(page.url, page.source)
    if publisher is None and not is_national_host(page.url):
        publisher = stated_province(page.identity)
    if publisher is not None:
        return publisher.name
    scores: dict[str, float] = defaultdict(float)
    for mention in find_province_mentions(page.source or ""):
        scores[mention.province.name] += PUBLISHER_SCORE
    lead, rest = (page.body[0], "\n".join(page.body[1:])) if page.body else ("", "")
    for text, weights in (
        (page.title or "", TITLE_SCORES),
        (page.kicker or "", KICKER_SCORES),
        (lead, LEAD_SCORES),
        (rest, BODY_SCORES),
    ):
        for mention in _telling_mentions(text):
            scores[mention.province.name] += weights[mention.admin]
    ranked = sorted(scores.values(), reverse=True) or [0.0]
    if ranked[0] < MIN_PROVINCE_SCORE or (
        len(ranked) > 1 and ranked[0] < PROVINCE_DOMINANCE * ranked[1]
    ):
        return None
    return max(scores, key=scores.__getitem__)


def _given(fields: dict[str, Any], name: str, where: Location) -> str | None:
    """A string field of the record or sidecar, normalized; None when absent, empty or mistyped."""
    value = fields.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        logger.warning("%s: ignoring field %r: expected a string, got %r", where, name, value)
        return None
    return normalize_text(value).strip() or None


def _given_topics(fields: dict[str, Any], where: Location) -> list[str] | None:
    """The record's own topic labels, when it gives a non-empty list of strings."""
    value = fields.get("topics")
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        logger.warning("%s: ignoring field 'topics': expected a list of strings: %r", where, value)
        return None
    return list(dict.fromkeys(t for t in (normalize_text(v).strip() for v in value) if t)) or None


def _given_published(fields: dict[str, Any], where: Location) -> str | None:
    value = _given(fields, "published", where)
    published = normalize_published(value) if value else None
    if value and not published:
        logger.warning("%s: ignoring field 'published': not a date: %r", where, value)
    return published


def _given_province(fields: dict[str, Any], where: Location) -> str | None:
    """A given province's canonical name, or the given text itself when it is not one."""
    value = _given(fields, "province", where)
    province = resolve_province(value) if value else None
    return province.name if province else value


def _page_of(record: RawRecord) -> Page:
    """What the page itself says, by kind; a JSON Lines record has no page."""
    if record.kind == "txt":
        return parse_text_page(record.content)
    if record.kind == "html":
        return parse_html_page(record.content)
    if record.kind == "jsonl":
        return Page()
    raise ExtractionError(f"unknown record kind {record.kind!r}")


def extract_article(record: RawRecord) -> Article:
    """Turn one raw record into an Article, or raise ExtractionError saying why it cannot."""
    where = record.location
    fields = record.fields if isinstance(record.fields, dict) else {}
    given_body = _given(fields, "body", where)
    try:
        page = _page_of(record)
    except ExtractionError as exc:
        if not given_body:
            raise ExtractionError(f"{where}: {exc}") from exc
        page = Page()
    if given_body:
        page.body = clean_lines(given_body)
    elif not has_article_text(page.body, page.title):  # a title alone is not an article
        raise ExtractionError(f"{where}: {NO_TEXT}")
    body = "\n".join(page.body)
    page = replace(
        page,
        title=_given(fields, "title", where) or page.title or derive_title(body),
        url=_given(fields, "url", where) or page.url,
        source=_given(fields, "source", where) or page.source,
        published=_given_published(fields, where) or page.published,
        author=_given(fields, "author", where) or page.author,
    )
    return Article(
        id=_given(fields, "id", where) or record.id,
        title=page.title or "",
        body=body,
        url=page.url,
        published=page.published,
        province=_given_province(fields, where) or _detect_province(page),
        topics=_given_topics(fields, where) or assign_topics(page.title or "", body),
        author=page.author,
        source=page.source,
        kicker=page.kicker,
    )
