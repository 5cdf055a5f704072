"""The province gazetteer: the 63 provinces, aliases, and mentions in running text."""

from __future__ import annotations

import json

import pytest

from indexer.metadata import gazetteer
from indexer.metadata.gazetteer import (
    Province,
    all_provinces,
    find_province_mentions,
    province_by_slug,
    resolve_province,
)
from indexer.text.vietnamese import normalize_text


def names(text: str) -> list[str]:
    return [m.province.name for m in find_province_mentions(normalize_text(text))]


def test_the_63_provinces_in_code_order():
    provinces = all_provinces()
    assert len(provinces) == 63
    assert [p.code for p in provinces] == sorted(p.code for p in provinces)
    assert len({p.slug for p in provinces}) == 63
    assert provinces[0] == province_by_slug("ha-noi")
    assert {"Bắc Kạn", "Hồ Chí Minh", "Huế", "Bà Rịa - Vũng Tàu", "Đắk Lắk"} <= {
        p.name for p in provinces
    }


def test_province_record():
    bac_kan = province_by_slug("bac-kan")
    assert isinstance(bac_kan, Province)
    assert (bac_kan.code, bac_kan.name, bac_kan.full_name) == ("06", "Bắc Kạn", "Tỉnh Bắc Kạn")
    assert "Bắc Cạn" in bac_kan.aliases
    assert province_by_slug("ho-chi-minh").full_name == "Thành phố Hồ Chí Minh"
    assert province_by_slug("atlantis") is None
    with pytest.raises(AttributeError):
        bac_kan.name = "x"  # frozen


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bắc Kạn", "Bắc Kạn"),
        ("Bắc Cạn", "Bắc Kạn"),
        ("tỉnh bắc kạn", "Bắc Kạn"),
        ("TỈNH BẮC KẠN", "Bắc Kạn"),
        ("bac kan", "Bắc Kạn"),
        ("bac-kan", "Bắc Kạn"),
        ("TP. HCM", "Hồ Chí Minh"),
        ("TP.HCM", "Hồ Chí Minh"),
        ("TPHCM", "Hồ Chí Minh"),
        ("TP Hồ Chí Minh", "Hồ Chí Minh"),
        ("Thành phố Hồ Chí Minh", "Hồ Chí Minh"),
        ("Sài Gòn", "Hồ Chí Minh"),
        ("Thừa Thiên Huế", "Huế"),
        ("Thừa Thiên - Huế", "Huế"),
        ("thua thien hue", "Huế"),
        ("Huế", "Huế"),
        ("Đắc Lắc", "Đắk Lắk"),
        ("Đăk Lăk", "Đắk Lắk"),
        ("Daklak", "Đắk Lắk"),
        ("Đắc Nông", "Đắk Nông"),
        ("Đăk Nông", "Đắk Nông"),
        ("Kontum", "Kon Tum"),
        ("Bà Rịa - Vũng Tàu", "Bà Rịa - Vũng Tàu"),
        ("BR-VT", "Bà Rịa - Vũng Tàu"),
        ("Vũng Tàu", "Bà Rịa - Vũng Tàu"),
        ("Hoà Bình", "Hòa Bình"),  # old tone placement
        ("Thanh Hoá", "Thanh Hóa"),
        ("TP Cần Thơ", "Cần Thơ"),
        ("Thành phố Hà Nội", "Hà Nội"),
        ("  Điện Biên ", "Điện Biên"),
    ],
)
def test_resolve_province(text, expected):
    assert resolve_province(text).name == expected


@pytest.mark.parametrize("text", ["", "   ", "Việt Nam", "Atlantis", "tỉnh", "Quảng Đông"])
def test_resolve_unknown(text):
    assert resolve_province(text) is None


def test_mentions_carry_spans_and_admin_words():
    text = normalize_text("Sở TT&TT tỉnh Bắc Kạn làm việc với TP.HCM và Đà Nẵng.")
    mentions = find_province_mentions(text)
    assert [(text[m.start : m.end], m.province.name, m.admin) for m in mentions] == [
        ("Bắc Kạn", "Bắc Kạn", True),
        ("TP.HCM", "Hồ Chí Minh", True),
        ("Đà Nẵng", "Đà Nẵng", False),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hòa Bình", ["Hòa Bình"]),
        ("vì một thế giới hòa bình", []),  # peace, not the province
        ("tỉnh Hoà Bình", ["Hòa Bình"]),
        ("HỘI NGHỊ TẠI THÁI BÌNH", ["Thái Bình"]),
        ("Thái Bình Dương", []),  # the Pacific
        ("khu vực Châu Á - Thái Bình Dương", []),
        ("Chủ tịch Hồ Chí Minh", []),
        ("học tập tư tưởng Hồ Chí Minh", []),
        ("thành phố Hồ Chí Minh", ["Hồ Chí Minh"]),
        ("TP. Hồ Chí Minh", ["Hồ Chí Minh"]),
        ("TPHCM", ["Hồ Chí Minh"]),
        ("về Sài Gòn", ["Hồ Chí Minh"]),
        ("chiến thắng Điện Biên Phủ", []),
        ("thành phố Điện Biên Phủ", ["Điện Biên"]),
        ("số 5 đường Điện Biên Phủ", []),
        ("ông Nguyễn Thái Bình", []),  # a person
        ("bà Nguyễn Thị Huế", []),
        ("chị Huế cho biết", []),
        ("cố đô Huế", ["Huế"]),
        ("huyện Hòa Bình, tỉnh Bạc Liêu", ["Bạc Liêu"]),  # a district named like a province
        ("Bà Rịa-Vũng Tàu", ["Bà Rịa - Vũng Tàu"]),
        ("Ha Noi", ["Hà Nội"]),
        ("xã Vi Hương, huyện Bạch Thông", []),
        ("bắc kạn", []),  # lowercase is not a name in running text
    ],
)
def test_mention_rules(text, expected):
    assert names(text) == expected


def test_mentions_whole_words_only():
    assert names("Long Anh, Hà Namh, BắcKạn") == []


def test_alias_file_is_documented_and_valid():
    data = json.loads(gazetteer.ALIASES_PATH.read_text(encoding="utf-8"))
    assert data["_comment"]
    known = {p.name for p in all_provinces()}
    for section in ("aliases", "needs_prefix"):
        assert set(data[section]) <= known


def test_long_text_is_fast_enough():
    text = normalize_text(" ".join(["Sở TT&TT tỉnh Bắc Kạn và TP.HCM, hòa bình."] * 2000))
    mentions = find_province_mentions(text)
    assert len(mentions) == 4000
