"""The whole result set of a search as CSV or JSON Lines, streamed row by row."""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Iterable, Iterator

from flask import Response, stream_with_context

from indexer.text.vietnamese import slugify
from search_app.engine.search import ArchiveSearch
from search_app.results import HIT_FIELDS, Hit, SearchRequest

MIMETYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}
BATCH = 100  # rows per chunk written to the response
# A cell starting with one of these is a formula to Excel or LibreOffice (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _batches(hits: Iterable[Hit]) -> Iterator[list[Hit]]:
    iterator = iter(hits)
    while batch := list(itertools.islice(iterator, BATCH)):
        yield batch


def csv_cell(value: object) -> str:
    """One CSV cell: lists joined with '; ', None empty, formulas defused with a quote."""
    if value is None:
        return ""
    text = "; ".join(value) if isinstance(value, list) else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_lines(hits: Iterable[Hit]) -> Iterator[str]:
    """A header row of the API's field names, then one row per hit. The first chunk starts
    with a byte order mark, so that Excel reads the file as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HIT_FIELDS)
    yield "\ufeff" + _take(buffer)
    for batch in _batches(hits):
        for hit in batch:
            writer.writerow([csv_cell(value) for value in hit.to_json().values()])
        yield _take(buffer)


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def jsonl_lines(hits: Iterable[Hit]) -> Iterator[str]:
    """One JSON object (the API's fields of a hit) per line."""
    for batch in _batches(hits):
        yield "".join(json.dumps(hit.to_json(), ensure_ascii=False) + "\n" for hit in batch)


def export_filename(req: SearchRequest, fmt: str) -> str:
    """'ket-qua-chuyen-doi-so.csv': the query in ASCII, cut short; 'tat-ca' for none."""
    name = slugify(req.q)[:60].strip("-") or "tat-ca"
    return f"ket-qua-{name}.{fmt}"


def _closing(lines: Iterator[str], hits: Iterator[Hit]) -> Iterator[str]:
    """``lines``, then let go of the index commit the export holds, even when the client
    stops reading halfway."""
    try:
        yield from lines
    finally:
        if close := getattr(hits, "close", None):
            close()


def export_response(archive: ArchiveSearch, req: SearchRequest, fmt: str) -> Response:
    """A streamed download of every result of ``req`` as ``csv`` or ``jsonl``."""
    hits = archive.export(req)
    # Start the search now, so that a missing index is a 503 and not a broken download.
    first = next(hits, None)
    every = itertools.chain([first] if first is not None else [], hits)
    lines = csv_lines(every) if fmt == "csv" else jsonl_lines(every)
    response = Response(stream_with_context(_closing(lines, hits)), content_type=MIMETYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{export_filename(req, fmt)}"'
    return response
