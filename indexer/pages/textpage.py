"""Text scrapes -> Page: the line rules that find a page's title, date, author and body.

Text scrapes and HTML pages are read by the same line rules: site chrome goes; the title is the
nearest real line above the first *anchor* (a date line, the print/e-mail links, an audio player's
times); a line ending with ':' above the title is its kicker; the body follows the anchors; the
author's name closes the body. A publication date comes only from the byline zone between title
and body, a labelled line ("Cập nhật lúc: ..."), metadata or the kicker: never from a site header
clock (a date line the menu follows), a last change ("Cập nhật lần cuối") or a date in the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice

from indexer.inputs.encodings import convert_legacy_lines, decode_bytes
from indexer.inputs.mangled import repair_mangled
from indexer.metadata.dates import (
    byline_date,
    date_line,
    dates_in,
    is_date_label,
    is_empty_date_slot,
    is_header_clock,
    is_labelled,
    is_last_change,
    strip_empty_slots,
)
from indexer.metadata.gazetteer import find_province_mentions
from indexer.records import ExtractionError
from indexer.text.vietnamese import fold, normalize_text

HEADLINE_CHARS = 250  # a longer line is a paragraph, not a title
KICKER_CHARS = 200
JUNK_RATIO = 0.05  # share of control or replacement characters that marks binary junk
JUNK_PROBE = 20000  # characters: how much of a text the junk ratio looks at
# An article's text has a line of at least this many words besides its title; a page with
# none (its title alone, a date, a word or two of a menu) is one whose text was not found.
TEXT_WORDS = 3
MENU_LINES = 3  # a date line followed by this many menu items is a header's clock
MENU_ITEM_WORDS = 4  # a menu item is this many words at most


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
    # The site's own lines around the article (header, footer, <title>, og:site_name, banners),
    # where it says who runs it: read by indexer.metadata.statements for the province.
    identity: list[str] = field(default_factory=list)


# --- lines -----------------------------------------------------------------------------------

_COUNTER = (
    r"(?:[•*·-]\s*)?(?:total|visitors?(?: online)?|online|hôm nay|hôm qua|trong tuần|tuần này"
    r"|trong tháng|tháng này|trong năm|tổng(?: số)?(?: lượt)?(?: truy cập)?|lượt truy cập"
    r"|đang (?:truy cập|online)|số lượt xem|lượt xem|khách|thành viên)\s*:?\s*[\d.,]+"
    r"|(?:bình luận|ý kiến|lượt thích|thích|chia sẻ|comments?|likes?|shares?)"
    r"\s*(?::\s*[\d.,]+|\(\s*[\d.,]+\s*\))"  # "Bình luận (12)", "Chia sẻ: 5"
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
    r"|(?:về|lên) đầu trang|đầu trang|quay lại|trở về|trở lại|nghe đọc bài|nghe bài viết"
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
        if _CHROME_RE.fullmatch(line) or is_header_clock(line):
            return "chrome"
        if _TAIL_RE.fullmatch(line):
            return "tail"
        if _ANCHOR_RE.fullmatch(line) or is_empty_date_slot(line) or is_date_label(line):
            return "anchor"
        if date_line(line):
            return "anchor" if is_last_change(line) else "date"
    return "text"


def _is_menu_item(line: str) -> bool:
    """True for a line as short as a menu's item ("Trang chủ", "Giới thiệu")."""
    words = line.split()
    return len(words) <= MENU_ITEM_WORDS and not line.endswith((".", ":", ";", ",", "?", "!"))


def _drop_header_clocks(lines: list[str], kinds: list[str]) -> list[str]:
    """kinds, with the date lines that a menu follows (a header's frozen clock) as chrome."""
    kinds = list(kinds)
    for i, kind in enumerate(kinds):
        if kind != "date" or is_labelled(lines[i]):
            continue
        after = islice((j for j in range(i + 1, len(lines)) if kinds[j] != "chrome"), MENU_LINES)
        menu = [j for j in after if kinds[j] == "text" and _is_menu_item(lines[j])]
        if len(menu) == MENU_LINES:
            kinds[i] = "chrome"
    return kinds


def _is_headline(line: str) -> bool:
    return len(line) <= HEADLINE_CHARS and not line.endswith((".", ";", ",", ":"))


def is_title_again(line: str, title: str) -> bool:
    """True when a line is the headline again, word for word (printed twice, or as the
    caption of the photo under it): no new text."""
    return _letters(line) == _letters(title)


def _letters(text: str) -> str:
    return re.sub(r"\W+", "", fold(text))


