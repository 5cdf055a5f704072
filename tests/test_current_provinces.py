"""The 34 provinces and cities since 1 July 2025, and the 63 before it that each took in."""

from __future__ import annotations

import pytest

from indexer.metadata.current_provinces import (
    CurrentProvince,
    current_province_by_slug,
    current_province_for,
    current_province_of,
    current_provinces,
)
from indexer.metadata.gazetteer import all_provinces, province_by_slug

# Nghị quyết 202/2025/QH15, written out here as the check on the package's data: each unit of
# today and the provinces it took in besides the one whose name it kept.
TOOK_IN = {
    "Tuyên Quang": ["Hà Giang"],
    "Lào Cai": ["Yên Bái"],
    "Thái Nguyên": ["Bắc Kạn"],
    "Phú Thọ": ["Vĩnh Phúc", "Hòa Bình"],
    "Bắc Ninh": ["Bắc Giang"],
    "Hưng Yên": ["Thái Bình"],
    "Hải Phòng": ["Hải Dương"],
    "Ninh Bình": ["Hà Nam", "Nam Định"],
    "Quảng Trị": ["Quảng Bình"],
    "Đà Nẵng": ["Quảng Nam"],
    "Quảng Ngãi": ["Kon Tum"],
    "Gia Lai": ["Bình Định"],
    "Khánh Hòa": ["Ninh Thuận"],
    "Lâm Đồng": ["Đắk Nông", "Bình Thuận"],
    "Đắk Lắk": ["Phú Yên"],
    "Hồ Chí Minh": ["Bình Dương", "Bà Rịa - Vũng Tàu"],
    "Đồng Nai": ["Bình Phước"],
    "Tây Ninh": ["Long An"],
    "Cần Thơ": ["Sóc Trăng", "Hậu Giang"],
    "Vĩnh Long": ["Bến Tre", "Trà Vinh"],
    "Đồng Tháp": ["Tiền Giang"],
    "Cà Mau": ["Bạc Liêu"],
    "An Giang": ["Kiên Giang"],
}
UNCHANGED = [
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh",
    "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Cao Bằng",
]  # fmt: skip


def test_the_34_units_in_code_order():
    units = current_provinces()
    assert len(units) == 34
    assert [u.code for u in units] == sorted(u.code for u in units)
    assert {u.name for u in units} == set(TOOK_IN) | set(UNCHANGED)
    assert len({u.slug for u in units}) == 34
    assert all(current_province_by_slug(u.slug) is u for u in units)
    assert current_province_by_slug("bac-kan") is None  # no longer a unit


@pytest.mark.parametrize("province", all_provinces(), ids=lambda p: p.slug)
def test_every_one_of_the_63_provinces_has_its_unit_of_today(province):
    unit = current_province_of(province)
    expected = next(
        (name for name, others in TOOK_IN.items() if province.name in others), province.name
    )
    assert unit.name == expected
    assert province in unit.former
    assert current_province_for(province.name) is unit
    assert current_province_for(province.slug) is unit


def test_each_unit_is_made_of_its_former_provinces_and_no_others():
    former = [p for unit in current_provinces() for p in unit.former]
    assert sorted(p.slug for p in former) == sorted(p.slug for p in all_provinces())
    for unit in current_provinces():
        assert sorted(p.name for p in unit.took_in) == sorted(TOOK_IN.get(unit.name, []))


def test_the_issue_examples():
    thai_nguyen = current_province_for("Bắc Kạn")
    assert isinstance(thai_nguyen, CurrentProvince)
    assert (thai_nguyen.code, thai_nguyen.name, thai_nguyen.slug) == (
        "19",
        "Thái Nguyên",
        "thai-nguyen",
    )
    assert [p.name for p in thai_nguyen.former] == ["Bắc Kạn", "Thái Nguyên"]
    assert thai_nguyen.written == "tỉnh Thái Nguyên"
    assert current_province_for("Bắc Giang").name == "Bắc Ninh"
    assert current_province_for("Đắk Nông").name == "Lâm Đồng"
    assert current_province_for("Điện Biên").took_in == ()
    assert current_province_for("TP.HCM").written == "thành phố Hồ Chí Minh"
    assert current_province_for("Thừa Thiên Huế").name == "Huế"
    assert province_by_slug("bac-kan") in current_province_by_slug("thai-nguyen").took_in


@pytest.mark.parametrize("published", [None, "", "Trung ương", "Atlantis", "toàn quốc"])
def test_a_national_or_unknown_province_has_no_unit(published):
    assert current_province_for(published) is None
