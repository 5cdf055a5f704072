"""Queries typed with the Vietnamese keyboard off: Telex ('chuyeenr') and VNI ('chuye6n3').

A user whose input method is switched off types the keys of Telex or VNI and gets the letters
as typed. ``decode_telex`` / ``decode_vni`` read one such token back as a syllable, and
``convert_query`` rewrites a whole query, but only when it clearly is Telex or VNI: ordinary
Vietnamese typed without diacritics ("chuyen doi so"), English words, abbreviations and numbers
are left alone. Every decoded syllable must pass ``is_syllable``, a check of Vietnamese
spelling (onset + rhyme, and the tones a closed syllable allows).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from indexer.metadata.docnumbers import find_query_document_numbers
from indexer.text.vietnamese import has_diacritics, normalize_text, place_tone

_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_TELEX_TONES = {"s": _ACUTE, "f": _GRAVE, "r": _HOOK, "x": _TILDE, "j": _DOT}
_VNI_TONES = {"1": _ACUTE, "2": _GRAVE, "3": _HOOK, "4": _TILDE, "5": _DOT}
_VOWELS = set("aăâeêioôơuưy")
_HAT = {"a": "â", "e": "ê", "o": "ô"}
_HORN = {"u": "ư", "o": "ơ"}

# Written as text for reading; split into sets below.
_ONSET_TEXT = "b c ch d đ g gh gi h k kh l m n ng ngh nh p ph q r s t th tr v x"
_RHYME_TEXT = """
    a ac ach ai am an ang anh ao ap at au ay ăc ăm ăn ăng ăp ăt
    âc âm ân âng âp ât âu ây e ec em en eng eo ep et ê êch êm ên ênh êp êt êu
    i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
    o oc oi om on ong op ot oa oac oach oai oam oan oang oanh oao oap oat oay
    oăc oăm oăn oăng oăt oe oem oen oeo oet oong ooc ô ôc ôi ôm ôn ông ôp ôt
    ơ ơi ơm ơn ơp ơt u ua uân uâng uât uây uc ui um un ung uôc uôi uôm uôn uông uôt
    up ut uơ uê uêch uênh uy uya uych uyên uyêt uynh uyp uyt uyu
    ư ưa ưc ưi ưm ưn ưng ưt ưu ươc ươi ươm ươn ương ươp ươt ươu
    y yêm yên yêt yêu
"""
_ONSETS = frozenset(_ONSET_TEXT.split())
_RHYMES = frozenset(_RHYME_TEXT.split())
# After 'qu' the u is part of the onset: quynh, quýt, quých have no other spelling.
_QU_RHYMES = {r for r in _RHYMES if r[0] in "aăâeêiyơô"} | {"ynh", "yt", "ych"}
_STOPS = ("c", "ch", "p", "t")  # a syllable closed by a stop takes only sắc or nặng


def _split_onset(base: str) -> list[tuple[str, str]]:
    """Ways to read a toneless lowercase syllable as (onset, rest), longest onset first."""
    splits = [(base[:n], base[n:]) for n in (3, 2, 1) if base[:n] in _ONSETS]
    return [*splits, ("", base)]


def _valid_split(onset: str, rest: str) -> bool:
    """Whether onset + rest is spelled the Vietnamese way."""
    if onset == "q":
        return rest[:1] == "u" and rest[1:] in _QU_RHYMES
    if onset == "gi":  # gì, giữ, giếng (the i of iê merges into gi)
        return rest == "" or rest in _RHYMES or ("i" + rest) in _RHYMES
    if rest not in _RHYMES:
        return False
    front = rest[0] in "eêiy"
    if onset in ("c", "g", "ng"):  # ke, ghe, nghe are written with k, gh, ngh
        return not front
    if onset in ("gh", "ngh"):
        return front
    return True  # k stays lenient: Bắc Kạn, Kon Tum, ka-li


def is_syllable(text: str) -> bool:
    """Whether ``text`` is one well-formed Vietnamese syllable (any case, any tone)."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    tones = [c for c in decomposed if c in _TELEX_TONES.values()]
    if len(tones) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
    if not base or not any(c in _VOWELS for c in base):
        return False
    if tones and tones[0] not in (_ACUTE, _DOT) and base.endswith(_STOPS):
        return False
    return any(_valid_split(onset, rest) for onset, rest in _split_onset(base))


def _last_vowels(letters: list[str]) -> list[int]:
    """Positions of the last run of vowels, without the u of 'qu' or the i of 'gi'."""
    end = len(letters)
    while end and letters[end - 1] not in _VOWELS:
        end -= 1
    start = end
    while start and letters[start - 1] in _VOWELS:
        start -= 1
    head = "".join(letters[:start]).lower()
    if end - start > 1 and (head, letters[start]) in (("q", "u"), ("g", "i")):
        start += 1
    return list(range(start, end))


