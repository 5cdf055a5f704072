"""Publishing province from the site itself: hosts and site names (issue 5)."""

from __future__ import annotations

import tomllib

import pytest

from indexer.metadata import sites
from indexer.metadata.gazetteer import all_provinces
from indexer.metadata.sites import (
    SitesError,
    host_of,
    host_province,
    publishing_province,
    site_name_province,
)
from indexer.pages.extract import extract_article
from indexer.records import Location, RawRecord
from indexer.text.vietnamese import fold

ORIGINAL = sites.SITES_PATH.read_text(encoding="utf-8")
DATA = tomllib.loads(ORIGINAL)
PROVINCES = all_provinces()


def _own_label(name: str) -> str:
    """The label a province's domain is derived from: 'Bắc Kạn' -> 'backan'."""
    return "".join(c for c in fold(name) if c.isalnum())


def test_the_data_lists_every_province_with_its_folded_name_among_its_labels():
    assert sorted(DATA["provinces"]) == sorted(p.name for p in PROVINCES)
    for province in PROVINCES:
        labels = DATA["provinces"][province.name]
        assert _own_label(province.name) in labels


@pytest.mark.parametrize("province", PROVINCES, ids=lambda p: p.slug)
@pytest.mark.parametrize(
    "url",
    [
        "{}.gov.vn",
        "www.{}.gov.vn",
        "https://stttt.{}.gov.vn/tin-tuc/bai-viet.html",
        "http://sotttt.{}.gov.vn:8080/Pages/default.aspx",
        "https://ict.{}.gov.vn",
        "https://WWW.BAO{}.VN/thoi-su/",
    ],
)
def test_every_province_resolves_from_its_domains(province, url):
    for label in DATA["provinces"][province.name]:
        assert host_province(url.format(label)) == province


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://backan.gov.vn/Pages/tin-tuc.aspx", "Bắc Kạn"),
        ("https://sotttt.bacgiang.gov.vn/chi-tiet-tin-tuc", "Bắc Giang"),
        ("https://stttt.dienbien.gov.vn/portal/Pages/default.aspx", "Điện Biên"),
        ("stttt.hanoi.gov.vn", "Hà Nội"),
        ("https://tttt.hochiminhcity.gov.vn/", "Hồ Chí Minh"),
        ("https://baria-vungtau.gov.vn/", "Bà Rịa - Vũng Tàu"),
        ("https://stttt.thuathienhue.gov.vn/?gd=1", "Huế"),
        ("https://baonghean.vn/ky-niem", "Nghệ An"),
        ("https://www.baoquangninh.com.vn/a.html", "Quảng Ninh"),
        ("https://hanoimoi.com.vn/tin-tuc/Xa-hoi/1.htm", "Hà Nội"),
        ("https://www.sggp.org.vn/x.html", "Hồ Chí Minh"),
    ],
)
def test_known_sites(url, name):
    assert host_province(url).name == name


@pytest.mark.parametrize(
    "url",
    [
        "https://mic.gov.vn/tin-tuc.htm",
        "https://english.mic.gov.vn/",
        "https://chinhphu.vn/",
        "https://baochinhphu.vn/",
        "https://dantri.com.vn/suc-manh-so.htm",
        "https://vnexpress.net/so-hoa",
        "https://backan.gov.vn.example.com/",  # not under gov.vn
        "https://notbackan.gov.vn/",
        "https://backan.vn/",  # a bare province name outside gov.vn says nothing
        "https://gov.vn/",
        "",
        None,
        "not a url at all",
    ],
)
def test_national_and_unknown_hosts_give_no_province(url):
    assert host_province(url) is None


