"""RawRecord -> Article: the title, date, author, body, province and topics of one page.

Text scrapes and HTML pages are read by the same line rules: site chrome goes; the title is the
nearest real line above the first *anchor* (a date line, the print/e-mail links, an audio player's
times); a line ending with ':' above the title is its kicker; the body follows the anchors; the
author's name closes the body. A publication date comes only from the byline zone between title
and body, a labelled line ("Cập nhật lúc: ..."), metadata or the kicker: never from a site header
clock or a date in the body. Values given by a JSON Lines record or a sidecar win over all that.
"""

from __future__ import annotations

import codecs
import datetime
import logging
import re
import warnings
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from bs4 import (
    BeautifulSoup,
    MarkupResemblesLocatorWarning,
    NavigableString,
    Tag,
    XMLParsedAsHTMLWarning,
)
from bs4.element import PreformattedString

from indexer.article import Article, RawRecord
from indexer.gazetteer import Province, find_province_mentions, resolve_province
from indexer.topics import assign_topics
from indexer.vietnamese import fold, normalize_text

logger = logging.getLogger(__name__)

TITLE_CHARS = 150  # a title derived from the body is cut at a word boundary near this length
HEADLINE_CHARS = 250  # a longer line is a paragraph, not a title
KICKER_CHARS = 200
JUNK_RATIO = 0.05  # share of control or replacement characters that marks binary junk
# Province scores (bare name, after "tỉnh"/"TP.") by where the name stands.
PUBLISHER_SCORE = 10.0
TITLE_SCORES = (6.0, 8.0)
KICKER_SCORES = (3.0, 4.0)
LEAD_SCORES = (2.0, 3.0)
BODY_SCORES = (1.0, 2.0)
MIN_PROVINCE_SCORE = 2.0  # one "tỉnh X" in the body is enough when no other province competes
PROVINCE_DOMINANCE = 2.0  # the best province must score this many times the runner-up


class ExtractionError(ValueError):
    """A record has no usable text: empty, binary junk, or no body."""


@dataclass
class Page:
    """What a page says about itself, before the record's own fields are applied."""

    title: str | None = None
    kicker: str | None = None
    published: str | None = None
    author: str | None = None
    source: str | None = None
    url: str | None = None
    body: list[str] = field(default_factory=list)


# --- dates -----------------------------------------------------------------------------------

_DATE = (
    r"(?<!\d)(?:(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>(?:19|20)\d{2})"
    r"|(?P<y2>(?:19|20)\d{2})-(?P<m2>\d{1,2})-(?P<d2>\d{1,2})"
    r"|ngày\s+(?P<d3>\d{1,2})\s+tháng\s+(?P<m3>\d{1,2})\s+năm\s+(?P<y3>(?:19|20)\d{2}))(?!\d)"
)
DATE_RE = re.compile(_DATE, re.IGNORECASE)
_LABEL = (
    r"cập nhật lúc|cập nhật ngày|ngày cập nhật|cập nhật|ngày đăng|đăng ngày|đăng lúc|ngày xuất bản"
    r"|thời gian đăng|ngày đưa tin"
)
_TOKEN = (
    _LABEL + r"|thứ\s*(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s*nhật|cn|lúc|ngày|vào|posted on"
    r"|(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{1,2}-\d{1,2}"
    r"|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})"
    r"|\d{1,2}\s*[:h]\s*\d{2}(?::\d{2})?(?:\s*(?:am|pm|sa|ch))?|gmt\s*[+-]?\s*\d{0,2}|ict"
)
_SEP = r"[\s,|\-–—/:()\[\]]*"
# A line that is nothing but a date, with its weekday, time, zone and label.
DATE_LINE_RE = re.compile(rf"^{_SEP}(?:(?:{_TOKEN}){_SEP})+$", re.IGNORECASE)
_LABELLED_RE = re.compile(rf"^\W*(?:{_LABEL})\b", re.IGNORECASE)
_CLOCK_RE = re.compile(r"\bICT\b")  # SharePoint headers print the crawl time as "20:50 ICT ..."
_ISO_DATE_RE = re.compile(r"^\s*((?:19|20)\d{2})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?$")


