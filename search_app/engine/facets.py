"""Facet counts and filters from per-document ordinal arrays, mapped once per commit.

Whoosh's own grouping visits one document at a time; here each facet field is two arrays
(document number, value ordinal) that the indexer derives from the posting lists at the
commit (``indexer.arrays``), and a count over any set of documents is one ``bincount``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from indexer.arrays.store import Arrays
from search_app.results import FACETS


@dataclass
class FacetField:
    """The values of one facet field and which documents carry each."""

    name: str
    values: list[str]  # ordinal -> value (the indexed term)
    docs: np.ndarray  # int32 document numbers ...
    ords: np.ndarray  # ... and the ordinal of the value each carries (one pair per value)
    labels: list[str | None] = field(init=False)  # ordinal -> label, found on first use

    def __post_init__(self) -> None:
        self._ordinals = {value: i for i, value in enumerate(self.values)}
        self.labels = [None] * len(self.values)

    def ordinal(self, value: str) -> int | None:
        """The ordinal of a value, or None when no document has it."""
        return self._ordinals.get(value)

    def mask(self, doc_count: int, values: list[str]) -> np.ndarray:
        """Documents carrying any of the values."""
        wanted = [o for o in (self.ordinal(v) for v in values) if o is not None]
        mask = np.zeros(doc_count, dtype=bool)
        if wanted:
            mask[self.docs[np.isin(self.ords, wanted)]] = True
        return mask

    def counts(self, within: np.ndarray) -> np.ndarray:
        """How many documents of ``within`` (a boolean mask) carry each value."""
        return np.bincount(self.ords[within[self.docs]], minlength=len(self.values))

    def docs_with(self, value: str) -> np.ndarray:
        """Document numbers carrying one value."""
        ordinal = self.ordinal(value)
        if ordinal is None:
            return np.zeros(0, dtype=np.int32)
        return self.docs[self.ords == ordinal]


@dataclass
class FacetTables:
    """Everything per document that facets and sorting need, for one searcher."""

    doc_count: int  # including deleted documents: arrays are indexed by document number
    live: np.ndarray  # bool: not deleted
    date_key: np.ndarray  # int32 yyyymmdd, 0 when unknown
    fields: dict[str, FacetField]
    newest: np.ndarray  # every document, newest first (then the most recently added first)

    @classmethod
    def from_arrays(cls, arrays: Arrays) -> FacetTables:
        """The facet tables of a commit's arrays."""
        fields = {
            name: FacetField(
                name,
                list(arrays.meta["facets"][name]),
                arrays[f"facet_{name}_docs"],
                arrays[f"facet_{name}_ords"],
            )
            for name in FACETS
        }
        return cls(
            int(arrays.meta["doc_count"]), arrays["live"], arrays["date_key"], fields,
            arrays["newest"],
        )  # fmt: skip

    def newest_first(self, mask: np.ndarray) -> np.ndarray:
        """Document numbers in ``mask``, newest first (unknown dates last)."""
        return self.newest[mask[self.newest]]
