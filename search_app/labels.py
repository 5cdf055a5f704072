"""What people read for a facet value: 'bac-kan' -> 'Bắc Kạn', '2021-03' -> '03/2021'."""

from __future__ import annotations

from collections.abc import Callable

from whoosh.searching import Searcher

from indexer.gazetteer import province_by_slug
from indexer.topics import topic_by_slug
from indexer.vietnamese import fold, slugify
from search_app.facets import FacetTables

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
    if name == "topic" and (topic := topic_by_slug(value)) is not None:
        return topic.label
    key = (name, value)
    cache = tables.labels
    if key not in cache:
        cache[key] = _label_from_documents(searcher, tables, name, value)
    return cache[key]