def _valid_date(year: str, month: str, day: str) -> str | None:
    """'2013', '2', '20' -> '2013-02-20', or None for an impossible or future date."""
    try:
        date = datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return date.isoformat() if date.year <= datetime.date.today().year + 1 else None


def dates_in(text: str) -> list[str]:
    """Every valid date written in text, as 'YYYY-MM-DD', in order."""
    found = []
    for m in DATE_RE.finditer(text):
        year, month, day = (m["y"], m["m"], m["d"]) if m["y"] else (m["y2"], m["m2"], m["d2"])
        if not year:
            year, month, day = m["y3"], m["m3"], m["d3"]
        date = _valid_date(year, month, day)
        if date:
            found.append(date)
    return found


def normalize_published(value: str) -> str | None:
    """'2021-01-26', '2021-01-26T08:00:00+07:00', '26/01/2021' -> '2021-01-26'; else None."""
    match = _ISO_DATE_RE.match(value) if len(value) <= 100 else None
    if match is None:
        return _date_line(value)
    year, month, day = match.groups()
    if day:
        return _valid_date(year, month, day)
    if month:
        return f"{year}-{int(month):02d}" if 1 <= int(month) <= 12 else None
    return year


def _date_line(line: str) -> str | None:
    """The date of a date line: only a date (weekday, time, zone), or a labelled date, else None.

    "Thứ tư - 20/02/2013 14:57", "( Cập nhật lúc: 08/05/2020 )", "Ngày đăng: 05/09/2022 | Lượt
    xem: 1245"; a sentence that starts with a date ("Ngày 11/5/2006, Sở ...") is not one.
    """
    if len(line) > 100 or not (DATE_LINE_RE.match(line) or _LABELLED_RE.match(line)):
        return None
    return next(iter(dates_in(line)), None)


def _byline_date(line: str) -> str | None:
    """The date of a short byline right under a title: '21/03/2024 bởi Thanh Tâm'."""
    if len(line) > 80 or line.endswith((".", ":", ";")) or len(line.split()) > 10:
        return None
    return next(iter(dates_in(line)), None)


# --- lines -----------------------------------------------------------------------------------

_COUNTER = (
    r"(?:[•*·-]\s*)?(?:total|visitors?(?: online)?|online|hôm nay|hôm qua|trong tuần|tuần này"
    r"|trong tháng|tháng này|trong năm|tổng(?: số)?(?: lượt)?(?: truy cập)?|lượt truy cập"
    r"|đang (?:truy cập|online)|số lượt xem|lượt xem|khách|thành viên)\s*:?\s*[\d.,]+"
)
_CHROME_RE = re.compile(
    r"skip ribbon commands|skip to main content|skip navigation links|th[ôố]ng kê truy cập"
    r"|(?:cỡ chữ|font chữ|kích thước chữ)\b.*|" + _COUNTER,
    re.IGNORECASE,
)
_LINK = (
    r"bản để in|bản in|in bài(?: viết| này)?|in trang|gửi bài(?: này)?(?: qua)? email"
    r"|gửi email|gửi bài viết|chia sẻ(?: bài viết)?|facebook|twitter|zalo|tweet|e-?mail|print"
    r"|lưu bài(?: viết)?"
    r"|về đầu trang|đầu trang|quay lại|trở về|trở lại|nghe đọc bài|nghe bài viết"
)
# Chrome that sits between a headline and its body: print/e-mail links, an audio player's times.
_ANCHOR_RE = re.compile(
    rf"(?:(?:{_LINK})\s*[|/·•:,-]*\s*)+|\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:\s*/\s*\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?",
    re.IGNORECASE,
)
# Where the article ends and the related-links list begins.
_TAIL_RE = re.compile(
    r"(?:tin đã đăng|tin cùng chuyên mục|các tin (?:khác|đã đưa)|tin khác|tin liên quan"
    r"|tin tức khác"
    r"|(?:các )?bài viết (?:liên quan|khác)|bài liên quan|xem thêm|tin mới hơn|tin cũ hơn"
    r"|ý kiến bạn đọc|bình luận|gửi bình luận|ý kiến của bạn|liên kết(?: website)?)\s*:?"
    r"|(?:từ khóa|tags?)\s*:.*",
    re.IGNORECASE,
)
_PHOTO_ALT_RE = re.compile(r"\s+ảnh \d+$")  # alt text "ảnh 1" printed after a photo's caption
_JUNK_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")


