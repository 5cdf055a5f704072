"""Provinces of today that a query or a filter names, and the former provinces they took in.

Since 1 July 2025 "Thái Nguyên" includes what was Bắc Kạn, but an article of 2021 from Bắc Kạn
names Bắc Kạn. A query naming Thái Nguyên matches its words as words and finds only the
articles that say "Thái Nguyên"; a filter on the province as published finds only those
published under it. Neither is widened behind the reader's back (the counts must stay what
was asked); each gets a hint that says what it leaves out and offers the search that does not:
the province of today as a filter, or the query naming the former provinces too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from indexer.metadata.current_provinces import (
    CurrentProvince,
    current_province_of,
    current_provinces,
)
from indexer.metadata.gazetteer import province_by_slug
from indexer.text.vietnamese import SYLLABLE_RE, fold, normalize_text
from search_app.results import ProvinceHint, SearchRequest

# An administrative word written before a name, dropped with it: "tỉnh", "thành phố", "TP."
_ADMIN_BEFORE_RE = re.compile(
    r"(?<!\w)(?:tỉnh|tinh|thành phố|thanh pho|tp|t\.p)\.?\s*$", re.IGNORECASE
)


@cache
def _merged_units() -> dict[str, list[tuple[tuple[str, ...], CurrentProvince]]]:
    """The units that took in other provinces, by the first folded syllable of their names
    (the name and the aliases of the province whose name it kept): the folded syllables of
    each name and the unit, longest names first."""
    by_first: dict[str, list[tuple[tuple[str, ...], CurrentProvince]]] = {}
    for unit in current_provinces():
        if not unit.took_in:
            continue
        own = next(p for p in unit.former if p.name == unit.name)  # "TP.HCM", "Sài Gòn"
        for name in dict.fromkeys((unit.name, *own.aliases)):
            syllables = tuple(fold(s) for s in SYLLABLE_RE.findall(normalize_text(name)))
            by_first.setdefault(syllables[0], []).append((syllables, unit))
    for named in by_first.values():
        named.sort(key=lambda pair: -len(pair[0]))
    return by_first


def _names_in(text: str) -> list[tuple[CurrentProvince, int, int]]:
    """Units named in normalized text, with the span of each name; not a name excluded with
    '-' nor one inside a "quoted phrase"."""
    runs = [(fold(m.group()), m.start(), m.end()) for m in SYLLABLE_RE.finditer(text)]
    words = [run[0] for run in runs]
    found, i = [], 0
    while i < len(runs):
        size = 1
        for syllables, unit in _merged_units().get(words[i], ()):
            start = runs[i][1]
            if tuple(words[i : i + len(syllables)]) == syllables:
                if text[start - 1 : start] != "-" and text.count('"', 0, start) % 2 == 0:
                    found.append((unit, start, runs[i + len(syllables) - 1][2]))
                size = len(syllables)
                break
        i += size
    return found


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def _query_hint(text: str, unit: CurrentProvince, start: int, end: int) -> ProvinceHint:
    """The hint for a query naming ``unit`` at text[start:end]."""
    if admin := _ADMIN_BEFORE_RE.search(text[:start]):
        start = admin.start()
    names = " OR ".join(p.name for p in (unit, *unit.took_in))
    return ProvinceHint(
        value=unit.slug,
        name=unit.name,
        took_in=[p.name for p in unit.took_in],
        named_by="query",
        query=_squeeze(text[:start] + " " + text[end:]),
        expanded=_squeeze(f"{text[:start]} ({names}) {text[end:]}"),
    )


def province_hints(
    query: str, request: SearchRequest, published_counts: Mapping[str, int]
) -> list[ProvinceHint]:
    """Hints for the provinces of today that ``query`` names, and for the provinces as
    published that the request filters by and that took in others whose articles the result
    set has (``published_counts``: articles per province as published, over the results
    filtered by everything but that facet)."""
    text = normalize_text(query)
    folded = fold(text)
    hints = []
    for unit, start, end in _names_in(text):
        if all(fold(p.name) in folded for p in unit.took_in):  # already named
            continue
        hints.append(_query_hint(text, unit, start, end))
    named = {hint.value for hint in hints} | set(request.current_province)
    for slug in request.province:
        province = province_by_slug(slug)
        if province is None:
            continue
        unit = current_province_of(province)
        if unit.name != province.name or not unit.took_in or unit.slug in named:
            continue  # names no province of today, or nothing is left out
        left_out = [p for p in unit.took_in if p.slug not in request.province]
        if any(published_counts.get(p.slug, 0) for p in left_out):
            named.add(unit.slug)
            hints.append(ProvinceHint(unit.slug, unit.name, [p.name for p in left_out], "filter"))
    return hints
