"""Writing WARC and ARC files for tests, with warcio's own writer (ARC by hand: warcio reads
ARC but does not write it)."""

from __future__ import annotations

import gzip
import re
import unicodedata
import zlib
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


@dataclass
class Response:
    """An HTTP response to archive."""

    url: str
    body: str | bytes
    date: str = "2024-05-01T08:00:00Z"
    status: str = "200 OK"
    content_type: str | None = "text/html; charset=utf-8"
    chunked: bool = False  # Transfer-Encoding: chunked, in chunks of CHUNK bytes
    content_encoding: str | None = None  # "gzip" or "deflate"
    headers: list[tuple[str, str]] = field(default_factory=list)

    def payload(self) -> bytes:
        """The body as sent: encoded, compressed, then chunked."""
        data = self.body.encode("utf-8") if isinstance(self.body, str) else self.body
        if self.content_encoding == "gzip":
            data = gzip.compress(data)
        elif self.content_encoding == "deflate":
            data = zlib.compress(data)
        return chunk(data) if self.chunked else data

    def http_headers(self) -> StatusAndHeaders:
        """The status line and headers as warcio writes them."""
        headers = list(self.headers)
        if self.content_type:
            headers.append(("Content-Type", self.content_type))
        if self.content_encoding:
            headers.append(("Content-Encoding", self.content_encoding))
        if self.chunked:
            headers.append(("Transfer-Encoding", "chunked"))
        else:
            headers.append(("Content-Length", str(len(self.payload()))))
        return StatusAndHeaders(self.status, headers, protocol="HTTP/1.1")


@dataclass
class Request:
    """An HTTP GET request record."""

    url: str
    date: str = "2024-05-01T08:00:00Z"


@dataclass
class Other:
    """A record of another type: metadata, resource, revisit, warcinfo."""

    url: str
    rec_type: str
    body: bytes = b"{}"
    content_type: str = "application/json"
    date: str = "2024-05-01T08:00:00Z"


CHUNK = 7
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # the five tone marks, combining


def windows_1258(text: str) -> bytes:
    """Text in Windows-1258, which writes tones as combining marks after the letter."""
    out = []
    for base, marks in re.findall(
        r"(.)([\u0300-\u036f]*)", unicodedata.normalize("NFD", text), re.S
    ):
        kept = "".join(m for m in marks if m not in _TONES)
        out.append(
            unicodedata.normalize("NFC", base + kept) + "".join(m for m in marks if m in _TONES)
        )
    return "".join(out).encode("cp1258")


def chunk(data: bytes, size: int = CHUNK) -> bytes:
    """HTTP chunked transfer encoding of data."""
    parts = [
        b"%x\r\n%s\r\n" % (len(data[i : i + size]), data[i : i + size])
        for i in range(0, len(data), size)
    ]
    return b"".join(parts) + b"0\r\n\r\n"


def write_warc(path: Path, records: list, compress: bool | None = None) -> Path:
    """A WARC file of the given records; gzipped record by record when the name ends in .gz."""
    compress = path.name.endswith(".gz") if compress is None else compress
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=compress)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for item in records:
            writer.write_record(_record(writer, item))
    return path


def _record(writer: WARCWriter, item):
    # Every record is given its length: without one, warcio buffers it in a temporary file
    # that it never closes.
    headers = {"WARC-Date": item.date}
    if isinstance(item, Response):
        payload = item.payload()
        return writer.create_warc_record(
            item.url,
            "response",
            payload=BytesIO(payload),
            length=len(payload),
            http_headers=item.http_headers(),
            warc_headers_dict=headers,
        )
    if isinstance(item, Request):
        request = StatusAndHeaders(
            f"GET {item.url} HTTP/1.1", [("Host", "x")], is_http_request=True
        )
        return writer.create_warc_record(
            item.url,
            "request",
            payload=BytesIO(b""),
            length=0,
            http_headers=request,
            warc_headers_dict=headers,
        )
    if item.rec_type == "revisit":
        return writer.create_revisit_record(
            item.url, "sha1:AAAA", item.url, item.date, warc_headers_dict=headers
        )
    headers["Content-Type"] = item.content_type
    return writer.create_warc_record(
        item.url,
        item.rec_type,
        payload=BytesIO(item.body),
        length=len(item.body),
        warc_headers_dict=headers,
    )


def write_arc(path: Path, responses: list[Response]) -> Path:
    """An ARC (version 1) file of HTTP responses; each record gzipped when the name ends in .gz."""
    records = [
        _arc_record(
            "filedesc://" + path.name,
            "text/plain",
            b"1 0 tests\nURL IP-address Archive-date Content-type Archive-length\n",
        )
    ]
    for item in responses:
        http = item.http_headers().to_bytes() + item.payload()
        stamp = item.date.replace("-", "").replace(":", "").replace("T", "")[:14]
        records.append(_arc_record(item.url, item.content_type or "-", http, stamp))
    compress = path.name.endswith(".gz")
    path.write_bytes(b"".join(gzip.compress(r) if compress else r for r in records))
    return path


def _arc_record(url: str, content_type: str, data: bytes, stamp: str = "20240501080000") -> bytes:
    content_type = content_type.split(";", 1)[0]
    return f"{url} 10.0.0.1 {stamp} {content_type} {len(data)}\n".encode() + data + b"\n"
