"""Walk the archive: .txt scrapes, .html pages, .jsonl(.gz) exports and their sidecars, and
web archives (.warc, .warc.gz, .arc, .arc.gz, read by ``indexer.inputs.warc``).

A page's id is its path relative to the archive root it was found under; a JSON Lines
record's id is its ``id`` field; a web archive page's id is its URL (``warc.url_key``).
Reading never raises for one bad input: it yields a ``Failure`` with the location and the
reason, and goes on.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from indexer.inputs.limits import read_capped
from indexer.records import Failure, Location, RawRecord, RecordKind

log = logging.getLogger(__name__)
PAGE_SUFFIXES: dict[str, RecordKind] = {".txt": "txt", ".html": "html", ".htm": "html"}
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")


@dataclass(frozen=True)
class SourceFile:
    """One input file of the archive."""

    path: Path
    root: Path  # the folder it was found under; page ids are relative to it
    kind: RecordKind
    sidecar: Path | None
    stamp: str  # size and mtime of the file and its sidecar: unchanged stamp, unchanged input

    @property
    def key(self) -> str:
        """The source key stored with each of its articles."""
        return self.path.as_posix()

    @property
    def page_id(self) -> str:
        """The id of the article a page file holds."""
        return self.path.relative_to(self.root).as_posix()


def input_kind(path: Path) -> RecordKind | None:
    """The kind of input a file name says it is, or None when it is not an input."""
    name = path.name.lower()
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    return PAGE_SUFFIXES.get(path.suffix.lower())


def _sidecar_of(path: Path) -> Path | None:
    for candidate in (path.with_suffix(".json"), path.with_name(path.name + ".json")):
        if candidate.is_file():
            return candidate
    return None


def _stamp(*paths: Path | None) -> str:
    parts = []
    for path in paths:
        if path is not None:
            stat = path.stat()
            parts.append(f"{stat.st_size}:{stat.st_mtime_ns}")
    return "+".join(parts)


def _walk(root: Path, failures: list[Failure]) -> Iterator[Path]:
    """The files under a folder, in order; folders that cannot be listed go to ``failures``."""

    def unreadable(error: OSError) -> None:
        failures.append(Failure(Location(str(error.filename or root)), _os_reason(error)))

    # followlinks=False: a symlink loop in an archive must not hang the build.
    for folder, dirs, files in os.walk(root, onerror=unreadable, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(folder) / name


def discover(paths: list[Path]) -> tuple[list[SourceFile], list[Failure]]:
    """Every input file under the given folders and files, plus those that cannot be used."""
    sources: list[SourceFile] = []
    failures: list[Failure] = []
    for given in paths:
        given = given.resolve() if given.exists() else given.absolute()
        if given.is_dir():
            root, candidates = given, _walk(given, failures)
        elif given.is_file():
            root, candidates = given.parent, iter([given])
        else:
            failures.append(Failure(Location(str(given)), "no such file or folder"))
            continue
        for path in candidates:
            kind = input_kind(path)
            if kind is None:
                continue
            try:
                sidecar = _sidecar_of(path) if kind in ("txt", "html") else None
                sources.append(SourceFile(path, root, kind, sidecar, _stamp(path, sidecar)))
            except OSError as error:
                failures.append(Failure(Location(str(path)), _os_reason(error)))
    return sources, failures


def _os_reason(error: OSError) -> str:
    return error.strerror or str(error)


def reopen(key: str) -> SourceFile | None:
    """The input file an earlier build recorded by its key, or None when it is gone."""
    path = Path(key)
    kind = input_kind(path)
    try:
        if kind is None or not path.is_file():
            return None
        return SourceFile(path, path.parent, kind, None, _stamp(path))
    except OSError:
        return None


def is_under(key: str, roots: list[Path]) -> bool:
    """Whether a source key is one of the given (resolved) files or folders or inside one."""
    path = Path(key)
    return any(path == root or root in path.parents for root in roots)


def digest(*parts: bytes) -> str:
    """A short content hash of the given byte strings."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(len(part).to_bytes(8, "little"))
        hasher.update(part)
    return hasher.hexdigest()


class SourceError(Exception):
    """A source file or record that cannot be read."""


def _load_sidecar(path: Path) -> tuple[dict, bytes]:
    data = path.read_bytes()
    try:
        fields = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise SourceError(f"sidecar {path.name} is not valid JSON: {error}") from error
    if not isinstance(fields, dict):
        raise SourceError(f"sidecar {path.name} is not a JSON object")
    return fields, data


def read_page(source: SourceFile, salt: bytes) -> tuple[RawRecord, str]:
    """The record of a page file and its digest; raises SourceError or OSError."""
    with source.path.open("rb") as stream:
        data = read_capped(stream, source.key)
    fields, sidecar_bytes = {}, b""
    if source.sidecar:
        try:
            fields, sidecar_bytes = _load_sidecar(source.sidecar)
        except SourceError as error:  # the page is still good: index it without
            log.warning("%s: %s; indexed without it", source.key, error)
            sidecar_bytes = source.sidecar.read_bytes()
    record = RawRecord(source.page_id, source.kind, Location(source.key), data, fields)
    return record, digest(salt, data, sidecar_bytes)


def _open_lines(path: Path) -> Iterator[bytes]:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as stream:
        yield from stream


def read_jsonl(source: SourceFile, salt: bytes) -> Iterator[tuple[RawRecord, str] | Failure]:
    """Each record of a JSON Lines export with its digest, or a Failure for a bad line."""
    lines = _open_lines(source.path)
    number = 0
    while True:
        try:
            line = next(lines)
        except StopIteration:
            return
        except (OSError, EOFError, zlib.error) as error:
            yield Failure(
                Location(source.key, line=number + 1),
                f"cannot read further: {error}",
                truncated=True,
            )
            return
        number += 1
        if not line.strip():
            continue
        location = Location(source.key, line=number)
        try:
            fields = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            yield Failure(location, f"malformed JSON: {error}")
            continue
        if not isinstance(fields, dict):
            yield Failure(location, "a record must be a JSON object")
            continue
        record_id = fields.get("id")
        if (
            not isinstance(record_id, (str, int))
            or isinstance(record_id, bool)
            or not str(record_id).strip()
        ):
            yield Failure(location, "record has no id")
            continue
        record = RawRecord(str(record_id).strip(), "jsonl", location, "", fields)
        yield record, digest(salt, line.rstrip(b"\r\n"))
