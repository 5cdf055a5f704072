"""The archive's vocabulary as arrays: every syllable and word with its occurrences.

Read at the commit from the segments' term tables (``lexicon``), grouped as the spelling
repairs ask for them (``group_spellings``: a folded syllable's spellings; ``group_words``:
the multi-syllable words a run of folded syllables can be), and packed into arrays
(``pack``) that every worker maps: a group is found by the 64-bit key of its name, its items
are slices of one text and one count array (``MappedGroups``). Nothing of it becomes a Python
object until a query asks for it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
from whoosh.reading import IndexReader

from indexer.arrays.store import term_key
from indexer.arrays.whoosh_segments import segment_terms
from indexer.text.vietnamese import fold

_WORD_KEY_RE = re.compile(r"[a-z]+(?: [a-z]+)+")
# Parts of a packed table, after its name: groups by key, their names, their items.
PARTS = ("keys", "names", "name_starts", "offsets", "items", "item_starts", "counts")


def lexicon(
    reader: IndexReader, fieldname: str, joined: bool = False, min_count: int = 1
) -> dict[str, int]:
    """Term -> occurrences over all segments of an index, for terms seen ``min_count`` times;
    with ``joined``, only terms with a '_'.

    A term's copies in several segments are found by hash, so that only the terms kept
    become Python objects (two terms sharing a 64-bit hash would count as one).
    """
    parts = [segment_terms(leaf, fieldname, joined) for leaf, _ in reader.leaf_readers()]
    if not any(len(part.counts) for part in parts):
        return {}
    hashes = np.concatenate([part.hashes() for part in parts])
    _, first, copies = np.unique(hashes, return_index=True, return_inverse=True)
    counts = np.concatenate([part.counts for part in parts])
    totals = np.bincount(copies.reshape(-1), weights=counts).astype(np.int64)
    kept = totals >= min_count
    chosen, totals = first[kept], totals[kept]
    sizes = [len(part.counts) for part in parts]
    which = np.repeat(np.arange(len(parts)), sizes)[chosen]
    local = chosen - (np.cumsum(sizes) - sizes)[which]
    found: dict[str, int] = {}
    for number, part in enumerate(parts):
        mine = which == number
        found.update(zip(part.texts(local[mine]), totals[mine].tolist(), strict=True))
    return found


def _fast_fold(text: str) -> str:
    """fold() of lowercase Vietnamese text, several times faster on a whole lexicon at once.

    Other letters with no ASCII base vanish, which changes the length: callers check it.
    """
    text = text.replace("đ", "d")
    return unicodedata.normalize("NFD", text).encode("ascii", "ignore").decode("ascii")


def group_spellings(exact: Mapping[str, int]) -> dict[str, dict[str, int]]:
    """{'số': 400, 'sở': 60} -> {'so': {'số': 400, 'sở': 60}}."""
    grouped: dict[str, dict[str, int]] = {}
    for spelling, count in exact.items():
        grouped.setdefault(fold(spelling), {})[spelling.lower()] = count
    return grouped


def group_words(words: Mapping[str, int]) -> dict[str, dict[str, int]]:
    """{'chuyển_đổi': 466} -> {'chuyen doi': {'chuyển_đổi': 466}}: multi-syllable words only."""
    items = [(word, count) for word, count in words.items() if "_" in word]
    if not items:
        return {}
    joined = "\n".join(word for word, _ in items).lower()
    keys = _fast_fold(joined.replace("_", " ")).split("\n")
    grouped: dict[str, dict[str, int]] = {}
    for word, (_, count), key in zip(joined.split("\n"), items, keys, strict=True):
        if len(key) == len(word) and _WORD_KEY_RE.fullmatch(key):
            grouped.setdefault(key, {})[word] = count
    return grouped


def _texts(strings: list[str]) -> tuple[np.ndarray, np.ndarray]:
    encoded = [s.encode("utf-8") for s in strings]
    starts = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in encoded], out=starts[1:])
    return np.frombuffer(b"".join(encoded), dtype=np.uint8).copy(), starts


def pack(name: str, groups: Mapping[str, Mapping[str, int]]) -> dict[str, np.ndarray]:
    """A table of named groups of counted items, as arrays ``{name}_{part}``."""
    ordered = sorted(groups, key=term_key)
    items = [(item, count) for group in ordered for item, count in groups[group].items()]
    names, name_starts = _texts(ordered)
    texts, item_starts = _texts([item for item, _ in items])
    offsets = np.zeros(len(ordered) + 1, dtype=np.int64)
    np.cumsum([len(groups[g]) for g in ordered], out=offsets[1:])
    arrays = {
        "keys": np.array([term_key(g) for g in ordered], dtype=np.uint64),
        "names": names,
        "name_starts": name_starts,
        "offsets": offsets,
        "items": texts,
        "item_starts": item_starts,
        "counts": np.array([count for _, count in items], dtype=np.int64),
    }
    return {f"{name}_{part}": array for part, array in arrays.items()}


class MappedGroups(Mapping[str, dict[str, int]]):
    """A packed table read as {group: {item: count}}, one group decoded per lookup."""

    def __init__(self, arrays: Mapping[str, np.ndarray], name: str) -> None:
        self._parts = {part: arrays[f"{name}_{part}"] for part in PARTS}

    def _text(self, blob: str, starts: str, i: int) -> str:
        starts_ = self._parts[starts]
        return self._parts[blob][starts_[i] : starts_[i + 1]].tobytes().decode("utf-8")

    def _slot(self, group: str) -> int | None:
        keys = self._parts["keys"]
        key = np.uint64(term_key(group))
        at = int(keys.searchsorted(key))
        if at < len(keys) and keys[at] == key and self._text("names", "name_starts", at) == group:
            return at
        return None

    def _group(self, slot: int) -> dict[str, int]:
        offsets, counts = self._parts["offsets"], self._parts["counts"]
        return {
            self._text("items", "item_starts", i): int(counts[i])
            for i in range(int(offsets[slot]), int(offsets[slot + 1]))
        }

    def __getitem__(self, group: str) -> dict[str, int]:
        slot = self._slot(group) if isinstance(group, str) else None
        if slot is None:
            raise KeyError(group)
        return self._group(slot)

    def get(self, group: str, default: Any = None) -> Any:
        """The group's items, or ``default``; a miss raises nothing (most lookups miss)."""
        slot = self._slot(group) if isinstance(group, str) else None
        return default if slot is None else self._group(slot)

    def __contains__(self, group: object) -> bool:
        return isinstance(group, str) and self._slot(group) is not None

    def __iter__(self) -> Iterator[str]:
        for i in range(len(self)):
            yield self._text("names", "name_starts", i)

    def __len__(self) -> int:
        return len(self._parts["keys"])


