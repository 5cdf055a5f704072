"""The layout fixture pages (tests/data/layouts/, issue 5) extract to their expected fields.

Each page imitates a system the provincial departments run (NukeViet, DotNetNuke, SharePoint,
WordPress, Joomla, a home-grown table layout) with its traps: sidebars of dated news, a footer's
"Ngày cập nhật", print and share bars, breadcrumbs, bylines naming a CMS account. Issue 15 added
the systems real pages came from (Liferay, CKAN, site-builder exports, SharePoint 2010 as the
Wayback Machine serves it, 2025 national newspapers) and the publisher's province. Pages and
expected fields are described in bench/layouts.py and docs/extraction.md.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata

import pytest
from bs4 import BeautifulSoup

from bench.extraction import report
from bench.layouts import LAYOUTS, Fixture, load_fixtures, norm
from indexer.metadata.dates import date_line, dates_in, normalize_published
from indexer.metadata.gazetteer import resolve_province
from indexer.pages.extract import extract_article
from indexer.pages.htmlmeta import person
from indexer.pages.htmlpage import parse_html_page
from indexer.records import Location, RawRecord

FIXTURES = load_fixtures()
KEYS = {"layout", "split", "title", "kicker", "lead", "published", "author", "body", "captions"}
ISSUE_5_LAYOUTS = {"nukeviet", "dnn", "sharepoint", "wordpress", "joomla", "table"}
ISSUE_15_LAYOUTS = {"liferay", "ckan", "sitebuilder", "sharepoint2010", "newspaper"}
# Entities mangled by old site migrations, as real pages show them: "vi;ecirc%3ḅc" is
# "vi&ecirc;" + a combining dot below (the "b" of "%3b" took it), "ph;ép" lost "&eacute".
_MANGLED_ENTITY_RE = re.compile(r";([a-z]+)%3b", re.IGNORECASE)  # on NFD text
_STRAY_SEMICOLON_RE = re.compile(r"(?<=\w);(?=\w)")


def repaired(text: str) -> str:
    """Text with the migration-mangled entities put back: what a reader of the page reads."""
    text = unicodedata.normalize("NFD", text)
    text = _MANGLED_ENTITY_RE.sub(lambda m: html.unescape(f"&{m.group(1)};"), text)
    return unicodedata.normalize("NFC", _STRAY_SEMICOLON_RE.sub("", text))


def check_body(body: list[str], fixture: Fixture) -> None:
    """The body holds the expected paragraphs in order, each caption once, and nothing else."""
    lines = [norm(line) for line in body]
    prose = [line for line in lines if not any(c in line for c in fixture.captions)]
    assert prose == fixture.body
    assert lines[0] == fixture.body[0]  # the lead, never a caption
    for caption in fixture.captions:
        assert sum(caption in line for line in lines) == 1, caption
    text = "\n".join(lines)
    leaked = [s for s in fixture.not_in_body if s in text]
    assert not leaked


# --- the fixture set itself --------------------------------------------------------------------


def test_fixture_set_covers_the_systems():
    assert len(FIXTURES) >= 33
    layouts = {f.layout for f in FIXTURES}
    assert layouts >= ISSUE_5_LAYOUTS | ISSUE_15_LAYOUTS
    assert all(sum(f.layout == layout for f in FIXTURES) >= 3 for layout in ISSUE_5_LAYOUTS)
    # Two dev pages each, and the held-out page written blind for each.
    assert all(sum(f.layout == layout for f in FIXTURES) >= 3 for layout in ISSUE_15_LAYOUTS)
    held_out = {f.layout for f in FIXTURES if f.split == "holdout"}
    assert held_out >= set(ISSUE_15_LAYOUTS)
    assert {f.split for f in FIXTURES} == {"dev", "holdout"}
    for path in LAYOUTS.glob("*.expected.json"):
        keys = set(json.loads(path.read_text(encoding="utf-8")))
        assert keys - {"province"} == KEYS | {"not_in_body"}, path.name


def test_issue_15_pages_give_their_publisher_s_province():
    assert all(f.scores_province for f in FIXTURES if f.layout in ISSUE_15_LAYOUTS)
    assert any(f.province is None for f in FIXTURES if f.scores_province)  # a national site


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.name)
def test_expected_fields_are_clean_text(fixture):
    """NFC, no mangled entity, and a province the gazetteer names so."""
    raw = fixture.path.with_suffix(".expected.json").read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", raw)
    for text in [fixture.title, *fixture.body, *fixture.captions]:
        assert repaired(text) == text, text
    if fixture.province is not None:
        province = resolve_province(fixture.province)
        assert province is not None and province.name == fixture.province


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.name)
def test_fixture_is_consistent_with_its_page(fixture):
    """What is expected is on the page; each trap is on the page and is not expected text.

    The page is read as its reader reads it: entities mangled by a migration put back, lines
    broken by <br> inside a paragraph joined.
    """
    source = fixture.path.read_text(encoding="utf-8")
    page_text = norm(repaired(BeautifulSoup(source, "lxml").get_text(" ")))
    for expected in [fixture.title, *fixture.body, *fixture.captions]:
        assert expected in page_text, expected
    expected_text = "\n".join([*fixture.body, *fixture.captions])
    for trap in fixture.not_in_body:
        assert trap in page_text or trap in norm(html.unescape(source)), trap  # or a script
        assert trap not in expected_text, trap


# --- extraction --------------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.name)
def test_parse_html_page_extracts_the_expected_fields(fixture):
    page = parse_html_page(fixture.path.read_bytes())
    assert norm(page.title) == fixture.title
    assert (norm(page.kicker) or None) == fixture.kicker
    assert page.published == fixture.published
    assert (norm(page.author) or None) == fixture.author
    check_body(page.body, fixture)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.name)
def test_extract_article_extracts_the_expected_fields(fixture):
    # A saved page's file name says nothing; the fixture's name would give its province away.
    record = RawRecord(
        id="saved-page.html",
        kind="html",
        location=Location("/saved/saved-page.html"),
        content=fixture.path.read_bytes(),
    )
    article = extract_article(record)
    assert (article.title, article.published) == (fixture.title, fixture.published)
    assert (article.kicker, article.author) == (fixture.kicker, fixture.author)
    check_body(article.body.split("\n"), fixture)
    if fixture.scores_province:
        assert article.province == fixture.province  # the publisher's, not the text's
    else:
        assert article.province  # every issue 5 page names its province in its title or lead


def test_extraction_benchmark_reports_every_field():
    text = report(FIXTURES[:2], repeat=1, command="python bench/extraction.py")
    assert "| ours (extract_article) |" in text and "nan" not in text
    assert "What our rules miss" in text


# --- the rules the layouts asked for -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-10-09T23:30:00+00:00", "2023-10-10"),  # Yoast writes UTC: 06:30 in Vietnam
        ("2023-10-09T16:59:59Z", "2023-10-09"),
        ("2021-01-26T08:00:00+07:00", "2021-01-26"),
        ("2021-04-12ICT09:15:00", "2021-04-12"),  # PHP's date('Y-m-dTH:i:s') in Vietnam
        ("2021-02-30T10:00:00+07:00", None),
    ],
)
def test_normalize_published_reads_zones_in_vietnam_time(value, expected):
    assert normalize_published(value) == expected


def test_joomla_and_k2_month_names_are_dates():
    assert date_line("Thứ hai, 18 Tháng 6 2018 10:20") == "2018-06-18"
    assert date_line("Ngày đăng: 14 Tháng 2 2023") == "2023-02-14"
    assert dates_in("17 Tháng 5, 2024 và ngày 5 tháng 3 năm 2020") == ["2024-05-17", "2020-03-05"]
    assert dates_in("trong 8 tháng đầu năm 2019") == []


@pytest.mark.parametrize(
    ("byline", "name"),
    [
        ("Minh Anh - Trung tâm CNTT&TT", "Minh Anh"),
        ("Thanh Tùng (Trung tâm CNTT&TT)", "Thanh Tùng"),
        ("Tin, ảnh: Hồng Phúc", "Hồng Phúc"),
        ("Tác giả bài viết: Minh Quân", "Minh Quân"),
        ("Viết bởi Lan Anh", "Lan Anh"),
        ("Y Sương", "Y Sương"),
        ("Phạm Thu Hà - Đặng Minh", "Phạm Thu Hà - Đặng Minh"),
        ("admin", None),
        ("Viết bởi Quản trị viên", None),
        ("Bởi Ban Biên tập -", None),
        ("Super User", None),
        ("Sở Thông tin và Truyền thông tỉnh Thái Nguyên", None),
        ("Trân trọng cảm ơn", None),
    ],
)
def test_person_keeps_names_and_drops_units_accounts_and_organisations(byline, name):
    assert person(byline) == name


def test_aspnet_form_around_the_page_keeps_the_article():
    page = parse_html_page(
        "<html><body><form id='aspnetForm'><div class='menu'>Trang chủ</div><h1>Khai trương "
        "Trung tâm IOC tỉnh</h1><p>"
        + "Sáng 29/11, tỉnh Phú Thọ khai trương Trung tâm. " * 3
        + "</p><form class='search'><input name='q'> Tìm kiếm</form></form></body></html>"
    )
    assert page.title == "Khai trương Trung tâm IOC tỉnh"
    assert page.body and page.body[0].startswith("Sáng 29/11")
    assert "Tìm kiếm" not in "\n".join(page.body)


def test_related_box_inside_the_body_goes_and_the_text_after_it_stays():
    page = parse_html_page(
        "<html><body><article><h1>Cấp đổi thẻ nhà báo cho 187 phóng viên</h1><div>"
        "<p>Hồ sơ đề nghị cấp đổi thẻ được các cơ quan báo chí rà soát, lập danh sách.</p>"
        "<div><strong>Tin liên quan:</strong><br><a href='/a'>Tổng kết công tác báo chí</a></div>"
        "<p>Sở đề nghị các cơ quan báo chí sử dụng thẻ nhà báo đúng mục đích.</p>"
        "<p><strong>Những tin cũ hơn</strong></p><p><a href='/b'>Hội báo Xuân 2022</a></p>"
        "</div></article></body></html>"
    )
    assert page.body == [
        "Hồ sơ đề nghị cấp đổi thẻ được các cơ quan báo chí rà soát, lập danh sách.",
        "Sở đề nghị các cơ quan báo chí sử dụng thẻ nhà báo đúng mục đích.",
    ]


def test_table_style_named_footer_row_is_not_a_footer():
    page = parse_html_page(
        "<html><body><div class='noi-dung'><h2 class='tieude'>Lào Cai vận hành Trung tâm IOC</h2>"
        "<p>" + "Trung tâm kết nối 9 lĩnh vực và 412 camera giám sát trên địa bàn. " * 2 + "</p>"
        "<table><tr><td><img src='a.jpg'></td></tr><tr><td class='ms-rteTableFooterRow-default'>"
        "<em>Phòng điều hành của Trung tâm IOC</em></td></tr></table>"
        "<p>" + "Người dân gửi phản ánh qua ứng dụng và được trả lời đúng hạn. " * 2 + "</p>"
        "</div><div class='site-footer'>Bản quyền</div></body></html>"
    )
    assert "Phòng điều hành của Trung tâm IOC" in page.body
    assert "Bản quyền" not in "\n".join(page.body)
