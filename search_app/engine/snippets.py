"""Highlighted snippets: the stored text, HTML-escaped, with what matched in <mark>.

Matches are found on the stored text itself with one regular expression per query (a query
of syllables typed bare reads it in an alphabet where each letter's spellings are one range,
which is what keeps compiling it cheap). A syllable typed without diacritics stands for every
spelling that folds to it ('a' for a, á, ằ, Ậ ...); one typed with diacritics for that
spelling only, in any case. A single syllable matches wherever it stands alone, a word of
several syllables or a phrase only where its syllables follow each other. A document number
is marked whole wherever the text cites it ("570/QĐ-UBND", "925/2006/QĐ-UBND" for
925/QĐ-UBND). No word segmentation, no folding of the whole article, no Python loop over its
syllables. Many syllables typed bare (pasted text) are found instead as the text's whole runs
of letters and digits, in numpy: the same matches, without trying a pattern that long at
every syllable. Adjacent marks separated by one space, '/', '-', '.' or '&' merge:
<mark>Bắc Kạn</mark>.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape

import numpy as np

from indexer.metadata.docnumbers import find_document_numbers
from indexer.text.vietnamese import SYLLABLE_RE, fold, has_diacritics

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


# A pattern for syllables typed bare reads the text in another alphabet, a permutation of the
# BMP: every spelling of a folded letter is swapped with one of a block of CJK ideographs
# (letters too, so that what is a letter, a digit or neither is unchanged), the spellings of
# each letter side by side and both cases of each spelling next to each other. A bare letter
# is then one range ('a' for a, á, ằ, Ậ ...) where, in Unicode's order, Python's compiler
# makes each such class a 64K-entry bitmap: 0.7 ms per syllable, more than a search. Matches
# are at the same offsets (one code point for one). Letters typed with diacritics are pairs
# in either alphabet: a pattern of those alone reads the text as it is.
_BLOCK = 0x4E00  # CJK Unified Ideographs: letters, none of them in a spelling


@dataclass(frozen=True)
class _Alphabet:
    table: np.ndarray  # code point -> code point, over the BMP
    swap: dict[int, int]  # the same for ``str.translate``, where they differ
    ranges: dict[str, str]  # folded letter -> its spellings, as a range


@lru_cache(maxsize=1)
def _alphabet() -> _Alphabet:
    table = np.arange(0x10000, dtype=np.uint16)
    ranges = {}
    at = _BLOCK
    for folded in sorted(_SPELLINGS):
        spelled = _SPELLINGS[folded]
        paired = [c for lower in spelled.lower() for c in _cases(lower)]
        start = at
        for char in dict.fromkeys(c for c in [*paired, *spelled] if c in spelled):
            table[ord(char)], table[at] = at, ord(char)
            at += 1
        ranges[folded] = f"{chr(start)}-{chr(at - 1)}"
    swap = {code: int(table[code]) for code in np.flatnonzero(table != np.arange(0x10000))}
    return _Alphabet(table, swap, ranges)


def _reordered(text: str) -> str:
    """A text in the reordered alphabet."""
    units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    if len(units) != len(text):  # beyond the BMP: a code point is not one unit
        return text.translate(_alphabet().swap)
    return _alphabet().table[units].tobytes().decode("utf-16-le", "surrogatepass")


@dataclass(frozen=True)
class _Letters:
    """How a pattern writes letters: in Unicode's alphabet or in the reordered one."""

    reordered: bool

    def literal(self, chars: str) -> str:
        return re.escape(chars.translate(_alphabet().swap) if self.reordered else chars)

    def of(self, chars: str) -> str:
        """A class of these letters."""
        return f"[{self.literal(chars)}]"

    def spelling(self, letter: str) -> str:
        """Every spelling of a folded letter, in either case."""
        if self.reordered:
            return f"[{_alphabet().ranges[letter]}]"
        return self.of(_SPELLINGS[letter])


def _letter(char: str, accented: bool, letters: _Letters) -> str:
    """One letter of a syllable as a pattern: with diacritics typed, as spelled; without,
    any spelling; any case either way."""
    if accented:
        return letters.of(_cases(char)) if char.isalpha() else letters.literal(char)
    return letters.spelling(char) if char in _SPELLINGS else letters.literal(char)