class MappedCounts(Mapping[str, int]):
    """A packed table whose groups hold one count each, read as {group: count}."""

    def __init__(self, arrays: Mapping[str, np.ndarray], name: str) -> None:
        self._groups = MappedGroups(arrays, name)

    def __getitem__(self, group: str) -> int:
        count = self.get(group)
        if count is None:
            raise KeyError(group)
        return count

    def get(self, group: str, default: Any = None) -> Any:
        """The group's count, or ``default``; a miss raises nothing (most lookups miss)."""
        slot = self._groups._slot(group) if isinstance(group, str) else None
        if slot is None:
            return default
        return int(self._groups._parts["counts"][int(self._groups._parts["offsets"][slot])])

    def __contains__(self, group: object) -> bool:
        return group in self._groups

    def __iter__(self) -> Iterator[str]:
        return iter(self._groups)

    def __len__(self) -> int:
        return len(self._groups)


def vocabulary_arrays(reader: IndexReader) -> dict[str, np.ndarray]:
    """The spelling repairs' tables of an index: folded syllables, their spellings, words."""
    text = lexicon(reader, "text")
    exact = lexicon(reader, "exact")
    # A word seen once can never be chosen nor stop another (search_app.query.spelling).
    words = lexicon(reader, "words", joined=True, min_count=2)
    return {
        **pack("vocab_folded", {syllable: {syllable: n} for syllable, n in text.items()}),
        **pack("vocab_spellings", group_spellings(exact)),
        **pack("vocab_words", group_words(words)),
    }
