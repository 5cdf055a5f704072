"""Which charset a page's bytes are in, and which of its text is in a legacy Vietnamese font.

Both questions are settled by reading Vietnamese: each candidate reading is scored by how many
of its words are Vietnamese syllables (``indexer.text.syllables``), and a reading that is clearly
better wins over a declared charset, a declared charset wins ties. Text in the TCVN3 or VNI
fonts (``indexer.inputs.legacy_encodings``) is converted only where the conversion makes more words
Vietnamese, so Western text and real Unicode text are left as they are.
"""

from __future__ import annotations

import codecs
import itertools
import re
from collections.abc import Iterable
from functools import cache
from typing import Literal

from indexer.inputs.legacy_encodings import from_tcvn3, from_vni
from indexer.records import ExtractionError
from indexer.text.syllables import Tally, is_word, tally

LegacyFont = Literal["tcvn3", "tcvn3-caps", "vni"]
Reading = Literal["tcvn3", "vni"]
_READERS = (("tcvn3", from_tcvn3), ("vni", from_vni))

# Charsets a browser reads as windows-1252 (WHATWG Encoding Standard: these labels are aliases).
_WINDOWS_1252 = {"cp1252", "latin_1", "iso8859_1", "ascii", "iso8859_15"}
OVERRIDE_MARGIN = 2  # more Vietnamese syllables a reading needs to beat the declared charset
MIN_SHARE = 0.5  # share of changed words that must be Vietnamese after a conversion, font unknown
SCORE_PROBE = 400_000  # characters of a reading that its score looks at
BINARY_PROBE = 2048  # bytes whose NULs tell binary content
MAX_NUL_SHARE = 0.01  # more NUL bytes than this share of the probe (not UTF-16) marks binary
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
UTF16_PROBE = 4096  # bytes whose NULs tell UTF-16 without a BOM
UTF16_MIN_BYTES = 64
UTF16_NUL_SHARE = 0.3  # share of high bytes that are NUL, at least
UTF16_STRAY_NULS = 0.02  # share of low bytes that are NUL, at most
# Characters of windows-1252 that are no Vietnamese letter but spell one in TCVN3 or VNI: they
# fill text in a legacy font and are rare elsewhere ('«' is TCVN3's ô, 'ø' VNI's grave tone).
_SIGN_RE = re.compile(
    "[\u00a1-\u00bf\u00c4-\u00c7\u00cb\u00ce-\u00d1\u00d6-\u00d8\u00db\u00dc"
    "\u00de\u00df\u00e4-\u00e7\u00eb\u00ee-\u00f1\u00f6-\u00f8\u00fb\u00fc\u00fe\u00ff]"
)


def charset_name(label: str | None) -> str | None:
    """A charset label as Python names it ('ISO-8859-1' -> 'cp1252', as browsers read it)."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    name = name.replace("-", "_")
    return "cp1252" if name in _WINDOWS_1252 else name


@cache
def _byte_table(encoding: str) -> dict[int, str]:
    """latin-1 code point -> character of a single-byte charset; undefined bytes stay."""
    table = {}
    for byte in range(0x80, 0x100):
        char = bytes([byte]).decode(encoding, errors="ignore")
        table[byte] = char or chr(byte)
    return table


def _decode_single_byte(data: bytes, encoding: str) -> str:
    """Bytes in windows-1252 or windows-1258, as a browser reads them: every byte is a character."""
    return data.decode("latin-1").translate(_byte_table(encoding))


def sniff_utf16(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' for UTF-16 text without a BOM, told by where its NULs fall.

    Vietnamese and ASCII in UTF-16 have a NUL high byte for most characters (ASCII, à, ô, ...)
    and almost never a NUL low byte. Text shorter than ``UTF16_MIN_BYTES`` is not guessed.
    """
    probe = data[: UTF16_PROBE - UTF16_PROBE % 2]
    half = len(probe) // 2
    if half * 2 < UTF16_MIN_BYTES:
        return None
    even, odd = probe[0::2].count(0) / half, probe[1::2].count(0) / half
    for encoding, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if high >= UTF16_NUL_SHARE and low <= UTF16_STRAY_NULS:
            try:
                data[: len(data) - len(data) % 2].decode(encoding)
            except UnicodeDecodeError:
                return None
            return encoding
    return None


