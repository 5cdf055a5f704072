"""The facets of a result set, as people read them."""

from __future__ import annotations

import numpy as np
from whoosh.searching import Searcher

from search_app.facets import FacetTables
from search_app.labels import facet_label
from search_app.results import FACETS, Facet, FacetValue, SearchRequest

FACET_TITLES = {
    "province": "Tỉnh, thành phố",
    "year": "Năm",
    "month": "Tháng",
    "topic": "Chủ đề",
    "cited": "Văn bản được nhắc đến",
}


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
        values = [
            FacetValue(
                value, facet_label(searcher, tables, name, value), int(count), value in selected
            )
            for value, count in zip(table.values, counts, strict=True)
            if count or value in selected
        ]
        known = {v.value for v in values}
        values += [
            FacetValue(value, facet_label(searcher, tables, name, value), 0, True)
            for value in sorted(selected - known)
        ]
        values.sort(key=lambda v: (-v.count, v.label))
        facets[name] = Facet(name, FACET_TITLES[name], values)
    return facets
