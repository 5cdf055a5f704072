"""The facets of a result set as people read them: counts with selections, and labels.

A value's label is what people read for it: 'bac-kan' -> 'Bắc Kạn', '2021-03' -> '03/2021'.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from whoosh.searching import Searcher

from indexer.metadata.current_provinces import current_province_by_slug
from indexer.metadata.gazetteer import province_by_slug
from indexer.metadata.topics import topic_by_slug
from indexer.text.vietnamese import fold, slugify
from search_app.engine.facets import FacetField, FacetTables
from search_app.results import FACETS, Facet, FacetValue, SearchRequest

FACET_TITLES = {
    "current_province": "Tỉnh, thành phố (hiện nay)",
    "province": "Tỉnh, thành phố (khi đăng bài)",
    "year": "Năm",
    "month": "Tháng",
    "topic": "Chủ đề",
    "cited": "Văn bản được nhắc đến",
}


# How a facet's value is made from the label kept in an article's stored fields.
_VALUE_OF: dict[str, tuple[str, Callable[[str], str]]] = {
    "province": ("province", slugify),
    "topic": ("topics", slugify),
    "cited": ("cited", fold),
}


def _label_from_documents(searcher: Searcher, tables: FacetTables, name: str, value: str) -> str:
    """Find the label of a value in the stored fields of one document that has it."""
    docs = tables.fields[name].docs_with(value)
    if len(docs) and name in _VALUE_OF:
        key, value_of = _VALUE_OF[name]
        stored = (searcher.stored_fields(int(docs[0])).get("meta") or {}).get(key)
        for label in stored if isinstance(stored, list) else [stored]:
            if label and value_of(label) == value:
                return label
    return value


def facet_label(searcher: Searcher, tables: FacetTables, name: str, value: str) -> str:
    """The label of one facet value."""
    if name == "year":
        return value
    if name == "month":
        year, _, month = value.partition("-")
        return f"{month}/{year}" if month else value
    if name == "province" and (province := province_by_slug(value)) is not None:
        return province.name
    if name == "current_province" and (unit := current_province_by_slug(value)) is not None:
        return unit.name
    if name == "topic" and (topic := topic_by_slug(value)) is not None:
        return topic.label
    return _label_from_documents(searcher, tables, name, value)  # kept by ``_labels``


def _labels(
    searcher: Searcher, tables: FacetTables, table: FacetField, ordinals: list[int]
) -> list[str]:
    """The labels of some values of a facet, each found once per commit."""
    known = table.labels
    found = []
    for ordinal in ordinals:
        label = known[ordinal]
        if label is None:
            label = facet_label(searcher, tables, table.name, table.values[ordinal])
            known[ordinal] = label
        found.append(label)
    return found


def count_facets(
    searcher: Searcher,
    tables: FacetTables,
    request: SearchRequest,
    matched: np.ndarray,
    filters: dict[str, np.ndarray],
) -> dict[str, Facet]:
    """Counts of each facet over the results filtered by the *other* facets, so that a
    value's count is what choosing it would give, and values of one facet combine with OR."""
    selected_by_name = request.filters()
    facets = {}
    for name in FACETS:
        base = matched.copy()
        for other, mask in filters.items():
            if other != name:
                base &= mask
        table = tables.fields[name]
        counts = table.counts(base)
        selected = set(selected_by_name[name])
        shown = counts > 0
        for value in selected:
            if (ordinal := table.ordinal(value)) is not None:
                shown[ordinal] = True
        ordinals = np.flatnonzero(shown).tolist()
        values = [
            FacetValue(table.values[ordinal], label, count, table.values[ordinal] in selected)
            for ordinal, label, count in zip(
                ordinals,
                _labels(searcher, tables, table, ordinals),
                counts[ordinals].tolist(),
                strict=True,
            )
        ]
        known = {v.value for v in values}
        values += [
            FacetValue(value, facet_label(searcher, tables, name, value), 0, True)
            for value in sorted(selected - known)
        ]
        values.sort(key=lambda v: (-v.count, v.label))
        facets[name] = Facet(name, FACET_TITLES[name], values)
    return facets
