"""Facet values listed under a value of another facet, to narrow it: the months of a year, and
the provinces before the 2025 merger that make up a province of today.

The same relation says which chosen values go when their parent is unchosen (``params``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from indexer.metadata.current_provinces import current_province_by_slug
from search_app.results import Facet, FacetValue


@dataclass
class Drilldown:
    """The values of ``facet`` under one value of another facet."""

    facet: Facet
    values: list[FacetValue]
    label: str  # what the list is, for screen readers
    kind: str  # its CSS class


def nested_in(facet: str, value: str) -> tuple[str, Callable[[str], bool]] | None:
    """The facet whose values are listed under ``value`` of ``facet``, and which of its values
    are; None when nothing is: ('year', '2021') -> ('month', '2021-..')."""
    if facet == "year":
        return "month", lambda month: month.startswith(value + "-")
    unit = current_province_by_slug(value) if facet == "current_province" else None
    if unit is not None and unit.took_in:  # one that only kept its own has nothing to narrow
        former = {province.slug for province in unit.former}
        return "province", former.__contains__
    return None


def drilldown(facets: dict[str, Facet], name: str, value: FacetValue) -> Drilldown | None:
    """What to list under a facet value (months January first; former provinces most
    frequent first), or None."""
    nested = nested_in(name, value.value)
    if nested is None or nested[0] not in facets:
        return None
    facet = facets[nested[0]]
    values = [v for v in facet.values if nested[1](v.value)]
    if name == "year":
        values.sort(key=lambda v: v.value)
        return Drilldown(facet, values, f"Các tháng của năm {value.label}", "months")
    return Drilldown(facet, values, f"Các tỉnh cũ hợp thành {value.label}", "former")
