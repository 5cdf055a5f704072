"""RawRecord -> Article on the seed scrapes, our own fixture pages and JSON Lines records."""

from __future__ import annotations

import codecs
import itertools
import logging
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.inputs.sources import discover, read_page
from indexer.pages.extract import derive_title, extract_article
from indexer.records import ExtractionError, Location, RawRecord

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "archive"
PAGES = ROOT / "tests" / "data" / "pages"

SEED_TABLE = [
    ("000_b31f338fe211c5e8.txt", "Chức năng nhiệm vụ", "2020-05-08", "Bắc Kạn"),
    (
        "001_0aed432f8589718d.txt",
        "Sở Thông tin và Truyền thông tỉnh Bắc Giang 11 năm xây dựng và phát triển",
        None,
        "Bắc Giang",
    ),
    (
        "002_a9241768a893bb1d.txt",
        "Thực hiện tốt sứ mệnh dẫn dắt công cuộc chuyển đổi số quốc gia",
        "2023-08-28",
        "Bắc Kạn",
    ),
    (
        "003_1f8cfd56b29d262e.txt",
        "Sở Thông tin và Truyền thông tỉnh Bắc Kạn triển khai nhiệm vụ năm 2021",
        "2021-01-26",
        "Bắc Kạn",
    ),
    (
        "004_7cf9c1a2196799be.txt",
        "Khẳng định vai trò, vị trí ngành Thông tin và Truyền thông",
        "2013-02-20",
        "Điện Biên",
    ),
]
SEED_AUTHORS = {
    "000_b31f338fe211c5e8.txt": "Hà Văn Tiến",
    "001_0aed432f8589718d.txt": "Xuân Sang",
    "002_a9241768a893bb1d.txt": None,
    "003_1f8cfd56b29d262e.txt": "Nguyễn Thị Lệ Thu",
    "004_7cf9c1a2196799be.txt": "Chu Xuân Trường",
}
CHROME = [
    "Skip Ribbon Commands",
    "Skip to main content",
    "Thông kê truy cập",
    "Total:",
    "Visitor Online",
    "Hôm nay:",
    "Trong tuần:",
    "Trong năm:",
    "Bản để in",
    "Gửi bài này qua Email",
    "Tin đã đăng",
    "Xem thêm",
    "0:00",
    "20:50 ICT",
    "Cập nhật lúc",
    "Thứ tư - 20/02/2013",
    "Đảng bộ 2",
]
CHROME_LINES = {"Liên kết", "English", "Đảng bộ 2"}


def seed(name: str, fields: dict | None = None):
    path = SEEDS / name
    record = RawRecord(
        id=name, kind="txt", location=Location(str(path)), content=path.read_text(encoding="utf-8")
    )
    record.fields = fields or {}
    return extract_article(record)


def page(name: str, fields: dict | None = None):
    path = PAGES / name
    kind = "html" if path.suffix == ".html" else "txt"
    content = path.read_bytes() if kind == "html" else path.read_text(encoding="utf-8")
    return extract_article(
        RawRecord(
            id=name, kind=kind, location=Location(str(path)), content=content, fields=fields or {}
        )
    )


def txt(text: str, **fields):
    return extract_article(
        RawRecord(id="t.txt", kind="txt", location=Location("t.txt"), content=text, fields=fields)
    )


def html(markup: str | bytes, **fields):
    return extract_article(
        RawRecord(
            id="p.html", kind="html", location=Location("p.html"), content=markup, fields=fields
        )
    )


def jsonl(**fields):
    return extract_article(
        RawRecord(id="r1", kind="jsonl", location=Location("x.jsonl", line=1), fields=fields)
    )


# --- the seeds ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "title", "published", "province"), SEED_TABLE)
def test_seed_table(name, title, published, province):
    article = seed(name)
    assert (article.id, article.title, article.published, article.province) == (
        name,
        title,
        published,
        province,
    )


@pytest.mark.parametrize("name", [row[0] for row in SEED_TABLE])
def test_seed_body_has_no_chrome(name):
    article = seed(name)
    for chrome in CHROME:
        assert chrome not in article.body, chrome
    lines = article.body.split("\n")
    assert not CHROME_LINES & set(lines)
    assert all(line and line == line.strip() and "  " not in line for line in lines)
    assert all(a != b for a, b in itertools.pairwise(lines))
    assert article.title not in lines


