"""HTML pages -> Page: metadata first, then the text line rules on the article's element.

The page is parsed with BeautifulSoup and lxml; scripts, menus, sidebars, share bars, comments,
related links and footers go (``indexer.pages.htmltree``). The article's element is articleBody, the
largest <article>, else the parent with the most paragraph text, widened to hold the headline;
the title, kicker, date and author come from metadata and the elements around the headline
(``indexer.pages.htmlmeta``), then bylines, counters and tool bars go and the element is read one
line per block. Photo captions stay in the body, after the lead.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import replace

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag, XMLParsedAsHTMLWarning

from indexer.inputs.encodings import decode_bytes
from indexer.inputs.legacy_html import convert_legacy_html
from indexer.inputs.mangled import repair_mangled
from indexer.metadata.dates import normalize_published
from indexer.pages.htmlmeta import (
    element_published,
    find_kicker,
    find_title,
    meta_content,
    metadata_author,
    metadata_published,
    take_signature,
    text_of,
    tidy_author,
)
from indexer.pages.htmlsite import identity_lines, site_lines
from indexer.pages.htmltree import (
    block_lines,
    caption_elements,
    clean_tree,
    drop_hidden,
    drop_link_boxes,
    gone,
    main_element,
    metadata_elements,
    with_lead,
)
from indexer.pages.linkeddata import LinkedArticle, linked_article
from indexer.pages.textpage import (
    Page,
    check_text,
    clean_lines,
    same_title,
    split_page,
)
from indexer.text.vietnamese import normalize_text

_CHARSET_RE = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""",
    re.IGNORECASE,
)
# Where the article ends: a related-links heading ("Những tin cũ hơn", "Các tin khác"), tags.
_RELATED_RE = re.compile(
    r"(?:(?:những|các)\s+)?(?:tin|bài(?: viết)?)(?: tức)?\s+(?:mới hơn|cũ hơn|khác|liên quan"
    r"|đã đưa|đã đăng|cùng chuyên mục|cùng loại|mới(?: nhất)?|xem nhiều|nổi bật)"
    r"|(?:có|bài) liên quan|xem thêm|đọc thêm|theo dòng sự kiện|(?:thẻ|từ khóa|tags?)\s*:.*",
    re.IGNORECASE,
)


_WAYBACK_TOOLBAR_RE = re.compile(
    r"<!--\s*BEGIN WAYBACK TOOLBAR INSERT\s*-->.*?<!--\s*END WAYBACK TOOLBAR INSERT\s*-->", re.S
)


def _decode_html(data: str | bytes, declared: str | None = None) -> str:
    """Page bytes or text -> text, with text in a legacy font (TCVN3, VNI) in Unicode.

    Bytes are decoded by decode_bytes: a BOM, else the charsets declared (declared, e.g. the
    HTTP header's, then the page's meta or XML declaration) unless another reading is clearly
    more Vietnamese. Then indexer.inputs.legacy_html converts the legacy-font text nodes.
    """
    if isinstance(data, bytes):
        found = _CHARSET_RE.search(data[:4096])
        meta = (found.group(1) or found.group(2)).decode("ascii", "ignore") if found else None
        data = decode_bytes(data, (declared, meta))
    return convert_legacy_html(data)


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


def _cut_related(lines: list[str], title: str | None) -> list[str]:
    """The lines up to the first related-links heading or tag list under the title."""
    start = next((i + 1 for i, line in enumerate(lines) if title and same_title(line, title)), 0)
    for i in range(start, len(lines)):
        if len(lines[i]) <= 60 and _RELATED_RE.fullmatch(lines[i].rstrip(" :")):
            return lines[:i]
    return lines


def _lead_first(body: list[str], captions: set[str]) -> list[str]:
    """The body with the captions that open it moved after its first line of text (the lead)."""

    def is_caption(line: str) -> bool:
        return any(c in line or line in c for c in captions)

    first = next((i for i, line in enumerate(body) if not is_caption(line)), 0)
    return [body[first], *body[:first], *body[first + 1 :]] if first else body


