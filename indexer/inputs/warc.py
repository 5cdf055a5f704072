"""Web archives (WARC and ARC, as written by ``wget --warc-file``, Heritrix, Browsertrix).

An archive is read twice. ``scan_archive`` reads every record once, in the planning process,
and keeps of each HTML response only what deciding duplicates needs (its URL, capture date,
a digest of its body and where the record starts); ``load_capture`` reads one chosen record
again, in the worker that extracts it. warcio reads plain and per-record gzipped WARC and
ARC files and undoes chunked transfer and gzip or deflate content encodings.

Requests, metadata, revisits, redirects, error responses and non-HTML bodies are counted
by reason, not indexed. A file that ends inside a record is a truncated ``Failure``: the
records before it count.
"""

from __future__ import annotations

import os
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.limitreader import LimitReader
from warcio.statusandheaders import StatusAndHeadersParserException

from indexer.inputs.encodings import decode_bytes
from indexer.inputs.limits import read_capped
from indexer.inputs.sources import SourceError, SourceFile, digest
from indexer.records import Failure, Location, RawRecord

HTML_TYPES = ("text/html", "application/xhtml+xml")
SNIFF_BYTES = 512  # a body without a Content-Type is HTML when it starts like HTML
# Query parameters that only say where a reader came from: the same page without them.
_TRACKING_RE = re.compile(r"^(?:utm_[a-z_]+|fbclid|gclid|zarsrc|_ga)$", re.IGNORECASE)
_CHARSET_RE = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_URL_START_RE = re.compile(rb"(?:https?:)?//[A-Za-z0-9.-]+(?::\d+)?$")  # before a path
URL_START = 300  # bytes before a path that may hold its scheme and host
_READ_ERRORS = (
    ArchiveLoadFailed,
    StatusAndHeadersParserException,
    OSError,
    EOFError,
    ValueError,
    zlib.error,
    AttributeError,  # warcio on a record whose headers were cut short
)


@dataclass(frozen=True)
class Capture:
    """An HTML response of a web archive, without its body."""

    key: str  # the URL as an article id (see url_key)
    url: str  # WARC-Target-URI as captured
    captured: str  # WARC-Date, "YYYY-MM-DDTHH:MM:SSZ"
    payload: str  # digest of the decoded body, its own URL blanked out
    source: str  # the file's source key
    offset: int  # where the record starts in the file


@dataclass
class Scan:
    """What one pass over a web archive found."""

    captures: list[Capture] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # records not indexed, by reason
    failure: Failure | None = None


