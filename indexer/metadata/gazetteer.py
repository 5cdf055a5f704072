"""The 63 provinces and cities of Vietnam before the 2025 merger, and how text names them.

The list comes from the data file of the ``vietnamadminunits`` package, read directly: importing
the package would pull in geopy and shapely. ``data/province_aliases.json`` adds the spellings the
package lacks (Bắc Cạn, TP.HCM, Đắc Lắc, ...) and the phrases that only look like provinces.
"""

from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from indexer.text.vietnamese import (
    fold,
    normalize_text,
    slugify,
    strip_diacritics,
    whole_words_pattern,
)

ALIASES_PATH = Path(__file__).resolve().parents[1] / "data" / "province_aliases.json"
PACKAGE = "vietnamadminunits"
PACKAGE_DATA = "data/parser_legacy.json"

# An administrative word right before a name: "tỉnh Bắc Kạn", "TP. Đà Nẵng", "thành phố Huế".
_ADMIN_BEFORE_RE = re.compile(r"(?<![\w.])(?:tỉnh|thành phố|tp|t\.p)\.?\s*$", re.IGNORECASE)
# A name written with its administrative word: "TP.HCM", "Thành phố Hồ Chí Minh".
_ADMIN_PREFIX_RE = re.compile(r"^(?:tỉnh|thành phố|tp|t\.p)(?:\.\s*|\s+|(?=[A-ZĐ]))", re.IGNORECASE)
# Words after which a province name is a district, a street or a person: "huyện Hòa Bình"
# (Bạc Liêu), "đường Điện Biên Phủ", "chị Huế".
_NOT_PROVINCE_BEFORE_RE = re.compile(
    r"(?<!\w)(?:huyện|quận|thị xã|xã|phường|thị trấn|thôn|ấp|đường|phố|chị|anh|ông|bà|cô|chú"
    r"|bác|em|cháu|thầy|cụ|đồng chí|đ/c)\s+$",
    re.IGNORECASE,
)
# A surname or middle name right before: "Nguyễn Thái Bình", "Nguyễn Thị Huế" are people.
_NAME_BEFORE_RE = re.compile(
    r"(?<!\w)(?:Nguyễn|Trần|Lê|Phạm|Hoàng|Huỳnh|Phan|Vũ|Võ|Đặng|Bùi|Đỗ|Hồ|Ngô|Dương|Lý|Đinh"
    r"|Trịnh|Trương|Đoàn|Lương|Lưu|Tạ|Mai|Vương|Chu|Triệu|Kiều|Quách|Lại|Phùng|Thân|Tống|Doãn"
    r"|Thị|Văn|Hữu|Đức)\s+$"
)
_CONTEXT = 16  # characters of text before a name that the context rules look at
_RESOLVE_PREFIX_RE = re.compile(r"^(?:tinh|thanh pho|tp|t\.p)(?:[\s.:]+|(?=[a-z]))")
_NON_ALNUM_RE = re.compile(r"[^a-z0-9]+")


class GazetteerError(RuntimeError):
    """The province data is missing or contradicts itself."""


@dataclass(frozen=True)
class Province:
    """One of the 63 provinces and centrally run cities."""

    code: str  # "06"
    name: str  # canonical short name: "Bắc Kạn", "Hồ Chí Minh", "Huế"
    full_name: str  # "Tỉnh Bắc Kạn"
    slug: str  # "bac-kan"
    aliases: tuple[str, ...] = ()


class ProvinceMention(NamedTuple):
    """A province named in text: text[start:end], and whether 'tỉnh', 'TP.' ... preceded it."""

    province: Province
    start: int
    end: int
    admin: bool


@dataclass(frozen=True)
class _Form:
    """How one written form counts: which province, and under what condition."""

    province: Province | None  # None: a phrase that hides a province name ("Thái Bình Dương")
    needs_prefix: bool = False
    admin: bool = False  # the form carries its own administrative word ("TP.HCM")


