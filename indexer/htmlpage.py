"""HTML pages -> Page: metadata first, then the text line rules on the article's element.

The page is parsed with BeautifulSoup and lxml; scripts, menus, sidebars, share bars, comments
and related-link lists go; the article's element (articleBody, the largest <article>, else the
densest parent of paragraphs, widened to hold the headline) is read one line per block.
"""

from __future__ import annotations

import re
import warnings
from collections import defaultdict
from dataclasses import replace

from bs4 import (
    BeautifulSoup,
    MarkupResemblesLocatorWarning,
    NavigableString,
    Tag,
    XMLParsedAsHTMLWarning,
)
from bs4.element import PreformattedString

from indexer.dates import normalize_published
from indexer.textpage import Page, check_text, clean_lines, decode_bytes, same_title, split_page
from indexer.vietnamese import fold, normalize_text

_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "form",
    "nav",
    "aside",
    "footer",
    "button",
    "select",
    "object",
    "embed",
)
_BOILERPLATE_RE = re.compile(
    r"(?:^|[\s_-])(?:menu|nav|navbar|navigation|sidebar|footer|breadcrumbs?|share|sharing|social"
    r"|related|comments?|banner|advert\w*|ads)(?:$|[\s\d_-])",
    re.IGNORECASE,
)
_KEEP_TAGS = ("html", "body", "main", "article")
_BLOCK_TAGS = frozenset(
    {"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption"}
    | {"figure", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p"}
    | {"pre", "section", "table", "td", "th", "tr", "ul"}
)
_CHARSET_RE = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""",
    re.IGNORECASE,
)
_SITE_HINT_RE = re.compile(
    r"\b(?:sở|cổng|trang|báo|tạp chí|đài|portal|thông tin điện tử|tt&tt|stttt|ubnd)\b"
    r"|\.vn\b|\.com\b",
    re.IGNORECASE,
)
_TITLE_SUFFIX_RE = re.compile(r"\s+[-|–—]\s+(?P<site>[^|–—]+)$")
_BYLINE_LABEL_RE = re.compile(r"^(?:tác giả|bài(?: và|,)? ảnh|bài|người viết|by)\s*:?\s*", re.I)
_HTML_DATE_NAMES = (
    "article:published_time",
    "og:published_time",
    "datePublished",
    "pubdate",
    "publishdate",
    "DC.date.issued",
    "dc.date.issued",
    "dcterms.created",
    "date",
)


def _decode_html(data: str | bytes) -> str:
    """Page bytes -> text: a BOM, else the charset the page declares (see decode_bytes)."""
    if isinstance(data, str):
        return data
    declared = _CHARSET_RE.search(data[:4096])
    name = (declared.group(1) or declared.group(2)).decode("ascii", "ignore") if declared else None
    return decode_bytes(data, name)


def _meta(soup: BeautifulSoup, *names: str) -> str | None:
    """The content of the first meta tag (property, name or itemprop) among names that has one."""
    for name in names:
        for attr in ("property", "name", "itemprop"):
            tag = soup.find("meta", attrs={attr: name})
            if tag is not None and str(tag.get("content") or "").strip():
                return str(tag["content"]).strip()
    return None


def _clean_tree(soup: BeautifulSoup) -> None:
    """Drop scripts, menus, sidebars, share bars, comments and related-link lists."""
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed or tag.name in _KEEP_TAGS:
            continue
        marks = " ".join([*tag.get("class", []), str(tag.get("id", ""))])
        # A site header goes; an article's header (title, <time>) stays.
        site_header = tag.name == "header" and not (
            tag.find_parent(("article", "main")) or tag.find("time")
        )
        if site_header or (marks.strip() and _BOILERPLATE_RE.search(marks)):
            tag.decompose()


def _block_lines(element: Tag) -> list[str]:
    """The text of an element, one line per block (paragraph, heading, list item, <br>)."""
    lines: list[str] = []
    parts: list[str] = []

    def flush() -> None:
        lines.append("".join(parts))
        parts.clear()

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, Tag):
                block = child.name in _BLOCK_TAGS
                if block:
                    flush()
                walk(child)
                if block:
                    flush()
            elif isinstance(child, NavigableString) and not isinstance(child, PreformattedString):
                parts.append(str(child).replace("\n", " "))

    walk(element)
    flush()
    return lines


def _main_element(soup: BeautifulSoup) -> Tag:
    """The article's element: articleBody, the largest <article>, else the densest <p> parent."""
    root = soup.body or soup
    found = root.find(attrs={"itemprop": "articleBody"})
    if isinstance(found, Tag):
        return found
    articles = root.find_all("article")
    if articles:
        return max(articles, key=lambda a: len(a.get_text()))
    weight: dict[int, int] = defaultdict(int)
    parents: dict[int, Tag] = {}
    for paragraph in root.find_all("p"):
        if paragraph.parent is not None:
            weight[id(paragraph.parent)] += len(paragraph.get_text(strip=True))
            parents[id(paragraph.parent)] = paragraph.parent
    return parents[max(weight, key=weight.__getitem__)] if weight else root


def _with_heading(main: Tag, heading: Tag | None) -> Tag:
    """main, or its nearest ancestor (a few levels up) that also holds the headline."""
    if heading is None:
        return main
    above = {id(a) for a in heading.parents}
    if id(main) in above:
        return main
    for level, ancestor in enumerate(main.parents):
        if level >= 4 or ancestor.name in ("body", "html", "[document]"):
            break
        if id(ancestor) in above:
            return ancestor
    return main


def _heading(soup: BeautifulSoup, title: str | None) -> Tag | None:
    """The element that shows the title: a matching <h1>, else the one whose text is the title."""
    if not title:
        return None
    for h1 in soup.find_all("h1"):
        if same_title(h1.get_text(" ", strip=True), title):
            return h1
    for string in (soup.body or soup).find_all(string=True):
        if isinstance(string, PreformattedString):
            continue
        text = string.strip()
        if len(text) >= 8 and abs(len(text) - len(title)) <= 40 and same_title(text, title):
            return string.parent
    return None


def _strip_site_name(title: str, site: str | None) -> str:
    """'Tiêu đề - Sở TT&TT Bắc Kạn' -> 'Tiêu đề'."""
    if site and title.endswith(site) and len(title) > len(site) + 3:
        title = title[: -len(site)].rstrip(" -|–—:")
    suffix = _TITLE_SUFFIX_RE.search(title)
    if suffix and _SITE_HINT_RE.search(suffix["site"]) and suffix.start() > len(suffix["site"]):
        title = title[: suffix.start()]
    return title


def _text(value: str | None) -> str | None:
    """Metadata text, normalized, on one line; None when empty."""
    return " ".join(normalize_text(value).split()) or None if value else None


def _html_author(soup: BeautifulSoup) -> str | None:
    """The author from meta tags or a byline element."""
    author = _meta(soup, "author", "article:author", "dc.creator")
    if author is None or "://" in author:
        found = soup.find(attrs={"itemprop": "author"}) or soup.find(attrs={"rel": "author"})
        found = found or soup.find(class_=re.compile(r"\b(?:author|byline|tac-?gia)\b", re.I))
        author = found.get_text(" ", strip=True) if isinstance(found, Tag) else None
    return _text(_BYLINE_LABEL_RE.sub("", author)) if author else None


def _html_published(soup: BeautifulSoup, container: Tag) -> str | None:
    """The publication date from metadata, itemprop datePublished or the article's <time>."""
    value = _meta(soup, *_HTML_DATE_NAMES)
    if value is None:
        found = soup.find(attrs={"itemprop": "datePublished"}) or container.find("time")
        if isinstance(found, Tag):
            value = str(found.get("content") or found.get("datetime") or found.get_text(" "))
    return normalize_published(value.strip()) if value else None


def parse_html_page(content: str | bytes) -> Page:
    """An HTML page -> Page: metadata first, then the line rules on the article's element."""
    text = check_text(_decode_html(content))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(text, "lxml")
    site = _text(_meta(soup, "og:site_name"))
    canonical = soup.find("link", rel="canonical")
    url = _meta(soup, "og:url") or (canonical.get("href") if isinstance(canonical, Tag) else None)
    _clean_tree(soup)
    author = _html_author(soup)  # after cleaning: not a comment's author
    h1 = soup.find("h1")
    title = _text(_meta(soup, "og:title", "twitter:title"))
    title = title or _text(h1.get_text(" ") if h1 else None)
    title = title or _text(soup.title.get_text(" ") if soup.title else None)
    title = _strip_site_name(title, site) if title else None
    heading = _heading(soup, title) or h1
    container = _with_heading(_main_element(soup), heading)
    published = _html_published(soup, container)
    for time in container.find_all("time"):
        if time.parent is not None and time.parent.name != "p":
            time.decompose()  # a byline's date, already read
    page = split_page(clean_lines(normalize_text("\n".join(_block_lines(container)))), title)
    if author and page.body and fold(author) in fold(page.body[-1]):
        page.body = page.body[:-1] if len(page.body[-1]) <= len(author) + 20 else page.body
    return replace(
        page,
        title=title or page.title,
        published=published or page.published,
        author=author or page.author,
        url=_text(str(url)) if url else None,
        source=site or page.source,
    )