def legacy_readings(text: str) -> dict[str, str]:
    """The text read as TCVN3 and as VNI (from its windows-1252 characters)."""
    return {"tcvn3": from_tcvn3(text), "vni": from_vni(text)}


def _score(text: str) -> int:
    """Vietnamese syllables minus other words, among the words with a non-ASCII letter."""
    counts = tally(text[:SCORE_PROBE])
    return counts.valid - counts.invalid


def _reading_score(text: str, encoding: str) -> int:
    """A reading's score; a windows-1252 reading scores as its best legacy-font conversion."""
    if encoding != "cp1252":
        return _score(text)
    probe = text[:SCORE_PROBE]
    return max(_score(probe), *(_score(t) for t in legacy_readings(probe).values()))


def _candidates(data: bytes, declared: Iterable[str]) -> list[tuple[str, str]]:
    """(encoding, text) for each charset the bytes decode in: the declared ones first."""
    found: dict[str, str] = {}
    for name in [*declared, "utf_8", "cp1258", "cp1252"]:
        if name in found:
            continue
        if name in ("cp1252", "cp1258"):
            found[name] = _decode_single_byte(data, name)
            continue
        try:
            found[name] = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    return list(found.items())


def decode_with_charset(data: bytes, declared: str | Iterable[str | None] | None = None) -> str:
    """Bytes (no BOM) -> text: UTF-8 when it decodes, else the reading that is most Vietnamese.

    declared: the charset labels the page gives (HTTP header, then meta), best first. A
    declared charset is kept unless another reading has clearly more Vietnamese syllables
    (``OVERRIDE_MARGIN``): ISO-8859-1 declared on UTF-8 bytes, UTF-8 declared on Windows-1258.
    Text in a legacy font comes back as windows-1252 reads it, for ``convert_legacy_text``.
    """
    labels = [declared] if isinstance(declared, str) or declared is None else list(declared)
    names = [n for n in map(charset_name, labels) if n]
    if data.isascii():
        return data.decode("ascii")
    western = not names or names[0] in ("utf_8", "cp1252", "cp1258")
    if western:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    candidates = _candidates(data, names)
    scores = [_reading_score(text, name) for name, text in candidates]
    best = max(range(len(candidates)), key=lambda i: (scores[i], -i))
    if names and candidates[0][0] == names[0] and best != 0:
        best = best if scores[best] >= max(scores[0], 0) + OVERRIDE_MARGIN else 0
    return candidates[best][1]


# A character no byte reads as in windows-1252 (or latin-1): "ư", "đ", "ạ", "ế", ...
_BEYOND_WINDOWS_1252_RE = re.compile(
    "[^\x00-\xff"
    + re.escape("".join(sorted(set(_decode_single_byte(bytes(range(0x80, 0xA0)), "cp1252")))))
    + "]"
)


