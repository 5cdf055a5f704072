"""What an HTML page says about its article: title, kicker, publication date, author, signature.

Used by ``indexer.pages.htmlpage``. The title is the heading a reader sees: the one that the page's
og:title or <title> (or one of its parts between " - ", " | ", " :: "...) names, else the
heading nearest above the article's text. A date comes from metadata (converted to Vietnam's
time when it carries a zone), the article's <time>, or a short date element next to the
headline; never from a sidebar or a footer. Authors are people: CMS accounts ("admin",
"Quản trị viên") and organisations ("Sở Thông tin và Truyền thông ...") are not authors, and
a signature keeps the name without its unit ("Minh Anh - Trung tâm CNTT&TT" -> "Minh Anh").
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from indexer.inputs.mangled import repair_mangled
from indexer.metadata.dates import (
    byline_date,
    date_line,
    is_header_clock,
    normalize_published,
    strip_empty_slots,
)
from indexer.pages.htmltree import is_hidden, mark_words, marks
from indexer.pages.textpage import HEADLINE_CHARS, KICKER_CHARS, Page, same_title
from indexer.text.vietnamese import fold, normalize_text

SIGNATURE_CHARS = 80  # a signature line under the article is shorter than this
SECTION_WORDS = 4  # an og:title this short over a longer heading names the page's section

_DATE_NAMES = (
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
_TITLE_MARK_RE = re.compile(r"title|tieu[_-]?de|headline|heading", re.I)
_TITLE_SPLIT_RE = re.compile(r"\s+(?:[-|–—»›>]|::)\s+")
_KICKER_RE = re.compile(r"kicker|subtitle|supertitle|overline|tieudephu", re.I)
_SEPARATORS_RE = re.compile(r"[\s_-]+")
_BYLINE_WORDS = frozenset({"author", "byline", "tacgia"})
_LATER_WORDS = frozenset({"modified", "updated", "update", "edited", "sua"})
_LATER_RE = re.compile(r"(?:sửa|cập nhật) lần cuối|chỉnh sửa|last (?:modified|updated)", re.I)
_AUTHOR_LABEL_RE = re.compile(
    r"^(?:(?:tác giả(?: bài viết)?|người viết|phóng viên|pv|nhóm pv|tin(?:,| và)? ảnh"
    r"|bài(?:,| và)? ảnh|tin|bài|thực hiện|by)\s*:\s*|(?:viết bởi|đăng bởi|bởi|by|posted by)\s+)",
    re.IGNORECASE,
)
_SOURCE_LINE_RE = re.compile(r"^(?:nguồn(?: tin)?|theo)\s*:\s*(?P<source>.{2,80})$", re.I)
_NOT_PERSON_RE = re.compile(
    r"^(?:admin\w*|administrator|quản trị(?: viên)?|super ?user|biên tập viên|ban biên tập|btv"
    r"|webmaster|editor|người đăng|sở|cổng|ban|trung tâm|ubnd|uỷ ban|ủy ban|báo|đài|tạp chí"
    r"|văn phòng|phòng|bộ|cục|chi cục|hội|công ty|tỉnh|huyện|thành phố|xã|tin|bài|ảnh|video"
    r"|xem|trang|ngày|quyết định|kế hoạch|nguồn|theo)\b"
    r"|thông tin và truyền thông|tt&tt|https?:|www\.|\.vn\b|@",
    re.IGNORECASE,
)
_UNIT_RE = re.compile(
    r"\s*(?:[-–,(]|\s)\s*(?:trung tâm|tt|phòng|sở|văn phòng|ban|báo|đài|cổng|chi cục|thanh tra"
    r"|ubnd|cntt|stttt|phóng viên|cộng tác viên|ctv|pv)\b.*$",
    re.IGNORECASE,
)
_SITE_HINT_RE = re.compile(
    r"\b(?:sở|cổng|trang|báo|tạp chí|đài|portal|thông tin điện tử|tt&tt|stttt|ubnd)\b"
    r"|\.vn\b|\.com\b",
    re.IGNORECASE,
)
_TITLE_SUFFIX_RE = re.compile(r"\s+[-|–—]\s+(?P<site>[^|–—]+)$")
_UP = "".join(c for c in map(chr, range(0x41, 0x1EFA)) if c.isupper() and fold(c).isascii())
_LO = "".join(c for c in map(chr, range(0x61, 0x1EFA)) if c.islower() and fold(c).isascii())
# A person's name: two to five capitalized syllables ("Y Sương" too), names joined by "-" or ",".
_NAME = rf"[{_UP}][{_LO}]*(?: [{_UP}][{_LO}]*){{1,4}}"
_PERSON_RE = re.compile(rf"{_NAME}(?:\s*[-–,]\s*{_NAME})*")


def text_of(value: str | None) -> str | None:
    """Metadata text, normalized, on one line, without an empty date slot ('( )'); None if empty."""
    if not value:
        return None
    return strip_empty_slots(" ".join(normalize_text(repair_mangled(value)).split())) or None


def meta_content(soup: BeautifulSoup, *names: str) -> str | None:
    """The content of the first meta tag (property, name or itemprop) among names that has one."""
    found: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        content = str(tag.get("content") or "").strip()
        for attr in ("property", "name", "itemprop"):
            if content and tag.get(attr):
                found.setdefault(str(tag[attr]), content)
    return next((found[name] for name in names if name in found), None)


# --- title -----------------------------------------------------------------------------------


def title_variants(*titles: str | None) -> list[str]:
    """The titles a page names, whole and in their parts: 'A - B | C' -> A - B | C, A, B, C."""
    variants: list[str] = []
    for title in filter(None, titles):
        variants += [title, *(part for part in _TITLE_SPLIT_RE.split(title) if part != title)]
    return [v for v in dict.fromkeys(variants) if len(v.split()) >= 3]


def _names(heading: str, variant: str) -> bool:
    return same_title(heading, variant) or same_title(variant, heading)


def title_candidates(soup: BeautifulSoup) -> list[Tag]:
    """Headings and title-named elements with a headline's length, in document order."""
    found = []
    for tag in (soup.body or soup).find_all(True):
        named = tag.get("itemprop") == "headline" or _TITLE_MARK_RE.search(marks(tag))
        if tag.name in ("h1", "h2", "h3", "h4") or named:
            text = tag.get_text(" ", strip=True)
            if len(text.split()) >= 3 and len(text) <= HEADLINE_CHARS and not _unseen(tag):
                found.append(tag)
    return found


