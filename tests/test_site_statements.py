"""The publishing site's province from what its header and footer print (issue 15).

Saved pages often lack their URL, and many provincial bodies (departments, unions, district
portals) run sites on hosts the host rules do not know: the site says who it is in its header,
footer, <title> and copyright line instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.metadata import statements
from indexer.metadata.gazetteer import district_province
from indexer.metadata.statements import (
    StatementsError,
    opens_with_label,
    read_statement,
    stated_province,
)
from indexer.pages.extract import extract_article
from indexer.pages.htmlpage import parse_html_page
from indexer.pages.textpage import parse_text_page
from indexer.records import Location, RawRecord

SEEDS = Path(__file__).resolve().parent.parent / "archive"
ORIGINAL = statements.STATEMENTS_PATH.read_text(encoding="utf-8")


def _named(line: str) -> list[str]:
    """The provinces a line states, as the site's or as its address."""
    statement = read_statement(line)
    return sorted(p.name for p in statement.provinces | statement.addresses)


# --- one line: the shapes a statement takes ---------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("TRANG THÔNG TIN ĐIỆN TỬ SỞ NÔNG NGHIỆP VÀ PTNT TỈNH BẮC GIANG", "Bắc Giang"),
        ("Cổng thông tin điện tử Sở Lao động - Thương binh và Xã hội tỉnh Sơn La", "Sơn La"),
        ("CỔNG THÔNG TIN ĐIỆN TỬ HUYỆN LỤC YÊN - TỈNH YÊN BÁI", "Yên Bái"),
        ("LIÊN ĐOÀN LAO ĐỘNG TỈNH ĐỒNG NAI", "Đồng Nai"),
        ("Sở Y tế tỉnh Hà Tĩnh", "Hà Tĩnh"),
        ("Cổng dữ liệu mở tỉnh Bình Dương", "Bình Dương"),
        ("UBND TP. Hồ Chí Minh", "Hồ Chí Minh"),
        ("Báo Nghệ An điện tử", "Nghệ An"),
        ("Tin tức - Sở Y tế tỉnh Hà Tĩnh", "Hà Tĩnh"),  # a <title>'s site part
        ("Cơ quan chủ quản: Ủy ban nhân dân tỉnh Nghệ An", "Nghệ An"),
        ("Cơ quan chủ quản: Sở Tài nguyên và Môi trường tỉnh Gia Lai", "Gia Lai"),
        ("Giấy phép số 12/GP-TTĐT do Sở Thông tin và Truyền thông tỉnh Lào Cai cấp", "Lào Cai"),
        ("Giấy phép số 05/GP-STTTT ngày 20/5/2019 của Sở TT&TT Bắc Kạn", "Bắc Kạn"),
        (
            "Địa chỉ: Số 2, đường Điện Biên Phủ, thị trấn Yên Thế, huyện Lục Yên, tỉnh Yên Bái",
            "Yên Bái",
        ),
        ("Bản quyền thuộc về Sở Giáo dục và Đào tạo tỉnh Phú Thọ", "Phú Thọ"),
        ("Copyright © 2019 SỞ Y TẾ TỈNH HÀ TĨNH. All rights reserved.", "Hà Tĩnh"),
        ("Đơn vị quản lý: Trung tâm CNTT và Truyền thông - Sở TT&TT tỉnh Cao Bằng", "Cao Bằng"),
        (
            "Báo Thái Bình - Cơ quan của Đảng bộ, chính quyền và nhân dân tỉnh Thái Bình",
            "Thái Bình",
        ),
        ("© 2024 Cổng TTĐT tỉnh Điện Biên | Ghi rõ nguồn khi phát hành lại", "Điện Biên"),
    ],
)
def test_statement_shapes(line, expected):
    assert _named(line) == [expected]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # A district portal: its province only with "tỉnh X", or when one province has the name.
        ("Cơ quan chủ quản: UBND huyện Lục Yên", ["Yên Bái"]),
        ("CỔNG THÔNG TIN ĐIỆN TỬ HUYỆN MÙ CANG CHẢI", ["Yên Bái"]),
        ("Cổng thông tin điện tử thành phố Vinh", ["Nghệ An"]),
        ("Cơ quan chủ quản: UBND huyện Châu Thành", []),  # a district of several provinces
        ("CỔNG THÔNG TIN ĐIỆN TỬ HUYỆN CHÂU THÀNH - TỈNH TIỀN GIANG", ["Tiền Giang"]),
        ("Cổng thông tin điện tử huyện Không Có Thật", []),
    ],
)
def test_district_portals(line, expected):
    assert _named(line) == expected


