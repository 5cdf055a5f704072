"""Is a word a Vietnamese syllable? Spelling rules that tell Vietnamese text from mojibake.

A written syllable is an onset (``b``, ``ch``, ``ngh``, ``qu``, ...), a rime from the closed list
of Vietnamese rimes (``a``, ``oanh``, ``ương``, ...) and at most one tone, on the vowel that
takes it (``hòa`` or the old ``hoà``; not ``caù``, which is VNI's ``cá``); a rime closed by
``c``, ``ch``, ``p`` or ``t`` takes only the sắc or nặng tone, and ``k``, ``gh``, ``ngh`` stand
only before ``i``, ``e``, ``ê``, ``y``. Text read in the wrong encoding ("Th«ng", "Thoâng",
"TruyêÌn") breaks these rules almost everywhere, so the share of valid syllables is what the
charset and legacy-font decisions of ``indexer.inputs.encodings`` compare.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from indexer.text.vietnamese import TONE_MARKS, normalize_text, place_tone

_ONSETS = (
    *("", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng"),
    *("ngh", "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x"),
)
# Every rime of standard Vietnamese spelling, without its tone.
_RIME_LIST = """
    a ac ach ai am an ang anh ao ap at au ay ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât âu ây
    e ec em en eng eo ep et ê êch êm ên ênh êp êt êu
    i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
    o oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt oc oe oen oeo oet
    oi om on ong ooc oong op ot ô ôc ôi ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt
    u ua uân uâng uât uây uc uê uêch uênh ui um un ung uơ uôc uôi uôm uôn uông uôt up ut
    uy uya uych uyên uyêt uyn uynh uyp uyt uyu
    ư ưa ưc ưi ưm ưn ưng ươc ươi ươm ươn ương ươp ươt ươu ưt ưu
    y yêm yên yêng yêt yêu
"""
_RIMES = frozenset(_RIME_LIST.split())
_STOP_TONES = frozenset("\u0301\u0323")  # sắc, nặng: the only tones of a syllable closed by a stop
_FRONT = "ieêy"  # k, gh, ngh stand only before these; c, ng never do
_EDGE_PUNCT = "\"'()[]{}<>.,;:!?…“”‘’–—-/\\*•·|"
_WORD_RE = re.compile(r"[^\s/-]+")
_DIGIT_RE = re.compile(r"\d")


class Tally(NamedTuple):
    """How many counted words of a text are Vietnamese syllables."""

    valid: int
    counted: int

    @property
    def invalid(self) -> int:
        """Counted words that are not syllables."""
        return self.counted - self.valid


def _split_tone(word: str) -> tuple[str, str] | None:
    """'Thường' -> ('thương', '\\u0300'); None for a word with two tones."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in decomposed if c in TONE_MARKS]
    if len(tones) > 1:
        return None
    rest = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
    return rest, "".join(tones)


def _spelled_right(onset: str, rime: str, tone: str) -> bool:
    """Onset spelling and the stop-coda tone rule for one onset/rime split."""
    if onset in ("k", "gh", "ngh") and rime[0] not in _FRONT:
        return False
    if (onset in ("c", "ng") and rime[0] in _FRONT) or (onset == "g" and rime[0] in "eê"):
        return False
    return tone in _STOP_TONES or not rime.endswith(("c", "ch", "p", "t"))


def _tone_well_placed(word: str) -> bool:
    """The tone mark sits on a vowel, the one that takes it (new or old placement).

    "caù" (VNI's "cá") and "ñan" (VNI's "đan": ñ reads as n with a tilde) are not syllables.
    """
    decomposed = unicodedata.normalize("NFD", word)
    for i, char in enumerate(decomposed):
        if char in TONE_MARKS:
            base = next((c for c in reversed(decomposed[:i]) if not unicodedata.combining(c)), "")
            if base not in "aeiouy" or not base:
                return False
    return place_tone(word) == normalize_text(word)


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """True when word (any normalization, no punctuation) is one written Vietnamese syllable."""
    word = unicodedata.normalize("NFC", word)
    if not word.isalpha() or not (word.islower() or word.isupper() or word.istitle()):
        return False
    split = _split_tone(word)
    if split is None:
        return False
    base, tone = split
    if tone and not _tone_well_placed(word.lower()):
        return False
    for onset in _ONSETS:
        if not base.startswith(onset):
            continue
        rime = base[len(onset) :]
        if not rime:
            if onset == "gi":  # "gì" is gi + i, written once
                return True
            continue
        if onset == "qu" and rime[0] in "ou":
            continue  # "quoác" is VNI's "quốc": no "qu" before o or u
        if onset == "qu" and ("u" + rime) in _RIMES:
            rime = "u" + rime
        if rime in _RIMES and _spelled_right(onset, rime, tone):
            return True
    return False


def _words(text: str) -> list[str]:
    """The words of text, punctuation stripped from their edges; hyphens and slashes split."""
    return [w for w in (t.strip(_EDGE_PUNCT) for t in _WORD_RE.findall(text)) if w]


def is_word(token: str) -> bool:
    """True when token, less the punctuation at its edges, is a Vietnamese syllable."""
    return is_syllable(token.strip(_EDGE_PUNCT))


def tally(text: str, non_ascii_only: bool = True) -> Tally:
    """Count the words of text that are Vietnamese syllables.

    Words of one letter and words with a digit are not counted (a lone '«' or 'ô' says little);
    with non_ascii_only, neither are plain ASCII words, which read the same in every encoding.
    """
    valid = counted = 0
    for word in _words(text):
        if len(word) < 2 or (non_ascii_only and word.isascii()) or _DIGIT_RE.search(word):
            continue
        counted += 1
        valid += is_syllable(word)
    return Tally(valid, counted)