def _add_horn(letters: list[str], horn: bool = True, breve: bool = True) -> bool:
    """Telex 'w' (both), VNI '7' (horn), '8' (breve): ươ, ư, ơ or ă; False if nothing takes it."""
    group = _last_vowels(letters)
    text = "".join(letters[i] for i in group)
    pair = next((k for k in ("uo", "ưo", "uơ") if k in text), None) if horn else None
    if pair is not None:
        i = group[text.index(pair)]
        letters[i : i + 2] = ["ư", "ơ"]
        return True
    if horn and not text.startswith("oa"):  # in 'oa' the o is a glide: xoawn is xoăn
        target = next((i for i in group if letters[i] in _HORN), None)
        if target is not None:
            letters[target] = _HORN[letters[target]]
            return True
    if breve:
        target = next((i for i in group if letters[i] == "a"), None)
        if target is not None:
            letters[target] = "ă"
            return True
    return False


def _add_hat(letters: list[str]) -> bool:
    """VNI '6': â, ê or ô on the last a, e or o of the vowels."""
    group = _last_vowels(letters)
    target = next((i for i in reversed(group) if letters[i] in _HAT), None)
    if target is None:
        return False
    letters[target] = _HAT[letters[target]]
    return True


def with_case(syllable: str, typed: str) -> str:
    """Give a decoded syllable the case the user typed: 'VIEEJT' -> 'VIỆT', 'Vieejt' -> 'Việt'."""
    if len(typed) > 1 and typed.isupper():
        return syllable.upper()
    if typed[:1].isupper():
        return syllable[:1].upper() + syllable[1:]
    return syllable


def _finish(letters: list[str], tone: str, typed: str) -> str | None:
    """Put the tone on its vowel and check the spelling; None when not a syllable."""
    base = "".join(letters)
    if base.endswith("ươ"):  # w on an open 'uo' gives thuở, huơ: 'ươ' needs a final
        base = base[:-2] + "uơ"
    syllable = normalize_text(place_tone(base + tone) if tone else base)
    return with_case(syllable, typed) if is_syllable(syllable) else None


@dataclass
class _Keys:
    """What one token's keys have built so far."""

    letters: list[str]
    tone: str = ""
    toned: bool = False

    @property
    def has_vowel(self) -> bool:
        """Whether a vowel has been typed, so tone keys now mean tones."""
        return any(c in _VOWELS for c in self.letters)

    def set_tone(self, mark: str) -> bool:
        """A tone key; typing two of them is not a syllable we trust."""
        if self.toned:
            return False
        self.tone, self.toned = mark, True
        return True


def _telex_key(keys: _Keys, char: str) -> bool:
    """Apply one Telex key; False when the token cannot be Telex."""
    letters = keys.letters
    if keys.has_vowel and char in _TELEX_TONES:
        return keys.set_tone(_TELEX_TONES[char])
    if keys.has_vowel and char == "z":  # z clears the tone
        keys.tone = ""
        return True
    if char == "d" and letters == ["d"]:
        letters[0] = "đ"
    elif char in _HAT and letters and letters[-1] == char:
        letters[-1] = _HAT[char]
    elif char in _HAT and letters and letters[-1] == _HAT[char]:
        return False  # 'aaa' is Telex's undo: the user wanted the letters
    elif char == "w":
        if not keys.has_vowel:
            letters.append("ư")  # w alone is ư: wf = ừ, nhw = như
            return True
        return _add_horn(letters)
    elif char in "fjwz":
        return False
    else:
        letters.append(char)
    return True


def _vni_key(keys: _Keys, char: str) -> bool:
    """Apply one VNI key; False when the token cannot be VNI."""
    letters = keys.letters
    if not char.isdigit():
        letters.append(char)
        return char not in "fjwz"
    if char == "9":
        if letters[:1] != ["d"]:
            return False
        letters[0] = "đ"
        return True
    if not keys.has_vowel:
        return False
    if char in _VNI_TONES:
        return keys.set_tone(_VNI_TONES[char])
    if char == "0":
        keys.tone = ""
        return True
    if char == "6":
        return _add_hat(letters)
    return _add_horn(letters, horn=char == "7", breve=char == "8")


def _decode(token: str, apply: Callable[[_Keys, str], bool]) -> str | None:
    keys = _Keys([])
    for char in token.lower():
        if not apply(keys, char):
            return None
    return _finish(keys.letters, keys.tone, token)


def decode_telex(token: str) -> str | None:
    """'chuyeenr' -> 'chuyển', 'Hoaf' -> 'Hòa', 'bao' -> 'bao'; None if not a Telex syllable."""
    if not token.isascii() or not token.isalpha():
        return None
    return _decode(token, _telex_key)


_VNI_RE = re.compile(r"[a-zA-Z][a-zA-Z0-9]*")


def decode_vni(token: str) -> str | None:
    """'chuye6n3' -> 'chuyển', 'd9o6i3' -> 'đổi'; None if not a VNI syllable."""
    if not _VNI_RE.fullmatch(token):
        return None
    return _decode(token, _vni_key)


# --- Queries ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryPiece:
    """A piece of a query: a ``word`` that may be rewritten, or ``space`` / ``syntax`` kept."""

    text: str
    kind: str


