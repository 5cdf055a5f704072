"""The province that publishes a site, from its host name or its name.

The patterns and names are data: ``data/province_sites.toml`` (its header says the format).
A provincial host (``stttt.backan.gov.vn``, ``baonghean.vn``) or site name ("Sở Thông tin và
Truyền thông tỉnh Bắc Kạn") names the province; a national host (``mic.gov.vn``) names none.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from indexer.metadata.gazetteer import Province, all_provinces, resolve_province
from indexer.text.vietnamese import fold, normalize_text

SITES_PATH = Path(__file__).resolve().parents[1] / "data" / "province_sites.toml"

_NAME_SPLIT_RE = re.compile(r"\s+[-–—|:]\s+|\s*\|\s*")
_NON_ALNUM_RE = re.compile(r"[^a-z0-9]+")


class SitesError(RuntimeError):
    """The province sites data is missing or contradicts itself."""


@dataclass(frozen=True)
class _Sites:
    labels: dict[str, Province]  # "backan" -> Bắc Kạn
    hosts: dict[str, Province]  # whole hosts that follow no pattern
    national: frozenset[str]
    official_suffixes: tuple[str, ...]  # "gov.vn"
    newspaper_prefixes: tuple[str, ...]  # "bao"
    newspaper_suffixes: tuple[str, ...]  # "com.vn", "vn": longest first
    name_prefixes: tuple[str, ...]  # folded words: "so thong tin va truyen thong"
    name_suffixes: tuple[str, ...]  # "dien tu"


def _words(text: str) -> str:
    """'Sở TT&TT tỉnh Bắc Kạn' -> 'so tt tt tinh bac kan'."""
    return _NON_ALNUM_RE.sub(" ", fold(normalize_text(text))).strip()


def _province(name: str, by_name: dict[str, Province]) -> Province:
    province = by_name.get(normalize_text(name))
    if province is None:
        raise SitesError(f"{SITES_PATH.name}: unknown province {name!r}")
    return province


def _read() -> dict[str, Any]:
    try:
        return tomllib.loads(SITES_PATH.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SitesError(f"cannot read {SITES_PATH}: {exc}") from exc


def _build() -> _Sites:
    data = _read()
    by_name = {p.name: p for p in all_provinces()}
    labels: dict[str, Province] = {}
    for name, province_labels in data.get("provinces", {}).items():
        province = _province(name, by_name)
        for label in province_labels:
            if labels.setdefault(label.lower(), province) != province:
                raise SitesError(f"{SITES_PATH.name}: label {label!r} names two provinces")
    hosts = {h.lower(): _province(n, by_name) for h, n in data.get("hosts", {}).items()}
    rules, names = data.get("rules", {}), data.get("site_names", {})
    return _Sites(
        labels=labels,
        hosts=hosts,
        national=frozenset(h.lower() for h in data.get("national", {}).get("hosts", [])),
        official_suffixes=tuple(rules.get("official_suffixes", [])),
        newspaper_prefixes=tuple(rules.get("newspaper_prefixes", [])),
        newspaper_suffixes=tuple(sorted(rules.get("newspaper_suffixes", []), key=len)[::-1]),
        name_prefixes=tuple(sorted(map(_words, names.get("prefixes", [])), key=len)[::-1]),
        name_suffixes=tuple(map(_words, names.get("suffixes", []))),
    )


@cache
def _sites() -> _Sites:
    """Load and check the data once, on first use."""
    return _build()


def host_of(url: str | None) -> str:
    """'https://www.Backan.gov.vn:443/a' or 'backan.gov.vn/a' -> 'www.backan.gov.vn'."""
    text = (url or "").strip()
    if not text:
        return ""
    if "://" not in text and not text.startswith("//"):
        text = "//" + text
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        return ""
    return host.rstrip(".").lower()


def _under(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def _label_before(host: str, suffix: str) -> str | None:
    """The label right before suffix: ('stttt.backan.gov.vn', 'gov.vn') -> 'backan'."""
    if not host.endswith("." + suffix):
        return None
    return host[: -len(suffix) - 1].rsplit(".", 1)[-1]


def host_province(url: str | None) -> Province | None:
    """The province a site's host name says publishes it; None for national or unknown hosts."""
    host, sites = host_of(url), _sites()
    if not host or any(_under(host, n) for n in sites.national):
        return None
    for domain, province in sites.hosts.items():
        if _under(host, domain):
            return province
    for suffix in sites.official_suffixes:
        label = _label_before(host, suffix)
        if label in sites.labels:
            return sites.labels[label]
    suffix = next((s for s in sites.newspaper_suffixes if host.endswith("." + s)), None)
    label = _label_before(host, suffix) if suffix else None
    for prefix in sites.newspaper_prefixes if label else ():
        if label.startswith(prefix) and label[len(prefix) :] in sites.labels:
            return sites.labels[label[len(prefix) :]]
    return None


def is_national_host(url: str | None) -> bool:
    """True for a host listed as national (it and its sub-hosts give no province)."""
    host = host_of(url)
    return bool(host) and any(_under(host, n) for n in _sites().national)


def _strip_prefixes(words: str, prefixes: tuple[str, ...]) -> tuple[str, bool]:
    """Take every leading site-name prefix off; (rest, whether any was taken)."""
    taken, again = False, True
    while again:
        again = False
        for prefix in prefixes:
            if words == prefix or words.startswith(prefix + " "):
                words, taken, again = words[len(prefix) :].strip(), True, True
                break
    return words, taken


def site_name_province(name: str | None) -> Province | None:
    """The province a site's name says publishes it: 'Sở TT&TT tỉnh Bắc Kạn' -> Bắc Kạn."""
    sites = _sites()
    for part in _NAME_SPLIT_RE.split(name or ""):
        rest, taken = _strip_prefixes(_words(part), sites.name_prefixes)
        if not taken or not rest:
            continue
        for suffix in sites.name_suffixes:
            if rest.endswith(" " + suffix):
                rest = rest[: -len(suffix) - 1]
        province = resolve_province(rest)
        if province is not None:
            return province
    return None


def publishing_province(url: str | None, site_name: str | None) -> Province | None:
    """The publisher's province: from the host first, then the site name; None for national."""
    if is_national_host(url):
        return None
    return host_province(url) or site_name_province(site_name)
