"""Vietnamese text primitives: normalization, tone placement, folding, syllables, slugs, tries.

Everything that indexes, stores or queries text goes through ``normalize_text`` first, so that
NFD input, the old tone placement (``hoà``, ``thuỷ``, ``uỷ``) and non-breaking spaces all become
one form: NFC with the placement underthesea writes (``hòa``, ``thủy``, ``ủy``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
_VOWELS = set("aăâeêioôơuưyAĂÂEÊIOÔƠUƯY")
_HATTED = set("ăâêôơưĂÂÊÔƠƯ")  # vowels that carry a diacritic of their own

# Spaces that look like a space but are not one; zero-width characters vanish.
_SPACE_TABLE = {cp: " " for cp in (0x00A0, 0x2007, 0x202F, 0x2000, 0x2002, 0x2003, 0x3000)}
_SPACE_TABLE.update({cp: None for cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD)})
# Control characters (BEL, ESC, NUL, C1...) go; vertical tab and form feed are spaces.
_SPACE_TABLE.update(
    {cp: None for cp in [*range(0x20), *range(0x7F, 0xA0)] if cp not in (9, 10, 13)}
)
_SPACE_TABLE.update({0x0B: " ", 0x0C: " "})

# A syllable: a run of letters, or a run of digits ("năm2012" is two syllables).
SYLLABLE_RE = re.compile(r"[^\W\d_]+|\d+")
_COMBINING_RE = re.compile(r"[\u0300-\u036f]")


def _consonants_with_tone() -> str:
    """Precomposed letters NFC makes when a tone is typed after a final consonant ('ń')."""
    found = []
    for cp in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)):
        parts = unicodedata.normalize("NFD", chr(cp))
        if len(parts) == 2 and parts[1] in TONE_MARKS and parts[0].lower() not in "aeiouy":
            found.append(chr(cp))
    return "".join(found)


# A tone NFC could not put on a vowel: a loose combining mark or a toned consonant ...
_MISPLACED_MARK_RE = re.compile(r"[\u0300-\u036f" + _consonants_with_tone() + "]")
# ... and the syllable it belongs to.
_MISPLACED_SYLLABLE_RE = re.compile(
    r"[^\W\d_]*(?:[\u0300-\u036f]|[" + _consonants_with_tone() + r"])[\u0300-\u036f\w]*"
)


def _with_tone(char: str, tone: str) -> str:
    return unicodedata.normalize("NFC", char + tone)


def _strip_tone(char: str) -> tuple[str, str]:
    """Split one precomposed letter into (letter without tone, tone mark or '')."""
    decomposed = unicodedata.normalize("NFD", char)
    tones = "".join(c for c in decomposed if c in TONE_MARKS)
    rest = "".join(c for c in decomposed if c not in TONE_MARKS)
    return unicodedata.normalize("NFC", rest), tones[:1]


def _build_old_placement_table() -> dict[str, str]:
    """Map 'oà' -> 'òa', 'uỷ' -> 'ủy', ... for every case combination and tone."""
    table = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for tone in TONE_MARKS:
            for f in (first, first.upper()):
                for s in (second, second.upper()):
                    table[f + _with_tone(s, tone)] = _with_tone(f, tone) + s
    return table


_OLD_PLACEMENT = _build_old_placement_table()


def _toned(letters: str) -> str:
    return "".join(_with_tone(c, t) for c in letters for t in TONE_MARKS)


# 'oà', 'oè', 'uỳ' closing an open syllable, not after 'q' (in 'quý' the u is a consonant).
# The lookahead first says which letters can start a match: a pattern that begins with a
# lookbehind is otherwise tried at every position (twice as slow on Dân trí's texts; a
# prefilter for the letters then gained nothing: 95-99% of the texts hold them).
_OLD_PLACEMENT_RE = re.compile(
    rf"(?=[oOuU])(?<![qQ])(?:[oO][{_toned('aAeE')}]|[uU][{_toned('yY')}])(?![^\W\d_])"
)
# Characters that are not plain spaces or that should vanish.
_ODD_SPACE_RE = re.compile("[" + "".join(map(chr, _SPACE_TABLE)) + "]")


def _vowel_cluster(base: str) -> tuple[int, int]:
    """Return [start, end) of the vowel nucleus of a toneless syllable, skipping 'qu' / 'gi'."""
    start = next((i for i, c in enumerate(base) if c in _VOWELS), -1)
    if start < 0:
        return -1, -1
    end = start
    while end < len(base) and base[end] in _VOWELS:
        end += 1
    head = base[: start + 1].lower()
    if end - start > 1 and (head.endswith("qu") or (head.endswith("gi") and start == 1)):
        start += 1
    return start, end


@lru_cache(maxsize=65536)
def place_tone(syllable: str) -> str:
    """Put the tone mark of one syllable on the vowel where underthesea puts it.

    Rules: a vowel with its own diacritic (ơ first) takes the tone; else a lone vowel; else the
    last vowel when a consonant closes the syllable; else the middle of three vowels; else the
    first of two (hòa, thủy, của, mùa).
    """
    decomposed = unicodedata.normalize("NFD", syllable)
    tones = [c for c in decomposed if c in TONE_MARKS]
    if not tones:
        return unicodedata.normalize("NFC", syllable)
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
    start, end = _vowel_cluster(base)
    if start < 0:
        return unicodedata.normalize("NFC", syllable)
    cluster = base[start:end]
    hatted = [i for i, c in enumerate(cluster) if c in _HATTED]
    if any(c in "ơƠ" for c in cluster):
        pos = next(i for i, c in enumerate(cluster) if c in "ơƠ")
    elif hatted:
        pos = hatted[-1]
    elif len(cluster) == 1:
        pos = 0
    elif end < len(base):
        pos = len(cluster) - 1
    elif len(cluster) == 3:
        pos = 1
    else:
        pos = 0
    i = start + pos
    return base[:i] + _with_tone(base[i], tones[0]) + base[i + 1 :]


def _fix_old_placement(match: re.Match[str]) -> str:
    return _OLD_PLACEMENT[match.group(0)]


def normalize_text(text: str) -> str:
    """NFC, one tone placement, plain spaces, '\\n' line ends: the form we store and index."""
    text = unicodedata.normalize("NFC", text)
    if _ODD_SPACE_RE.search(text):
        text = text.translate(_SPACE_TABLE)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _MISPLACED_MARK_RE.search(text):
        # A tone typed after the whole syllable: move it onto its vowel.
        text = _MISPLACED_SYLLABLE_RE.sub(lambda m: place_tone(m.group(0)), text)
        text = _COMBINING_RE.sub("", text)
    return _OLD_PLACEMENT_RE.sub(_fix_old_placement, text)


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {ord("đ"): "d", ord("Đ"): "D"}
    for cp in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)):
        char = chr(cp)
        base = "".join(
            c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
        )
        if len(base) == 1 and base != char:
            table[cp] = base
    return table


_FOLD_TABLE = _build_fold_table()


def fold(text: str) -> str:
    """Lowercase and strip every diacritic, 'đ' included: 'Đổi Mới' -> 'doi moi'."""
    return text.lower().translate(_FOLD_TABLE)


def strip_diacritics(text: str) -> str:
    """Strip diacritics but keep case: 'Đổi' -> 'Doi'."""
    return text.translate(_FOLD_TABLE)


def has_diacritics(text: str) -> bool:
    """True when folding would change the text (ignoring case)."""
    lowered = text.lower()
    return lowered.translate(_FOLD_TABLE) != lowered


_LETTER_FORMS = {"a": "aăâ", "e": "eê", "o": "oôơ", "u": "uư", "d": "dđ"}


@lru_cache(maxsize=8192)
def spellings(folded: str) -> tuple[str, ...]:
    """Every way to write a folded lowercase syllable with diacritics, the tone where
    ``place_tone`` puts it: 'ban' -> 'bán', 'bàn', 'bạn', 'bản', 'bẵn', 'bân', 'bấn', 'đan'...
    Most are no word: callers look them up."""
    if not folded.isascii() or not folded.isalpha() or len(folded) > 8:
        return ()
    forms = [""]
    for char in folded:
        forms = [form + c for form in forms for c in _LETTER_FORMS.get(char, char)]
    found = dict.fromkeys(forms)
    for form in forms:
        for tone in TONE_MARKS:
            toned = place_tone(form + tone)
            if not _COMBINING_RE.search(toned):
                found[toned] = None
    found.pop(folded, None)
    return tuple(found)


def syllables(text: str) -> Iterator[tuple[str, int, int]]:
    """Yield (syllable, start, end) for every syllable of already normalized text."""
    for match in SYLLABLE_RE.finditer(text):
        yield match.group(0), match.start(), match.end()


_SLUG_RE = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """'Bắc Kạn' -> 'bac-kan'; 'Vi tính (CNTT)' -> 'vi-tinh-cntt'."""
    return _SLUG_RE.sub("-", fold(normalize_text(text))).strip("-")


def trie_pattern(words: list[str]) -> str:
    """A regex alternation of words shaped as a trie: fast, and it prefers the longest word."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + emit(sub) for char, sub in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return emit(trie)


def whole_words_pattern(words: list[str]) -> str:
    """A regex of any of ``words`` standing whole (no letter or digit on either side), the
    longest first; matches nothing when there are none. Saying which characters can start a
    match before the lookbehind lets the scan skip all others (about 1.6 times as fast)."""
    if not words:
        return "(?!)"
    firsts = "".join(sorted({re.escape(word[0]) for word in words}))
    return rf"(?=[{firsts}])(?<!\w)(?:{trie_pattern(words)})(?!\w)"