def same_title(line: str, title: str) -> bool:
    """True when line is the title, or its start, ignoring case, diacritics and punctuation."""
    a, b = _letters(line), _letters(title)
    return bool(a) and (a == b or (len(a) >= 12 and b.startswith(a)))


def _is_paragraph(line: str) -> bool:
    return len(line) > HEADLINE_CHARS or (line.endswith(".") and len(line.split()) > 12)


def _find_title(lines: list[str], kinds: list[str], hint: str | None) -> int | None:
    """Index of the title line: the nearest real line above the first anchor (or the hint)."""
    if hint is not None:
        found = (
            i for i, line in enumerate(lines[:15]) if same_title(strip_empty_slots(line), hint)
        )
        return next(found, -1)
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


def _is_labelled_at(lines: list[str], i: int) -> bool:
    """True when line i is a labelled date, or a date under its label ('Ngày đăng:')."""
    label = lines[i - 1] if i > 0 else ""
    return is_labelled(lines[i]) or (is_date_label(label) and is_labelled(label))


# --- pages -----------------------------------------------------------------------------------


def _chrome_lines(lines: list[str], title: int | None, kicker: str | None, tail: int) -> list[str]:
    """The site's lines around the article: above the title (not its kicker) and from the tail."""
    above = lines[:title] if title is not None and title > 0 else []
    return [line for line in above if line != kicker] + lines[tail:]


def split_page(lines: list[str], title_hint: str | None = None) -> Page:
    """Apply the line rules to a page's lines; title_hint is a title known from metadata."""
    kinds = _drop_header_clocks(lines, [_kind(line) for line in lines])
    t = _find_title(lines, kinds, title_hint)
    page = Page(title=strip_empty_slots(lines[t]) if t is not None and t >= 0 else None)
    if t is not None and t > 0:
        above = next((j for j in range(t - 1, -1, -1) if kinds[j] != "chrome"), None)
        if above is not None and kinds[above] == "text" and lines[above].endswith(":"):
            page.kicker = lines[above] if len(lines[above]) <= KICKER_CHARS else None
    start = 0 if t is None else t + 1
    # The byline zone: dates, print links, a labelled author, until the first real line.
    while start < len(lines):
        kind, line = kinds[start], lines[start]
        if kind == "date" and t is not None:
            page.published = page.published or date_line(line)
        elif author := _AUTHOR_LABEL_RE.match(line):
            page.author = page.author or author["name"]
        elif kind == "text" and t is not None and start == t + 1 and byline_date(line):
            page.published = page.published or byline_date(line)
        elif kind == "text":
            break
        start += 1
    end = next((i for i in range(start, len(lines)) if kinds[i] == "tail"), len(lines))
    labelled = (
        date_line(lines[i])
        for i in range(end)
        if kinds[i] == "date" and _is_labelled_at(lines, i) and i > (t or 0)
    )
    page.published = page.published or next(labelled, None)
    if not page.published and page.kicker:
        page.published = max(dates_in(page.kicker), default=None)
    title = page.title
    body = [
        lines[i]
        for i in range(start, end)
        if kinds[i] == "text" and not (title and is_title_again(lines[i], title))
    ]
    page.identity = _chrome_lines(lines, t, page.kicker, end)
    page.body, author, page.source = _split_author(body)
    page.author = page.author or author
    return page


# --- checking ---------------------------------------------------------------------------------


def has_article_text(body: list[str], title: str | None) -> bool:
    """Whether a page's body holds article text: a line of a few words that is not the title
    (not the title alone, a date, a menu's word or two)."""
    return any(
        len(line.split()) >= TEXT_WORDS and not (title and same_title(line, title)) for line in body
    )


def check_text(text: str) -> str:
    """Text worth extracting, or ExtractionError for empty or binary content."""
    if not text.strip():
        raise ExtractionError("empty content")
    junk = len(_JUNK_RE.findall(text[:JUNK_PROBE]))
    if junk > JUNK_RATIO * min(len(text), JUNK_PROBE):
        raise ExtractionError("binary or undecodable content")
    return text


def parse_text_page(content: str | bytes) -> Page:
    """A text scrape (like the seed pages), as bytes or text -> Page."""
    text = decode_bytes(content) if isinstance(content, bytes) else content
    # Before normalize_text: TCVN3 writes ư as a soft hyphen, which normalizing would drop.
    text = convert_legacy_lines(check_text(text))
    return split_page(clean_lines(normalize_text(repair_mangled(text))))
