"""Highlighted snippets: the stored text, HTML-escaped, with what matched in <mark>.

Matches are found on the stored text itself with one regular expression per query. A syllable
typed without diacritics stands for every spelling that folds to it ('a' for a, á, ằ, Ậ ...);
one typed with diacritics for that spelling only, in any case. A single syllable matches
wherever it stands alone, a word of several syllables or a phrase only where its syllables
follow each other. A document number is marked whole wherever the text cites it
("570/QĐ-UBND", "925/2006/QĐ-UBND" for 925/QĐ-UBND). No word segmentation, no folding of the
whole article, no Python loop over its syllables. Many syllables typed bare (pasted text) in
a long text are found instead as the text's whole runs of letters and digits, in numpy: the
same matches. Adjacent marks separated by one space, '/', '-', '.' or '&' merge:
<mark>Bắc Kạn</mark>.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape

import numpy as np

from indexer.metadata.docnumbers import find_document_numbers
from indexer.text.vietnamese import fold, has_diacritics

SNIPPET_CHARS = 260  # about 40 syllables
CONTEXT_CHARS = 70  # shown before the first match of the window
_JOINABLE = set("/-.& ")
_LETTER = r"[^\W\d_]"
# Between two syllables of a phrase: punctuation and spaces, or a letter/digit change (năm2012).
_BETWEEN = rf"(?:[\W_]+|(?<=\d)(?={_LETTER})|(?<={_LETTER})(?=\d))"
_SEPARATORS = re.compile(r"[\W_]+")


def _spellings() -> dict[str, str]:
    """Folded letter -> every letter that folds to it, in either case."""
    spellings: dict[str, set[str]] = defaultdict(set)
    for code in [
        *range(0x41, 0x5B),
        *range(0x61, 0x7B),
        *range(0xC0, 0x250),
        *range(0x1E00, 0x1F00),
    ]:
        letter = chr(code)
        folded = fold(letter)
        if len(folded) == 1 and folded.isascii():
            spellings[folded].add(letter)
    return {f: "".join(sorted(letters)) for f, letters in spellings.items()}


_SPELLINGS = _spellings()


@dataclass(frozen=True)
class Highlight:
    """What to mark: single syllables, sequences that only count whole, and document numbers
    (their query terms). A syllable without diacritics stands for any spelling of it."""

    terms: frozenset[str] = frozenset()
    sequences: tuple[tuple[str, ...], ...] = field(default_factory=tuple)
    numbers: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.terms or self.sequences or self.numbers)


def _cases(char: str) -> str:
    return "".join(dict.fromkeys(char.lower() + char.upper()))


def _letter(char: str, accented: bool) -> str:
    """One letter of a syllable as a pattern: with diacritics typed, as spelled; without,
    any spelling; any case either way."""
    if accented:
        return f"[{re.escape(_cases(char))}]" if char.isalpha() else re.escape(char)
    return f"[{_SPELLINGS[char]}]" if char in _SPELLINGS else re.escape(char)


def _spelled(syllable: str, start: int = 0) -> str:
    """A syllable as a pattern (from its ``start``-th letter)."""
    accented = has_diacritics(syllable)
    return "".join(_letter(c, accented) for c in syllable[start:])


def _letters(syllable: str, at: int = 0) -> str:
    """Every letter that may stand for the ``at``-th letter of a syllable, in either case."""
    char = syllable[at]
    return _cases(char) if has_diacritics(syllable) else _SPELLINGS.get(char, char)


def _kind(syllable: str) -> str:
    """What may not touch a syllable: more digits for a number, more letters for a word."""
    return r"\d" if syllable.isdigit() else _LETTER


def _after_first(unit: tuple[str, ...]) -> str:
    """A unit's pattern after its first letter."""
    return _BETWEEN.join([_spelled(unit[0], start=1), *map(_spelled, unit[1:])])


def _by_first_letter(parts: list[tuple[str, str]]) -> str:
    """Alternatives (first letter's class, the rest), in order, those side by side with the
    same first letter checked behind once: (?<=[bB])(?:ắc|ạn)."""
    merged: list[tuple[str, list[str]]] = []
    for first, rest in parts:
        if merged and merged[-1][0] == first:
            merged[-1][1].append(rest)
        else:
            merged.append((first, [rest]))
    return "|".join(f"(?<={first})(?:{'|'.join(rests)})" for first, rests in merged)


