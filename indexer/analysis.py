"""Whoosh tokenizers and filters for Vietnamese, composed like Whoosh's own analyzers.

Whoosh pickles analyzers into the index, so every class here must stay importable from this
module and hold no model or other heavy state. The analyzers expect text already passed
through ``vietnamese.normalize_text`` (stored text and queries both are); the offsets they
report are offsets into that text.
"""

from __future__ import annotations

from collections.abc import Iterator

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, Token

from indexer.vietnamese import SYLLABLE_RE, fold

BIGRAM_JOINER = "_"


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


class BigramFilter(Filter):
    """Join each token to the next one: 'cong nghe thong' -> 'cong_nghe', 'nghe_thong'.

    A one-token stream yields nothing: a single syllable has no bigram.
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        previous_text = None
        previous_start = 0
        for token in tokens:
            text = token.text
            start = getattr(token, "startchar", 0)
            if previous_text is not None:
                token.text = previous_text + BIGRAM_JOINER + text
                if token.chars:
                    token.startchar = previous_start
                if token.positions:
                    token.pos -= 1
                yield token
            previous_text, previous_start = text, start


class WordTokenizer(RegexTokenizer):
    """Words already segmented by underthesea, syllables joined by '_', separated by spaces."""

    def __init__(self) -> None:
        super().__init__(r"\S+")


def folded_syllable_analyzer() -> Filter:
    """Syllables without diacritics: the terms every query matches on."""
    return SyllableTokenizer() | FoldFilter()


def exact_syllable_analyzer() -> Filter:
    """Syllables lowercased with their diacritics: ranks exactly typed syllables first."""
    return SyllableTokenizer() | LowercaseFilter()


def bigram_analyzer() -> Filter:
    """Adjacent pairs of folded syllables: cheap candidates for multi-syllable queries."""
    return SyllableTokenizer() | FoldFilter() | BigramFilter()


def word_analyzer() -> Filter:
    """underthesea words ('thông_tin'), lowercased: help ranking, never required to match."""
    return WordTokenizer() | LowercaseFilter()
