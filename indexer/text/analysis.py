"""Whoosh tokenizers and filters for Vietnamese, composed like Whoosh's own analyzers.

Whoosh pickles analyzers into the index, so every class here must stay importable from this
module and hold no model or other heavy state. The analyzers expect text already passed
through ``vietnamese.normalize_text`` (stored text and queries both are); the offsets they
report are offsets into that text.
"""

from __future__ import annotations

from collections.abc import Iterator

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, Token

from indexer.text.vietnamese import SYLLABLE_RE, fold


class SyllableTokenizer(RegexTokenizer):
    """Vietnamese syllables and digit runs: '570/QĐ-UBND' -> '570', 'QĐ', 'UBND'."""

    def __init__(self) -> None:
        super().__init__(SYLLABLE_RE)


class FoldFilter(Filter):
    """Lowercase and strip diacritics, 'đ' included: 'Đổi' -> 'doi'."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = fold(token.text)
            yield token


class AccentedFilter(Filter):
    """Keep only tokens written with diacritics: the others add nothing to folded terms."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            if fold(token.text) != token.text:
                yield token


class WordTokenizer(RegexTokenizer):
    """Words already segmented by underthesea, syllables joined by '_', separated by spaces."""

    def __init__(self) -> None:
        super().__init__(r"\S+")


def folded_syllable_analyzer() -> Filter:
    """Syllables without diacritics: the terms every query matches on."""
    return SyllableTokenizer() | FoldFilter()


def exact_syllable_analyzer() -> Filter:
    """Syllables with diacritics, lowercased: ranks exactly typed syllables first."""
    return SyllableTokenizer() | LowercaseFilter() | AccentedFilter()


def word_analyzer() -> Filter:
    """underthesea words ('thông_tin'), lowercased: help ranking, never required to match."""
    return WordTokenizer() | LowercaseFilter()
