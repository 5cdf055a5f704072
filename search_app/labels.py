"""What people read for a facet value: 'bac-kan' -> 'Bắc Kạn'."""

from __future__ import annotations

from whoosh.searching import Searcher

from indexer.gazetteer import province_by_slug
from indexer.topics import topic_by_slug
from indexer.vietnamese import slugify
from search_app.facets import FacetTables


def _label_from_documents(searcher: Searcher, tables: FacetTables, name: str, value: str) -> str:
    """Find the label of a value in the stored fields of one document that has it."""
    docs = tables.fields[name].docs_with(value)
    if len(docs):
        meta = searcher.stored_fields(int(docs[0])).get("meta") or {}
        labels = meta.get("topics") if name == "topic" else [meta.get(name)]
        for label in labels or []:
            if label and slugify(label) == value:
                return label
    return value


def facet_label(searcher: Searcher, tables: FacetTables, name: str, value: str) -> str:
    """The label of one facet value."""
    if name == "year":
        return value
    if name == "province" and (province := province_by_slug(value)) is not None:
        return province.name
    if name == "topic" and (topic := topic_by_slug(value)) is not None:
        return topic.label
    key = (name, value)
    cache = tables.labels
    if key not in cache:
        cache[key] = _label_from_documents(searcher, tables, name, value)
    return cache[key]
