"""Publication dates: the dates written in a line, date lines and bylines, given date values.

A date line is a line that is nothing but a date (with its weekday, time, zone) or that starts
with a label ("Cập nhật lúc: ...", "Publish date: ..."); a sentence that starts with a date is
not one. Some shapes are dates only where the line says so: three numbers apart ("thứ hai,
05 08 2019 14:38") and English month names ("Posted on March 12, 2021") are read in a date
line, after a label, a weekday or a time, or before a time, never in running text. A header's
clock ("Hôm nay: Thứ Ba, 14/05/2013") and an empty date slot ("( )") are never dates.
"""

from __future__ import annotations

import datetime
import re

_YEAR = r"(?:19|20)\d{2}"
_DATE = (
    rf"(?<!\d)(?:(?P<d>\d{{1,2}})[/.-](?P<m>\d{{1,2}})[/.-](?P<y>{_YEAR})"
    rf"|(?P<y2>{_YEAR})-(?P<m2>\d{{1,2}})-(?P<d2>\d{{1,2}})"
    rf"|ngày\s+(?P<d3>\d{{1,2}})\s+tháng\s+(?P<m3>\d{{1,2}})\s+năm\s+(?P<y3>{_YEAR})"
    # Joomla's and K2's Vietnamese dates: "18 Tháng 6 2018", "18 tháng 6, 2018"
    rf"|(?P<d4>\d{{1,2}})\s+tháng\s+(?P<m4>\d{{1,2}})(?:\s+năm|,)?\s+(?P<y4>{_YEAR}))(?!\d)"
)
DATE_RE = re.compile(_DATE, re.IGNORECASE)
_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ORDINAL = r"(?:st|nd|rd|th)?"
# Dates only where a label, a weekday or a time says so: "05 08 2019" (two-digit day and month,
# single spaces, no number but a time next to them), "March 12, 2021", "12 Mar 2021".
_CONTEXT_DATE = (
    rf"(?<![\d.,])(?:(?P<d>\d{{2}}) (?P<m>\d{{2}}) (?P<y>{_YEAR})(?!\s+\d+\b(?![:h]))"
    rf"|\b(?P<mn>{_MONTH})\.?\s+(?P<d2>\d{{1,2}}){_ORDINAL},?\s+(?P<y2>{_YEAR})"
    rf"|(?P<d3>\d{{1,2}}){_ORDINAL}[\s-]+(?P<mn3>{_MONTH})\b\.?,?[\s-]+(?P<y3>{_YEAR}))(?!\d)"
)
_CONTEXT_DATE_RE = re.compile(_CONTEXT_DATE, re.IGNORECASE)
# The last change, not the publication: a date line, never the publication date.
_LATER_LABEL = (
    r"(?:cập nhật|sửa|chỉnh sửa) lần cuối(?: lúc| ngày| vào)?"
    r"|(?:metadata )?last (?:updated|modified)|updated(?: on| at)?|modified(?: on| at)?"
)
_LABEL = (
    r"cập nhật lúc|cập nhật ngày|ngày cập nhật|cập nhật|ngày đăng|đăng ngày|đăng lúc|ngày xuất bản"
    r"|thời gian đăng|ngày đưa tin|ngày tạo"
    # English labels on Vietnamese pages
    r"|publish(?:ed)?(?: date| on| at)?|date published|date posted|posted(?: on| at)?"
    r"|post(?:ed)? date|(?:metadata )?created(?: on| at)?|date"
    rf"|{_LATER_LABEL}"
)
_WEEKDAY = (
    r"thứ\s*(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s*nhật|cn"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day"
)
_TIME = r"\d{1,2}\s*[:h]\s*\d{2}(?::\d{2})?"
_TOKEN = (
    rf"{_LABEL}|{_WEEKDAY}|lúc|ngày|vào|at"
    rf"|(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{4}}|\d{{4}}-\d{{1,2}}-\d{{1,2}}"
    rf"|ngày\s+\d{{1,2}}\s+tháng\s+\d{{1,2}}\s+năm\s+\d{{4}}|\d{{1,2}}\s+tháng\s+\d{{1,2}}(?:\s+năm|,)?\s+\d{{4}})"
    rf"|\d{{2}} \d{{2}} {_YEAR}|(?:{_MONTH})\.?\s+\d{{1,2}}{_ORDINAL},?\s+{_YEAR}"
    rf"|\d{{1,2}}{_ORDINAL}[\s-]+(?:{_MONTH})\.?,?[\s-]+{_YEAR}"
    rf"|{_TIME}(?:\s*(?:am|pm|sa|ch))?|(?:gmt|utc)\s*[+-]?\s*\d{{0,2}}|ict"
)
_SEP = r"[\s,|\-–—/:()\[\]]*"
# A line that is nothing but a date, with its weekday, time, zone and label.
DATE_LINE_RE = re.compile(rf"^{_SEP}(?:(?:{_TOKEN}){_SEP})+$", re.IGNORECASE)
_LABELLED_RE = re.compile(rf"^\W*(?!{_LATER_LABEL})(?:{_LABEL})\b", re.IGNORECASE)
_LABEL_ONLY_RE = re.compile(rf"^\W*(?:{_LABEL})\s*:?\s*$", re.IGNORECASE)
_LAST_CHANGE_RE = re.compile(rf"^\W*(?:{_LATER_LABEL})\b", re.IGNORECASE)
# What says that the numbers next to it are a date: a label, a weekday or a time before, a
# time after.
_BEFORE_RE = re.compile(rf"(?:\b(?:{_LABEL}|{_WEEKDAY}|ngày|vào)|{_TIME})\W*$", re.IGNORECASE)
_AFTER_RE = re.compile(rf"^\W{{0,3}}(?:(?:lúc|at)\s+)?{_TIME}", re.IGNORECASE)
_NUMBER_BEFORE_RE = re.compile(r"(?<![:h\d])\d+\s$")  # "0912 05 08 2019" is a phone number
_CLOCK_RE = re.compile(r"\bICT\b")  # SharePoint headers print the crawl time as "20:50 ICT ..."
# A header's clock: "Hôm nay: Thứ Ba, 14/05/2013", "Today is ...", frozen on the day of the save.
_CLOCK_LABEL_RE = re.compile(
    r"^\W*(?:hôm nay(?: là)?|bây giờ là|giờ hiện tại|thời gian hiện tại|today(?: is)?)\b\W*",
    re.IGNORECASE,
)
# An empty date slot, alone or labelled: "( )", "[ ]", "( Cập nhật lúc: )".
_EMPTY_SLOT = rf"[(\[]\s*(?:(?:{_LABEL})\s*:?\s*)?[)\]]"
_EMPTY_SLOT_RE = re.compile(
    rf"^[\s|·•\-–]*(?:(?:{_LABEL})\s*:?\s*)?{_EMPTY_SLOT}[\s|·•\-–]*$", re.IGNORECASE
)
_TRAILING_SLOTS_RE = re.compile(rf"(?:\s*{_EMPTY_SLOT})+\s*$", re.IGNORECASE)
_ISO_DATE_RE = re.compile(r"^\s*((?:19|20)\d{2})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?$")
# A time with its zone: "2023-10-09T23:30:00+00:00" was 10 October in Vietnam.
_ZONED_RE = re.compile(
    r"^\s*(?:19|20)\d{2}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})\s*$"
)
VIETNAM = datetime.timezone(datetime.timedelta(hours=7))


