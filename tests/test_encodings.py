"""Charsets and legacy fonts: declared or not, Windows-1258, TCVN3 (ABC) and VNI (issue 5)."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.inputs.encodings import convert_legacy_lines, convert_legacy_text, decode_with_charset
from indexer.inputs.legacy_encodings import (
    TCVN3_TABLE,
    VIETNAMESE_LETTERS,
    from_tcvn3,
    from_vni,
    to_tcvn3,
    to_vni,
)
from indexer.inputs.legacy_html import convert_legacy_html, font_kind
from indexer.pages.extract import extract_article
from indexer.pages.htmlpage import parse_html_page
from indexer.pages.textpage import decode_bytes, parse_text_page
from indexer.records import Location, RawRecord
from indexer.text.syllables import is_syllable, tally
from indexer.text.vietnamese import TONE_MARKS, normalize_text

DATA = Path(__file__).resolve().parent / "data" / "encodings"
ARTICLE = (DATA / "article.txt").read_text(encoding="utf-8").strip().split("\n")
TITLE, DATELINE, *PARAGRAPHS, AUTHOR = ARTICLE
WESTERN = (
    "The café on the Champs-Élysées served crème brûlée. Señor Muñoz paid 12 € — naïve, "
    "but « très bien ». Große Straße, Zürich; São Paulo, Ångström, Øresund, façade, jalapeño."
)


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Windows writes it: letters with hats precomposed, tones combining."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in parts if c in TONE_MARKS)
        rest = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
        out.append(rest + tones)
    return "".join(out).encode("cp1258")


# --- the tables --------------------------------------------------------------------------------


def test_there_are_134_letters_with_diacritics():
    letters = {c for lower in VIETNAMESE_LETTERS for c in (lower, lower.upper())}
    assert len(letters) == 146 and len({c for c in letters if not c.isascii()}) == 134


@pytest.mark.parametrize("letter", [*VIETNAMESE_LETTERS, *VIETNAMESE_LETTERS.upper()])
def test_vni_round_trips_every_letter(letter):
    spelled = to_vni(letter)
    assert spelled.encode("cp1252")  # VNI is a windows-1252 reading: it must encode as one
    assert from_vni(spelled) == letter


@pytest.mark.parametrize("letter", VIETNAMESE_LETTERS)
def test_tcvn3_round_trips_every_letter_and_capitals_through_the_caps_font(letter):
    assert len(to_tcvn3(letter)) == 1 and to_tcvn3(letter).encode("cp1252")
    assert from_tcvn3(to_tcvn3(letter)) == letter
    capital = letter.upper()
    assert from_tcvn3(to_tcvn3(capital), caps=True) == capital
    if capital in "ĂÂÊÔƠƯĐ":  # the capitals VN3 has codes for
        assert from_tcvn3(to_tcvn3(capital)) == capital


def test_tcvn3_table_is_the_one_glibc_iconv_has_for_tcvn_5712():
    iconv = shutil.which("iconv")
    if iconv is None:
        pytest.skip("no iconv")
    data = b"".join(bytes([b]) + b"\n" for b in range(0xA1, 0x100))
    done = subprocess.run(
        [iconv, "-f", "TCVN5712-1", "-t", "UTF-8"], input=data, check=False, capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("iconv has no TCVN5712-1")
    assert done.stdout.decode("utf-8").split("\n")[:-1] == list(TCVN3_TABLE.values())


@pytest.mark.parametrize(
    ("legacy", "convert", "unicode"),
    [  # mojibake as published by others (Unikey-era converters' examples)
        ("B¶o Th¾ng", from_tcvn3, "Bảo Thắng"),
        ("B¸t X¸t", from_tcvn3, "Bát Xát"),
        ("Xin chaøo caùc baïn", from_vni, "Xin chào các bạn"),
    ],
)
def test_known_mojibake_converts(legacy, convert, unicode):
    assert convert(legacy) == unicode


_TEXT = st.text(st.sampled_from([*VIETNAMESE_LETTERS, *VIETNAMESE_LETTERS.upper(), *" .,:0bcdđ"]))


@given(_TEXT)
def test_vni_round_trips_any_text(text):
    assert from_vni(to_vni(text)) == text


@given(_TEXT)
def test_tcvn3_round_trips_any_lowercase_text(text):
    assert from_tcvn3(to_tcvn3(text.lower())) == text.lower()
    assert from_tcvn3(to_tcvn3(text), caps=True) == text.upper()


# --- syllables ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word",
    ["Thông", "truyền", "quốc", "giữ", "gì", "nghiêng", "khuya", "TRUYỀN", "huých", "thuở", "ươm"],
)
def test_vietnamese_syllables(word):
    assert is_syllable(word)


@pytest.mark.parametrize(
    "word", ["Th«ng", "Thoâng", "TruyêÌn", "caùc", "kan", "ngi", "bât", "tiếngg", "ThÔng", "café"]
)
def test_not_vietnamese_syllables(word):
    assert not is_syllable(word)


def test_real_vietnamese_text_is_nearly_all_syllables():
    counts = tally("\n".join(ARTICLE))
    assert counts.valid / counts.counted > 0.97


# --- charsets ----------------------------------------------------------------------------------

_TEXT_ARTICLE = "\n".join(ARTICLE)


@pytest.mark.parametrize(
    ("data", "declared"),
    [
        (_TEXT_ARTICLE.encode("utf-8"), None),
        (_TEXT_ARTICLE.encode("utf-8"), "iso-8859-1"),  # declared wrong
        (_TEXT_ARTICLE.encode("utf-8"), "windows-1258"),  # declared wrong
        (to_cp1258(_TEXT_ARTICLE), None),
        (to_cp1258(_TEXT_ARTICLE), "windows-1258"),
        (to_cp1258(_TEXT_ARTICLE), "utf-8"),  # declared wrong
        (to_cp1258(_TEXT_ARTICLE), "windows-1252"),  # declared wrong
        (to_vni(_TEXT_ARTICLE).encode("cp1252"), None),
        (to_vni(_TEXT_ARTICLE).encode("cp1252"), "iso-8859-1"),
        (to_vni(_TEXT_ARTICLE).encode("cp1252"), "utf-8"),  # declared wrong
        (to_vni(_TEXT_ARTICLE).encode("cp1252"), "windows-1258"),
    ],
)
def test_decoding_finds_the_vietnamese_reading(data, declared):
    text = normalize_text(convert_legacy_lines(decode_bytes(data, declared)))
    assert text == normalize_text(_TEXT_ARTICLE)


@pytest.mark.parametrize("declared", [None, "windows-1252", "utf-8"])
def test_decoding_tcvn3_loses_only_the_case_of_capitals_with_tones(declared):
    text = normalize_text(
        convert_legacy_lines(decode_bytes(to_tcvn3(_TEXT_ARTICLE).encode("cp1252"), declared))
    )
    assert text != normalize_text(_TEXT_ARTICLE)  # "Ủy ban" has no VN3 code: it reads "ủy ban"
    assert text.lower() == normalize_text(_TEXT_ARTICLE).lower()


def test_a_declared_charset_is_kept_when_no_reading_is_more_vietnamese():
    assert decode_bytes(b"\xc1\xc2", "koi8-r") == "аб"
    russian = "Новости информационных технологий".encode("koi8-r")
    assert decode_with_charset(russian, "koi8-r") == "Новости информационных технологий"
    assert decode_with_charset(russian, ["no-such-charset", "koi8-r"]) == russian.decode("koi8-r")


def test_the_first_declared_charset_that_python_knows_counts_first():
    data = to_cp1258("Thông tin và Truyền thông tỉnh Bắc Kạn")
    assert decode_with_charset(data, [None, "windows-1258"]) == data.decode("cp1258")


@pytest.mark.parametrize("declared", [None, "windows-1252", "iso-8859-1"])
def test_western_text_is_never_converted(declared):
    data = WESTERN.encode("cp1252")
    text = decode_bytes(data, declared)
    if declared:
        assert text == WESTERN
    assert convert_legacy_lines(text) == text
    assert convert_legacy_text(WESTERN) == WESTERN
    page = f"<html><body><p>{WESTERN}</p><p>{WESTERN}</p></body></html>"
    assert convert_legacy_html(page) == page


def test_unicode_vietnamese_is_never_converted_even_in_a_legacy_font():
    line = "Thông tin và Truyền thông tỉnh Bắc Kạn"
    assert convert_legacy_text(line) == line
    assert convert_legacy_text(line, "tcvn3") == line
    assert convert_legacy_text(line, "vni") == line
    page = f"<style>p {{ font-family: .VnTime, Arial }}</style><p>{line}</p><p>Xin chào</p>"
    assert convert_legacy_html(page) == page


def test_text_without_tone_marks_is_not_taken_for_tcvn3():
    line = "Khi đo, du thư nươc hôn nhân co đưng trong bât ky loai côc nao, ban cung môt long"
    assert convert_legacy_text(line) == line


# --- HTML: fonts and text nodes ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (".VnTime", "tcvn3"),
        ("'.VnArial', sans-serif", "tcvn3"),
        ("VnTime", "tcvn3"),
        (".VnTimeH", "tcvn3-caps"),
        (".vntimeh", "tcvn3-caps"),
        ("VNI-Times", "vni"),
        ('"VNI Helve", Arial', "vni"),
        ("Arial, Helvetica", None),
        ("Times New Roman", None),
    ],
)
def test_font_kind(value, kind):
    assert font_kind(value) == kind


def test_only_the_legacy_font_text_of_a_mixed_page_is_converted():
    body = to_tcvn3("Sở Thông tin và Truyền thông tỉnh Bắc Kạn tổ chức hội nghị tổng kết")
    page = (
        "<html><head><style>td.noidung { font-family: '.VnTime' }</style></head><body>"
        "<div>Trang chủ | Tin tức | Liên hệ</div><div>« Quay lại »</div>"
        f"<table><tr><td class='noidung'><p>{body}</p></td></tr></table>"
        f"<p style='font-family:.VnTimeH'>{to_tcvn3('tin mới')}</p></body></html>"
    )
    converted = convert_legacy_html(page)
    assert "Trang chủ | Tin tức | Liên hệ" in converted and "« Quay lại »" in converted
    assert "Sở Thông tin và Truyền thông tỉnh Bắc Kạn tổ chức hội nghị tổng kết" in converted
    assert "TIN MỚI" in converted


def test_legacy_text_without_a_font_name_is_found_by_its_words():
    page = "<p>{}</p><p>{}</p>".format(*(to_vni(p) for p in PARAGRAPHS[:2]))
    converted = convert_legacy_html(page)
    assert PARAGRAPHS[0] in normalize_text(converted)


def test_legacy_text_written_as_entities_is_found():
    entities = "".join(c if c.isascii() else f"&#{ord(c)};" for c in to_tcvn3(PARAGRAPHS[0]))
    page = f"<html><body><p>{entities}</p></body></html>"
    assert page.isascii()
    assert PARAGRAPHS[0].lower() in normalize_text(convert_legacy_html(page)).lower()


def test_metadata_in_a_legacy_font_is_converted():
    page = (
        f"<html><head><meta property='og:title' content='{to_tcvn3(TITLE)}'></head>"
        f"<body><font face='.VnTime'><p>{to_tcvn3(PARAGRAPHS[0])}</p></font></body></html>"
    )
    assert parse_html_page(page).title == normalize_text(TITLE)


# --- whole pages: parse and extract, compared with the original --------------------------------

_CASE_LOST = {"tcvn3-vntime.html", "tcvn3.txt"}  # capitals with tones: see the TCVN3 test above


@pytest.mark.parametrize(
    "name",
    [
        "tcvn3-vntime.html",
        "vni-times.html",
        "cp1258-declared-utf8.html",
        "utf8-declared-latin1.html",
        "tcvn3.txt",
        "vni.txt",
        "cp1258.txt",
    ],
)
def test_fixture_pages_extract_as_the_original(name):
    kind = "html" if name.endswith(".html") else "txt"
    record = RawRecord(
        id=name, kind=kind, location=Location(name), content=(DATA / name).read_bytes()
    )
    article = extract_article(record)
    got = (article.title, article.published, article.body, article.author, article.province)
    expected = (TITLE, "2024-01-15", "\n".join(PARAGRAPHS), AUTHOR, "Điện Biên")
    expected = tuple(normalize_text(v) if v else v for v in expected)
    if name in _CASE_LOST:
        got, expected = (tuple(v.lower() if v else v for v in t) for t in (got, expected))
    assert got == expected


def test_a_text_page_in_vni_parses_like_its_unicode_original():
    original = parse_text_page((DATA / "article.txt").read_bytes())
    assert parse_text_page((DATA / "vni.txt").read_bytes()) == original


# --- real news (../shared/corpus; skipped without it) ------------------------------------------

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dantri_unc.jsonl.gz"


@pytest.fixture(scope="module")
def real_bodies() -> list[str]:
    if not CORPUS.is_file():
        pytest.skip("../shared/corpus is absent")
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        return [json.loads(line)["body"] for line, _ in zip(lines, range(300), strict=False)]


def _fits_windows_1252(text: str) -> bool:
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def test_real_unicode_news_is_left_alone(real_bodies):
    for body in real_bodies:
        assert convert_legacy_lines(body) == body
        page = "<p>" + "</p><p>".join(body.split("\n")) + "</p>"
        assert convert_legacy_html(page) == page


@pytest.mark.parametrize("encode", [to_tcvn3, to_vni], ids=["tcvn3", "vni"])
def test_real_news_in_a_legacy_font_comes_back(real_bodies, encode):
    # Only what windows-1252 can hold is comparable; TCVN3 loses the case of toned capitals.
    bodies = [b for b in real_bodies if _fits_windows_1252(encode(b))]
    back = [convert_legacy_lines(decode_bytes(encode(b).encode("cp1252"))) for b in bodies]
    same = sum(a.lower() == b.lower() for a, b in zip(back, bodies, strict=True))
    assert same >= 0.97 * len(bodies)