@pytest.mark.parametrize(("name", "author"), SEED_AUTHORS.items())
def test_seed_authors(name, author):
    article = seed(name)
    assert article.author == author
    last = article.body.split("\n")[-1]
    if author:
        assert author not in last
    assert last.endswith(".")


def test_seed_003_keeps_the_last_sentence_without_the_glued_name():
    body = seed("003_1f8cfd56b29d262e.txt").body
    assert body.endswith("tăng cường quản lý các hoạt động của ngành trên địa bàn.")


def test_seed_002_kicker_and_photo_caption():
    article = seed("002_a9241768a893bb1d.txt")
    assert article.kicker == (
        "78 năm Ngày truyền thống ngành Thông tin và Truyền thông (28/8/1945-28/8/2023):"
    )
    assert "ảnh 1" not in article.body
    caption = "Sở Thông tin và Truyền thông tham mưu cho tỉnh và chủ động triển khai"
    assert article.body.count(caption) == 1
    assert article.body.startswith("BBK - Ngày 19/02/2016")  # the dateline code stays


def test_seed_004_duplicate_caption_and_dateline():
    body = seed("004_7cf9c1a2196799be.txt").body
    assert body.count("Nhân viên kỹ thuật Sở TT&TT kiểm tra thiết bị") == 1
    assert "\nDIC - Năm 2012" in body


@pytest.mark.parametrize(
    "path",
    [SEEDS / row[0] for row in SEED_TABLE] + sorted(PAGES.glob("*.txt")),
    ids=lambda path: path.name,
)
def test_txt_bytes_and_text_give_the_same_article(path):
    def extract(content):
        return extract_article(
            RawRecord(id=path.name, kind="txt", location=Location("x"), content=content)
        )

    assert extract(path.read_bytes()) == extract(path.read_text(encoding="utf-8"))


def test_read_page_passes_txt_bytes_and_extraction_decodes_them(tmp_path):
    text = SEEDS.joinpath(SEED_TABLE[3][0]).read_text(encoding="utf-8")
    (tmp_path / "utf16.txt").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    sources, failures = discover([tmp_path])
    record, _ = read_page(sources[0], b"salt")
    assert not failures and isinstance(record.content, bytes)
    assert extract_article(record).title == SEED_TABLE[3][1]


def test_seed_topics():
    assert "Chuyển đổi số" in seed("002_a9241768a893bb1d.txt").topics
    for name, *_ in SEED_TABLE:
        topics = seed(name).topics
        assert 1 <= len(topics) <= 3
        # Every field of the department is listed in 000 and 001: the lists give no topics.
        assert "Tần số vô tuyến điện" not in topics
        assert "Xuất bản" not in topics


# --- our fixture pages -------------------------------------------------------------------------

PAGE_TABLE = [
    # file, title, published, province, author, first topic
    (
        "quang-ninh-2019-dien-tap-attt.html",
        "Quảng Ninh diễn tập ứng cứu sự cố an toàn thông tin mạng năm 2019",
        "2019-03-14",
        "Quảng Ninh",
        "Minh Khôi",
        "An toàn thông tin",
    ),
    (
        "da-nang-2024-to-cong-nghe-so.html",
        "Đà Nẵng ra mắt 56 Tổ công nghệ số cộng đồng",
        "2024-03-21",
        "Đà Nẵng",
        "Thanh Tâm",
        "Chuyển đổi số",
    ),
    (
        "lang-son-trang-web-gia-mao.html",
        "Cảnh giác với trang web giả mạo chèn mã <script>alert(1)</script> để đánh cắp tài khoản",
        None,
        "Lạng Sơn",
        None,
        "An toàn thông tin",
    ),
    (
        "can-tho-2022-buu-chinh-cong-ich.html",
        "Bưu điện TP Cần Thơ nhận và trả hồ sơ thủ tục hành chính tại nhà",
        "2022-09-05",
        "Cần Thơ",
        None,
        "Bưu chính",
    ),
    (
        "hoa-binh-2023-truyen-thanh-thong-minh.txt",
        "Hòa Bình: Đài truyền thanh thông minh cảnh báo sớm lũ cho vùng hạ du hồ thủy lợi",
        "2023-07-18",
        "Hòa Bình",
        "Nguyễn Thùy Linh",
        None,
    ),
    (
        "nghe-an-2020-giai-bao-chi.txt",
        "Nghệ An trao Giải Báo chí tỉnh lần thứ VIII",
        "2020-06-22",
        "Nghệ An",
        "Hồng Nhung",
        "Báo chí",
    ),
    (
        "tien-giang-2021-tan-so.txt",
        "Tiền Giang kiểm tra can nhiễu tần số vô tuyến điện tại các cảng cá",
        "2021-09-14",
        "Tiền Giang",
        "Thanh Hà",
        "Tần số vô tuyến điện",
    ),
]