def _read_article(soup: BeautifulSoup, container: Tag, title: str | None) -> Page:
    """The line rules on the container, after its bylines, counters and tools are read and go."""
    elements = metadata_elements(container)
    published = element_published(container, elements)
    author = metadata_author(soup, elements)
    for element in elements:
        if not gone(element):
            element.decompose()
    for time in container.find_all("time"):
        if time.parent is not None and time.parent.name != "p":
            time.decompose()  # a byline's date, already read
    drop_hidden(container)
    drop_link_boxes(container, _RELATED_RE)
    captions = {text_of(c.get_text(" ")) or "" for c in caption_elements(container)} - {""}
    lines = clean_lines(normalize_text(repair_mangled("\n".join(block_lines(container)))))
    page = split_page(_cut_related(lines, title), title)
    take_signature(page)
    page.body = _lead_first(page.body, captions)
    page.published = page.published if published is None else published
    page.author = page.author or author
    return page


def _without_archive_toolbar(text: str) -> str:
    """A page as a web archive serves it, without the toolbar the archive inserts (the
    Wayback Machine's, whose unbalanced markup can swallow the page into a hidden element)."""
    if "WAYBACK TOOLBAR INSERT" not in text:
        return text
    return _WAYBACK_TOOLBAR_RE.sub("", text)


def _parse(text: str) -> BeautifulSoup:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(text, "lxml")


def _linked_lines(body: str) -> list[str]:
    """JSON-LD articleBody as lines: plain text by its line breaks, HTML by its blocks."""
    if "<" in body and ">" in body:
        soup = _parse(body)
        clean_tree(soup)
        return clean_lines(normalize_text("\n".join(block_lines(soup))))
    return clean_lines(normalize_text(body))


def _with_linked_body(page: Page, linked: LinkedArticle | None) -> Page:
    """The page with the JSON-LD articleBody as its body when the line rules found less than
    half of that text (a body drawn by a script, or made of blocks they do not read)."""
    if linked is None or not linked.body:
        return page
    lines = _linked_lines(linked.body)
    if len(" ".join(page.body)) >= 0.5 * len(" ".join(lines)):
        return page
    if lines and page.title and same_title(lines[0], page.title):
        lines = lines[1:]
    return replace(page, body=lines) if lines else page


def parse_html_page(content: str | bytes) -> Page:
    """An HTML page -> Page: metadata first (JSON-LD, meta tags), then the line rules on the
    article's element."""
    soup = _parse(_without_archive_toolbar(check_text(_decode_html(content))))
    linked = linked_article(soup)
    site = text_of(meta_content(soup, "og:site_name"))
    canonical = soup.find("link", rel="canonical")
    url = (
        meta_content(soup, "og:url")
        or (canonical.get("href") if isinstance(canonical, Tag) else None)
        or (linked.url if linked else None)
    )
    meta_title = text_of(meta_content(soup, "og:title", "twitter:title"))
    meta_title = meta_title or text_of(linked.headline if linked else None)
    page_title = text_of(soup.title.get_text(" ")) if soup.title else None
    chrome = site_lines(soup)  # before clean_tree drops the header and footer
    clean_tree(soup)
    published = normalize_published(linked.published) if linked and linked.published else None
    published = published or metadata_published(soup)
    main = main_element(soup)
    title, heading = find_title(soup, main, meta_title, page_title, site)
    kicker = find_kicker(heading)
    page = _read_article(soup, _with_heading(with_lead(main), heading), title)
    page = _with_linked_body(replace(page, title=title or page.title), linked)
    authors = [tidy_author(name) for name in (linked.authors if linked else ())]
    return replace(
        page,
        kicker=kicker or page.kicker,
        published=published or page.published,
        author=next((a for a in authors if a), None) or page.author,
        url=text_of(str(url)) if url else None,
        source=site or (text_of(linked.publisher) if linked else None) or page.source,
        identity=identity_lines([*page.identity, *chrome], page_title, title or page.title),
    )