def clean_lines(text: str) -> list[str]:
    """Normalized text -> its non-empty lines, spaces collapsed, repeats in a row dropped."""
    lines: list[str] = []
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if "ảnh" in line[-12:]:
            line = _PHOTO_ALT_RE.sub("", line)
        if line and (not lines or line != lines[-1]):
            lines.append(line)
    return lines


def _kind(line: str) -> str:
    """'chrome', 'anchor', 'date', 'tail' or 'text'."""
    if len(line) <= 120:
        if _CHROME_RE.fullmatch(line) or (_CLOCK_RE.search(line) and _date_line(line)):
            return "chrome"
        if _TAIL_RE.fullmatch(line):
            return "tail"
        if _ANCHOR_RE.fullmatch(line):
            return "anchor"
        if _date_line(line):
            return "date"
    return "text"


def _is_headline(line: str) -> bool:
    return len(line) <= HEADLINE_CHARS and not line.endswith((".", ";", ",", ":"))


def _same_title(line: str, title: str) -> bool:
    a, b = (re.sub(r"\W+", "", fold(s)) for s in (line, title))
    return bool(a) and (a == b or (len(a) >= 12 and b.startswith(a)))


def _is_paragraph(line: str) -> bool:
    return len(line) > HEADLINE_CHARS or (line.endswith(".") and len(line.split()) > 12)


def _find_title(lines: list[str], kinds: list[str], hint: str | None) -> int | None:
    """Index of the title line: the nearest real line above the first anchor (or the hint)."""
    if hint is not None:
        return next((i for i, line in enumerate(lines[:15]) if _same_title(line, hint)), -1)
    above = None
    for i, kind in enumerate(kinds):
        if kind in ("anchor", "date") and above is not None and _is_headline(lines[above]):
            return above
        if kind == "text":
            if _is_paragraph(lines[i]):
                break  # the body has begun: anchors further down belong to it
            above = i
    # No anchor: the first line that reads like a headline (three syllables at least).
    for i, line in enumerate(lines):
        if kinds[i] == "text" and _is_headline(line) and len(line.split()) >= 3:
            return i
    return None


# --- authors ---------------------------------------------------------------------------------

_UP = "".join(c for c in map(chr, range(0x41, 0x1EFA)) if c.isupper() and fold(c).isascii())
_LO = "".join(c for c in map(chr, range(0x61, 0x1EFA)) if c.islower() and fold(c).isascii())
_WORD = rf"(?:[{_UP}][{_LO}]+|[{_UP}]{{2,}}(?![{_LO}]))"
_NAME = rf"{_WORD}(?: {_WORD}){{1,4}}"
_POSITION = (
    r"(?:[A-ZĐ]{2,}\b|Giám đốc|Phó|Trưởng|Chánh|Tỉnh ủy viên|Ủy viên|Bí thư|Chủ tịch|Phóng viên"
    r"|Biên tập viên|Cộng tác viên|Chuyên viên|Sở|Phòng|Trung tâm|Văn phòng|Đài|Báo|Ban|Nhà báo)"
)
_NAME_LINE_RE = re.compile(
    rf"(?P<name>{_NAME}(?:\s*[-–,]\s*{_NAME})*)"
    r"(?:\s*\((?:tổng hợp|TH|st|sưu tầm|lược dịch|dịch)\))?"
)
_NAME_POSITION_RE = re.compile(rf"(?P<name>{_NAME})\s*[-–,]?\s+{_POSITION}[^.!?]*")
_GLUED_NAME_RE = re.compile(rf"(?P<text>.{{20,}}[.!?…”\"»)])\s*(?P<name>{_NAME})")
# "Theo Báo Nghệ An", "Nguồn: baonghean.vn": a publisher, capitalized or a domain name.
_SOURCE_RE = re.compile(
    rf"(?i:theo|nguồn)\s*:?\s+(?P<source>[{_UP}][^,;]{{1,59}}?|[\w.-]+\.(?:vn|com|net|org)\S*)\.?"
)
_AUTHOR_LABEL_RE = re.compile(
    r"^(?:(?:tác giả|bài(?: và|,)? ảnh|bài|người viết|phóng viên|pv|by)\s*:\s*"
    r"|(?:đăng bởi|bởi|by)\s+)(?P<name>[^\W\d_].{1,59})$",
    re.IGNORECASE,
)
_NOT_NAME = {
    "Sở",
    "Ban",
    "Phòng",
    "Hội",
    "Đài",
    "Báo",
    "Bộ",
    "Cục",
    "Ủy",
    "Trung",
    "Tỉnh",
    "Huyện",
    "Xã",
    "Công",
    "Tin",
    "Bài",
    "Ảnh",
    "Video",
    "Xem",
    "Trang",
    "Thành",
    "Ngày",
    "Tạp",
}