@pytest.mark.parametrize(("name", "title", "published", "province", "author", "topic"), PAGE_TABLE)
def test_fixture_pages(name, title, published, province, author, topic):
    article = page(name)
    assert (article.title, article.published, article.province, article.author) == (
        title,
        published,
        province,
        author,
    )
    assert article.body and "\n\n" not in article.body
    assert "\ufffd" not in article.title + article.body
    if topic:
        assert article.topics[0] == topic


def test_fixture_pages_are_small():
    assert len(list(PAGES.iterdir())) >= 6
    assert all(path.stat().st_size < 4096 for path in PAGES.iterdir())


def test_nukeviet_page_drops_menus_and_related_links_and_ignores_the_header_clock():
    article = page("quang-ninh-2019-dien-tap-attt.html")
    assert article.url == "https://stttt.quangninh.gov.vn/tin-tuc/dien-tap-ung-cuu-su-co-2019.html"
    assert article.body.startswith("Ngày 13/3, Sở Thông tin và Truyền thông")  # the lead stays
    for chrome in ("Trang chủ", "Tin liên quan", "giao ban", "Bản quyền", "ICT", "nv_base"):
        assert chrome not in article.body
    assert article.topics == ["An toàn thông tin"]  # báo chí is mentioned once only


def test_wordpress_page_uses_metadata_and_drops_widgets():
    article = page("da-nang-2024-to-cong-nghe-so.html")
    assert article.url.startswith("https://stttt.danang.gov.vn/2024/03/21/")
    assert article.source == "Sở Thông tin và Truyền thông thành phố Đà Nẵng"
    for chrome in (
        "Bài viết liên quan",
        "Hội Nhà báo",
        "bình luận",
        "Tin mới",
        "Chia sẻ",
        "Trang chủ",
        "21/03/2024",
        "bởi Thanh Tâm",
        "font-size",
    ):
        assert chrome not in article.body
    assert "Quyết định số 570/QĐ-UBND" in article.body


def test_script_in_title_is_kept_as_literal_text():
    article = page("lang-son-trang-web-gia-mao.html")
    assert "<script>alert(1)</script>" in article.title
    assert "Cổng thông tin điện tử tỉnh Lạng Sơn" not in article.title  # the site suffix goes
    assert article.body.startswith("Thời gian gần đây")
    assert "Trang chủ" not in article.body


def test_page_without_date_has_none_even_with_dates_in_the_body():
    article = page("lang-son-trang-web-gia-mao.html")
    assert "01/6/2020" in article.body
    assert article.published is None