def _valid_date(year: str, month: str, day: str) -> str | None:
    """'2013', '2', '20' -> '2013-02-20', or None for an impossible or future date."""
    try:
        date = datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return date.isoformat() if date.year <= datetime.date.today().year + 1 else None


def _plain_date(m: re.Match[str]) -> str | None:
    """The date of a DATE_RE match, or None for an impossible one."""
    for suffix in ("", "2", "3", "4"):
        if m["y" + suffix]:
            return _valid_date(m["y" + suffix], m["m" + suffix], m["d" + suffix])
    return None


def _context_date(m: re.Match[str]) -> str | None:
    """The date of a _CONTEXT_DATE_RE match, or None for an impossible one."""
    if m["y"]:
        return _valid_date(m["y"], m["m"], m["d"])
    year, name, day = (m["y2"], m["mn"], m["d2"]) if m["y2"] else (m["y3"], m["mn3"], m["d3"])
    return _valid_date(year, str(_MONTHS.index(name[:3].lower()) + 1), day)


def _said_to_be_date(line: str, m: re.Match[str]) -> bool:
    """True when a label, a weekday or a time stands right before the match, or a time after."""
    before = line[: m.start()]
    if _NUMBER_BEFORE_RE.search(before):
        return False
    return bool(_BEFORE_RE.search(before) or _AFTER_RE.match(line[m.end() :]))


