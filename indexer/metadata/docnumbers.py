"""Legal document numbers: 570/QĐ-UBND, 925/2006/QĐ-UBND, 17/2010/TTLT-BTTTT-BNV, 52-NQ/TW.

Staff search by these numbers, so each one is indexed whole, without its year, as its
kind-issuer pair and as number/kind, all diacritic-folded: '925/2006/QĐ-UBND' gives
'925/2006/qd-ubnd', '925/qd-ubnd', 'qd-ubnd' and '925/qd' (for "QĐ 925", "quyết định 925").
Its parts are ordinary syllables of the text as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.text.vietnamese import fold

_ISSUER_PART = r"[A-ZĐ][A-Za-zĐđ0-9&]{0,15}"
_DASH = r"\s?[-–]\s?"
# number[/year]/KIND[-ISSUER[-ISSUER...]]; a stray space after a dash is a common typo.
_STATE_FORM = (
    r"(?<![\w/.,])(?P<number>\d{1,5})(?:/(?P<year>(?:19|20)\d{2}))?"
    r"/(?P<kind>[A-ZĐ]{1,6}(?:\d{1,2})?)"
    r"(?P<issuer>(?:" + _DASH + _ISSUER_PART + r")*)(?![\w/])"
)
# Party documents: number-KIND/ISSUER (52-NQ/TW).
_PARTY_FORM = (
    r"(?<![\w/.,])(?P<pnumber>\d{1,4})-(?P<pkind>[A-ZĐ]{1,5})/(?P<pissuer>[A-ZĐ]{1,6})(?![\w/])"
)

# Kinds of documents by the names people type before a bare number ("quyết định 570").
KIND_NAMES = {
    "QĐ": ("quyết định",),
    "NĐ": ("nghị định",),
    "TTLT": ("thông tư liên tịch",),
    "TT": ("thông tư",),
    "NQ": ("nghị quyết",),
    "CT": ("chỉ thị",),
    "KH": ("kế hoạch",),
    "CV": ("công văn",),
    "TB": ("thông báo",),
    "BC": ("báo cáo",),
    "HD": ("hướng dẫn",),
}


_KIND_BY_WORDS = {
    words: kind
    for kind, names in KIND_NAMES.items()
    for words in [(fold(kind),), *(tuple(fold(name).split()) for name in names)]
}


def kind_of(folded_words: tuple[str, ...]) -> str | None:
    """The kind a folded name or abbreviation stands for: ('quyet', 'dinh') -> 'QĐ'."""
    return _KIND_BY_WORDS.get(folded_words)


KIND_FIRST_WORDS = frozenset(words[0] for words in _KIND_BY_WORDS)  # ('quyet', ...), 'qd', ...


# Both forms start with a digit: saying so first lets the scan pass other characters without
# trying either form (a third of the time of the pattern alone; the same matches).
_EITHER_FORM = r"(?=\d)(?:" + _STATE_FORM + "|" + _PARTY_FORM + ")"
TEXT_RE = re.compile(_EITHER_FORM)
# Users type numbers in any case: 570/qđ-ubnd.
QUERY_RE = re.compile(_EITHER_FORM, re.IGNORECASE)
_DASH_RE = re.compile(_DASH)


@dataclass(frozen=True)
class DocumentNumber:
    """One cited legal document number and where it stands in the text."""

    text: str
    start: int
    end: int
    number: str
    year: str | None
    kind: str
    issuer: str
    party: bool = False  # written number-KIND/ISSUER, as the Party writes them

    @property
    def key(self) -> str:
        """The number written canonically: '17/2010/TTLT-BTTTT-BNV', '52-NQ/TW'."""
        if self.party:
            return f"{self.number}-{self.kind}/{self.issuer}"
        year = f"/{self.year}" if self.year else ""
        issuer = f"-{self.issuer}" if self.issuer else ""
        return f"{self.number}{year}/{self.kind}{issuer}"

    def _kind_issuer(self) -> str:
        return fold(f"{self.kind}-{self.issuer}" if self.issuer else self.kind)

    def index_terms(self) -> list[str]:
        """Folded terms under which this number is found: whole, without year, kind-issuer."""
        if self.party:
            return [fold(self.key), fold(f"{self.kind}/{self.issuer}")]
        terms = [fold(self.key), f"{self.number}/{self._kind_issuer()}"]
        if self.issuer:
            terms += [self._kind_issuer(), fold(f"{self.number}/{self.kind}")]
        return list(dict.fromkeys(terms))

    def query_term(self) -> str:
        """The term a query for this number looks up: typed without a year, it finds any year."""
        return fold(self.key)


def _from_match(match: re.Match[str]) -> DocumentNumber:
    party = not match.group("number")
    if party:
        number, year = match.group("pnumber"), None
        kind, issuer = match.group("pkind"), match.group("pissuer")
    else:
        issuer = _DASH_RE.sub("-", match.group("issuer") or "").strip("-")
        number, year, kind = match.group("number"), match.group("year"), match.group("kind")
    return DocumentNumber(
        text=match.group(0),
        start=match.start(),
        end=match.end(),
        number=number.lstrip("0") or "0",
        year=year,
        kind=kind.upper(),
        issuer=issuer.upper() if issuer.isupper() or issuer.islower() else issuer,
        party=party,
    )


def find_document_numbers(text: str) -> list[DocumentNumber]:
    """Every document number cited in normalized article text, in order."""
    return [_from_match(m) for m in TEXT_RE.finditer(text)]


def find_query_document_numbers(query: str) -> list[DocumentNumber]:
    """Document numbers in a user's query, in any letter case."""
    return [_from_match(m) for m in QUERY_RE.finditer(query)]