def _spelled(syllable: str, letters: _Letters, start: int = 0) -> str:
    """A syllable as a pattern (from its ``start``-th letter)."""
    accented = has_diacritics(syllable)
    return "".join(_letter(c, accented, letters) for c in syllable[start:])


def _first_letters(syllable: str, at: int = 0) -> str:
    """Every letter that may stand for the ``at``-th letter of a syllable, in either case."""
    char = syllable[at]
    return _cases(char) if has_diacritics(syllable) else _SPELLINGS.get(char, char)


def _kind(syllable: str) -> str:
    """What may not touch a syllable: more digits for a number, more letters for a word."""
    return r"\d" if syllable.isdigit() else _LETTER


def _between(before: str, after: str) -> str:
    """What may stand between two syllables of a unit: ``_BETWEEN``, shorter where the
    letters on either side tell which of its ways can be taken (a pattern's length is most of
    its compiling time)."""
    if not (before[-1].isalnum() and after[0].isalnum()):
        return _BETWEEN
    if before[-1].isdigit() == after[0].isdigit():
        return r"[\W_]+"  # the same kind on both sides: it takes a separator
    return r"[\W_]*"  # a letter/digit change: a separator or none (năm2012)


def _after_first(unit: tuple[str, ...], letters: _Letters) -> str:
    """A unit's pattern after its first letter."""
    parts = [_spelled(unit[0], letters, start=1)]
    for before, after in itertools.pairwise(unit):
        parts += [_between(before, after), _spelled(after, letters)]
    return "".join(parts)


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


REPEATED = 50  # texts read in the reordered alphabet (2-3 pages), then recompiled


class _Pattern:
    """A query's compiled pattern, in the alphabet it reads texts in. Reordering a text
    costs about 15 µs: a pattern that has read REPEATED texts in the reordered alphabet (a
    query asked again and again) is compiled once more in Unicode's order, which reads texts
    as they are. Both find the same matches."""

    def __init__(self, units: list[tuple[str, ...]], letters: _Letters) -> None:
        self._units = units
        self._compiled = (_compiled(units, letters), letters.reordered)  # swapped whole
        self._read = 0

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        regex, reordered = self._compiled
        if not reordered:
            return regex.finditer(text)
        self._read += 1
        if self._read == REPEATED:
            self._compiled = (_compiled(self._units, _Letters(reordered=False)), False)
        return regex.finditer(_reordered(text))


@lru_cache(maxsize=512)
def _pattern(spec: Highlight) -> _Pattern:
    units = [*spec.sequences, *((term,) for term in spec.terms)]
    bare = any(not has_diacritics(s) and set(s) & _SPELLINGS.keys() for u in units for s in u)
    return _Pattern(units, _Letters(reordered=bare))


def _compiled(units: list[tuple[str, ...]], letters: _Letters) -> re.Pattern[str]:
    units = sorted(units, key=lambda unit: (-len(unit), unit))  # longest alternative first
    groups: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for unit in units:
        first = letters.of(_first_letters(unit[0]))
        groups[_kind(unit[0]), _kind(unit[-1])].append((first, _after_first(unit, letters)))
    alternatives = "|".join(
        f"(?<!{before}.)(?:{_by_first_letter(parts)})(?!{after})"
        for (before, after), parts in groups.items()
    )
    # The pattern starts with a class of the units' first letters, which lets the engine
    # skip to them in C, and looks at the next letter before trying the units: what stands
    # before a unit is checked behind it. 1.4x faster than a look-ahead at every character.
    lead = letters.of("".join({c: 0 for unit in units for c in _first_letters(unit[0])}))
    if all(len(unit[0]) > 1 for unit in units):  # a unit of one letter may be followed by any
        seconds = "".join({c: 0 for unit in units for c in _first_letters(unit[0], 1)})
        lead += f"(?={letters.of(seconds)})"
    return re.compile(f"{lead}(?:{alternatives})")


