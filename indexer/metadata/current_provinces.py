"""The 34 provinces and cities since 1 July 2025, and which of the 63 before it each took in.

An article keeps the province it was published under (``gazetteer``); readers also filter by
the unit it belongs to today. Nothing here is written by hand: the 34 units are the
``parser_from_2025.json`` data of ``vietnamadminunits`` and the provinces each was made of its
``converter_2025.json``, both read directly like the gazetteer's own data.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from indexer.metadata.gazetteer import (
    GazetteerError,
    Province,
    all_provinces,
    package_provinces,
    province_by_slug,
    resolve_province,
)
from indexer.text.vietnamese import normalize_text, slugify

UNITS_DATA = "data/parser_from_2025.json"
CONVERSION_DATA = "data/converter_2025.json"
UNITS = 34


@dataclass(frozen=True)
class CurrentProvince:
    """A province or centrally run city as it has been since 1 July 2025."""

    code: str  # "19"
    name: str  # "Thái Nguyên"
    full_name: str  # "Tỉnh Thái Nguyên"
    slug: str  # "thai-nguyen"
    former: tuple[Province, ...]  # the provinces before the merger it is made of, by code

    @property
    def took_in(self) -> tuple[Province, ...]:
        """The former provinces besides the one whose name it kept: Thái Nguyên -> (Bắc Kạn,)."""
        return tuple(p for p in self.former if p.name != self.name)

    @property
    def written(self) -> str:
        """Its full name as written inside a sentence: 'tỉnh Thái Nguyên', 'thành phố Huế'."""
        return self.full_name[:1].lower() + self.full_name[1:]


@dataclass(frozen=True)
class _Units:
    units: tuple[CurrentProvince, ...]
    by_slug: dict[str, CurrentProvince]
    of_province: dict[str, CurrentProvince]  # a former province's slug -> its unit today


def _build() -> _Units:
    names = package_provinces(UNITS_DATA)
    conversion = package_provinces(CONVERSION_DATA)
    if set(names) != set(conversion) or len(names) != UNITS:
        raise GazetteerError(
            f"{UNITS_DATA} and {CONVERSION_DATA} do not name the same {UNITS} units"
        )
    units, of_province = [], {}
    for key, record in names.items():
        former = []
        for old_key in conversion[key]:
            province = resolve_province(old_key)
            if province is None:
                raise GazetteerError(f"{CONVERSION_DATA}: unknown province {old_key!r}")
            former.append(province)
        name = normalize_text(record["provinceShort"])
        unit = CurrentProvince(
            code=record["provinceCode"],
            name=name,
            full_name=normalize_text(record["province"]),
            slug=slugify(name),
            former=tuple(sorted(former, key=lambda p: p.code)),
        )
        units.append(unit)
        for province in former:
            if of_province.setdefault(province.slug, unit) != unit:
                raise GazetteerError(f"{province.name} is in two units of {CONVERSION_DATA}")
    missing = {p.name for p in all_provinces()} - {p.name for u in units for p in u.former}
    if missing:
        raise GazetteerError(f"{CONVERSION_DATA} leaves out {sorted(missing)}")
    units.sort(key=lambda u: u.code)
    return _Units(tuple(units), {u.slug: u for u in units}, of_province)


@cache
def _units() -> _Units:
    """Load and check the data once, on first use."""
    return _build()


def current_provinces() -> list[CurrentProvince]:
    """The 34 units, in the order of their official codes."""
    return list(_units().units)


def current_province_by_slug(slug: str) -> CurrentProvince | None:
    """'thai-nguyen' -> Thái Nguyên (today's unit); None for an unknown slug."""
    return _units().by_slug.get(slug)


def current_province_of(province: Province) -> CurrentProvince:
    """The unit a province of before the merger belongs to today: Bắc Kạn -> Thái Nguyên."""
    return _units().of_province[province.slug]


def _published(published: str | None) -> Province | None:
    """The province of before the merger an article names (a name in any spelling, or its
    facet value 'bac-kan'); None for one that is unknown or national."""
    if not published:
        return None
    return province_by_slug(published) or resolve_province(published)


@lru_cache(maxsize=4096)  # an index has a few hundred spellings of provinces at most
def current_province_for(published: str | None) -> CurrentProvince | None:
    """Today's unit of a province as an article names it (a name in any spelling, or its
    facet value 'bac-kan'); None for a province that is unknown or national."""
    province = _published(published)
    return current_province_of(province) if province is not None else None


@lru_cache(maxsize=4096)
def merged_into(published: str | None) -> CurrentProvince | None:
    """The unit today of a province that no longer exists by its own name: 'Bắc Kạn' ->
    Thái Nguyên; None for 'Thái Nguyên', 'Điện Biên', or a national or unknown province."""
    province = _published(published)
    unit = current_province_of(province) if province is not None else None
    return unit if unit is not None and unit.name != province.name else None
