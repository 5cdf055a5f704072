"""The records that flow through the indexer: RawRecord (what a file holds) -> Article.

Also where each came from (``Location``), and what becomes of an input that cannot be
indexed (``Failure``, ``ExtractionError``): the types that cross the indexer's stages.
"""

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
# The facets an article is counted and filtered by: index fields, derived arrays, URL params.
FACET_FIELDS = ("province", "year", "month", "topic", "cited")
# Facets derived from another one at the commit (arrays and URL params, no index field): the
# province today, since the 2025 merger, of the province an article was published under.
DERIVED_FACETS = ("current_province",)


@dataclass(frozen=True)
class Location:
    """Where an input is: a file, a line of a JSON Lines export, or a web archive record."""

    path: str  # the file (or folder) as the build keys it: its absolute POSIX path
    line: int | None = None  # JSON Lines: the record's line, from 1
    offset: int | None = None  # web archives: where the record starts

    def __str__(self) -> str:
        """'path', 'path:line' or 'path@offset', as messages show it."""
        if self.line is not None:
            return f"{self.path}:{self.line}"
        if self.offset is not None:
            return f"{self.path}@{self.offset}"
        return self.path


@dataclass(frozen=True)
class Failure:
    """An input that could not be indexed, and why."""

    location: Location
    reason: str
    truncated: bool = False  # the rest of the file was not read: keep what it held before


class ExtractionError(ValueError):
    """A record has no usable text: empty, binary junk, or no body."""


@dataclass(frozen=True)
class CaptureRef:
    """Where a web archive's HTML response is, and what the archive says of it.

    The payload is read again from ``path`` at ``offset`` in the worker that extracts it
    (``indexer.inputs.warc.load_capture``), so that the planning process holds no page bodies.
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
    record has no content yet, only its ``capture``, and a planned page file none either,
    only ``reread_from``: loading either (``indexer.inputs.loading``) gives the content.
    """

    id: str
    kind: RecordKind
    location: Location
    content: str | bytes = ""
    fields: dict[str, Any] = field(default_factory=dict)
    capture: CaptureRef | None = None
    # A page file planned without its bytes (the plan hashed them and let them go): the
    # process that extracts it reads them again from here (``indexer.inputs.loading``).
    reread_from: str | None = None


@dataclass
class RecordTask:
    """A record a build will extract and index, with what the index must remember of it."""

    record: RawRecord
    source: str  # the key of the input file it was read from
    stamp: str  # that file's stamp (size and mtime) as the index records it
    digest: str  # hash of the record's bytes and INDEX_FORMAT
    sources: dict[str, str] = field(default_factory=dict)  # web archives: file key -> stamp


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

    @property
    def text(self) -> str:
        """The title and the body a line apart: what the build segments into words."""
        return self.title + "\n" + self.body