def _person(name: str) -> str | None:
    """The name, unless it is a place or an organisation that only looks like a name."""
    if name.split()[0] in _NOT_NAME or find_province_mentions(name):
        return None
    return name


def _split_author(body: list[str]) -> tuple[list[str], str | None, str | None]:
    """Take the author (and a 'Theo ...' source) off the end of the body."""
    body, source = list(body), None
    if body and (m := _SOURCE_RE.fullmatch(body[-1])):
        source, body = m["source"].strip(), body[:-1]
    if not body:
        return body, None, source
    last = body[-1]
    if m := _AUTHOR_LABEL_RE.match(last):
        return body[:-1], m["name"], source
    for regex in (_NAME_LINE_RE, _NAME_POSITION_RE, _GLUED_NAME_RE):
        if (m := regex.fullmatch(last)) and (author := _person(m["name"])):
            rest = m.groupdict().get("text")
            return [*body[:-1], rest] if rest else body[:-1], author, source
    return body, None, source


# --- pages -----------------------------------------------------------------------------------


def split_page(lines: list[str], title_hint: str | None = None) -> Page:
    """Apply the line rules to a page's lines; title_hint is a title known from metadata."""
    kinds = [_kind(line) for line in lines]
    t = _find_title(lines, kinds, title_hint)
    page = Page(title=lines[t] if t is not None and t >= 0 else None)
    if t is not None and t > 0:
        above = next((j for j in range(t - 1, -1, -1) if kinds[j] != "chrome"), None)
        if above is not None and kinds[above] == "text" and lines[above].endswith(":"):
            page.kicker = lines[above] if len(lines[above]) <= KICKER_CHARS else None
    start = 0 if t is None else t + 1
    # The byline zone: dates, print links, a labelled author, until the first real line.
    while start < len(lines):
        kind, line = kinds[start], lines[start]
        if kind == "date" and t is not None:
            page.published = page.published or _date_line(line)
        elif author := _AUTHOR_LABEL_RE.match(line):
            page.author = page.author or author["name"]
        elif kind == "text" and t is not None and start == t + 1 and _byline_date(line):
            page.published = page.published or _byline_date(line)
        elif kind == "text":
            break
        start += 1
    end = next((i for i in range(start, len(lines)) if kinds[i] == "tail"), len(lines))
    labelled = (
        _date_line(lines[i])
        for i in range(end)
        if kinds[i] == "date" and _LABELLED_RE.match(lines[i]) and i > (t or 0)
    )
    page.published = page.published or next(labelled, None)
    if not page.published and page.kicker:
        page.published = max(dates_in(page.kicker), default=None)
    body = [lines[i] for i in range(start, end) if kinds[i] == "text"]
    page.body, author, page.source = _split_author(body)
    page.author = page.author or author
    return page


def _check_text(text: str) -> str:
    """Text worth extracting, or ExtractionError for empty or binary content."""
    if not text.strip():
        raise ExtractionError("empty content")
    junk = len(_JUNK_RE.findall(text[:20000]))
    if junk > JUNK_RATIO * min(len(text), 20000):
        raise ExtractionError("binary or undecodable content")
    return text


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Bytes -> text: the declared charset, else UTF-8, else Windows-1258 (Vietnamese)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    for encoding in (declared, "utf-8"):
        if encoding:
            try:
                return data.decode(codecs.lookup(encoding).name)
            except (LookupError, UnicodeDecodeError):
                continue
    return data.decode("cp1258", errors="replace")


