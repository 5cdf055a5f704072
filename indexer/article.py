"""The records that flow through the indexer: RawRecord (what a file holds) -> Article."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

RecordKind = Literal["txt", "html", "jsonl", "warc"]

# Fields a JSON Lines record or a sidecar NAME.json may carry (see ../shared/corpus/README.md).
RECORD_FIELDS = (
    "id",
    "url",
    "title",
    "published",
    "source",
    "topics",
    "province",
    "body",
    "author",
)


@dataclass(frozen=True)
class CaptureRef:
    """Where a web archive's HTML response is, and what the archive says of it.

    The payload is read again from ``path`` at ``offset`` in the worker that extracts it
    (``indexer.warc.load_capture``), so that the planning process holds no page bodies.
    """

    path: str  # the WARC or ARC file
    offset: int  # where the record starts (of its gzip member, in a .warc.gz)
    url: str  # WARC-Target-URI
    captured: str  # WARC-Date, "YYYY-MM-DDTHH:MM:SSZ": when it was captured, not published
    urls: tuple[str, ...] = ()  # every URL that served the same text, ``url`` first


@dataclass
class RawRecord:
    """One article as found in the archive, before extraction.

    ``content`` is the page file's bytes for ``txt`` and ``html`` (extraction decodes them;
    text is accepted too) and empty for ``jsonl``; ``fields`` holds the JSON Lines record or
    the page's sidecar values, which win over anything extracted from the page. A ``warc``
    record has no content yet, only its ``capture``: loading it makes an ``html`` record.
    """

    id: str
    kind: RecordKind
    location: str  # path, path:line or path@offset, for messages
    content: str | bytes = ""
    fields: dict[str, Any] = field(default_factory=dict)
    capture: CaptureRef | None = None


@dataclass
class Article:
    """One news article, extracted and normalized (NFC, one tone placement)."""

    id: str
    title: str
    body: str  # paragraphs separated by "\n"
    url: str | None = None
    published: str | None = None  # "YYYY-MM-DD", or "YYYY-MM" / "YYYY" when only that is known
    province: str | None = None  # canonical name from the gazetteer, e.g. "Bắc Kạn"
    topics: list[str] = field(default_factory=list)  # labels, e.g. "Chuyển đổi số"
    author: str | None = None
    source: str | None = None  # publisher, e.g. "Dân trí"
    kicker: str | None = None  # the line above a headline, e.g. "78 năm Ngày truyền thống ...:"
    captured: str | None = None  # web archives: "YYYY-MM-DDTHH:MM:SSZ"; never the publication date
    urls: list[str] = field(default_factory=list)  # web archives: every URL with this text

    @property
    def year(self) -> str | None:
        """The publication year, or None when the date is unknown."""
        return self.published[:4] if self.published else None