@lru_cache(maxsize=512)
def _pattern(spec: Highlight) -> re.Pattern[str]:
    units = [*spec.sequences, *((term,) for term in spec.terms)]
    units.sort(key=lambda unit: (-len(unit), unit))  # longest alternative first
    groups: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for unit in units:
        first = f"[{re.escape(_letters(unit[0]))}]"
        groups[_kind(unit[0]), _kind(unit[-1])].append((first, _after_first(unit)))
    alternatives = "|".join(
        f"(?<!{before}.)(?:{_by_first_letter(parts)})(?!{after})"
        for (before, after), parts in groups.items()
    )
    # The pattern starts with a class of the units' first letters, which lets the engine
    # skip to them in C, and looks at the next letter before trying the units: what stands
    # before a unit is checked behind it. 1.4x faster than a look-ahead at every character.
    firsts = "".join(sorted({c for unit in units for c in _letters(unit[0])}))
    lead = f"[{re.escape(firsts)}]"
    if all(len(unit[0]) > 1 for unit in units):  # a unit of one letter may be followed by any
        seconds = "".join(sorted({c for unit in units for c in _letters(unit[0], 1)}))
        lead += f"(?=[{re.escape(seconds)}])"
    return re.compile(f"{lead}(?:{alternatives})")


@lru_cache(maxsize=4096)
def _unit(matched: str) -> str:
    """The query unit a match stands for: its folded syllables ('Bắc  Kạn' -> 'bac kan')."""
    return _SEPARATORS.sub(" ", fold(matched))


# Many bare syllables (pasted text) in a long text: its runs of letters and of digits are
# found in numpy and compared with the syllables, rather than trying a long pattern at every
# syllable of the text. The same matches: a bare syllable matches exactly a whole run whose
# letters are spelled as it is (``_SPELLINGS``), as the pattern has it.
RUNS_FROM_TERMS = 8
MANY_MATCHES = 64  # from this many matches, the best window is found in numpy
RUNS_FROM_CHARS = 1000


@lru_cache(maxsize=1)
def _run_tables() -> tuple[np.ndarray, np.ndarray, dict[int, str]]:
    """Per BMP code point: the letter the patterns read it as (a folded letter for every
    spelling of it, else itself), and its kind: 1 a letter, 2 a digit, 0 anything else
    (``[^\\W\\d_]`` and ``\\d``); and the same reading as a ``str.translate`` table."""
    codes = np.arange(0x10000)
    kinds = np.array(
        [2 if chr(c).isdecimal() else 1 if chr(c).isalnum() else 0 for c in codes.tolist()],
        dtype=np.int8,
    )
    reading = {ord(s): folded for folded, spelled in _SPELLINGS.items() for s in spelled}
    letters = codes.astype(np.int64)
    letters[list(reading)] = [ord(folded) for folded in reading.values()]
    return letters, kinds, reading


def prepare_snippets() -> None:
    """Build the tables snippets read, before the first one (and before a server forks)."""
    _run_tables()


