"""Word segmentation with underthesea, paragraph by paragraph.

underthesea holds the GIL, so the indexer calls this from worker processes. Importing it
installs a handler on the root logger; we put the root logger back as it was so that our
own logging configuration stays the one in force.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

from indexer.text.vietnamese import fold


def _import_word_tokenize():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    from underthesea import word_tokenize

    root.handlers[:] = handlers
    root.setLevel(level)
    return word_tokenize


_word_tokenize = None
_HAS_ALNUM = re.compile(r"\w")
_known: Mapping[str, str] = {}  # paragraph -> its words joined by spaces, when supplied


def use_known_words(known: Mapping[str, str]) -> None:
    """Take the words of these paragraphs from ``known`` (joined by spaces) instead of
    segmenting them again (the scale benchmark's archives reuse paragraphs). They must be
    what ``paragraph_words`` gives: the words of a text are then the same, only sooner."""
    global _known
    _known = known


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


def segment_words(text: str) -> list[str]:
    """Lowercased underthesea words of normalized text, multi-syllable words joined by '_'."""
    words: list[str] = []
    for paragraph in text.split("\n"):
        if not paragraph.strip():
            continue
        known = _known.get(paragraph)
        words.extend(known.split(" ") if known is not None else paragraph_words(paragraph))
    return words


def folded_words(words: list[str]) -> list[str]:
    """The same words without diacritics, for queries typed without them."""
    return [fold(word) for word in words]
