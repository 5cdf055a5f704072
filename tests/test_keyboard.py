"""Telex and VNI typed with the Vietnamese keyboard off: tokens, syllable check, whole queries."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search_app.query.keyboard import (
    convert_query,
    decode_telex,
    decode_vni,
    is_syllable,
    split_query,
    with_case,
)

# The archive of these tests: the syllables ``known`` answers yes for.
ARCHIVE_TEXT = """chuyển đổi số việt nam hòa bình từ nước điện biên quý báo bao so tin
    thông truyền tỉnh bắc kạn đường người giữ mưa học ubnd email website
    quốc gia á í
    now max mã bus teen tên ddos đó xoong xông car cả as is thoong laf là attack"""
ARCHIVE = set(ARCHIVE_TEXT.split())


def known(syllable: str) -> bool:
    """The test archive's ``known``."""
    return syllable in ARCHIVE


@pytest.mark.parametrize(
    ("typed", "syllable"),
    [
        ("chuyeenr", "chuyển"),
        ("ddooir", "đổi"),
        ("soos", "số"),
        ("vieejt", "việt"),
        ("hoaf", "hòa"),
        ("binhf", "bình"),
        ("bifnh", "bình"),  # the tone key may come before the final consonants
        ("tuwf", "từ"),
        ("nuwowcs", "nước"),
        ("nuowcs", "nước"),  # one w makes both ư and ơ
        ("nuocws", "nước"),  # ... even typed after the final consonant
        ("ddieejn", "điện"),
        ("bieen", "biên"),
        ("quys", "quý"),
        ("baos", "báo"),
        ("giuwx", "giữ"),
        ("guiwr", "gửi"),
        ("muaw", "mưa"),
        ("xoawn", "xoăn"),  # in 'oa' the o is a glide: w goes to the a
        ("thuowr", "thuở"),  # open 'uo' + w is uơ
        ("nguowif", "người"),
        ("ddwowngf", "đường"),  # w alone is ư
        ("hocj", "học"),
        ("gif", "gì"),
        ("ddaays", "đấy"),
        ("tieengsz", "tiêng"),  # z clears the tone
        ("Vieejt", "Việt"),
        ("VIEEJT", "VIỆT"),
        ("DDoongf", "Đồng"),
        ("bao", "bao"),  # plain unaccented text reads as itself
        ("so", "so"),
        ("tin", "tin"),
    ],
)
def test_decode_telex(typed, syllable):
    assert decode_telex(typed) == syllable


@pytest.mark.parametrize(
    "typed",
    [
        "email",
        "website",
        "internet",
        "smartphone",
        "UBND",
        "CNTT",
        "ATTT",
        "hocf",  # a syllable closed by c takes only sắc or nặng
        "aaa",  # Telex's undo: the user wanted the letters
        "boss",  # two tone keys
        "fan",  # f is no onset
        "4G",
        "chuyển",
        "",
        "cuwuws",  # one w too many
    ],
)
def test_decode_telex_rejects(typed):
    assert decode_telex(typed) is None


@pytest.mark.parametrize(
    ("typed", "syllable"),
    [
        ("chuye6n3", "chuyển"),
        ("d9o6i3", "đổi"),
        ("so61", "số"),
        ("vie65t", "việt"),
        ("xua6n", "xuân"),
        ("nu7o71c", "nước"),
        ("d9u7o72ng", "đường"),
        ("a8n", "ăn"),
        ("mu7a", "mưa"),
        ("qua8ng", "quăng"),
        ("Vie65t", "Việt"),
        ("tie6ng10", "tiêng"),  # 0 clears the tone
        ("nam", "nam"),
    ],
)
def test_decode_vni(typed, syllable):
    assert decode_vni(typed) == syllable


@pytest.mark.parametrize(
    "typed", ["4G", "5G", "b2", "u23", "mp3", "H5N1", "bo9", "hoc2", "s23", "mua8", "ba7"]
)
def test_decode_vni_rejects(typed):
    assert decode_vni(typed) is None


@pytest.mark.parametrize(
    "syllable",
    ["a", "gì", "giữ", "giếng", "gìn", "quý", "quốc", "quỳnh", "nguyễn", "nghiêng", "khuỷu", "thuở",
     "kạn", "ghế", "boong", "yêu", "uy", "oán", "người", "rượu", "Việt", "ĐƯỜNG", "học"],
)  # fmt: skip
def test_is_syllable(syllable):
    assert is_syllable(syllable)