def _runs_key(total: np.ndarray, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    return (total << 34) | (first << 17) | last


@lru_cache(maxsize=512)
def _run_units(spec: Highlight) -> tuple[np.ndarray, frozenset[str]] | None:
    """The keys of a spec's syllables for ``_run_matches``; None when it is not only
    syllables typed bare, each all letters or all digits, or has too few for runs to pay."""
    terms = spec.terms
    if spec.sequences or len(terms) < RUNS_FROM_TERMS:
        return None
    if any(has_diacritics(t) or not (t.isalpha() or t.isdecimal()) for t in terms):
        return None
    letters = _run_tables()[0]
    keys = []
    for term in terms:
        read = [int(letters[ord(c)]) if ord(c) < 0x10000 else -1 for c in term]
        if min(read) < 0:
            return None
        keys.append(int(_runs_key(np.int64(sum(read)), np.int64(read[0]), np.int64(read[-1]))))
    return np.array(sorted(set(keys)), dtype=np.int64), frozenset(terms)


def _run_matches(text: str, units: tuple[np.ndarray, frozenset[str]]) -> list | None:
    """The matches of bare syllables as whole runs of the text; None beyond the BMP."""
    keys, terms = units
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if not len(codes) or int(codes.max()) > 0xFFFF:
        return None
    letters_table, kinds_table, reading = _run_tables()
    kinds, letters = kinds_table[codes], letters_table[codes]
    edges = np.flatnonzero(kinds[1:] != kinds[:-1]) + 1
    starts = np.concatenate(([0], edges))
    ends = np.concatenate((edges, [len(codes)]))
    runs = kinds[starts] != 0
    starts, ends = starts[runs], ends[runs]
    sums = np.zeros(len(codes) + 1, dtype=np.int64)
    np.cumsum(letters, out=sums[1:])
    found = _runs_key(sums[ends] - sums[starts], letters[starts], letters[ends - 1])
    at = np.minimum(np.searchsorted(keys, found), len(keys) - 1)
    matches = []
    for start, end in zip(*(a[keys[at] == found].tolist() for a in (starts, ends)), strict=True):
        read = text[start:end].translate(reading)
        if read in terms:
            matches.append((start, end, read))
    return matches


def _matches(text: str, spec: Highlight) -> list[tuple[int, int, str]]:
    """(start, end, query unit) of every match, in order."""
    found: list[tuple[int, int, str]] | None = None
    if len(text) >= RUNS_FROM_CHARS and (units := _run_units(spec)) is not None:
        found = _run_matches(text, units)
    if found is None and (spec.terms or spec.sequences):
        found = [(m.start(), m.end(), _unit(m.group())) for m in _pattern(spec).finditer(text)]
    found = found or []
    if spec.numbers:
        found += [
            (number.start, number.end, number.query_term())
            for number in find_document_numbers(text)
            if spec.numbers & set(number.index_terms())
        ]
        found.sort()
    return found


def match_spans(text: str, spec: Highlight) -> list[tuple[int, int]]:
    """Character spans of everything in ``text`` the query matched."""
    return [(start, end) for start, end, _ in _matches(text, spec)]


def _merge(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged:
            gap = text[merged[-1][1] : start]
            if len(gap) <= 1 and set(gap) <= _JOINABLE:  # touching, or overlapping
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
                continue
        merged.append((start, end))
    return merged


def mark(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> str:
    """HTML of ``text[start:end]`` with the given spans in <mark>, everything else escaped."""
    end = len(text) if end is None else end
    parts = []
    position = start
    for span_start, span_end in _merge(text, spans):
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        parts.append(escape(text[position:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    parts.append(escape(text[position:end]))
    return "".join(parts)


def highlight(text: str, spec: Highlight) -> str:
    """The whole text as HTML with every match marked (titles, article pages)."""
    return mark(text, match_spans(text, spec))


def _best_start(matches: list[tuple[int, int, str]], width: int) -> int:
    """Where the ``width`` characters holding the most distinct query units (then the most
    matches) begin: at one of the matches."""
    if len(matches) >= MANY_MATCHES:
        ids: dict[str, int] = {}
        units = np.array([ids.setdefault(unit, len(ids)) for _, _, unit in matches])
        if len(matches) * len(ids) <= 1 << 21:
            return _best_start_at_once(matches, units, len(ids), width)
    best_units, best_matches, best = 0, 0, matches[0][0]
    in_window: dict[str, int] = {}
    held = left = 0  # distinct units in the window, and where it begins
    for right, (_, end, unit) in enumerate(matches):
        times = in_window.get(unit, 0)
        in_window[unit] = times + 1
        held += not times
        while left < right and end - matches[left][0] > width:
            gone = matches[left][2]
            in_window[gone] -= 1
            held -= not in_window[gone]
            left += 1
        count = right - left + 1
        if held > best_units or (held == best_units and count > best_matches):
            best_units, best_matches, best = held, count, matches[left][0]
    return best


def _best_start_at_once(
    matches: list[tuple[int, int, str]], units: np.ndarray, distinct: int, width: int
) -> int:
    """``_best_start`` for many matches, every window at once: each match's window starts at
    the first match within ``width`` of its end (never moving back), and holds the units
    whose counts differ between the two ends of the window."""
    starts = np.array([start for start, _, _ in matches])
    ends = np.array([end for _, end, _ in matches])
    right = np.arange(len(matches))
    left = np.maximum.accumulate(np.minimum(right, np.searchsorted(starts, ends - width)))
    seen = np.zeros((len(matches) + 1, distinct), dtype=np.int32)
    seen[right + 1, units] = 1
    np.cumsum(seen, axis=0, out=seen)
    held = np.count_nonzero(seen[right + 1] > seen[left], axis=1)
    best = int(np.argmax(held * (len(matches) + 1) + (right - left + 1)))  # the first best
    return int(starts[left[best]])


def _word_boundary(text: str, position: int, backwards: bool) -> int:
    """The nearest space at or around ``position``, not more than 20 characters away."""
    if position <= 0 or position >= len(text):
        return max(0, min(position, len(text)))
    if backwards:
        found = text.rfind(" ", max(0, position - 20), position)
        return found + 1 if found >= 0 else position
    found = text.find(" ", position, position + 20)
    return found if found >= 0 else position


def snippet(text: str, spec: Highlight, width: int = SNIPPET_CHARS) -> str:
    """A short HTML excerpt of ``text`` around its best cluster of matches."""
    matches = _matches(text, spec)
    start = 0
    if matches:
        start = max(0, _best_start(matches, width - CONTEXT_CHARS) - CONTEXT_CHARS)
    start = _word_boundary(text, start, backwards=True)
    end = _word_boundary(text, start + width, backwards=False)
    spans = [(s, e) for s, e, _ in matches if s < end and e > start]
    html = mark(text, spans, start, end).replace("\n", " ").strip()
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text.rstrip()) else ""
    return prefix + html + suffix
