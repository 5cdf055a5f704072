"""Text scrapes -> Page: decoding, the junk check and the line rules."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from indexer.pages.textpage import (
    ExtractionError,
    clean_lines,
    decode_bytes,
    parse_text_page,
    split_page,
)
from indexer.text.vietnamese import normalize_text

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "archive" / "003_1f8cfd56b29d262e.txt"
TEXT = "Sở Thông tin và Truyền thông tỉnh Bắc Kạn"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom"],
)
def test_decode_bytes_reads_boms_and_utf8(data):
    assert decode_bytes(data) == TEXT


def test_decode_bytes_falls_back_to_windows_1258():
    data = b"Th\xf4ng tin v\xe0 Truy\xea\xccn th\xf4ng"  # Windows-1258: tones as combining marks
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert normalize_text(decode_bytes(data)) == "Thông tin và Truyền thông"


def test_decode_bytes_uses_a_declared_charset_and_ignores_an_unknown_one():
    assert decode_bytes(b"\xc1\xc2", "koi8-r") == "аб"  # Windows-1258 would say "ÁÂ"
    assert decode_bytes("Bắc Kạn".encode(), "no-such-charset") == "Bắc Kạn"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG file, not a page"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "a PDF file, not a page"),
        ("Bắc Kạn".encode("utf-16-le"), "binary content"),
    ],
    ids=["png", "pdf", "utf-16-without-bom"],
)
def test_decode_bytes_rejects_binary_content(data, reason):
    with pytest.raises(ExtractionError, match=reason):
        decode_bytes(data)


def test_parse_text_page_takes_bytes_or_text():
    data = SEED.read_bytes()
    assert parse_text_page(data) == parse_text_page(data.decode("utf-8"))
    assert parse_text_page(codecs.BOM_UTF16_LE + data.decode("utf-8").encode("utf-16-le")).title


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "empty"), (" \n\n", "empty"), ("\x01\x02\x03abc\x04", "binary or undecodable")],
)
def test_parse_text_page_rejects_unusable_text(content, reason):
    with pytest.raises(ExtractionError, match=reason):
        parse_text_page(content)


def test_clean_lines_collapses_spaces_and_repeats():
    assert clean_lines("  Tiêu   đề \n\nTiêu đề\nẢnh minh họa ảnh 1\n") == [
        "Tiêu đề",
        "Ảnh minh họa",
    ]


def test_split_page_finds_kicker_title_date_body_and_author():
    page = split_page(
        [
            "Trang chủ",
            "Kỷ niệm 20 năm thành lập:",
            "Sở Thông tin và Truyền thông vững bước",
            "Cập nhật lúc: 08/05/2020",
            "Bản để in",
            "Sáng 8/5, Sở tổ chức lễ kỷ niệm 20 năm ngày thành lập.",
            "Hà Văn Tiến",
            "Tin đã đăng",
            "Tin cũ hơn ngày 01/01/2019",
        ]
    )
    assert (page.kicker, page.title, page.published, page.author) == (
        "Kỷ niệm 20 năm thành lập:",
        "Sở Thông tin và Truyền thông vững bước",
        "2020-05-08",
        "Hà Văn Tiến",
    )
    assert page.body == ["Sáng 8/5, Sở tổ chức lễ kỷ niệm 20 năm ngày thành lập."]
