"""Word segmentation with underthesea, paragraph by paragraph.

underthesea holds the GIL, so the indexer calls this from worker processes. Importing it
installs a handler on the root logger; we put the root logger back as it was so that our
own logging configuration stays the one in force.
"""

from __future__ import annotations

import logging
import re
from typing import Protocol

from indexer.text.vietnamese import fold

# Bump when what ``paragraph_words`` makes of a paragraph changes: the segmentation cache
# keys its entries by this and underthesea's version, so older entries are never used.
SEGMENTATION_VERSION = "1"


class WordCache(Protocol):
    """Where ``segment_words`` finds the words of paragraphs segmented before."""

    def get_many(self, paragraphs: list[str]) -> dict[str, list[str]]:
        """The words of those of ``paragraphs`` that are known."""
        ...

    def put(self, paragraph: str, words: list[str]) -> None:
        """Remember the words of a paragraph just segmented."""
        ...


def _import_word_tokenize():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    from underthesea import word_tokenize

    root.handlers[:] = handlers
    root.setLevel(level)
    return word_tokenize


_word_tokenize = None
_HAS_ALNUM = re.compile(r"\w")
_cache: WordCache | None = None  # this process's segmentation cache, when one is set


def use_word_cache(cache: WordCache | None) -> None:
    """Look paragraphs up in ``cache`` before segmenting them, and remember new ones there
    (a build worker sets its own after the fork; the scale benchmark hands the words it
    segmented beforehand); None stops using one. What it gives must be what
    ``paragraph_words`` gives: the words of a text are then the same, only sooner."""
    global _cache
    _cache = cache


def paragraph_words(paragraph: str) -> list[str]:
    """Lowercased underthesea words of one paragraph, multi-syllable words joined by '_'."""
    global _word_tokenize
    if _word_tokenize is None:
        _word_tokenize = _import_word_tokenize()
    return [
        "_".join(word.lower().split())
        for word in _word_tokenize(paragraph)
        if _HAS_ALNUM.search(word)
    ]


def paragraphs_of(text: str) -> list[str]:
    """The paragraphs a text is segmented by: its lines that are not blank."""
    return [paragraph for paragraph in text.split("\n") if paragraph.strip()]


def segment_texts(texts: list[str]) -> list[list[str]]:
    """``segment_words`` of each text, the word cache asked once for all their paragraphs
    and told the new ones once all are segmented (a build worker's chunk: one lookup
    instead of one an article, and underthesea's model kept in the processor's caches
    while it segments, not evicted by packing each paragraph's words)."""
    paragraphs = [paragraphs_of(text) for text in texts]
    cache = _cache
    if cache is None:
        return [_words_of(each, {}, None) for each in paragraphs]
    known = cache.get_many(list(dict.fromkeys(p for ps in paragraphs for p in ps)))
    new: dict[str, list[str]] = {}
    words = [_words_of(each, known, new) for each in paragraphs]
    for paragraph, found in new.items():
        cache.put(paragraph, found)
    return words


def _words_of(
    paragraphs: list[str], known: dict[str, list[str]], new: dict[str, list[str]] | None
) -> list[str]:
    words: list[str] = []
    for paragraph in paragraphs:
        if (found := known.get(paragraph)) is None:
            found = paragraph_words(paragraph)
            if new is not None:
                new[paragraph] = known[paragraph] = found  # a paragraph repeated: segmented once
        words.extend(found)
    return words


def segment_words(text: str) -> list[str]:
    """Lowercased underthesea words of normalized text, multi-syllable words joined by '_'."""
    return segment_texts([text])[0]


def folded_words(words: list[str]) -> list[str]:
    """The same words without diacritics, for queries typed without them."""
    return [fold(word) for word in words]
