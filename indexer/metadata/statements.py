"""The province a site states it belongs to, in its header, footer, <title> or copyright line.

In: the lines of a page's chrome (``Page.identity``). Out: the one province they clearly name, or
None. "TRANG THÔNG TIN ĐIỆN TỬ SỞ Y TẾ TỈNH X", "Cơ quan chủ quản: UBND tỉnh X", "Giấy phép
số 12/GP-TTĐT do Sở TT&TT tỉnh X cấp", "Địa chỉ: ..., huyện Y, tỉnh X" name X. The shapes
are data: ``data/site_statements.toml`` (its header says the format and the rules).
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from indexer.metadata.gazetteer import (
    Province,
    ProvinceMention,
    district_province,
    find_province_mentions,
)
from indexer.text.vietnamese import normalize_text

STATEMENTS_PATH = Path(__file__).resolve().parents[1] / "data" / "site_statements.toml"
DOMINANCE = 2.0  # the stated province must have this many times the votes of any other

_TOKEN_RE = re.compile(r"[^\W_]+(?:[&-][^\W_]+)*|[©]|\(c\)", re.IGNORECASE)
_ADMIN_WORDS = frozenset({"tỉnh", "thành", "phố", "tp", "t", "p"})
_SEPARATOR_RE = re.compile(r"\s*[|•;]\s*")
# " - " between the parts of a <title> or a banner; not before "tỉnh X" ("huyện Y - tỉnh X").
_DASH_RE = re.compile(r"\s+[-–—]\s+(?!(?:tỉnh|thành phố|tp\b|t\.p)\.?)", re.IGNORECASE)
_FILLER = frozenset({"bởi", "thuộc", "về", "by", "of", "số"})  # "© 2019 thuộc về Bộ ..."

Words = tuple[str, ...]


class StatementsError(RuntimeError):
    """The site statements data is missing or malformed."""


class _Token(NamedTuple):
    word: str  # lower case, diacritics kept
    start: int
    end: int


@dataclass(frozen=True)
class _Rules:
    labels: tuple[Words, ...]  # longest first
    anywhere_labels: frozenset[Words]
    owner_labels: frozenset[Words]
    address_labels: frozenset[Words]
    licence_labels: frozenset[Words]
    heads: tuple[Words, ...]  # longest first
    not_heads: tuple[Words, ...]
    national_heads: tuple[Words, ...]
    stop_words: frozenset[str]
    suffixes: frozenset[Words]
    district_kinds: dict[Words, str]
    max_name_words: int
    label_re: re.Pattern[str]


@dataclass(frozen=True)
class Statement:
    """What one line of a site's chrome states: the provinces it names, whether it is national."""

    provinces: frozenset[Province] = frozenset()
    national: bool = False
    addresses: frozenset[Province] = frozenset()  # the provinces of an address: where it sits
    national_licence: bool = False  # a licence a national body granted: a national press title