def test_windows_1258_page_is_decoded():
    data = (PAGES / "can-tho-2022-buu-chinh-cong-ich.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    article = page("can-tho-2022-buu-chinh-cong-ich.html")
    assert "dịch vụ bưu chính công ích" in article.body
    assert "Lượt xem" not in article.body


def test_old_tone_placement_is_normalized():
    article = page("hoa-binh-2023-truyen-thanh-thong-minh.txt")
    assert "hồ thủy lợi" in article.body
    assert "cuộc sống hòa bình" in article.body
    text = article.title + article.body + article.author
    assert not re.search(r"\b(?:thuỷ|hoà|Hoà|Thuỳ)\b", text)


def test_related_list_and_its_dates_are_cut():
    article = page("nghe-an-2020-giai-bao-chi.txt")
    assert article.source == "Báo Nghệ An"
    for chrome in ("Tin cùng chuyên mục", "giao ban", "Ngày đăng", "Total", "Văn bản pháp quy"):
        assert chrome not in article.body
    assert article.body.endswith("của Bộ Chính trị.")


def test_page_without_anchor_and_with_a_labelled_date_at_the_end():
    article = page("tien-giang-2021-tan-so.txt")
    assert article.body.startswith("Thực hiện Quyết định số 1215/QĐ-UBND")
    assert "Ngày đăng" not in article.body and "tổng hợp" not in article.body


# --- record fields -----------------------------------------------------------------------------


def test_fields_win_over_the_page():
    fields = {
        "id": "custom-id",
        "url": "https://example.vn/a",
        "title": "Tiêu đề riêng",
        "published": "2020-01-02T10:00:00+07:00",
        "source": "Báo Bắc Kạn",
        "topics": ["Báo chí"],
        "province": "TP.HCM",
        "author": "Lê Văn B",
        "body": "Dòng một.\n\n  Dòng   hai. \nDòng hai.",
    }
    article = seed("000_b31f338fe211c5e8.txt", fields)
    assert (article.id, article.url, article.title, article.published) == (
        "custom-id",
        "https://example.vn/a",
        "Tiêu đề riêng",
        "2020-01-02",
    )
    assert (article.source, article.topics, article.province, article.author) == (
        "Báo Bắc Kạn",
        ["Báo chí"],
        "Hồ Chí Minh",
        "Lê Văn B",
    )
    assert article.body == "Dòng một.\nDòng hai."


def test_null_and_empty_fields_do_not_override():
    fields = {"title": None, "published": "", "topics": [], "province": None, "author": " "}
    assert seed("004_7cf9c1a2196799be.txt", fields) == seed("004_7cf9c1a2196799be.txt")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("topics", 5),
        ("topics", "Báo chí"),
        ("topics", [1, 2]),
        ("title", ["x"]),
        ("published", 2020),
        ("published", "hôm qua"),
        ("body", {"a": 1}),
        ("id", 7),
        ("province", 12),
        ("author", True),
    ],
)
def test_mistyped_fields_are_ignored_with_a_warning(name, value, caplog):
    with caplog.at_level(logging.WARNING, logger="indexer.pages.extract"):
        article = seed("003_1f8cfd56b29d262e.txt", {name: value})
    assert article == seed("003_1f8cfd56b29d262e.txt")
    assert name in caplog.text


def test_unknown_province_is_kept_as_given():
    assert seed("000_b31f338fe211c5e8.txt", {"province": "Vương quốc  Anh"}).province == (
        "Vương quốc  Anh"
    )


def test_jsonl_records():
    article = jsonl(
        id="vntc-1",
        url=None,
        title=None,
        published="2021-04-26T07:30:00Z",
        source="Dân trí",
        topics=[],
        body="Sở Thông tin và Truyền thông tỉnh Lào Cai tổ chức diễn tập an toàn thông tin mạng. "
        "Các đội ứng cứu sự cố xử lý một cuộc tấn công mã độc giả định.\nTấn công mạng ngày càng "
        "tinh vi, an toàn thông tin phải được bảo đảm.",
    )
    assert article.id == "vntc-1"
    assert (
        article.title
        == "Sở Thông tin và Truyền thông tỉnh Lào Cai tổ chức diễn tập an toàn thông tin mạng"
    )
    assert (article.published, article.province, article.source) == (
        "2021-04-26",
        "Lào Cai",
        "Dân trí",
    )
    assert article.topics == ["An toàn thông tin"]
    assert article.url is None and article.author is None


def test_jsonl_keeps_given_topics_and_unknown_dates():
    article = jsonl(title="Chelsea thắng", published=None, topics=["Thể thao"], body="Bàn thắng.")
    assert (article.topics, article.published, article.province) == (["Thể thao"], None, None)


def test_jsonl_without_body_fails():
    with pytest.raises(ExtractionError, match="no article text found"):
        jsonl(title="Chỉ có tiêu đề", body="   ")


@pytest.mark.parametrize(
    ("body", "title"),
    [
        ("Câu thứ nhất ngắn. Câu thứ hai.", "Câu thứ nhất ngắn"),
        (
            "Vốn duy tu cầu đường chỉ đáp ứng 50% nhu cầu (NLĐ)- Ngày 20-3, Ban Kinh tế họp.",
            "Vốn duy tu cầu đường chỉ đáp ứng 50% nhu cầu",
        ),
        ("(Dân trí) - Năm 2020, Vinamilk dẫn đầu. Câu sau.", "Năm 2020, Vinamilk dẫn đầu"),
        ("TP.HCM tổ chức hội nghị. Câu sau.", "TP.HCM tổ chức hội nghị"),
    ],
)
def test_derive_title(body, title):
    assert derive_title(body) == title


def test_derived_title_is_cut_at_a_word_boundary():
    title = derive_title("Một câu rất dài " * 30)
    assert len(title) <= 151 and title.endswith("…") and not title.endswith(" …")
    assert title[:-1] == title[:-1].rstrip()
    assert ("Một câu rất dài " * 30).startswith(title[:-1])