def parse_text_page(content: str | bytes) -> Page:
    """A text scrape (like the seed pages) -> Page."""
    text = decode_bytes(content) if isinstance(content, bytes) else content
    return split_page(clean_lines(normalize_text(_check_text(text))))


# --- HTML ------------------------------------------------------------------------------------

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
    """Page bytes -> text, by the charset the page declares, else UTF-8, else Windows-1258."""
    if isinstance(data, str):
        return data
    if b"\x00" in data[:2048]:
        raise ExtractionError("binary content")
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
        if _same_title(h1.get_text(" ", strip=True), title):
            return h1
    for string in (soup.body or soup).find_all(string=True):
        if isinstance(string, PreformattedString):
            continue
        text = string.strip()
        if len(text) >= 8 and abs(len(text) - len(title)) <= 40 and _same_title(text, title):
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
    text = _check_text(_decode_html(content))
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


# --- records -> articles ---------------------------------------------------------------------

_PUBLISHER_TAG_RE = re.compile(r"\s*\([^()]{1,25}\)\s*[-–]\s*")  # "Tiêu đề (NLĐ)- Nội dung"
_SENTENCE_END_RE = re.compile(r"[.!?…](?=\s+\S)")
_HOST_PREFIX_RE = re.compile(r"^(?:www|stttt|sotttt|tttt|bao|so|ubnd|cong)(?=[a-z]{4})")


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


def _host_province(url: str | None) -> Province | None:
    """The province in a provincial site's host name: 'stttt.backan.gov.vn' -> Bắc Kạn."""
    host = re.sub(r"^[a-z]+://", "", (url or "").lower()).split("/", 1)[0].split(":", 1)[0]
    for piece in re.split(r"[.-]", host)[:-1]:
        if len(piece) >= 4 and piece not in ("gov", "org", "com", "edu", "www", "net"):
            province = resolve_province(_HOST_PREFIX_RE.sub("", piece))
            if province is not None:
                return province
    return None


def _detect_province(page: Page) -> str | None:
    """The province an article is from: its publisher, title, kicker, else the dominant one."""
    scores: dict[str, float] = defaultdict(float)
    publishers = [_host_province(page.url)]
    publishers += [m.province for m in find_province_mentions(page.source or "")]
    for province in filter(None, publishers):
        scores[province.name] += PUBLISHER_SCORE
    lead, rest = (page.body[0], "\n".join(page.body[1:])) if page.body else ("", "")
    for text, weights in (
        (page.title or "", TITLE_SCORES),
        (page.kicker or "", KICKER_SCORES),
        (lead, LEAD_SCORES),
        (rest, BODY_SCORES),
    ):
        for mention in find_province_mentions(text):
            scores[mention.province.name] += weights[mention.admin]
    ranked = sorted(scores.values(), reverse=True) or [0.0]
    if ranked[0] < MIN_PROVINCE_SCORE or (
        len(ranked) > 1 and ranked[0] < PROVINCE_DOMINANCE * ranked[1]
    ):
        return None
    return max(scores, key=scores.__getitem__)


def _given(fields: dict[str, Any], name: str, where: str) -> str | None:
    """A string field of the record or sidecar, normalized; None when absent, empty or mistyped."""
    value = fields.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        logger.warning("%s: ignoring field %r: expected a string, got %r", where, name, value)
        return None
    return normalize_text(value).strip() or None


def _given_topics(fields: dict[str, Any], where: str) -> list[str] | None:
    """The record's own topic labels, when it gives a non-empty list of strings."""
    value = fields.get("topics")
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        logger.warning("%s: ignoring field 'topics': expected a list of strings: %r", where, value)
        return None
    return list(dict.fromkeys(t for t in (normalize_text(v).strip() for v in value) if t)) or None


def _given_published(fields: dict[str, Any], where: str) -> str | None:
    value = _given(fields, "published", where)
    published = normalize_published(value) if value else None
    if value and not published:
        logger.warning("%s: ignoring field 'published': not a date: %r", where, value)
    return published


def _given_province(fields: dict[str, Any], where: str) -> str | None:
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
    if not page.body:
        raise ExtractionError(f"{where}: no body text")
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