def test_host_of():
    assert host_of("https://www.Backan.gov.vn:443/a?b=c") == "www.backan.gov.vn"
    assert host_of("stttt.backan.gov.vn/Pages/x.aspx") == "stttt.backan.gov.vn"
    assert host_of("//baonghean.vn/x") == "baonghean.vn"
    assert host_of(None) == ""


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Sở Thông tin và Truyền thông tỉnh Bắc Kạn", "Bắc Kạn"),
        ("SỞ THÔNG TIN VÀ TRUYỀN THÔNG TỈNH BẮC KẠN", "Bắc Kạn"),
        ("Sở TT&TT Bắc Giang", "Bắc Giang"),
        ("Cổng thông tin điện tử tỉnh Điện Biên", "Điện Biên"),
        ("Cổng TTĐT Sở Thông tin và Truyền thông tỉnh Lào Cai", "Lào Cai"),
        ("Báo Nghệ An điện tử", "Nghệ An"),
        ("Tin tức - Sở TT&TT tỉnh Quảng Ninh", "Quảng Ninh"),
        ("UBND TP. Hồ Chí Minh", "Hồ Chí Minh"),
        ("Cổng thông tin điện tử Thừa Thiên Huế", "Huế"),
        ("Đài Phát thanh và Truyền hình Bà Rịa - Vũng Tàu", "Bà Rịa - Vũng Tàu"),
        ("Bộ Thông tin và Truyền thông", None),
        ("Cổng thông tin điện tử Chính phủ", None),
        ("Báo Dân trí", None),
        ("Bắc Kạn", None),  # a bare province name is no site name
        ("Sở Thông tin và Truyền thông", None),
        ("", None),
        (None, None),
    ],
)
def test_site_names(name, expected):
    province = site_name_province(name)
    assert (province.name if province else None) == expected


def test_a_national_host_ignores_the_site_name():
    assert publishing_province("https://mic.gov.vn/x", "Sở TT&TT Bắc Kạn") is None
    assert publishing_province("https://example.org/x", "Sở TT&TT Bắc Kạn").name == "Bắc Kạn"
    assert publishing_province("https://stttt.backan.gov.vn", "Sở TT&TT Lào Cai").name == "Bắc Kạn"


# --- in extraction: the site comes before the text ------------------------------------------

_ABOUT_NGHE_AN = (
    "<h1>Hội nghị chuyển đổi số tỉnh Nghệ An</h1><p>Sáng nay, UBND tỉnh Nghệ An tổ chức hội "
    "nghị chuyển đổi số. Các sở, ngành của tỉnh Nghệ An báo cáo kết quả.</p>"
)


def _html(head: str) -> RawRecord:
    page = f"<html><head>{head}</head><body><article>{_ABOUT_NGHE_AN}</article></body></html>"
    return RawRecord(id="a", kind="html", location=Location("a.html"), content=page)


def test_the_publishing_site_decides_before_the_text():
    assert extract_article(_html("")).province == "Nghệ An"
    by_host = _html("<link rel='canonical' href='https://stttt.backan.gov.vn/tin/1.html'>")
    assert extract_article(by_host).province == "Bắc Kạn"
    by_name = _html("<meta property='og:site_name' content='Sở TT&TT tỉnh Điện Biên'>")
    assert extract_article(by_name).province == "Điện Biên"
    national = _html("<meta property='og:url' content='https://mic.gov.vn/tin/1.htm'>")
    assert extract_article(national).province == "Nghệ An"


def test_a_jsonl_record_source_names_its_province():
    record = RawRecord(
        id="r",
        kind="jsonl",
        location=Location("r.jsonl", line=1),
        fields={"body": "Hội nghị tổng kết công tác năm.", "source": "Sở TT&TT Cao Bằng"},
    )
    assert extract_article(record).province == "Cao Bằng"


# --- the data file is checked when it loads ---------------------------------------------------


@pytest.fixture
def sites_file(tmp_path, monkeypatch):
    """Point the loader at a data file of the test's own, and forget the loaded data after."""
    path = tmp_path / "province_sites.toml"
    monkeypatch.setattr(sites, "SITES_PATH", path)
    sites._sites.cache_clear()
    yield path
    sites._sites.cache_clear()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[provinces]\n"Bắc Cạn Mới" = ["x"]\n', "unknown province"),
        ('[provinces]\n"Bắc Kạn" = ["backan"]\n"Lào Cai" = ["backan"]\n', "two provinces"),
        ('[hosts]\n"a.vn" = "Nowhere"\n', "unknown province"),
        ("[provinces\n", "cannot read"),
    ],
)
def test_bad_data_is_refused(sites_file, text, message):
    sites_file.write_text(text, encoding="utf-8")
    with pytest.raises(SitesError, match=message):
        host_province("backan.gov.vn")


def test_the_data_can_be_extended(sites_file):
    extended = ORIGINAL.replace("[hosts]\n", '[hosts]\n"ict-hcm.gov.vn" = "Hồ Chí Minh"\n')
    sites_file.write_text(extended, encoding="utf-8")
    assert host_province("https://ict-hcm.gov.vn/a").name == "Hồ Chí Minh"
    assert host_province("https://backan.gov.vn/").name == "Bắc Kạn"
