"""Publication dates: the dates written in a line, date lines and bylines, given date values.

A date line is a line that is nothing but a date (with its weekday, time, zone) or that starts
with a label ("Cập nhật lúc: ..."); a sentence that starts with a date is not one.
"""

from __future__ import annotations

import datetime
import re

_DATE = (
    r"(?<!\d)(?:(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>(?:19|20)\d{2})"
    r"|(?P<y2>(?:19|20)\d{2})-(?P<m2>\d{1,2})-(?P<d2>\d{1,2})"
    r"|ngày\s+(?P<d3>\d{1,2})\s+tháng\s+(?P<m3>\d{1,2})\s+năm\s+(?P<y3>(?:19|20)\d{2})"
    # Joomla's and K2's Vietnamese dates: "18 Tháng 6 2018", "18 tháng 6, 2018"
    r"|(?P<d4>\d{1,2})\s+tháng\s+(?P<m4>\d{1,2})(?:\s+năm|,)?\s+(?P<y4>(?:19|20)\d{2}))(?!\d)"
)
DATE_RE = re.compile(_DATE, re.IGNORECASE)
_LABEL = (
    r"cập nhật lúc|cập nhật ngày|ngày cập nhật|cập nhật|ngày đăng|đăng ngày|đăng lúc|ngày xuất bản"
    r"|thời gian đăng|ngày đưa tin"
)
_TOKEN = (
    _LABEL + r"|thứ\s*(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s*nhật|cn|lúc|ngày|vào|posted on"
    r"|(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{1,2}-\d{1,2}"
    r"|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|\d{1,2}\s+tháng\s+\d{1,2}(?:\s+năm|,)?\s+\d{4})"
    r"|\d{1,2}\s*[:h]\s*\d{2}(?::\d{2})?(?:\s*(?:am|pm|sa|ch))?|gmt\s*[+-]?\s*\d{0,2}|ict"
)
_SEP = r"[\s,|\-–—/:()\[\]]*"
# A line that is nothing but a date, with its weekday, time, zone and label.
DATE_LINE_RE = re.compile(rf"^{_SEP}(?:(?:{_TOKEN}){_SEP})+$", re.IGNORECASE)
_LABELLED_RE = re.compile(rf"^\W*(?:{_LABEL})\b", re.IGNORECASE)
_CLOCK_RE = re.compile(r"\bICT\b")  # SharePoint headers print the crawl time as "20:50 ICT ..."
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


def dates_in(text: str) -> list[str]:
    """Every valid date written in text, as 'YYYY-MM-DD', in order."""
    found = []
    for m in DATE_RE.finditer(text):
        year, month, day = (m["y"], m["m"], m["d"]) if m["y"] else (m["y2"], m["m2"], m["d2"])
        if not year:
            year, month, day = (
                (m["y3"], m["m3"], m["d3"]) if m["y3"] else (m["y4"], m["m4"], m["d4"])
            )
        date = _valid_date(year, month, day)
        if date:
            found.append(date)
    return found


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

    "Thứ tư - 20/02/2013 14:57", "( Cập nhật lúc: 08/05/2020 )", "Ngày đăng: 05/09/2022 | Lượt
    xem: 1245"; a sentence that starts with a date ("Ngày 11/5/2006, Sở ...") is not one.
    """
    if len(line) > 100 or not (DATE_LINE_RE.match(line) or _LABELLED_RE.match(line)):
        return None
    return next(iter(dates_in(line)), None)


def is_labelled(line: str) -> bool:
    """True when a line starts with a date label: 'Cập nhật lúc', 'Ngày đăng', ..."""
    return _LABELLED_RE.match(line) is not None


def is_header_clock(line: str) -> bool:
    """True for a site header's clock ('20:50 ICT Thứ tư, 20/02/2013'): the crawl time."""
    return _CLOCK_RE.search(line) is not None and date_line(line) is not None


def byline_date(line: str) -> str | None:
    """The date of a short byline right under a title: '21/03/2024 bởi Thanh Tâm'."""
    if len(line) > 80 or line.endswith((".", ":", ";")) or len(line.split()) > 10:
        return None
    return next(iter(dates_in(line)), None)