@pytest.mark.parametrize(
    "text",
    ["", "ubnd", "ce", "ghe" + "a", "nge", "ka" + "x", "hòc", "việt" + "t", "qa", "bb", "ă", "tour",
     "email", "chuyểnn", "sành" + "s"],
)  # fmt: skip
def test_is_not_syllable(text):
    assert not is_syllable(text)


@pytest.mark.parametrize(
    ("syllable", "typed", "expected"),
    [("việt", "vieejt", "việt"), ("việt", "Vieejt", "Việt"), ("việt", "VIEEJT", "VIỆT"),
     ("á", "A", "Á")],
)  # fmt: skip
def test_with_case(syllable, typed, expected):
    assert with_case(syllable, typed) == expected


@given(st.text(alphabet='ab -"()|OR/QĐ-UBND570đ\t', max_size=40))
def test_split_query_keeps_every_character(query):
    assert "".join(piece.text for piece in split_query(query)) == query


@given(st.text(alphabet="adeioquwyfjrsxzngtchAD", min_size=1, max_size=9))
def test_decoded_telex_is_always_a_syllable(typed):
    decoded = decode_telex(typed)
    assert decoded is None or is_syllable(decoded)


@given(st.text(alphabet="adeioquyngtch0123456789", min_size=1, max_size=9))
def test_decoded_vni_is_always_a_syllable(typed):
    decoded = decode_vni(typed)
    assert decoded is None or is_syllable(decoded)


def test_split_query_kinds():
    pieces = split_query('-ddooir "soos" (a OR b) 570/QĐ-UBND, x.')
    words = [p.text for p in pieces if p.kind == "word"]
    syntax = [p.text for p in pieces if p.kind == "syntax"]
    assert words == ["ddooir", "soos", "a", "b", "x"]
    assert syntax == ["-", '"', '"', "(", "OR", ")", "570/QĐ-UBND,", "."]


@pytest.mark.parametrize(
    ("query", "converted"),
    [
        ("chuyeenr ddooir soos", "chuyển đổi số"),
        ("chuye6n3 d9o6i3 so61", "chuyển đổi số"),
        ("vieejt nam", "việt nam"),
        ("vie65t nam", "việt nam"),
        ("Vieejt Nam", "Việt Nam"),
        ("hoaf binhf", "hòa bình"),
        ("hoaf bifnh", "hòa bình"),
        ("tuwf", "từ"),
        ("nuwowcs", "nước"),
        ("ddieejn bieen", "điện biên"),
        ("quys", "quý"),
        ("baos", "báo"),
        # operators, quotes, brackets, exclusions and document numbers are kept
        ('"chuyeenr ddooir soos" -baos', '"chuyển đổi số" -báo'),
        ("(hoaf OR bifnh) 570/QĐ-UBND", "(hòa OR bình) 570/QĐ-UBND"),
        ("ddieejn bieen, email", "điện biên, email"),  # a word that is no syllable stays
        ("chuyển ddooir", "chuyển đổi"),  # accented words stay as they are
        ("UBND tinhr Bawcs Kajn", "UBND tỉnh Bắc Kạn"),
        # the archive has 'thoong', 'laf', 'car' as typed (typos, English) ...
        ("thoong tin", "thông tin"),  # ... but beside Vietnamese syllables they are Telex
        ("chuyeenr laf car", "chuyển là cả"),  # ... and beside surely keyed words
    ],
)
def test_convert_query(query, converted):
    assert convert_query(query, known) == converted


@pytest.mark.parametrize(
    "query",
    [
        "chuyen doi so",  # Vietnamese typed without diacritics
        "bac kan",
        "so",
        "bao",
        "tin",
        "hoa",
        "chuyển đổi số",  # accented input
        "email website internet smartphone",
        "UBND CNTT TT&TT ATTT 4G 5G",
        "570/QĐ-UBND 2024",
        "now",  # English words the archive has as typed: not Telex
        "max bus teen",
        "ddos",
        "xoong",
        "car",  # a word the archive has as typed is never converted on its own
        "as is",
        "thoong attack",  # beside an English word
        "laf car",
        "ddooir giaos",  # 'giáo' is not in the archive: not all of it reads as Telex
        "a1 b2",  # licence classes, not VNI
        "",
        '"" () OR -',
    ],
)
def test_convert_query_leaves_alone(query):
    assert convert_query(query, known) is None


def test_convert_query_asks_known_about_typed_and_decoded():
    asked = []

    def spy(syllable):
        asked.append(syllable)
        return True

    assert convert_query("Soos", spy) is None  # the archive 'has' soos as typed
    assert asked == ["soos", "số"]