_PIECE_RE = re.compile(r"(\s+)|([\"“”()|])|([^\s\"“”()|]+)")
_EDGE_RE = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)
_OPERATORS = {"OR", "AND"}


def _word_pieces(token: str) -> list[QueryPiece]:
    """A run of non-space characters: exclusion dash, document number, operator or word."""
    pieces = []
    if token.startswith("-") and len(token) > 1:
        pieces.append(QueryPiece("-", "syntax"))
        token = token[1:]
    numbers = find_query_document_numbers(token)
    if token in _OPERATORS or (len(numbers) == 1 and numbers[0].text == token.strip(".,;:")):
        return [*pieces, QueryPiece(token, "syntax")]
    match = _EDGE_RE.match(token)
    assert match is not None  # the pattern matches any string
    lead, core, trail = match.groups()
    for text, kind in ((lead, "syntax"), (core, "word"), (trail, "syntax")):
        if text:
            pieces.append(QueryPiece(text, kind))
    return pieces


def split_query(query: str) -> list[QueryPiece]:
    """Cut a query into pieces whose texts join back into it; only ``word`` pieces change."""
    pieces: list[QueryPiece] = []
    for match in _PIECE_RE.finditer(query):
        space, mark, token = match.groups()
        if space:
            pieces.append(QueryPiece(space, "space"))
        elif mark:
            pieces.append(QueryPiece(mark, "syntax"))
        else:
            pieces.extend(_word_pieces(token))
    return pieces


# How a word of the query reads under one scheme (Telex or VNI):
_KEYED = "keyed"  # changes into a known syllable and is no word as typed: surely keyed
_EITHER = "either"  # changes into a known syllable but the archive has it as typed too
_PLAIN = "plain"  # unchanged, and a known Vietnamese syllable as it stands
_FOREIGN = "foreign"  # a word that is no Vietnamese syllable either way: 'email', 'attack'
_BROKEN = "broken"  # changes into a syllable the archive lacks: not this scheme
_NEUTRAL = "neutral"  # accented, or with digits or signs: says nothing about the scheme


def _classify(
    text: str, decode: Callable[[str], str | None], known: Callable[[str], bool]
) -> tuple[str, str | None]:
    """How one word reads under a scheme, and what it decodes to."""
    if has_diacritics(text):
        return _NEUTRAL, None
    decoded = decode(text)
    if decoded is None or decoded == text:
        if not text.isalpha():
            return _NEUTRAL, None
        return (_PLAIN if is_syllable(text) and known(text.lower()) else _FOREIGN), None
    typed_is_word = known(text.lower())
    if not known(decoded.lower()):
        return (_FOREIGN if typed_is_word else _BROKEN), None
    return (_EITHER if typed_is_word else _KEYED), decoded


def _convert_words(
    pieces: list[QueryPiece],
    decode: Callable[[str], str | None],
    known: Callable[[str], bool],
) -> dict[int, str]:
    """Decoded word pieces by position; empty when the query does not read as this scheme.

    A word the archive has as typed ('car', 'moon', 'laf') is converted only beside surely
    keyed words, or in a query of Vietnamese syllables ('thoong tin'), never on its own.
    """
    words = [piece.text for piece in pieces if piece.kind == "word"]
    if not any(not has_diacritics(w) and decode(w) not in (None, w) for w in words):
        return {}  # nothing reads otherwise in this scheme: no need to ask the archive
    kinds = {
        i: _classify(piece.text, decode, known)
        for i, piece in enumerate(pieces)
        if piece.kind == "word"
    }
    found = {kind for kind, _ in kinds.values()}
    if _BROKEN in found:
        return {}
    if _KEYED not in found and not (_EITHER in found and _PLAIN in found and _FOREIGN not in found):
        return {}
    return {i: decoded for i, (kind, decoded) in kinds.items() if decoded is not None}


def _plausible_vni(typed: str, decoded: str) -> bool:
    """Leave codes like 'A1', 'B2' (licence classes) alone: one letter and a tone is no proof."""
    return len(decoded) > 1 or any(d in typed for d in "6789")


def convert_query(query: str, known: Callable[[str], bool]) -> str | None:
    """The query read as Telex or VNI, when it clearly is one and every syllable is known.

    ``known`` says whether the archive has a syllable: it is asked about what the user typed
    (lowercase: is it a real word?) and about each decoded syllable (lowercase, with
    diacritics). None when the query does not read as Telex or VNI.
    """
    pieces = split_query(query)

    def vni(token: str) -> str | None:
        decoded = decode_vni(token) if any(c.isdigit() for c in token) else None
        return decoded if decoded and _plausible_vni(token, decoded) else None

    best: dict[int, str] = {}
    for decode in (decode_telex, vni):
        changed = _convert_words(pieces, decode, known)
        if changed and len(changed) > len(best):
            best = changed
    if not best:
        return None
    return "".join(best.get(i, piece.text) for i, piece in enumerate(pieces))
