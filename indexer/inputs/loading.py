"""A planned record's content, read where it is extracted.

The build's plan keeps no page bodies: a web archive record holds where its capture is
(``CaptureRef``) and a page file the path it was hashed from (``reread_from``). The worker
that extracts the record reads the bytes again (a Dask build's index machine reads them
before shipping the record, since workers there cannot see its files). A page file that
changed in between is indexed as it now is; its new stamp makes the next build read it again.
"""

from __future__ import annotations

from dataclasses import replace

from indexer.inputs.limits import read_capped
from indexer.inputs.sources import SourceError
from indexer.inputs.warc import load_capture
from indexer.records import RawRecord


def load_record(record: RawRecord) -> RawRecord:
    """The record with its content; raises SourceError when it cannot be read any more."""
    if record.capture is not None and record.kind == "warc":
        return load_capture(record)
    if record.reread_from is None:
        return record
    try:
        with open(record.reread_from, "rb") as stream:
            content = read_capped(stream, record.location)
    except OSError as error:
        reason = error.strerror or str(error)
        raise SourceError(f"{record.location}: {reason}") from error
    return replace(record, content=content, reread_from=None)