@lru_cache(maxsize=4096)
def _unit(matched: str) -> str:
    """The query unit a match stands for: its folded syllables ('Bắc  Kạn' -> 'bac kan')."""
    return _SEPARATORS.sub(" ", fold(matched))


# Many bare syllables (pasted text): a text's runs of letters and of digits are found in
# numpy and compared with the syllables, rather than compiling a long pattern and trying it
# at every syllable of the text (in titles too: the compiling alone costs more than ten
# titles' runs). The same matches: a bare syllable matches exactly a whole run whose
# letters are spelled as it is (``_SPELLINGS``), as the pattern has it.
RUNS_FROM_TERMS = 8
MANY_MATCHES = 64  # from this many matches, the best window is found in numpy ...
AT_ONCE = 1 << 21  # ... when matches x distinct units are at most this many


@lru_cache(maxsize=1)
def _run_tables() -> tuple[np.ndarray, np.ndarray]:
    """Per BMP code point: the letter the patterns read it as (a folded letter for every
    spelling of it, else itself), and its kind: 1 a letter, 2 a digit, 0 anything else
    (``[^\\W\\d_]`` and ``\\d``)."""
    codes = np.arange(0x10000)
    kinds = np.array(
        [2 if chr(c).isdecimal() else 1 if chr(c).isalnum() else 0 for c in codes.tolist()],
        dtype=np.int8,
    )
    letters = codes.astype(np.int64)
    for folded, spelled in _SPELLINGS.items():
        letters[[ord(c) for c in spelled]] = ord(folded)
    return letters, kinds


def prepare_snippets() -> None:
    """Build the tables snippets read, before the first one (and before a server forks)."""
    _alphabet()
    _run_tables()
    _read_as()