@dataclass(frozen=True)
class _Gazetteer:
    provinces: tuple[Province, ...]
    by_slug: dict[str, Province]
    by_key: dict[str, Province]
    forms: dict[str, _Form]
    pattern: re.Pattern[str]


def _package_table(data_file: str, table: str) -> dict[str, Any]:
    """One table of one of vietnamadminunits' data files, read without importing the package."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise GazetteerError(f"package {PACKAGE!r} is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / data_file
    try:
        return json.loads(path.read_text(encoding="utf-8"))[table]
    except (OSError, ValueError, KeyError) as exc:
        raise GazetteerError(f"cannot read {table} from {path}: {exc}") from exc


def package_provinces(data_file: str = PACKAGE_DATA) -> dict[str, Any]:
    """DICT_PROVINCE of one of vietnamadminunits' data files (by default the legacy parser's,
    the 63 provinces), read without importing the package."""
    return _package_table(data_file, "DICT_PROVINCE")


def _alias_data() -> dict[str, Any]:
    try:
        data = json.loads(ALIASES_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GazetteerError(f"cannot read {ALIASES_PATH}: {exc}") from exc
    return {key: value for key, value in data.items() if not key.startswith("_")}


def _names_by_province(section: dict[str, list[str]], names: set[str]) -> dict[str, list[str]]:
    """Check that a section of the alias file only names known provinces; normalize its text."""
    unknown = set(section) - names
    if unknown:
        raise GazetteerError(f"{ALIASES_PATH.name}: unknown provinces {sorted(unknown)}")
    return {name: [normalize_text(form) for form in forms] for name, forms in section.items()}


def _variants(form: str) -> set[str]:
    """The ways a capitalized form is printed: as written, in capitals, without diacritics."""
    found = {form}
    if " - " in form:
        found |= {form.replace(" - ", sep) for sep in ("-", " – ", "–")}
    if " " in form:  # a bare "Hue" is too ambiguous to match without its diacritics
        found |= {strip_diacritics(f) for f in found}
    return found | {f.upper() for f in found}


def _add_form(forms: dict[str, _Form], text: str, form: _Form) -> None:
    old = forms.get(text)
    if old is not None and old.province is not None and old.province != form.province:
        other = form.province.name if form.province else "no province"
        raise GazetteerError(f"{text!r} names both {old.province.name} and {other}")
    forms[text] = form


def _resolve_key(text: str) -> str:
    """'Tỉnh Bắc Kạn', 'TP. Hồ Chí Minh', 'bac-kan' -> 'backan', 'hochiminh'."""
    key = fold(normalize_text(text)).strip()
    key = _RESOLVE_PREFIX_RE.sub("", key) or key
    return _NON_ALNUM_RE.sub("", key)


def _build() -> _Gazetteer:
    records = sorted(package_provinces().values(), key=lambda r: r["provinceCode"])
    data = _alias_data()
    short_names = {normalize_text(r["provinceShort"]) for r in records}
    aliases = _names_by_province(data.get("aliases", {}), short_names)
    prefixed = _names_by_province(data.get("needs_prefix", {}), short_names)
    provinces, by_key, forms = [], {}, {}
    for record in records:
        name = normalize_text(record["provinceShort"])
        own = tuple(
            f for f in dict.fromkeys(aliases.get(name, []) + prefixed.get(name, [])) if f != name
        )
        province = Province(
            code=record["provinceCode"],
            name=name,
            full_name=normalize_text(record["province"]),
            slug=slugify(name),
            aliases=own,
        )
        provinces.append(province)
        for key in [*record["provinceKeywords"], *map(_resolve_key, (name, *own))]:
            if by_key.setdefault(key, province) != province:
                raise GazetteerError(f"{key!r} names both {by_key[key].name} and {name}")
        for form in (name, *aliases.get(name, [])):
            admin = bool(_ADMIN_PREFIX_RE.match(form))
            for text in _variants(form):
                _add_form(forms, text, _Form(province, admin=admin))
        for form in prefixed.get(name, []):
            for text in _variants(form):
                forms[text] = _Form(province, needs_prefix=True)
    for phrase in data.get("not_provinces", []):
        for text in _variants(normalize_text(phrase)):
            forms[text] = _Form(None)
    if len(provinces) != 63:
        raise GazetteerError(f"expected 63 provinces, found {len(provinces)}")
    pattern = re.compile(whole_words_pattern(sorted(forms)))
    by_slug = {p.slug: p for p in provinces}
    return _Gazetteer(tuple(provinces), by_slug, by_key, forms, pattern)


@cache
def _gazetteer() -> _Gazetteer:
    """Load and index the data once, on first use."""
    return _build()


def all_provinces() -> list[Province]:
    """The 63 provinces, in the order of their official codes."""
    return list(_gazetteer().provinces)


def province_by_slug(slug: str) -> Province | None:
    """'bac-kan' -> Bắc Kạn; None for an unknown slug."""
    return _gazetteer().by_slug.get(slug)


def resolve_province(text: str) -> Province | None:
    """A province from a name or alias in any case and spelling, with or without 'tỉnh', 'TP.'."""
    if not text or not text.strip():
        return None
    gazetteer = _gazetteer()
    folded = fold(normalize_text(text)).strip()
    return gazetteer.by_key.get(_NON_ALNUM_RE.sub("", folded)) or gazetteer.by_key.get(
        _resolve_key(text)
    )


def _counts(text: str, start: int, form: _Form) -> tuple[bool, bool]:
    """(counts as a mention, preceded by an administrative word) for a name at text[start:]."""
    before = text[max(0, start - _CONTEXT) : start]
    if form.admin or _ADMIN_BEFORE_RE.search(before):
        return True, True
    if form.needs_prefix or _NOT_PROVINCE_BEFORE_RE.search(before):
        return False, False
    return not _NAME_BEFORE_RE.search(before), False


def find_province_mentions(text: str) -> list[ProvinceMention]:
    """Every province named in normalized text, in order, with its span.

    Only capitalized forms count ("hòa bình" is peace), phrases such as "Thái Bình Dương" hide the
    province inside them, and names that are usually a person or a district ("Chủ tịch Hồ Chí
    Minh", "huyện Hòa Bình", "Nguyễn Thái Bình") are left out.
    """
    gazetteer = _gazetteer()
    mentions = []
    for match in gazetteer.pattern.finditer(text):
        form = gazetteer.forms[match.group(0)]
        if form.province is None:
            continue
        counts, admin = _counts(text, match.start(), form)
        if counts:
            mentions.append(ProvinceMention(form.province, match.start(), match.end(), admin))
    return mentions


def name_spans(text: str) -> list[tuple[int, int]]:
    """Where text names something in the gazetteer, before any rule of context: every span
    ``find_province_mentions`` could report within a part of the text overlaps one of these."""
    return [match.span() for match in _gazetteer().pattern.finditer(text)]


def district_key(kind: str, name: str) -> str:
    """'Huyện', 'Lục Yên' -> 'huyenlucyen': how a district is looked up in any case or spelling."""
    return _NON_ALNUM_RE.sub("", fold(normalize_text(f"{kind} {name}")))


@cache
def _district_provinces() -> dict[str, frozenset[Province]]:
    """Every district of the 63 provinces by district_key, with the provinces that have one."""
    by_key = _gazetteer().by_key
    found: dict[str, set[Province]] = {}
    for province_key, districts in _package_table(PACKAGE_DATA, "DICT_PROVINCE_DISTRICT").items():
        province = by_key.get(province_key)
        if province is None:
            raise GazetteerError(f"{PACKAGE}: districts of an unknown province {province_key!r}")
        for district in districts.values():
            key = district_key(district["districtType"], district["districtShort"])
            found.setdefault(key, set()).add(province)
    return {key: frozenset(provinces) for key, provinces in found.items()}


def district_province(kind: str, name: str) -> Province | None:
    """The province of 'huyện Lục Yên' (Yên Bái); None when no district or several have the name."""
    provinces = _district_provinces().get(district_key(kind, name), frozenset())
    return next(iter(provinces)) if len(provinces) == 1 else None