# --- text rules on small pages -----------------------------------------------------------------


def test_kicker_date_range_gives_the_latest_date():
    article = txt(
        "Kỷ niệm 5 năm thành lập Trung tâm (1/9/2019-1/9/2024):\n\nNhìn lại chặng đường\n\n"
        "0:00 / 0:00\nTrung tâm đã triển khai nhiều dịch vụ mới cho người dân trong 5 năm qua."
    )
    assert (article.title, article.published) == ("Nhìn lại chặng đường", "2024-09-01")
    assert article.kicker.startswith("Kỷ niệm 5 năm")


def test_header_clock_is_not_a_publication_date():
    article = txt(
        "10:05 ICT Thứ hai, 01/03/2021\nTrang chủ\n\nHội nghị giao ban báo chí quý I\n\n"
        "Bản để in\nSáng 26/02/2021, Sở tổ chức hội nghị giao ban báo chí quý I năm 2021."
    )
    assert (article.title, article.published) == ("Hội nghị giao ban báo chí quý I", None)


def test_national_article_gets_no_province_but_one_clear_province_does():
    national = txt(
        "Nhiều địa phương đẩy mạnh chuyển đổi số\n\nBản để in\n"
        "Hà Nội, Đà Nẵng, Cần Thơ và Quảng Ninh đều tăng hạng chỉ số chuyển đổi số năm nay."
    )
    assert national.province is None
    local = txt(
        "Hội nghị chuyển đổi số\n\nBản để in\n"
        "Sáng nay, UBND tỉnh Yên Bái tổ chức hội nghị, có đại diện Hà Nội tham dự. "
        "Các sở, ngành của tỉnh Yên Bái báo cáo kết quả."
    )
    assert local.province == "Yên Bái"


def test_province_from_the_site_address():
    article = txt(
        "Hội nghị tổng kết năm\n\nBản để in\nSở tổ chức hội nghị tổng kết.",
        url="https://stttt.backan.gov.vn/Pages/tong-ket.aspx",
    )
    assert article.province == "Bắc Kạn"


@pytest.mark.parametrize(
    ("last_line", "author"),
    [
        ("Hà Văn Tiến", "Hà Văn Tiến"),
        ("Thu Hà - Minh Tuấn", "Thu Hà - Minh Tuấn"),
        ("Hoàng Anh (tổng hợp)", "Hoàng Anh"),
        ("Chu Xuân Trường UVBCH Đảng bộ tỉnh - Giám đốc Sở TT&TT", "Chu Xuân Trường"),
        ("Toàn cảnh Hội nghị", None),
        ("Sở Thông Tin", None),
    ],
)
def test_author_lines(last_line, author):
    article = txt(f"Tiêu đề bài viết\n\nBản để in\nNội dung bài viết ở đây.\n{last_line}")
    assert article.author == author
    assert article.body.endswith(last_line if author is None else "ở đây.")


# --- HTML layouts ------------------------------------------------------------------------------


def test_html_og_title_over_logo_h1_and_time_element():
    article = html(
        "<html><head><meta property='og:title' content='Khai trương Trung tâm IOC tỉnh'></head>"
        "<body><h1 class='logo'>Cổng TTĐT tỉnh</h1><div class='post'><h2>Khai trương Trung tâm "
        "IOC tỉnh</h2><time datetime='2022-11-30T08:00'>30/11</time><p>Sáng 29/11, tỉnh Phú Thọ "
        "khai trương Trung tâm giám sát, điều hành thông minh.</p><p>Tác giả: Lan Anh</p></div>"
        "</body></html>"
    )
    assert (article.title, article.published, article.province) == (
        "Khai trương Trung tâm IOC tỉnh",
        "2022-11-30",
        "Phú Thọ",
    )
    assert article.body == (
        "Sáng 29/11, tỉnh Phú Thọ khai trương Trung tâm giám sát, điều hành thông minh."
    )
    assert article.author == "Lan Anh"


def test_html_itemprop_date_and_byline():
    article = html(
        "<html><body><div itemprop='articleBody'><p>Nội dung chính của bài báo về bưu chính.</p>"
        "</div><span itemprop='datePublished' content='2019-05-06'>06/05/2019</span>"
        "<span class='author'>Tác giả: Minh Anh</span><title>Bưu chính phát triển</title>"
        "</body></html>"
    )
    assert (article.published, article.author) == ("2019-05-06", "Minh Anh")


