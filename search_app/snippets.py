"""Highlighted snippets: the stored text, HTML-escaped, with what matched in <mark>.

Matches are found by re-reading the stored text with the syllable regex the index uses (no
word segmentation), so each <mark> wraps exactly ``text[start:end]`` of tokens the query
asked for. A single word matches wherever its folded form appears; a phrase or a document
number only where its syllables stand in sequence. Adjacent marks separated by one space,
'/', '-', '.' or '&' merge: <mark>570/QĐ-UBND</mark>, <mark>Bắc Kạn</mark>.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from indexer.vietnamese import SYLLABLE_RE, fold

SNIPPET_TOKENS = 40  # syllables in a snippet
_JOINABLE = set("/-.& ")


@dataclass(frozen=True)
class Highlight:
    """What to mark: single folded syllables, and folded sequences that only count whole."""

    terms: frozenset[str] = frozenset()
    sequences: tuple[tuple[str, ...], ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return bool(self.terms or self.sequences)


def _tokens(text: str) -> tuple[list[tuple[int, int]], list[str]]:
    spans = [m.span() for m in SYLLABLE_RE.finditer(text)]
    return spans, [fold(text[start:end]) for start, end in spans]


def _hits(folded: list[str], spec: Highlight) -> dict[int, str]:
    """Token index -> the query unit it belongs to."""
    hits = {i: term for i, term in enumerate(folded) if term in spec.terms}
    for sequence in spec.sequences:
        size = len(sequence)
        for i in range(len(folded) - size + 1):
            if folded[i] == sequence[0] and tuple(folded[i : i + size]) == sequence:
                unit = " ".join(sequence)
                hits.update((j, unit) for j in range(i, i + size))
    return hits


def _merge(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged:
            gap = text[merged[-1][1] : start]
            if len(gap) <= 1 and set(gap) <= _JOINABLE:
                merged[-1] = (merged[-1][0], end)
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


def match_spans(text: str, spec: Highlight) -> list[tuple[int, int]]:
    """Character spans of everything in ``text`` the query matched."""
    if not spec:
        return []
    spans, folded = _tokens(text)
    return [spans[i] for i in sorted(_hits(folded, spec))]


def highlight(text: str, spec: Highlight) -> str:
    """The whole text as HTML with every match marked (titles, article pages)."""
    return mark(text, match_spans(text, spec))


def _best_window(hits: dict[int, str], width: int) -> tuple[int, int]:
    """Token range [first, last] within ``width`` tokens holding the most distinct query
    units, then the most matched tokens."""
    positions = sorted(hits)
    best_score, best = (0, 0), (positions[0], positions[0])
    left = 0
    for right in range(len(positions)):
        while positions[right] - positions[left] >= width:
            left += 1
        window = positions[left : right + 1]
        score = (len({hits[i] for i in window}), len(window))
        if score > best_score:
            best_score, best = score, (positions[left], positions[right])
    return best


def snippet(text: str, spec: Highlight, width: int = SNIPPET_TOKENS) -> str:
    """A short HTML excerpt of ``text`` around its best cluster of matches."""
    spans, folded = _tokens(text)
    if not spans:
        return escape(text[:300])
    hits = _hits(folded, spec) if spec else {}
    first, last = _best_window(hits, width) if hits else (0, 0)
    # Some context before the matches; fill the rest of the window after them.
    first = max(0, first - max(0, width - (last - first + 1)) // 3)
    last = min(len(spans) - 1, first + width - 1)
    start = 0 if first == 0 else spans[first][0]
    end = spans[last][1]
    marked = [spans[i] for i in hits if first <= i <= last]
    html = mark(text, marked, start, end).replace("\n", " ")
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text.rstrip()) else ""
    return prefix + html + suffix