def _runs_key(total: np.ndarray, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    return (total << 34) | (first << 17) | last


@dataclass(frozen=True)
class _Runs:
    """A spec's bare syllables as ``_run_matches`` compares them with runs: their keys
    (sorted, in ``table``) and, for each key, its syllable and the letters the patterns
    read it as."""

    table: _KeyTable
    terms: list[str]
    letters: np.ndarray  # every syllable's letters, end to end
    firsts: np.ndarray  # where each syllable's letters begin
    lengths: np.ndarray
    by_letters: dict[str, int]  # a syllable's letters as read -> its number (short texts)


@lru_cache(maxsize=512)
def _run_units(spec: Highlight) -> _Runs | None:
    """A spec's syllables for ``_run_matches``; None when it is not only syllables typed
    bare, each all letters or all digits, or has too few for runs to pay."""
    terms = spec.terms
    if spec.sequences or spec.numbers or len(terms) < RUNS_FROM_TERMS:
        return None
    if any(has_diacritics(t) or not (t.isalpha() or t.isdecimal()) for t in terms):
        return None
    table = _run_tables()[0]
    by_key: dict[int, tuple[str, list[int]]] = {}
    for term in terms:
        read = [int(table[ord(c)]) if ord(c) < 0x10000 else -1 for c in term]
        if min(read) < 0:
            return None
        by_key[int(_runs_key(np.int64(sum(read)), np.int64(read[0]), np.int64(read[-1])))] = (
            term,
            read,
        )
    if len(by_key) < len(terms):  # two syllables with one key: the pattern tells them apart
        return None
    keys = sorted(by_key)
    lengths = np.array([len(by_key[key][1]) for key in keys])
    letters = np.array([c for key in keys for c in by_key[key][1]], dtype=np.int64)
    return _Runs(
        _KeyTable.of(np.array(keys, dtype=np.int64)),
        [by_key[key][0] for key in keys],
        letters,
        np.cumsum(lengths) - lengths,
        lengths,
        {"".join(map(chr, by_key[key][1])): i for i, key in enumerate(keys)},
    )


_EMPTY = np.zeros(0, dtype=np.int64)
SHORT_TEXT = 400  # characters: below this, a text's runs are read in Python (titles)


@lru_cache(maxsize=1)
def _read_as() -> dict[int, int]:
    """``_run_tables``' letters as a ``str.translate`` table: each spelling to its letter."""
    letters = _run_tables()[0]
    return {code: int(letters[code]) for code in np.flatnonzero(letters != np.arange(0x10000))}


def _short_run_matches(text: str, units: _Runs) -> list[tuple[int, int, int]] | None:
    """``_run_matches`` of a short text, where numpy's fixed costs outweigh a loop over
    its few runs."""
    if text and max(text) > "\uffff":
        return None
    read = text.translate(_read_as())  # one code point for one: the offsets hold
    found = []
    for run in SYLLABLE_RE.finditer(read):  # runs of letters or of digits, as the kinds tell
        which = units.by_letters.get(run.group())
        if which is not None:
            found.append((run.start(), run.end(), which))
    return found


def _run_matches(text: str, units: _Runs) -> list[tuple[int, int, int]] | None:
    """The matches of bare syllables as whole runs of the text, each with the number of its
    syllable (in ``units.terms``); None beyond the BMP."""
    if len(text) < SHORT_TEXT:
        return _short_run_matches(text, units)
    found = _run_arrays(text, units)
    return None if found is None else _as_matches(*found)


def _as_matches(starts: np.ndarray, ends: np.ndarray, which: np.ndarray) -> list[Match]:
    return list(zip(starts.tolist(), ends.tolist(), which.tolist(), strict=True))


def _run_arrays(text: str, units: _Runs) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """``_run_matches`` in numpy, every run at once: their starts, ends and syllables."""
    codes = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    if len(codes) != len(text):  # beyond the BMP
        return None
    if not len(codes):
        return _EMPTY, _EMPTY, _EMPTY
    letters_table, kinds_table = _run_tables()
    kinds = kinds_table.take(codes)
    edges = np.flatnonzero(kinds[1:] != kinds[:-1]) + 1
    starts = np.concatenate(([0], edges))
    ends = np.concatenate((edges, [len(codes)]))
    runs = kinds[starts] != 0
    starts, ends = starts[runs], ends[runs]
    letters = letters_table.take(codes)
    sums = np.zeros(len(codes) + 1, dtype=np.int64)
    np.cumsum(letters, out=sums[1:])
    found = _runs_key(sums[ends] - sums[starts], letters[starts], letters[ends - 1])
    at = units.table.find(found)
    # The runs whose key is a syllable's, of its length, then letter by letter, all at once.
    hit = np.flatnonzero(at >= 0)
    starts, ends, which = starts[hit], ends[hit], at[hit]
    same = ends - starts == units.lengths[which]
    starts, ends, which = starts[same], ends[same], which[same]
    if len(which):
        lengths = units.lengths[which]
        offsets = np.cumsum(lengths) - lengths
        step = np.arange(int(lengths.sum())) - np.repeat(offsets, lengths)
        read = letters[np.repeat(starts, lengths) + step]
        wanted = units.letters[np.repeat(units.firsts[which], lengths) + step]
        right = ~np.logical_or.reduceat(read != wanted, offsets)
        starts, ends, which = starts[right], ends[right], which[right]
    return starts, ends, which


_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_SHARED = -2  # a slot two keys hash to


@dataclass(frozen=True)
class _KeyTable:
    """Sorted keys found through a multiplicative hash into a table of their places, 16 to
    32 slots a key, rather than by a binary search per run; the few keys that share a slot
    are searched for."""

    keys: np.ndarray
    shift: np.uint64
    slots: np.ndarray  # a key's place among ``keys``; -1 for none, _SHARED

    @classmethod
    def of(cls, keys: np.ndarray) -> _KeyTable:
        bits = max(8, len(keys).bit_length() + 4)
        shift = np.uint64(64 - bits)
        hashed = (keys.view(np.uint64) * _MULTIPLIER) >> shift
        slots = np.full(1 << bits, -1, dtype=np.int32)
        slots[hashed] = np.arange(len(keys))
        values, counts = np.unique(hashed, return_counts=True)
        slots[values[counts > 1]] = _SHARED
        return cls(keys, shift, slots)

    def find(self, found: np.ndarray) -> np.ndarray:
        """Each key's place among the keys, or -1."""
        at = self.slots.take((found.view(np.uint64) * _MULTIPLIER) >> self.shift)
        shared = np.flatnonzero(at == _SHARED)
        if len(shared):
            searched = np.searchsorted(self.keys, found[shared])
            at[shared] = np.minimum(searched, len(self.keys) - 1)
        at[self.keys.take(at) != found] = -1  # -1 takes the last key, which another key is not
        return at


Match = tuple[int, int, str | int]  # start, end, and the query unit (equal for equal units)


def _matches(text: str, spec: Highlight) -> list[Match]:
    """(start, end, query unit) of every match, in order."""
    if (units := _run_units(spec)) is not None and (runs := _run_matches(text, units)) is not None:
        return runs
    found: list[Match] = []
    if spec.terms or spec.sequences:
        found = [
            (m.start(), m.end(), _unit(text[m.start() : m.end()]))
            for m in _pattern(spec).finditer(text)
        ]
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


def _best_start(matches: list[Match], width: int) -> int:
    """Where the ``width`` characters holding the most distinct query units (then the most
    matches) begin: at one of the matches."""
    if len(matches) >= MANY_MATCHES:
        ids: dict[str | int, int] = {}
        units = np.array([ids.setdefault(unit, len(ids)) for _, _, unit in matches])
        if len(matches) * len(ids) <= AT_ONCE:
            starts = np.array([start for start, _, _ in matches])
            ends = np.array([end for _, end, _ in matches])
            return _best_start_at_once(starts, ends, units, len(ids), width)
    best_units, best_matches, best = 0, 0, matches[0][0]
    in_window: dict[str | int, int] = {}
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
    starts: np.ndarray, ends: np.ndarray, units: np.ndarray, distinct: int, width: int
) -> int:
    """``_best_start`` for many matches, every window at once (``units``: numbered from 0
    to ``distinct``): each match's window starts at the first match within ``width`` of its
    end (never moving back), and holds the units whose counts differ between the two ends of
    the window."""
    right = np.arange(len(starts))
    left = np.maximum.accumulate(np.minimum(right, np.searchsorted(starts, ends - width)))
    seen = np.zeros((len(starts) + 1, distinct), dtype=np.int32)
    seen[right + 1, units] = 1
    np.cumsum(seen, axis=0, out=seen)
    held = np.count_nonzero(seen[right + 1] > seen[left], axis=1)
    best = int(np.argmax(held * (len(starts) + 1) + (right - left + 1)))  # the first best
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
    window = width - CONTEXT_CHARS
    runs = _long_run_arrays(text, spec)
    if runs is not None and MANY_MATCHES <= len(runs[0]) <= AT_ONCE // runs[3]:
        # Many matches of pasted text in a long article: they stay arrays (making them
        # tuples and back took most of the snippet).
        starts, ends, units, distinct = runs
        best = _best_start_at_once(starts, ends, units, distinct, window)
        start, end = _excerpt(text, max(0, best - CONTEXT_CHARS), width)
        inside = (starts < end) & (ends > start)
        spans = list(zip(starts[inside].tolist(), ends[inside].tolist(), strict=True))
    else:
        matches = _as_matches(*runs[:3]) if runs is not None else _matches(text, spec)
        best = _best_start(matches, window) - CONTEXT_CHARS if matches else 0
        start, end = _excerpt(text, max(0, best), width)
        spans = [(s, e) for s, e, _ in matches if s < end and e > start]
    html = mark(text, spans, start, end).replace("\n", " ").strip()
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text.rstrip()) else ""
    return prefix + html + suffix


def _long_run_arrays(
    text: str, spec: Highlight
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int] | None:
    """The runs of a long text matching pasted text (``_run_arrays``) and how many
    syllables it has; None when the runs matcher does not read this text."""
    units = _run_units(spec)
    if units is None or len(text) < SHORT_TEXT or (found := _run_arrays(text, units)) is None:
        return None
    return (*found, len(units.terms))


def _excerpt(text: str, start: int, width: int) -> tuple[int, int]:
    """Where an excerpt of about ``width`` characters from ``start`` begins and ends, at
    spaces."""
    start = _word_boundary(text, start, backwards=True)
    return start, _word_boundary(text, start + width, backwards=False)
