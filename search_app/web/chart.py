"""The result count per year as bars drawn with CSS classes (the CSP forbids inline styles)."""

from __future__ import annotations

from dataclasses import dataclass

from search_app.results import Facet, FacetValue

LEVELS = 20  # bar heights h0..h20 in style.css, in 5 % steps
MAX_GAP_FILL = 40  # years: a longer span is drawn without its empty years


@dataclass
class Bar:
    """One year of the chart; ``level`` picks the CSS class of its height."""

    year: str
    count: int
    level: int
    selected: bool


def year_bars(facet: Facet | None) -> list[Bar]:
    """One bar per year of the year facet, oldest first; years between them that have no
    results get an empty bar, so that the time axis is not squeezed."""
    values: dict[str, FacetValue] = {
        v.value: v
        for v in (facet.values if facet else [])
        if v.value.isascii() and v.value.isdigit()  # not '²'
    }
    if not values:
        return []
    years = sorted(values, key=int)
    first, last = int(years[0]), int(years[-1])
    if last - first <= MAX_GAP_FILL:
        years = [str(year) for year in range(first, last + 1)]
    highest = max(v.count for v in values.values()) or 1
    bars = []
    for year in years:
        value = values.get(year)
        count = value.count if value else 0
        level = round(LEVELS * count / highest)
        bars.append(Bar(year, count, max(level, 1) if count else 0, bool(value and value.selected)))
    return bars
