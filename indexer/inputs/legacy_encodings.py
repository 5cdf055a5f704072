"""TCVN3 (ABC) and VNI-Windows, the 8-bit font encodings of older pages, to and from Unicode.

These were fonts, not charsets: the page's bytes are declared (or read) as windows-1252 and only
the font (``.VnTime``, ``VNI-Times``) drew Vietnamese letters, so a browser without the font
shows "Th«ng tin" (TCVN3) or "Thoâng tin" (VNI). Both functions here take that windows-1252
reading and give the Vietnamese text.

- **TCVN3** is the VN3 set of TCVN 5712:1993: one byte per letter, lowercase letters and Ă Â Ê Ô
  Ơ Ư Đ at 0xA1-0xFE, the five tone marks at 0xB0-0xB4. Its capital letters with tones have no
  code: they were typed as lowercase in the capitals-only fonts (``.VnTimeH``), which
  ``from_tcvn3(..., caps=True)`` reads. The VN1 set's capitals at 0xAF, 0xBA, ... (positions VN3
  leaves empty) are read as VN1 writes them. 0x80-0xA0 stay what windows-1252 says (quotes,
  dashes): TCVN3 fonts kept them.
- **VNI** writes a vowel as its base letter followed by one modifier byte: a tone (``aù`` = á),
  a hat or breve with or without a tone (``aâ`` = â, ``aá`` = ấ, ``aé`` = ắ), or is one byte
  (``ô`` = ơ, ``ö`` = ư, ``ñ`` = đ, ``í`` = í, ``î`` = ỵ).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from indexer.text.vietnamese import trie_pattern

# TCVN 5712:1993 code points 0xA1-0xFF (the same in VN1, VN2 and VN3 where VN3 has a letter).
_TCVN3_HIGH = (
    "ĂÂÊÔƠƯĐăâêôơưđẰ\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴẮẦẨẪẤỀặầẩẫấậèỂẻẽéẹềểễếệìỉỄẾỒĩíịò"
    "ỔỏõóọồổỗốộờởỡớợùỖủũúụừửữứựỳỷỹýỵỐ"
)
TCVN3_TABLE: dict[str, str] = {chr(0xA1 + i): c for i, c in enumerate(_TCVN3_HIGH)}

# VNI modifiers, as windows-1252 reads them: (tone mark or "") -> byte, for plain vowels, for
# vowels with a circumflex (â ê ô) and for ă.
_VNI_TONES = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_HAT = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
_VNI_BREVE = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
_VNI_I = {"": "i", "\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}
_VNI_BASES = {"â": "a", "ê": "e", "ô": "o", "ă": "a"}  # letters written base + hat/breve byte
_VNI_OWN = {"ơ": "ô", "ư": "ö"}  # letters with a byte of their own, toned by a tone byte

VIETNAMESE_LETTERS = (
    "".join(
        unicodedata.normalize("NFC", base + tone)
        for base in "aăâeêioôơuưy"
        for tone in ("", *_VNI_TONES)
    )
    + "đ"
)


def _vni_lower(letter: str) -> str:
    """The VNI spelling of one lowercase Vietnamese letter (as windows-1252 reads it)."""
    if letter == "đ":
        return "ñ"
    decomposed = unicodedata.normalize("NFD", letter)
    tone = next((c for c in decomposed if c in _VNI_TONES), "")
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c != tone))
    if base == "i":
        return _VNI_I[tone]
    if base == "y" and tone == "\u0323":
        return "î"
    if base in ("â", "ê", "ô"):
        return _VNI_BASES[base] + _VNI_HAT[tone]
    if base == "ă":
        return "a" + _VNI_BREVE[tone]
    if base in _VNI_OWN:
        return _VNI_OWN[base] + _VNI_TONES.get(tone, "")
    return base + _VNI_TONES.get(tone, "")


@cache
def _vni_tables() -> tuple[dict[str, str], dict[str, str]]:
    """(Unicode letter -> VNI, VNI spelling -> Unicode letter) for all letters in both cases.

    Reading also accepts a modifier in the other case than its base ("Aù"): the case of a
    letter is that of its base.
    """
    encode, decode = {}, {}
    for lower in VIETNAMESE_LETTERS:
        for letter, spelled in ((lower, _vni_lower(lower)), (lower.upper(), "")):
            spelled = spelled or _vni_lower(lower).upper()
            encode[letter] = spelled
            if not spelled.isascii():
                decode[spelled] = letter
                head, tail = spelled[:1], spelled[1:]
                if tail:
                    decode.setdefault(head + tail.swapcase(), letter)
    return encode, decode


@cache
def _vni_pattern() -> re.Pattern[str]:
    return re.compile(trie_pattern(sorted(_vni_tables()[1])))


def from_tcvn3(text: str, caps: bool = False) -> str:
    """TCVN3 text as windows-1252 reads it -> Unicode; caps for the capitals-only fonts."""
    converted = text.translate(_tcvn3_translation())
    return converted.upper() if caps else converted


def from_vni(text: str) -> str:
    """VNI-Windows text as windows-1252 reads it -> Unicode."""
    decode = _vni_tables()[1]
    return _vni_pattern().sub(lambda m: decode[m.group(0)], text)


@cache
def _tcvn3_translation() -> dict[int, str]:
    return {ord(byte): letter for byte, letter in TCVN3_TABLE.items()}


@cache
def _tcvn3_encoding() -> dict[str, str]:
    """Unicode letter -> VN3 byte; a capital without a VN3 code gets its lowercase's."""
    encode = {}
    for byte, letter in TCVN3_TABLE.items():
        if letter.islower() or byte <= "\xa7":  # VN3's letters: no tone marks, no VN1 capitals
            encode[letter] = byte
    for letter in VIETNAMESE_LETTERS:
        if letter in encode:
            encode.setdefault(letter.upper(), encode[letter])
    return encode


def to_tcvn3(text: str) -> str:
    """Unicode -> TCVN3 as windows-1252 reads it (capitals with tones lose their case)."""
    encode = _tcvn3_encoding()
    return "".join(encode.get(c, c) for c in unicodedata.normalize("NFC", text))


def to_vni(text: str) -> str:
    """Unicode -> VNI-Windows as windows-1252 reads it."""
    encode = _vni_tables()[0]
    return "".join(encode.get(c, c) for c in unicodedata.normalize("NFC", text))
