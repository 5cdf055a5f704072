"""Facet counts and filters from per-document ordinal arrays, loaded once per searcher.

Whoosh's own grouping visits one document at a time; here each facet field becomes two
numpy arrays (document number, value ordinal) built from the posting lists once, and a
count over any set of documents is one ``bincount``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from whoosh.searching import Searcher

from search_app.results import FACETS


@dataclass
class FacetField:
    """The values of one facet field and which documents carry each."""

    name: str
    values: list[str]  # ordinal -> value (the indexed term)
    docs: np.ndarray  # int32 document numbers ...
    ords: np.ndarray  # ... and the ordinal of the value each carries (one pair per value)

    def __post_init__(self) -> None:
        self._ordinals = {value: i for i, value in enumerate(self.values)}

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


def _load_field(searcher: Searcher, name: str) -> FacetField:
    reader = searcher.reader()
    values: list[str] = []
    docs: list[np.ndarray] = []
    ords: list[np.ndarray] = []
    if name in reader.indexed_field_names():
        for term in reader.lexicon(name):
            ids = np.fromiter(reader.postings(name, term).all_ids(), dtype=np.int32)
            if len(ids):
                docs.append(ids)
                ords.append(np.full(len(ids), len(values), dtype=np.int32))
                values.append(term.decode("utf-8"))
    if not docs:
        return FacetField(name, [], np.zeros(0, np.int32), np.zeros(0, np.int32))
    return FacetField(name, values, np.concatenate(docs), np.concatenate(ords))


@dataclass
class FacetTables:
    """Everything per document that facets and sorting need, for one searcher."""

    doc_count: int  # including deleted documents: arrays are indexed by document number
    live: np.ndarray  # bool: not deleted
    date_key: np.ndarray  # int32 yyyymmdd, 0 when unknown
    fields: dict[str, FacetField]
    labels: dict[tuple[str, str], str] = field(default_factory=dict)  # (facet, value) -> label

    @classmethod
    def load(cls, searcher: Searcher) -> FacetTables:
        """Read the facet arrays of the index a searcher sees."""
        reader = searcher.reader()
        doc_count = reader.doc_count_all()
        live = np.zeros(doc_count, dtype=bool)
        live[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
        if reader.has_column("date_key"):
            column = reader.column_reader("date_key")
            date_key = np.fromiter((column[i] for i in range(doc_count)), np.int32, doc_count)
        else:
            date_key = np.zeros(doc_count, dtype=np.int32)
        fields = {name: _load_field(searcher, name) for name in FACETS}
        return cls(doc_count, live, date_key, fields)

    def __post_init__(self) -> None:
        # Every document, newest first (then the most recently added first): sorting a
        # result set is then a filter of this order.
        docs = np.arange(self.doc_count)
        self._newest = docs[np.lexsort((-docs, -self.date_key))]

    def newest_first(self, mask: np.ndarray) -> np.ndarray:
        """Document numbers in ``mask``, newest first (unknown dates last)."""
        return self._newest[mask[self._newest]]