def url_key(url: str) -> str | None:
    """A URL as an article id: no scheme, ``www.``, default port, fragment or tracking
    parameters ('https://www.Site.vn:443/a?id=1&utm_source=x#top' -> 'site.vn/a?id=1');
    None when it is not an http(s) URL."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().removeprefix("www.")
    if port and port not in (80, 443):
        host += f":{port}"
    query = "&".join(
        pair
        for pair in parts.query.split("&")
        if pair and not _TRACKING_RE.match(pair.split("=", 1)[0])
    )
    return host + (parts.path or "/") + (f"?{query}" if query else "")


def _iso_date(value: str | None) -> str:
    """WARC-Date to 'YYYY-MM-DDTHH:MM:SSZ' (fractions of a second dropped); '' when absent."""
    value = (value or "").strip()
    match = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)", value)
    return f"{match.group(1)}Z" if match else value


def _without_own_url(body: bytes, url: str) -> bytes:
    """The body without the places where the page names its own URL (a canonical link, a
    share button, a form's action), absolute or not, with ``&`` escaped or not."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    if len(target) <= 1:  # the home page: "/" is in every link
        return body
    for variant in sorted({target, target.replace("&", "&amp;")}, key=len, reverse=True):
        pieces = body.split(variant.encode("utf-8", "replace"))
        for number, piece in enumerate(pieces[:-1]):  # each ends where the URL began
            tail = _URL_START_RE.sub(b"", piece[-URL_START:])
            pieces[number] = piece[: max(0, len(piece) - URL_START)] + tail
        body = b"".join(pieces)
    return body


def _payload_digest(body: bytes, url: str) -> str:
    """A digest of a body that two URLs serving the same page share."""
    return digest(_without_own_url(body, url))


def _is_html(content_type: str | None, body: bytes) -> bool:
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if mime:
        return mime in HTML_TYPES
    start = body[:SNIFF_BYTES].lstrip().lower()
    return start.startswith((b"<!doctype html", b"<html"))


def _skip_reason(record) -> str | None:
    """Why a record is not an HTML page to index, judged from its headers; None if it may be."""
    if record.rec_type not in ("response", "resource"):
        return record.rec_type or "unknown record"  # request, metadata, revisit, warcinfo...
    if url_key(record.rec_headers.get_header("WARC-Target-URI") or "") is None:
        return "not http"
    if record.rec_type == "resource":
        return None
    if record.http_headers is None:
        return "no http headers"
    try:
        status = int(record.http_headers.get_statuscode())
    except (TypeError, ValueError):
        return "bad status"
    if 300 <= status < 400:
        return "redirect"
    if status >= 400:
        return "error status"
    return None if status in (200, 203) else "other status"


def _content_type(record) -> str | None:
    headers = record.http_headers if record.rec_type == "response" else record.rec_headers
    return headers.get_header("Content-Type") if headers is not None else None


def _inspect(record, source: str) -> Capture | str:
    """The capture a record holds, or the reason it holds none (reads its body)."""
    reason = _skip_reason(record)
    if reason is not None:
        return reason
    body = record.content_stream().read()
    if not body.strip():
        return "empty"
    if not _is_html(_content_type(record), body):
        return "not html"
    url = record.rec_headers.get_header("WARC-Target-URI")
    captured = _iso_date(record.rec_headers.get_header("WARC-Date"))
    return Capture(url_key(url) or "", url, captured, _payload_digest(body, url), source, -1)


def _complete(record) -> bool:
    """Whether a record, read to its end, held as many bytes as its header announced (a
    record without a length has lost its headers' end)."""
    stream = record.raw_stream
    return isinstance(stream, LimitReader) and stream.limit == 0


def scan_archive(source: SourceFile) -> Scan:
    """Every HTML response of a WARC or ARC file, and the records skipped, by reason."""
    scan = Scan()
    records = None
    try:
        with source.path.open("rb") as stream:
            records = ArchiveIterator(stream, arc2warc=True)
            for record in records:
                found = _inspect(record, source.key)
                offset = records.get_record_offset()  # reads the record to its end
                if not _complete(record):
                    scan.failure = _truncated(source, offset, "the file ends inside a record")
                    break
                if isinstance(found, str):
                    if found != "warcinfo":  # a file's own header, not a capture
                        scan.skipped[found] += 1
                else:
                    scan.captures.append(replace(found, offset=offset))
            if records.offset < os.fstat(stream.fileno()).st_size:
                scan.failure = _truncated(source, records.offset, "not a WARC or ARC record")
    except _READ_ERRORS as error:
        # records.offset: where the record that could not be read starts.
        scan.failure = _truncated(source, getattr(records, "offset", 0), _reason(error))
    return scan


def _truncated(source: SourceFile, offset: int, reason: str) -> Failure:
    location = Location(source.key, offset=offset)
    return Failure(location, f"cannot read further: {reason}", truncated=True)


def _reason(error: BaseException) -> str:
    if isinstance(error, ArchiveLoadFailed) and "non-chunked gzip" in error.msg:
        return "gzipped as a whole, not record by record: run `warcio recompress` on it"
    if isinstance(error, AttributeError):
        return "a record's headers are cut short"
    text = getattr(error, "msg", None) or getattr(error, "strerror", None) or str(error)
    return " ".join(str(text).split()) or type(error).__name__


def _charset(record) -> str | None:
    """The charset the HTTP response declared, if any."""
    content_type = _content_type(record) or ""
    match = _CHARSET_RE.search(content_type)
    return match.group(1) if match else None


def load_capture(record: RawRecord) -> RawRecord:
    """A ``warc`` record with its capture read from the archive: an ``html`` record.

    The HTTP response's charset decodes the body (a byte order mark still wins, and a body
    that is not valid in it falls back as ``decode_bytes`` does); without one, the page's
    own ``<meta charset>`` does, later. Raises SourceError when the record cannot be read.
    """
    capture = record.capture
    if capture is None:
        raise SourceError(f"{record.location}: not a web archive record")
    try:
        with Path(capture.path).open("rb") as stream:
            stream.seek(capture.offset)
            found = next(iter(ArchiveIterator(stream, arc2warc=True)), None)
            if found is None:
                raise SourceError(f"{record.location}: no record there")
            body = read_capped(found.content_stream(), record.location)
            charset = _charset(found)
    except _READ_ERRORS as error:
        raise SourceError(f"{record.location}: {_reason(error)}") from error
    content = decode_bytes(body, charset) if charset else body
    fields = {**record.fields, "url": capture.url}
    return replace(record, kind="html", content=content, fields=fields)