def test_the_district_data():
    assert district_province("Huyện", "Lục Yên").name == "Yên Bái"
    assert district_province("HUYỆN", "lục yên").name == "Yên Bái"
    assert district_province("huyện", "Châu Thành") is None
    assert district_province("huyện", "Nowhere") is None


@pytest.mark.parametrize(
    "line",
    [
        # Headlines that start like a unit's name do not end like one.
        "Sở Y tế tỉnh Nghệ An triển khai kế hoạch năm 2024",
        "Sở Thông tin và Truyền thông tỉnh Bắc Giang 11 năm xây dựng và phát triển",
        "Sở Y tế kiểm tra công tác phòng dịch tại tỉnh Nghệ An",
        "Báo cáo tình hình kinh tế - xã hội tỉnh Nghệ An",
        "Ban hành kế hoạch chuyển đổi số tỉnh Nghệ An",
        "Hội nghị chuyển đổi số tỉnh Nghệ An",
        # A bare name, a menu, a list of other provinces' sites: no statement.
        "Bắc Kạn",
        "Tỉnh Bắc Kạn",
        "Tin các tỉnh",
        "Hà Nội | Bắc Kạn | Lào Cai | Điện Biên",
        "Sở TT&TT tỉnh Bắc Kạn | Sở TT&TT tỉnh Lào Cai",  # two provinces: none
        "Cơ quan chủ quản: UBND tỉnh Bắc Kạn và UBND tỉnh Lào Cai",
        "Địa chỉ: 36 Trần Phú, phường 4, Đà Lạt",  # no province with its administrative word
        "Giấy phép số 55/GP-TTĐT do Cục Phát thanh, truyền hình và thông tin điện tử cấp",
        "",
    ],
)
def test_lines_that_state_no_province(line):
    assert stated_province([line]) is None


@pytest.mark.parametrize(
    ("line", "national"),
    [
        ("Cơ quan chủ quản: Bộ Thông tin và Truyền thông", True),
        ("© 2025 Bản quyền thuộc về Thông tấn xã Việt Nam", True),
        ("Cơ quan chủ quản: Tổng Liên đoàn Lao động Việt Nam", True),
        ("Cơ quan chủ quản: Bộ Chỉ huy Quân sự tỉnh Hà Giang", False),
        ("Giấy phép số 123/GP-BTTTT do Bộ Thông tin và Truyền thông cấp", False),  # any paper's
        ("Bộ Thông tin và Truyền thông", False),  # a link or banner: no owner's label
    ],
)
def test_national_owners(line, national):
    assert read_statement(line).national is national


def test_labels():
    assert opens_with_label("Cơ quan chủ quản: UBND tỉnh Bắc Kạn")
    assert opens_with_label("© 2020 Sở Y tế", anywhere=True)
    assert opens_with_label("Địa chỉ: 2 Trần Phú")
    assert not opens_with_label("Địa chỉ: 2 Trần Phú", anywhere=True)  # only in the chrome
    assert not opens_with_label("Sở Y tế tỉnh Hà Tĩnh")


# --- many lines: votes --------------------------------------------------------------------------


def test_lines_that_agree_state_the_province():
    lines = [
        "TRANG THÔNG TIN ĐIỆN TỬ SỞ Y TẾ TỈNH HÀ TĨNH",
        "Trang chủ Giới thiệu Tin tức",
        "Cơ quan chủ quản: Sở Y tế tỉnh Hà Tĩnh",
        "Địa chỉ: 70 Hải Thượng Lãn Ông, TP Hà Tĩnh, tỉnh Hà Tĩnh",
    ]
    assert stated_province(lines).name == "Hà Tĩnh"


def test_a_stray_line_does_not_outvote_the_site():
    lines = [
        "SỞ Y TẾ TỈNH HÀ TĨNH",
        "Cơ quan chủ quản: Sở Y tế tỉnh Hà Tĩnh",
        "Sở Y tế tỉnh Nghệ An",
    ]
    assert stated_province(lines).name == "Hà Tĩnh"