def _unseen(tag: Tag) -> bool:
    """True for an element hidden, or in a hidden parent (a SharePoint ribbon named
    "...hidetitle"). Further up is not looked at: some sites hide the whole page until a
    script shows it."""
    parent = tag.parent
    return is_hidden(tag) or (isinstance(parent, Tag) and is_hidden(parent))


def strip_site_name(title: str, site: str | None) -> str:
    """'Tiêu đề - Sở TT&TT Bắc Kạn' -> 'Tiêu đề'."""
    if site and title.endswith(site) and len(title) > len(site) + 3:
        title = title[: -len(site)].rstrip(" -|–—:")
    suffix = _TITLE_SUFFIX_RE.search(title)
    if suffix and _SITE_HINT_RE.search(suffix["site"]) and suffix.start() > len(suffix["site"]):
        title = title[: suffix.start()]
    return title


def find_title(
    soup: BeautifulSoup,
    main: Tag,
    meta_title: str | None,
    page_title: str | None,
    site: str | None = None,
) -> tuple[str | None, Tag | None]:
    """The article's title and the element showing it (see the module docstring)."""
    candidates = title_candidates(soup)
    order = {id(tag): i for i, tag in enumerate(soup.find_all(True))}
    first = next((s.parent for s in main.find_all(string=True) if len(s.strip()) >= 40), main)
    limit = order.get(id(first), order.get(id(main), 0))
    before = [c for c in candidates if order[id(c)] <= limit]
    variants = title_variants(meta_title, page_title)
    named = [c for c in candidates if any(_names(c.get_text(" ", strip=True), v) for v in variants)]
    if named:
        named_before = [c for c in named if c in before]
        heading = _innermost(named_before[-1] if named_before else named[0])
        return text_of(heading.get_text(" ")), heading
    heading = _innermost(before[-1]) if before else None
    if meta_title and not (heading is not None and _section_name(meta_title, heading)):
        return strip_site_name(meta_title, site), heading
    if heading is not None:
        return text_of(heading.get_text(" ")), heading
    return (strip_site_name(page_title, site) if page_title else None), None


def _section_name(meta_title: str, heading: Tag) -> bool:
    """True when og:title names a section, not the article: a few words that a longer
    heading just above the text does not hold ("Tin hoạt động" over "Trao 500 suất quà ...")."""
    words = meta_title.split()
    shown = heading.get_text(" ", strip=True)
    return len(words) <= SECTION_WORDS < len(shown.split()) and fold(meta_title) not in fold(shown)