def _line_dates(line: str, whole: bool) -> list[str]:
    """The dates of a line in order; the context shapes too where whole or said to be dates."""
    found = [(m.start(), _plain_date(m)) for m in DATE_RE.finditer(line)]
    found += [
        (m.start(), _context_date(m))
        for m in _CONTEXT_DATE_RE.finditer(line)
        if whole or _said_to_be_date(line, m)
    ]
    return [date for _, date in sorted(found) if date]


def dates_in(text: str) -> list[str]:
    """Every valid date written in text, as 'YYYY-MM-DD', in order (no context-only shapes)."""
    return [date for m in DATE_RE.finditer(text) if (date := _plain_date(m))]


def normalize_published(value: str) -> str | None:
    """'2021-01-26', '2021-01-26T08:00:00+07:00', '26/01/2021' -> '2021-01-26'; else None.

    A time with a zone is read in Vietnam's time (UTC+7): WordPress's SEO plugins write the
    publication time in UTC, a day early for an article published before 7 in the morning.
    """
    if _ZONED_RE.match(value):
        try:
            moment = datetime.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        return _valid_date(*moment.astimezone(VIETNAM).strftime("%Y %m %d").split())
    match = _ISO_DATE_RE.match(value) if len(value) <= 100 else None
    if match is None:
        return date_line(value)
    year, month, day = match.groups()
    if day:
        return _valid_date(year, month, day)
    if month:
        return f"{year}-{int(month):02d}" if 1 <= int(month) <= 12 else None
    return year


def date_line(line: str) -> str | None:
    """The date of a date line: only a date (weekday, time, zone), or a labelled date, else None.

    "Thứ tư - 20/02/2013 14:57", "thứ hai, 05 08 2019 14:38", "( Cập nhật lúc: 08/05/2020 )",
    "Ngày đăng: 05/09/2022 | Lượt xem: 1245", "Posted on March 12, 2021"; a sentence that starts
    with a date ("Ngày 11/5/2006, Sở ...") is not one.
    """
    if len(line) > 100:
        return None
    if DATE_LINE_RE.match(line):
        return next(iter(_line_dates(line, whole=True)), None)
    if _LABELLED_RE.match(line):
        return next(iter(_line_dates(line, whole=False)), None)
    return None


def is_labelled(line: str) -> bool:
    """True when a line starts with a publication date label: 'Cập nhật lúc', 'Ngày đăng', ..."""
    return _LABELLED_RE.match(line) is not None


def is_date_label(line: str) -> bool:
    """True for a date label alone ('Ngày đăng:', 'Created'), its date in the next line or cell."""
    return _LABEL_ONLY_RE.match(line) is not None


def is_last_change(line: str) -> bool:
    """True when a line starts with the label of a last change: 'Cập nhật lần cuối', 'Updated'."""
    return _LAST_CHANGE_RE.match(line) is not None


def is_header_clock(line: str) -> bool:
    """True for a site header's clock: '20:50 ICT Thứ tư, 20/02/2013', 'Hôm nay: 14/05/2013'."""
    rest = _CLOCK_LABEL_RE.sub("", line, count=1)
    if rest != line:
        return date_line(rest) is not None
    return _CLOCK_RE.search(line) is not None and date_line(line) is not None


def is_empty_date_slot(line: str) -> bool:
    """True for a date slot the page left empty: '( )', '[ ]', 'Cập nhật lúc: ( )'."""
    return _EMPTY_SLOT_RE.match(line) is not None


def strip_empty_slots(text: str) -> str:
    """Text without the empty date slots glued to its end: 'Tiêu đề ( )' -> 'Tiêu đề'."""
    return _TRAILING_SLOTS_RE.sub("", text)


def byline_date(line: str) -> str | None:
    """The date of a short byline right under a title: '21/03/2024 bởi Thanh Tâm'."""
    if len(line) > 80 or line.endswith((".", ":", ";")) or len(line.split()) > 10:
        return None
    return next(iter(_line_dates(line, whole=False)), None)