@pytest.mark.parametrize(
    "lines",
    [
        [],
        ["Sở Y tế tỉnh Hà Tĩnh", "Sở Y tế tỉnh Nghệ An"],  # a tie is no statement
        ["Sở TT&TT tỉnh Bắc Kạn", "Sở TT&TT tỉnh Lào Cai", "Sở TT&TT tỉnh Cao Bằng"],
        # A national owner: its address in Hà Nội is no provincial statement.
        ["Cơ quan chủ quản: Bộ Y tế", "Địa chỉ: 138A Giảng Võ, quận Ba Đình, thành phố Hà Nội"],
    ],
)
def test_no_clear_statement(lines):
    assert stated_province(lines) is None


# --- HTML pages without a URL ------------------------------------------------------------------

_ABOUT_NGHE_AN = (
    "<h1>Nghệ An đẩy mạnh chuyển đổi số trong ngành y tế</h1>"
    "<p>Sáng 12/3, UBND tỉnh Nghệ An tổ chức hội nghị triển khai hồ sơ sức khỏe điện tử. "
    "Các bệnh viện của tỉnh Nghệ An báo cáo kết quả kết nối dữ liệu khám chữa bệnh.</p>"
    "<p>Đoàn công tác của tỉnh Nghệ An cũng trao đổi kinh nghiệm với các địa phương bạn về "
    "việc triển khai bệnh án điện tử và thanh toán không dùng tiền mặt.</p>"
)


def _page(header: str = "", footer: str = "", head: str = "", body: str = _ABOUT_NGHE_AN) -> str:
    return (
        f"<html><head>{head}</head><body>{header}"
        f"<div id='content'><div class='detail'>{body}</div></div>{footer}</body></html>"
    )


def _province(html: str) -> str | None:
    record = RawRecord(id="p", kind="html", location=Location("p.html"), content=html)
    return extract_article(record).province


def test_an_article_about_another_province_keeps_its_site_province():
    assert _province(_page()) == "Nghệ An"  # no statement: the text decides, as before
    header = (
        "<div class='header'><h2>TRANG THÔNG TIN ĐIỆN TỬ</h2><h1>SỞ Y TẾ TỈNH HÀ TĨNH</h1></div>"
    )
    assert _province(_page(header=header)) == "Hà Tĩnh"


@pytest.mark.parametrize(
    ("header", "footer", "head", "expected"),
    [
        ("<header><p>LIÊN ĐOÀN LAO ĐỘNG TỈNH ĐỒNG NAI</p></header>", "", "", "Đồng Nai"),
        (
            "",
            "<footer><p>Cơ quan chủ quản: Ủy ban nhân dân tỉnh Quảng Bình<br>"
            "Giấy phép số 12/GP-TTĐT do Sở Thông tin và Truyền thông tỉnh Quảng Bình cấp"
            "</p></footer>",
            "",
            "Quảng Bình",
        ),
        (
            "",
            "<div id='chantrang'>Địa chỉ: Số 2, thị trấn Yên Thế, huyện Lục Yên, tỉnh Yên Bái"
            "</div>",
            "",
            "Yên Bái",
        ),
        (
            "",
            "<div class='copyright'>© 2021 Bản quyền thuộc về Sở Xây dựng tỉnh Ninh Bình</div>",
            "",
            "Ninh Bình",
        ),
        ("", "", "<title>Tin hoạt động - Sở Y tế tỉnh Hà Tĩnh</title>", "Hà Tĩnh"),
        ("", "", "<meta property='og:site_name' content='Sở Tư pháp tỉnh Sóc Trăng'>", "Sóc Trăng"),
        (
            "<div id='banner'><a href='/'><img src='/banner.jpg' "
            "alt='Cổng thông tin điện tử huyện Mù Cang Chải'></a></div>",
            "",
            "",
            "Yên Bái",
        ),
        # A line opening with an owner's label counts wherever it stands.
        (
            "",
            "<table><tr><td>Cơ quan chủ quản: Sở Công Thương tỉnh Kon Tum</td></tr></table>",
            "",
            "Kon Tum",
        ),
    ],
)
def test_statements_in_html_pages(header, footer, head, expected):
    assert _province(_page(header=header, footer=footer, head=head)) == expected


