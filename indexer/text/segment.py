"""Word segmentation with underthesea, paragraph by paragraph.

underthesea holds the GIL, so the indexer calls this from worker processes. Importing it
installs a handler on the root logger; we put the root logger back as it was so that our
own logging configuration stays the one in force.
"""

from __future__ import annotations

import logging
import re

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


def segment_words(text: str) -> list[str]:
    """Lowercased underthesea words of normalized text, multi-syllable words joined by '_'."""
    global _word_tokenize
    if _word_tokenize is None:
        _word_tokenize = _import_word_tokenize()
    words: list[str] = []
    for paragraph in text.split("\n"):
        if not paragraph.strip():
            continue
        for word in _word_tokenize(paragraph):
            if _HAS_ALNUM.search(word):
                words.append("_".join(word.lower().split()))
    return words


def folded_words(words: list[str]) -> list[str]:
    """The same words without diacritics, for queries typed without them."""
    return [fold(word) for word in words]
