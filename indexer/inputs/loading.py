"""A planned record's content, read again where (or just before) it is extracted.

The build's plan keeps no article text: a web archive record holds where its capture is
(``CaptureRef``), a page file and a JSON Lines record the path they were read from
(``reread_from``, a record's line in its ``location``). The worker that extracts a capture or
a page reads it again (``load_record``; a Dask build's index machine does it before shipping
the record, since workers there cannot see its files). JSON Lines records are read again by
the process feeding the workers, each export in one pass (``load_records``): a compressed
export cannot be read from the middle. An input that changed in between is indexed as it now
is (its new stamp makes the next build read it again); a line that no longer holds the same
record is a failure.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from indexer.inputs.limits import read_capped
from indexer.inputs.sources import SourceError, SourceFile, read_jsonl
from indexer.inputs.warc import load_capture
from indexer.records import RawRecord, RecordTask


def load_record(record: RawRecord) -> RawRecord:
    """The record with its content; raises SourceError when it cannot be read any more."""
    if record.capture is not None and record.kind == "warc":
        return load_capture(record)
    if record.reread_from is None:
        return record
    if record.kind == "jsonl":  # load_records found nothing at its line
        raise SourceError(f"{record.location}: the line no longer holds record {record.id!r}")
    try:
        with open(record.reread_from, "rb") as stream:
            content = read_capped(stream, record.location)
    except OSError as error:
        reason = error.strerror or str(error)
        raise SourceError(f"{record.location}: {reason}") from error
    return replace(record, content=content, reread_from=None)


def load_records(tasks: Iterable[RecordTask]) -> Iterator[RecordTask]:
    """The tasks in order, each JSON Lines record read again from its export: consecutive
    records of one export in a single pass. A record no longer at its line stays unread,
    for ``load_record`` to report where it is extracted."""
    records: Iterator[RawRecord] = iter(())
    held: RawRecord | None = None  # read past while looking for an earlier line
    reading, last = None, 0
    for task in tasks:
        record = task.record
        if record.kind != "jsonl" or record.reread_from is None:
            yield task
            continue
        line = record.location.line or 0
        if record.reread_from != reading or line <= last:  # another export, or back again
            records, held = _records_of(Path(record.reread_from)), None
            reading = record.reread_from
        last = line
        while (found := held or next(records, None)) is not None:
            held = None
            number = found.location.line or 0
            if number >= line:
                held = None if number == line else found
                break
        if found is not None and held is None and found.id == record.id:
            task = replace(task, record=replace(found, location=record.location))
        yield task


def _records_of(path: Path) -> Iterator[RawRecord]:
    """An export's records (its failures are the plan's, already reported)."""
    source = SourceFile(path, path.parent, "jsonl", None, "")
    for item in read_jsonl(source, b""):
        if isinstance(item, tuple):
            yield item[0]