def test_links_to_other_sites_are_no_statement():
    footer = (
        "<footer><p>Liên kết website</p><ul>"
        "<li><a href='https://stttt.backan.gov.vn'>Sở TT&TT tỉnh Bắc Kạn</a></li>"
        "<li><a href='/tin-cac-tinh/ha-tinh'>Sở Y tế tỉnh Hà Tĩnh</a></li></ul>"
        "<p>Tin các tỉnh: <a href='/t/lao-cai'>Lào Cai</a> | <a href='/t/cao-bang'>Cao Bằng</a></p>"
        "<select><option>Sở TT&TT tỉnh Điện Biên</option></select></footer>"
    )
    assert _province(_page(footer=footer)) == "Nghệ An"  # the text decides, as before
    own = footer.replace("<footer>", "<footer><p>Cơ quan chủ quản: Sở Y tế tỉnh Quảng Trị</p>")
    assert _province(_page(footer=own)) == "Quảng Trị"


def test_an_address_in_the_article_is_no_statement():
    body = _ABOUT_NGHE_AN + "<p>Địa chỉ: 18 Trường Thi, TP Vinh, tỉnh Nghệ An</p>"
    html = _page(body=body, header="<div class='header'><h1>SỞ Y TẾ TỈNH HÀ TĨNH</h1></div>")
    assert _province(html) == "Hà Tĩnh"


def test_a_national_owner_keeps_the_text_rules():
    footer = (
        "<footer><p>Cơ quan chủ quản: Bộ Y tế</p>"
        "<p>Địa chỉ: 138A Giảng Võ, quận Ba Đình, thành phố Hà Nội</p></footer>"
    )
    assert _province(_page(footer=footer)) == "Nghệ An"


def test_host_and_site_name_come_first():
    header = "<div class='header'><h1>SỞ Y TẾ TỈNH HÀ TĨNH</h1></div>"
    by_host = "<link rel='canonical' href='https://soyte.quangtri.gov.vn/tin/1.html'>"
    assert _province(_page(header=header, head=by_host)) == "Quảng Trị"
    national = "<meta property='og:url' content='https://mic.gov.vn/tin/1.htm'>"
    assert _province(_page(header=header, head=national)) == "Nghệ An"


def test_the_page_keeps_its_identity_lines():
    header = "<div class='header'><h1>SỞ Y TẾ TỈNH HÀ TĨNH</h1></div>"
    head = "<title>Nghệ An đẩy mạnh chuyển đổi số trong ngành y tế | Sở Y tế Hà Tĩnh</title>"
    page = parse_html_page(_page(header=header, head=head))
    assert "SỞ Y TẾ TỈNH HÀ TĨNH" in page.identity
    assert "Sở Y tế Hà Tĩnh" in page.identity  # the <title> less its headline
    assert not any(line.startswith("Nghệ An đẩy mạnh") for line in page.identity)


def test_a_wayback_sharepoint_shell():
    html = (
        "<html><head><title>Tin tức</title></head><body><form id='aspnetForm'>"
        "<div id='s4-titlerow'><div class='s4-title'><a href='/web/20100512/http://x.vn/'>"
        "<img src='/web/20100512im_/http://x.vn/logo.png' alt='Trang chủ'></a>"
        "<h1 class='ms-sitetitle'>Sở Kế hoạch và Đầu tư tỉnh Tây Ninh</h1></div></div>"
        f"<div id='MSO_ContentTable'><div class='ms-rtestate-field'>{_ABOUT_NGHE_AN}</div></div>"
        "<div id='ctl00_PlaceHolderFooter'><table><tr><td>Trụ sở: 300 đường 30/4, phường 3, "
        "thành phố Tây Ninh, tỉnh Tây Ninh</td></tr></table></div>"
        "</form></body></html>"
    )
    assert _province(html) == "Tây Ninh"


# --- text scrapes ------------------------------------------------------------------------------

_SCRAPE = """TRANG THÔNG TIN ĐIỆN TỬ SỞ Y TẾ TỈNH HÀ TĨNH
Trang chủ
Tin tức

Nghệ An đẩy mạnh chuyển đổi số trong ngành y tế

Cập nhật lúc: 12/03/2024

Sáng 12/3, UBND tỉnh Nghệ An tổ chức hội nghị triển khai hồ sơ sức khỏe điện tử. Các bệnh \
viện của tỉnh Nghệ An báo cáo kết quả kết nối dữ liệu khám chữa bệnh.

Đoàn công tác của tỉnh Nghệ An trao đổi kinh nghiệm với các địa phương bạn.

Tin đã đăng
Sở Y tế tỉnh Nghệ An triển khai kế hoạch năm 2024
Cơ quan chủ quản: Sở Y tế tỉnh Hà Tĩnh
"""