def _innermost(tag: Tag) -> Tag:
    """The deepest element that still holds all of tag's text (a <b> in a title cell)."""
    text = tag.get_text(" ", strip=True)
    while True:
        children = [c for c in tag.find_all(True, recursive=False) if c.get_text(strip=True)]
        if len(children) != 1 or children[0].get_text(" ", strip=True) != text:
            return tag
        tag = children[0]


def find_kicker(heading: Tag | None) -> str | None:
    """The kicker above a headline: the element just before it named kicker or subtitle."""
    node = heading
    for _ in range(3):
        if node is None:
            return None
        before = node.find_previous_sibling(True)
        if before is not None:
            named = [before, *before.find_all(True)]
            if any(_KICKER_RE.search(_SEPARATORS_RE.sub("", marks(tag))) for tag in named):
                text = text_of(before.get_text(" "))
                return text if text and len(text) <= KICKER_CHARS else None
            return None
        node = node.parent
    return None


# --- dates -----------------------------------------------------------------------------------


def metadata_published(soup: BeautifulSoup) -> str | None:
    """The publication date from meta tags or an itemprop datePublished element."""
    value = meta_content(soup, *_DATE_NAMES)
    if value is None:
        found = soup.find(attrs={"itemprop": "datePublished"})
        if isinstance(found, Tag):
            value = str(found.get("content") or found.get("datetime") or found.get_text(" "))
    return normalize_published(value.strip()) if value else None


def element_published(container: Tag, elements: list[Tag]) -> str | None:
    """The date of the article's <time>, else of its first date element that is not an update."""
    times = container.find_all("time")
    times.sort(key=lambda t: "published" not in mark_words(t))
    for time in times:
        value = str(time.get("datetime") or time.get_text(" ")).strip()
        if value and (date := normalize_published(value) or byline_date(value)):
            return date
    for element in elements:
        text = text_of(element.get_text(" ")) or ""
        if mark_words(element) & _LATER_WORDS or _LATER_RE.search(text) or is_header_clock(text):
            continue
        if date := date_line(text) or byline_date(text):
            return date
    return None


# --- authors ---------------------------------------------------------------------------------


def _without_label(value: str | None) -> str:
    """A byline without its label ("Tác giả:", "bởi") and its unit ("- Trung tâm CNTT&TT")."""
    name = _AUTHOR_LABEL_RE.sub("", text_of(value) or "").strip(" -–|,:")
    return _UNIT_RE.sub("", name).strip(" -–|,:")


def person(value: str | None) -> str | None:
    """A person's name from a byline or signature, without label and unit; None for others."""
    name = _without_label(value)
    if not name or _NOT_PERSON_RE.search(name) or not _PERSON_RE.fullmatch(name):
        return None
    return name


def tidy_author(value: str | None) -> str | None:
    """An author found by the line rules: the person's name, None for an account or office.

    A byline of another shape ("Lan Anh (TTXVN)") is kept as it is written.
    """
    name = _without_label(value)
    if not name or _NOT_PERSON_RE.search(name):
        return None
    return person(name) or text_of(value)


def metadata_author(soup: BeautifulSoup, elements: list[Tag]) -> str | None:
    """The first person named by meta tags, itemprop or rel author, or a byline element."""
    values = [meta_content(soup, "author", "article:author", "dc.creator")]
    for found in soup.find_all(attrs={"itemprop": "author"}) + soup.find_all(rel="author"):
        name = found.find(attrs={"itemprop": "name"}) or found
        values.append(name.get_text(" ", strip=True))
    bylines = elements + (soup.body or soup).find_all(True)
    values += [e.get_text(" ", strip=True) for e in bylines if mark_words(e) & _BYLINE_WORDS]
    return next((name for name in map(person, values) if name), None)


def take_signature(page: Page) -> None:
    """Move the source and signature lines that close the body into page.source / page.author."""
    while page.body and (found := _SOURCE_LINE_RE.match(page.body[-1])):
        page.source = page.source or found["source"].strip()
        page.body.pop()
    last = page.body[-1] if page.body else ""
    name = person(last) if len(last) <= SIGNATURE_CHARS and not last.endswith(".") else None
    if name and (page.author is None or fold(page.author) in fold(last)):
        page.author = name
        page.body.pop()
    else:
        page.author = tidy_author(page.author)