# Files that are sometimes saved under a page's name, by their first bytes.
_MAGIC = (
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP (or Word, Excel)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Word or Excel (97-2003)"),
    (b"{\\rtf", "RTF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"\x1f\x8b", "gzip"),
    (b"Rar!\x1a\x07", "RAR"),
)


def file_kind(data: bytes) -> str | None:
    """What a file that is no page is, from its first bytes ('PDF', 'JPEG', ...), or None."""
    return next((kind for magic, kind in _MAGIC if data.startswith(magic)), None)


def decode_bytes(data: bytes, declared: str | Iterable[str | None] | None = None) -> str:
    """Bytes -> text: a BOM, UTF-8, a declared charset, else the most Vietnamese reading.

    declared: one charset label, or several, best first. A declared charset loses only to a
    reading that is clearly more Vietnamese; bytes in no charset that reads as Vietnamese are
    read as Windows-1258, or as windows-1252 when a legacy font (TCVN3, VNI) reads them better
    (see ``decode_with_charset``).

    UTF-16 without a BOM is told by where its NUL bytes fall. Raises ExtractionError for
    binary content: NUL bytes near the start beyond ``MAX_NUL_SHARE``, which no page in UTF-8
    or Windows-1258 holds; a few stray NULs in a text are dropped.
    """
    if kind := file_kind(data):
        raise ExtractionError(f"a {kind} file, not a page")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    if utf16 := sniff_utf16(data):
        return data.decode(utf16, errors="replace")
    probe = data[:BINARY_PROBE]
    if probe.count(0) > MAX_NUL_SHARE * len(probe):
        raise ExtractionError("binary content")
    return decode_with_charset(data.replace(b"\x00", b""), declared)


def _windows_1252_only(text: str) -> bool:
    """True when every character of text is one windows-1252 (or latin-1) reads from a byte."""
    return _BEYOND_WINDOWS_1252_RE.search(text) is None


def _gain(before: str, after: str) -> tuple[int, Tally, Tally]:
    """(Vietnamese words gained, tally before, tally after) over the words a conversion changed."""
    pairs = [(b, a) for b, a in zip(before.split(), after.split(), strict=False) if a != b]
    old = tally(" ".join(b for b, _ in pairs), non_ascii_only=False)
    new = tally(" ".join(a for _, a in pairs), non_ascii_only=False)
    return new.valid - old.valid, old, new


def _conversions(text: str, font: LegacyFont | None, reading: Reading | None) -> list[str]:
    """The readings of text to weigh: the font's or the document's, else TCVN3 and VNI."""
    if font == "tcvn3-caps":
        return [from_tcvn3(text, caps=True)]
    chosen = reading if font is None else font
    if chosen:
        return [from_tcvn3(text) if chosen == "tcvn3" else from_vni(text)]
    return list(legacy_readings(text).values())


def convert_legacy_text(
    text: str, font: LegacyFont | None = None, reading: Reading | None = None
) -> str:
    """One run of text (a line, a text node) -> Unicode, if it is in a legacy font.

    font: the run's font, when the page's HTML names it; a conversion is then kept when it
    makes more words Vietnamese. Without it, the run must hold only windows-1252 characters
    (no "ư", "đ", "ạ") and the changed words must become mostly Vietnamese (``MIN_SHARE``).
    reading: the legacy font the whole document is in (``likely_reading``), the one tried;
    without, the better of TCVN3 and VNI is, and the changed words must also be mostly not
    Vietnamese before.
    """
    if text.isascii() and font != "tcvn3-caps":
        return text
    if font is None and not _windows_1252_only(text):
        return text  # "ư", "đ", "ạ": Unicode text, which no windows-1252 reading holds
    best, best_valid = text, 0
    for converted in _conversions(text, font, reading):
        gain, before, after = _gain(text, converted)
        share_ok = font is not None or (
            after.valid >= MIN_SHARE * after.counted
            and (reading is not None or before.valid < MIN_SHARE * before.counted)
        )
        if gain > 0 and share_ok and after.valid > best_valid:
            best, best_valid = converted, after.valid
    return best


def has_legacy_signs(text: str, minimum: int = 3) -> bool:
    """True when text holds at least minimum of the characters TCVN3 and VNI spell letters with."""
    return sum(1 for _ in itertools.islice(_SIGN_RE.finditer(text), minimum)) >= minimum


def likely_reading(text: str, min_gain: int = 3) -> Reading | None:
    """The legacy font text is mostly in: the reading that makes most words Vietnamese.

    None unless it turns at least min_gain distinct non-words into Vietnamese syllables.
    """
    if not has_legacy_signs(text, min_gain):
        return None
    words = {w for w in text.split() if not w.isascii() and _windows_1252_only(w)}
    words = {w for w in words if not is_word(w)}
    gains = {name: sum(1 for w in words if is_word(convert(w))) for name, convert in _READERS}
    best = max(gains, key=gains.__getitem__)
    return best if gains[best] >= min_gain else None


def convert_legacy_lines(text: str) -> str:
    """A text scrape -> the same text, each line in a legacy font converted to Unicode."""
    reading = None if text.isascii() else likely_reading(text)
    if reading is None:
        return text
    return "\n".join(convert_legacy_text(line, reading=reading) for line in text.split("\n"))