def _words(text: str) -> Words:
    return tuple(t.word for t in _tokens(text))


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.group(0).lower(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


def _phrases(data: dict[str, Any], key: str) -> tuple[Words, ...]:
    values = data.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise StatementsError(f"{STATEMENTS_PATH.name}: {key} must be a list of strings")
    return tuple(sorted({_words(normalize_text(v)) for v in values} - {()}, key=len)[::-1])


def _label_re(labels: list[str]) -> re.Pattern[str]:
    """Where a label starts a statement: at a word boundary, longest label first."""
    forms = sorted((normalize_text(label) for label in labels), key=len, reverse=True)
    edges = [
        (r"(?<!\w)" if f[0].isalnum() else "")
        + re.escape(f)
        + (r"(?!\w)" if f[-1].isalnum() else "")
        for f in forms
    ]
    return re.compile("|".join(edges) or r"(?!)", re.IGNORECASE)


def _build() -> _Rules:
    try:
        data = tomllib.loads(STATEMENTS_PATH.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise StatementsError(f"cannot read {STATEMENTS_PATH}: {exc}") from exc
    kinds = data.get("district_kinds", {})
    return _Rules(
        labels=_phrases(data, "labels"),
        anywhere_labels=frozenset(_phrases(data, "anywhere_labels")),
        owner_labels=frozenset(_phrases(data, "owner_labels")),
        address_labels=frozenset(_phrases(data, "address_labels")),
        licence_labels=frozenset(_phrases(data, "licence_labels")),
        heads=_phrases(data, "heads"),
        not_heads=_phrases(data, "not_heads"),
        national_heads=_phrases(data, "national_heads"),
        stop_words=frozenset(w for p in _phrases(data, "stop_words") for w in p),
        suffixes=frozenset(_phrases(data, "suffixes")),
        district_kinds={_words(normalize_text(k)): str(v) for k, v in kinds.items()},
        max_name_words=int(data.get("max_name_words", 10)),
        label_re=_label_re(data.get("labels", [])),
    )


@cache
def _rules() -> _Rules:
    """Load and check the data once, on first use."""
    return _build()


def _starts(words: Words, at: int, phrases: tuple[Words, ...]) -> int:
    """The length of the longest phrase that words hold from index at; 0 for none."""
    return next((len(p) for p in phrases if words[at : at + len(p)] == p), 0)


def _head_run(words: Words, rules: _Rules) -> int:
    """How many leading words are heads ("Trang thông tin điện tử", "Sở"); 0 when none opens."""
    at = 0
    while at < len(words) and not _starts(words, at, rules.not_heads):
        size = _starts(words, at, rules.heads)
        if not size:
            break
        at += size
    return at


def _is_name(words: Words, rules: _Rules) -> bool:
    """True for the words of a unit's name between its heads and its province."""
    own = [w for w in words if w not in _ADMIN_WORDS]
    return len(own) <= rules.max_name_words and not rules.stop_words.intersection(own)


def _unit_before(tokens: list[_Token], end: int, rules: _Rules) -> bool:
    """True when the words right before position end close a unit's name ("Sở TT&TT")."""
    words = tuple(t.word for t in tokens if t.end <= end)
    for start in range(len(words) - 1, max(-1, len(words) - rules.max_name_words - 8), -1):
        size = _head_run(words[start:], rules)
        if size and _is_name(words[start + size :], rules):
            return True
    return False


def _district(tokens: list[_Token], rules: _Rules) -> tuple[Province, int, int] | None:
    """The last district named with its kind ("huyện Lục Yên") of one province; its word span."""
    words = tuple(t.word for t in tokens)
    for at in range(len(words) - 1, -1, -1):
        for kind_words, kind in rules.district_kinds.items():
            if words[at : at + len(kind_words)] != kind_words:
                continue
            after = at + len(kind_words)
            for size in range(min(4, len(words) - after), 0, -1):
                province = district_province(kind, " ".join(words[after : after + size]))
                if province is not None:
                    return province, at, after + size
    return None


def _labelled(clause: str, rules: _Rules) -> set[Province]:
    """The provinces a labelled statement names: 'tỉnh X', a unit's 'X', else a district."""
    tokens = _tokens(clause)
    found = {
        m.province
        for m in find_province_mentions(clause)
        if m.admin or _unit_before(tokens, m.start, rules)
    }
    if not found and (district := _district(tokens, rules)):
        found.add(district[0])
    return found


def _ends_name(clause: str, mention_end: int, rules: _Rules) -> bool:
    """True when only a suffix ("điện tử") or punctuation follows the province."""
    rest = _words(clause[mention_end:])
    return not rest or rest in rules.suffixes


def _unit_name(clause: str, rules: _Rules) -> set[Province]:
    """The province of a statement that is a unit's name from first word to last, or none."""
    tokens = _tokens(clause)
    words = tuple(t.word for t in tokens)
    heads = _head_run(words, rules)
    if not heads:
        return set()
    mentions: list[ProvinceMention] = find_province_mentions(clause)
    if mentions:
        last = mentions[-1]
        name = tuple(t.word for t in tokens[heads:] if t.end <= last.start)
        if _ends_name(clause, last.end, rules) and _is_name(name, rules):
            return {m.province for m in mentions}
        return set()
    district = _district(tokens, rules)
    if district is None:
        return set()
    province, start, end = district
    closed = end == len(words) or words[end:] in rules.suffixes
    return (
        {province} if closed and start >= heads and _is_name(words[heads:start], rules) else set()
    )


def _clauses(line: str, rules: _Rules) -> list[tuple[str, Words | None]]:
    """A line cut into statements, each with the label that opens it (or None)."""
    found: list[tuple[str, Words | None]] = []
    for part in _SEPARATOR_RE.split(line):
        cuts = [m.start() for m in rules.label_re.finditer(part)]
        for start, end in zip([0, *cuts], [*cuts, len(part)], strict=True):
            text = part[start:end].strip()
            if not text:
                continue
            label = rules.label_re.match(text)
            found.append((text, _words(label.group(0)) if label else None))
    return found


def _national(clause: str, label: Words, rules: _Rules) -> bool:
    """True for an owner's statement naming a national body: 'Cơ quan chủ quản: Bộ ...'."""
    if label not in rules.owner_labels or find_province_mentions(clause):
        return False
    words = _words(clause)[len(label) :]
    at = next((i for i, w in enumerate(words) if not (w.isdigit() or w in _FILLER)), len(words))
    return bool(_starts(words, at, rules.national_heads))


def _national_licence(clause: str, label: Words, rules: _Rules) -> bool:
    """True for a licence granted by a national body and naming no province: 'Giấy phép số
    88/GP-BTTTT của Bộ Thông tin và Truyền thông' (a national newspaper's)."""
    if label not in rules.licence_labels or find_province_mentions(clause):
        return False
    words = _words(clause)[len(label) :]
    return any(_starts(words, at, rules.national_heads) for at in range(len(words)))


def opens_with_label(line: str, anywhere: bool = False) -> bool:
    """True when a line opens with a label ("Cơ quan chủ quản:"); with anywhere, one of the
    labels that count wherever the line stands on a page."""
    rules = _rules()
    label = rules.label_re.match(normalize_text(line).strip())
    return label is not None and (not anywhere or _words(label.group(0)) in rules.anywhere_labels)


def _unlabelled(clause: str, rules: _Rules) -> set[Province]:
    """A unit's name, whole ("Sở Lao động - Thương binh và Xã hội tỉnh X") or as one of the
    parts a dash joins ("Tin tức - Sở Y tế tỉnh X")."""
    found = _unit_name(clause, rules)
    for part in _DASH_RE.split(clause) if not found else ():
        found |= _unit_name(part, rules)
    return found


def read_statement(line: str) -> Statement:
    """What one line of a site's chrome states about the province that runs the site."""
    rules = _rules()
    provinces: set[Province] = set()
    addresses: set[Province] = set()
    national = licensed = False
    for clause, label in _clauses(normalize_text(line), rules):
        if label is None:
            provinces |= _unlabelled(clause, rules)
        elif label in rules.address_labels:
            addresses |= _labelled(clause, rules)
        else:
            provinces |= _labelled(clause, rules)
            national = national or _national(clause, label, rules)
            licensed = licensed or _national_licence(clause, label, rules)
    return Statement(frozenset(provinces), national, frozenset(addresses), licensed)


def stated_province(lines: list[str]) -> Province | None:
    """The province a site's chrome clearly states; None when none, several, or national.
    An address says where a site sits, and counts unless a national body licensed the site
    (a national newspaper's newsroom is in some province: it is not that province's site)."""
    votes: Counter[Province] = Counter()
    addresses: Counter[Province] = Counter()
    licensed = False
    for line in dict.fromkeys(" ".join(line.split()) for line in lines):
        statement = read_statement(line)
        if statement.national:
            return None
        licensed = licensed or statement.national_licence
        for found, tally in ((statement.provinces, votes), (statement.addresses, addresses)):
            if len(found) == 1:
                tally[next(iter(found))] += 1
    if not licensed:
        votes.update(addresses)
    ranked = votes.most_common(2)
    if not ranked or (len(ranked) > 1 and ranked[0][1] < DOMINANCE * ranked[1][1]):
        return None
    return ranked[0][0]