def test_a_text_scrape_states_its_site_in_its_first_and_last_lines():
    page = parse_text_page(_SCRAPE)
    assert page.title == "Nghệ An đẩy mạnh chuyển đổi số trong ngành y tế"
    assert page.identity[0] == "TRANG THÔNG TIN ĐIỆN TỬ SỞ Y TẾ TỈNH HÀ TĨNH"
    assert "Cơ quan chủ quản: Sở Y tế tỉnh Hà Tĩnh" in page.identity
    record = RawRecord(id="t", kind="txt", location=Location("t.txt"), content=_SCRAPE)
    assert extract_article(record).province == "Hà Tĩnh"
    plain = _SCRAPE.replace("SỞ Y TẾ TỈNH HÀ TĨNH", "").replace(
        "Cơ quan chủ quản: Sở Y tế tỉnh Hà Tĩnh", ""
    )
    record = RawRecord(id="t", kind="txt", location=Location("t.txt"), content=plain)
    assert extract_article(record).province == "Nghệ An"


@pytest.mark.parametrize(
    ("name", "province"),
    [
        ("000_b31f338fe211c5e8.txt", "Bắc Kạn"),
        ("001_0aed432f8589718d.txt", "Bắc Giang"),
        ("002_a9241768a893bb1d.txt", "Bắc Kạn"),
        ("003_1f8cfd56b29d262e.txt", "Bắc Kạn"),
        ("004_7cf9c1a2196799be.txt", "Điện Biên"),
    ],
)
def test_the_seeds_keep_their_provinces(name, province):
    content = (SEEDS / name).read_bytes()
    record = RawRecord(id=name, kind="txt", location=Location(name), content=content)
    assert extract_article(record).province == province


# --- the data file ------------------------------------------------------------------------------


@pytest.fixture
def statements_file(tmp_path, monkeypatch):
    """Point the loader at a data file of the test's own, and forget the loaded rules after."""
    path = tmp_path / "site_statements.toml"
    monkeypatch.setattr(statements, "STATEMENTS_PATH", path)
    statements._rules.cache_clear()
    yield path
    statements._rules.cache_clear()


@pytest.mark.parametrize(
    ("text", "message"),
    [("heads = [\n", "cannot read"), ("heads = 'sở'\n", "list of strings")],
)
def test_bad_data_is_refused(statements_file, text, message):
    statements_file.write_text(text, encoding="utf-8")
    with pytest.raises(StatementsError, match=message):
        read_statement("Sở Y tế tỉnh Hà Tĩnh")


def test_the_data_can_be_extended(statements_file):
    statements_file.write_text(ORIGINAL, encoding="utf-8")
    assert _named("Hợp tác xã Nông nghiệp tỉnh Hà Nam") == []
    extended = ORIGINAL.replace("heads = [\n", 'heads = [\n  "hợp tác xã",\n', 1)
    statements_file.write_text(extended, encoding="utf-8")
    statements._rules.cache_clear()
    assert _named("Hợp tác xã Nông nghiệp tỉnh Hà Nam") == ["Hà Nam"]


def test_a_national_licence_makes_an_address_say_nothing():
    licence = "Giấy phép số 88/GP-BTTTT ngày 21/02/2024 của Bộ Thông tin và Truyền thông"
    address = "Địa chỉ: Tầng 9, số 25 Nguyễn Đình Chiểu, Quận 1, TP Hồ Chí Minh"
    assert read_statement(licence).national_licence
    assert read_statement(address).addresses and not read_statement(address).provinces
    assert stated_province([address]).name == "Hồ Chí Minh"  # a site that sits there
    assert stated_province(["Báo điện tử Nhịp Sống Việt", licence, address]) is None
    # A provincial paper holds the ministry's licence too, and says whose it is.
    provincial = ["Báo Bắc Kạn - Cơ quan của Đảng bộ tỉnh Bắc Kạn", licence, address]
    assert stated_province(provincial).name == "Bắc Kạn"
    local = "Giấy phép số 12/GP-TTĐT do Sở Thông tin và Truyền thông tỉnh Vĩnh Long cấp"
    assert not read_statement(local).national_licence
