"""One pass over an article's text: the terms each field indexes and its syllable sequence.

The Whoosh analyzers in ``analysis.py`` say what a field's terms are, and queries go through
them; indexing 36,000 articles through Whoosh's token-by-token pipeline four times over
costs more than the word segmentation itself, so the indexer computes the same terms here
in one pass (``tests/test_terms.py`` checks both agree) and hands Whoosh the counts.
"""

from __future__ import annotations

import zlib
from array import array
from collections import Counter
from dataclasses import dataclass
from operator import itemgetter

from indexer.text.vietnamese import SYLLABLE_RE, fold

FORWARD_SEPARATOR = 0  # stands between the title and the body in ``forward``
_CACHE_LIMIT = 200_000


def syllable_hash(folded: str) -> int:
    """A stable 32-bit code of a folded syllable, never the separator."""
    return zlib.crc32(folded.encode("utf-8")) or 1


@dataclass
class DocumentTerms:
    """What an article's text contributes to the index."""

    title: Counter[str]  # folded syllables of the title
    text: Counter[str]  # folded syllables of the title and the body
    exact: Counter[str]  # lowercase syllables written with diacritics, title and body
    forward: bytes  # uint32 codes of the folded syllables: title, separator, body


# syllable as written -> (folded, lowercase form if it has diacritics, code)
_known: dict[str, tuple[str, str | None, int]] = {}
_FOLDED, _EXACT, _CODE = itemgetter(0), itemgetter(1), itemgetter(2)


def _describe(syllable: str) -> tuple[str, str | None, int]:
    if len(_known) > _CACHE_LIMIT:
        _known.clear()
    lower = syllable.lower()
    folded = fold(syllable)
    info = (folded, lower if lower != folded else None, syllable_hash(folded))
    _known[syllable] = info
    return info


def _describe_all(text: str) -> list[tuple[str, str | None, int]]:
    known = _known
    return [known.get(s) or _describe(s) for s in SYLLABLE_RE.findall(text)]


def document_terms(title: str, body: str) -> DocumentTerms:
    """Terms and syllable codes of an article's normalized title and body."""
    head = _describe_all(title)
    rest = _describe_all(body)
    # map and filter over itemgetters: counted in C, not a Python step per syllable.
    title_terms = Counter(map(_FOLDED, head))
    text_terms = Counter(map(_FOLDED, rest))
    text_terms.update(title_terms)
    exact = Counter(filter(None, map(_EXACT, head)))
    exact.update(filter(None, map(_EXACT, rest)))
    codes = array("I", map(_CODE, head))
    codes.append(FORWARD_SEPARATOR)
    codes.extend(map(_CODE, rest))
    return DocumentTerms(title_terms, text_terms, exact, codes.tobytes())


def forward_codes(data: bytes) -> array:
    """The syllable codes stored in ``forward``."""
    codes = array("I")
    codes.frombytes(data)
    return codes
