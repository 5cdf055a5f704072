"""Entities mangled by old site migrations, repaired where the repair is unambiguous.

Some sites moved between content systems with their text escaped twice, or half-unescaped:
"vi&ecirc;̣c" came out as ``vi;ecirc%3ḅc`` (the ``&`` turned into ``;``, the ``;`` URL-encoded
as ``%3B``, whose ``B`` then took the word's tone mark), and "ph&eacute;p" as ``ph;ép``. Such
a word is split in two by the syllable rules and found by no query. A named entity between
``;`` (or ``&``) and ``%3B`` (or ``;``) is turned back into its letter, and a ``;`` inside a
word is dropped when the word it joins is a Vietnamese syllable; anything else stays as written.
"""

from __future__ import annotations

import html
import re
import unicodedata

from indexer.text.syllables import is_syllable

# ";ecirc%3B", "&ecirc%3B", ";ecirc;" with the marks that followed the entity (decomposed text).
_ENTITY_RE = re.compile(r"[;&]([A-Za-z][A-Za-z0-9]{1,7})(?:%3[Bb]|;)")
# A "%3B" left inside a word once its entity was read ("viê%3Ḅc", decomposed: after a mark,
# before a letter): the marks after it stay and go onto the letter before it.
_LEFT_RE = re.compile(r"(?<=[\u0300-\u036f])%3[Bb](?=[\u0300-\u036f]*[^\W\d_])")
# A ';' between two letters, with the letters of the word around it.
_INNER_RE = re.compile(r"([^\W\d_]+);([^\W\d_]+)")


def _letter(match: re.Match[str]) -> str:
    """The letter a named entity stands for, or the text unchanged when it is none."""
    letter = html.unescape(f"&{match.group(1)};")
    return letter if len(letter) == 1 and letter.isalpha() else match.group(0)


def _joined(match: re.Match[str]) -> str:
    word = match.group(1) + match.group(2)
    return word if is_syllable(word) else match.group(0)


def repair_mangled(text: str) -> str:
    """Text with migration-mangled entities repaired (see the module); NFC where it changed."""
    if ";" not in text and "%3" not in text:
        return text
    repaired = text
    if "%3" in text or _ENTITY_RE.search(text):
        decomposed = unicodedata.normalize("NFD", text)
        fixed = _LEFT_RE.sub("", _ENTITY_RE.sub(_letter, decomposed))
        if fixed != decomposed:
            repaired = unicodedata.normalize("NFC", fixed)
    return _INNER_RE.sub(_joined, repaired)