def test_html_charset_fallbacks():
    text = "<html><head><title>Thông báo</title></head><body><p>Điện thoại và Internet.</p>"
    assert "Điện thoại" in html(text.encode("utf-8")).body
    latin = html(b"<html><body><p>Caf\xe9 s\xe1ng nay ngon.</p></body></html>")  # not UTF-8
    assert latin.body  # decoded as Windows-1258 rather than failing


def test_html_with_a_utf16_bom_is_decoded():
    markup = "<html><body><h1>Bưu chính công ích</h1><p>Điện thoại và Internet.</p></body></html>"
    article = html(codecs.BOM_UTF16_LE + markup.encode("utf-16-le"))
    assert (article.title, article.body) == ("Bưu chính công ích", "Điện thoại và Internet.")


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (RawRecord(id="e", kind="txt", location=Location("e.txt"), content="  \n\n "), "empty"),
        (
            RawRecord(
                id="b",
                kind="txt",
                location=Location("b.txt"),
                content="\x00\x01\x02\x03abc\x04\x05",
            ),
            "binary",
        ),
        (
            RawRecord(
                id="b",
                kind="html",
                location=Location("b.html"),
                content=b"\x89PNG\r\n\x1a\n\x00\x00",
            ),
            "a PNG file, not a page",
        ),
        (
            RawRecord(
                id="n",
                kind="html",
                location=Location("n.html"),
                content=b"<html><body><script>x()</script></body></html>",
            ),
            "no article text found",
        ),
        (
            RawRecord(
                id="c", kind="txt", location=Location("c.txt"), content="Skip to main content\n0:00"
            ),
            "no article text found",
        ),
        (
            RawRecord(id="k", kind="pdf", location=Location("k.pdf"), content=b"%PDF"),
            "unknown record kind",
        ),
    ],
)
def test_unusable_records_raise(record, reason):
    with pytest.raises(ExtractionError, match=reason) as info:
        extract_article(record)
    assert isinstance(info.value, ValueError)
    assert str(record.location) in str(info.value)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_gives_an_article_or_a_named_error(text):
    try:
        article = txt(text)
    except ExtractionError:
        return
    assert article.body and "\n\n" not in article.body
    assert article.title is not None


def test_html_article_header_outside_article_keeps_title_and_date():
    article = html(
        "<html><body><header class='site'><h1>Cổng thông tin</h1></header><div class='news'>"
        "<header><h1>Tỉnh Lào Cai phủ sóng 5G tại trung tâm thành phố</h1>"
        "<time datetime='2024-05-02'>02/05/2024</time></header><div class='bodytext'>"
        "<p>Nhà mạng đã lắp đặt 40 trạm phát sóng 5G trên địa bàn tỉnh Lào Cai.</p></div></div>"
        "<div class='comments'><span class='comment-author'>Khách</span><p>Hay quá</p></div>"
        "</body></html>"
    )
    assert (article.title, article.published, article.province, article.author) == (
        "Tỉnh Lào Cai phủ sóng 5G tại trung tâm thành phố",
        "2024-05-02",
        "Lào Cai",
        None,
    )
    assert article.body == "Nhà mạng đã lắp đặt 40 trạm phát sóng 5G trên địa bàn tỉnh Lào Cai."
    assert article.topics == ["Viễn thông"]


def test_a_line_break_inside_a_sentence_is_a_space():
    from bs4 import BeautifulSoup

    from indexer.pages.htmltree import block_lines

    soup = BeautifulSoup(
        "<div class='paragraph'>Sáng 12/5, Liên đoàn Lao động tỉnh tổ chức trao quà cho<br>"
        "đoàn viên có hoàn cảnh khó khăn.<br>Tổng giá trị quà tặng là 200 triệu đồng<br><br>"
        "đợt hai sẽ trao vào tháng 9.<br/>Địa chỉ liên hệ:<br>số 2 đường Lê Lợi</div>",
        "lxml",
    )
    assert [line for line in block_lines(soup.div) if line.strip()] == [
        "Sáng 12/5, Liên đoàn Lao động tỉnh tổ chức trao quà cho đoàn viên có hoàn cảnh khó khăn.",
        "Tổng giá trị quà tặng là 200 triệu đồng",
        "đợt hai sẽ trao vào tháng 9.",
        "Địa chỉ liên hệ:",
        "số 2 đường Lê Lợi",
    ]
