"""Where the derived arrays of an index commit live, and how they are written and mapped.

One folder per set of segments, ``<index>/arrays/<fingerprint>/``: a ``meta.json`` and one
``.npy`` file per array. The fingerprint names the segments of a commit, in order, with how
many documents each holds and has deleted: a commit and its arrays cannot be mismatched, and
a folder left by a build killed before its commit is simply never asked for. A folder is
written under a temporary name and renamed when complete, so that a reader finds it whole or
not at all. Readers map the files (``numpy.load(mmap_mode="r")``): the page cache holds one
copy for every process serving the index.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = "4"  # bump when what is derived, or how, changes: older folders are derived anew
FOLDER = "arrays"
META = "meta.json"


def fingerprint(segments: Iterable[Any]) -> str:
    """The name of a commit's arrays: its Whoosh segments, in order, and their deletions."""
    hasher = hashlib.blake2b(digest_size=10)
    hasher.update(f"arrays {FORMAT}\n".encode())
    for segment in segments:
        line = f"{segment.segment_id()} {segment.doc_count_all()} {segment.deleted_count()}\n"
        hasher.update(line.encode())
    return hasher.hexdigest()


def term_key(term: str) -> int:
    """A stable 64-bit key of a term, to find it among sorted keys."""
    return int.from_bytes(hashlib.blake2b(term.encode("utf-8"), digest_size=8).digest(), "big")


@dataclass
class Arrays:
    """The derived arrays of one commit, mapped, and what describes them."""

    fingerprint: str
    meta: dict[str, Any]
    arrays: dict[str, np.ndarray]

    def __getitem__(self, name: str) -> np.ndarray:
        return self.arrays[name]


def folder_of(index_dir: Path, name: str) -> Path:
    """The folder of one commit's arrays."""
    return Path(index_dir) / FOLDER / name


def open_arrays(index_dir: Path, name: str) -> Arrays | None:
    """Map the arrays of a commit; None when they are missing, incomplete or of another
    format."""
    folder = folder_of(index_dir, name)
    try:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT or meta.get("fingerprint") != name:
            return None
        # Plain arrays over the mapped files: numpy's memmap subclass slows every operation.
        arrays = {
            key: np.asarray(np.load(folder / f"{key}.npy", mmap_mode="r", allow_pickle=False))
            for key in meta["arrays"]
        }
    except (OSError, ValueError, KeyError):
        return None
    return Arrays(name, meta, arrays)


def write_arrays(
    index_dir: Path, name: str, arrays: dict[str, np.ndarray], meta: dict[str, Any]
) -> Path:
    """Write a commit's arrays into their folder, whole or not at all; raises OSError."""
    root = Path(index_dir) / FOLDER
    root.mkdir(parents=True, exist_ok=True)
    final = folder_of(index_dir, name)
    if (final / META).exists():
        return final
    temporary = Path(tempfile.mkdtemp(prefix=".writing-", dir=root))
    try:
        for key, array in arrays.items():
            np.save(temporary / f"{key}.npy", np.ascontiguousarray(array), allow_pickle=False)
        described = {**meta, "format": FORMAT, "fingerprint": name, "arrays": sorted(arrays)}
        (temporary / META).write_text(json.dumps(described, ensure_ascii=False), "utf-8")
        try:
            os.rename(temporary, final)
        except OSError:  # another process wrote them first
            if not (final / META).exists():
                raise
    finally:
        if temporary.exists():
            shutil.rmtree(temporary, ignore_errors=True)
    return final


def remove_others(index_dir: Path, keep: set[str]) -> None:
    """Delete the arrays of other commits (and what a killed writer left). A process still
    mapping them keeps its pages: deleting a mapped file frees it only when unmapped."""
    root = Path(index_dir) / FOLDER
    if not root.is_dir():
        return
    for entry in root.iterdir():
        if entry.name not in keep:
            shutil.rmtree(entry, ignore_errors=True)
