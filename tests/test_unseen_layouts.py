"""Rules that pages of unseen systems asked for (issue 15), each on a small page of its own:
the fixture pages in tests/data/layouts/ hold them in context."""

from __future__ import annotations

from indexer.pages.extract import extract_article
from indexer.pages.htmlpage import parse_html_page
from indexer.records import Location, RawRecord

TITLE = "Trao 500 suất quà cho đoàn viên có hoàn cảnh khó khăn"
TEXT = (
    "Chiều 6/9, Liên đoàn Lao động tỉnh phối hợp với các doanh nghiệp trao 500 suất quà cho "
    "đoàn viên, người lao động có hoàn cảnh khó khăn tại khu công nghiệp."
)
MORE = "Mỗi suất quà gồm tiền mặt và nhu yếu phẩm, tổng trị giá hơn 400 triệu đồng."


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def test_a_hidden_element_named_title_is_no_headline():
    ribbon = (
        '<div class="s4-ribbonrowhidetitle" style="display:none"><a>Skip Ribbon Commands</a>'
        "<a>Skip to main content</a></div>"
    )
    found = parse_html_page(
        page(ribbon + f'<div class="tieu-de-tin">{TITLE}</div><p>{TEXT}</p><p>{MORE}</p>')
    )
    assert found.title == TITLE


def test_a_date_in_an_element_named_in_vietnamese():
    found = parse_html_page(
        page(f'<h2>{TITLE}</h2><div class="thoi-gian">20 tháng 12, 2011</div><p>{TEXT}</p>')
    )
    assert found.published == "2011-12-20"


def test_an_og_title_naming_the_section_gives_way_to_the_headline():
    head = '<title>Tin hoạt động</title><meta property="og:title" content="Tin hoạt động">'
    found = parse_html_page(page(f"<h2>{TITLE}</h2><p>{TEXT}</p>", head))
    assert found.title == TITLE
    real = '<meta property="og:title" content="Trao quà cho đoàn viên">'
    assert parse_html_page(page(f"<h2>{TITLE}</h2><p>{TEXT}</p>", real)).title == (
        "Trao quà cho đoàn viên"
    )  # an og:title of a few words that is not a section's name


def test_the_headline_printed_again_or_as_a_caption_is_no_text():
    body = (
        f"<h2>{TITLE}</h2><div><strong>{TITLE}</strong></div><p>{TEXT}</p>"
        f'<div style="text-align:center"><img src="a.jpg"><br><em>{TITLE}</em></div><p>{MORE}</p>'
    )
    assert parse_html_page(page(body)).body == [TEXT, MORE]


def test_a_comment_counter_is_chrome():
    body = f"<h1>{TITLE}</h1><p>{TEXT}</p><div>Bình luận (12)</div><p>{MORE}</p>"
    assert parse_html_page(page(body)).body == [TEXT, MORE]


def test_content_named_not_footer_is_content():
    body = (
        f'<div class="wsite-elements wsite-not-footer"><h2>{TITLE}</h2>'
        f'<div class="paragraph">{TEXT}<br><br>{MORE}</div></div>'
        '<div class="wsite-footer">Địa chỉ: số 2 Nguyễn Trung Trực</div>'
    )
    assert parse_html_page(page(body)).body == [TEXT, MORE]


def test_a_sentence_listing_provinces_tells_of_none():
    listing = (
        "Một số địa phương như Hà Nội, TP Hồ Chí Minh, Đà Nẵng và Bắc Ninh đã kết nối phần mềm "
        "với cơ sở dữ liệu quốc gia về dân cư."
    )
    html = page(f"<h1>Cắt giảm giấy tờ nhờ dữ liệu dân cư</h1><p>{listing}</p><p>{MORE}</p>")
    record = RawRecord(id="a", kind="html", location=Location("/a.html"), content=html)
    assert extract_article(record).province is None
    told = listing + " Tại TP Hồ Chí Minh, thành phố đã cắt giảm 300 thủ tục."
    html = page(f"<h1>Cắt giảm giấy tờ nhờ dữ liệu dân cư</h1><p>{told}</p><p>{MORE}</p>")
    record = RawRecord(id="b", kind="html", location=Location("/b.html"), content=html)
    assert extract_article(record).province == "Hồ Chí Minh"


def test_a_web_archive_toolbar_never_hides_the_page():
    toolbar = (
        "<!-- BEGIN WAYBACK TOOLBAR INSERT -->"
        '<div id="wm-ipp-base" style="display:none"><div id="wm-ipp"><div>14 May 2013'
        "<!-- END WAYBACK TOOLBAR INSERT -->"  # its divs left open, as served
    )
    body = f'{toolbar}<div class="chitiettin"><span class="tieude">{TITLE}</span>'
    found = parse_html_page(page(body + f"<p>{TEXT}</p><p>{MORE}</p></div>"))
    assert (found.title, found.body) == (TITLE, [TEXT, MORE])


def test_a_date_and_a_lead_beside_the_text_belong_to_it():
    body = (
        f'<h3 class="header-title">{TITLE}</h3><div class="asset-content"><div class="news-detail">'
        '<div class="news-date">Thứ hai, 12 08 2019 14:38</div>'
        f'<div class="news-sapo"><strong>{TEXT}</strong></div>'
        f'<div class="news-content"><p>{MORE}</p><p>{MORE} Thêm nữa.</p></div></div></div>'
        '<div class="tienich"><a href="#">In bài</a> | <a href="#">Lên đầu trang</a></div>'
    )
    found = parse_html_page(page(body))
    assert found.published == "2019-08-12"
    assert found.body == [TEXT, MORE, MORE + " Thêm nữa."]
