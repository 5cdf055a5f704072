"""JSON-LD read before the heuristics: a page whose text is drawn by a script still has its
title, date, author and body (issue 15: a 2025 newspaper layout was indexed title only)."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup

from indexer.pages.htmlpage import parse_html_page
from indexer.pages.linkeddata import linked_article

PARAGRAPHS = [
    "Sáng 12/3, Bộ Thông tin và Truyền thông tổ chức hội nghị tổng kết công tác chuyển đổi số "
    "quốc gia năm 2024 và triển khai nhiệm vụ năm 2025 với sự tham dự của các bộ, ngành.",
    "Theo báo cáo, tỷ lệ hồ sơ trực tuyến toàn trình đạt hơn 45%, tăng gần gấp đôi so với năm "
    "trước; nhiều địa phương đã hoàn thành kết nối cơ sở dữ liệu dân cư với hệ thống một cửa.",
    "Phát biểu chỉ đạo, Bộ trưởng đề nghị các địa phương tập trung phát triển hạ tầng số, "
    "bảo đảm an toàn thông tin và đào tạo kỹ năng số cho người dân trong năm 2025.",
]
TITLE = "Tổng kết chuyển đổi số quốc gia năm 2024, triển khai nhiệm vụ năm 2025"


def page(ld: object, article_html: str = '<div id="app"></div>', extra: str = "") -> str:
    block = ld if isinstance(ld, str) else json.dumps(ld, ensure_ascii=False)
    block = block.replace("</", "<\\/")  # as pages write it: "</script>" would end the block
    return f"""<html><head><title>{TITLE} - Báo Điện tử</title>
<script type="application/ld+json">{block}</script>{extra}</head>
<body><header><nav><a href="/">Trang chủ</a> <a href="/thoi-su">Thời sự</a></nav></header>
<main>{article_html}</main>
<footer>Cơ quan chủ quản: Bộ Thông tin và Truyền thông. Giấy phép số 123/GP-BTTTT.</footer>
</body></html>"""


NEWS = {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    "headline": TITLE,
    "datePublished": "2025-03-12T08:30:00+07:00",
    "dateModified": "2025-03-13T10:00:00+07:00",
    "author": {"@type": "Person", "name": "Minh Anh"},
    "publisher": {"@type": "Organization", "name": "Báo Điện tử Thông tin"},
    "mainEntityOfPage": {"@type": "WebPage", "@id": "https://bao.example.vn/tong-ket-123.html"},
    "articleBody": "\n".join(PARAGRAPHS),
}


def test_a_body_drawn_by_a_script_comes_from_json_ld():
    found = parse_html_page(page(NEWS))
    assert found.title == TITLE
    assert found.body == PARAGRAPHS
    assert found.published == "2025-03-12"
    assert found.author == "Minh Anh"
    assert found.url == "https://bao.example.vn/tong-ket-123.html"
    assert found.source == "Báo Điện tử Thông tin"


def test_the_article_in_a_graph_among_other_nodes_and_a_utc_date():
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Báo Điện tử", "url": "https://bao.example.vn/"},
            {"@type": "BreadcrumbList", "itemListElement": []},
            {**NEWS, "@type": ["NewsArticle"], "datePublished": "2025-03-11T20:00:00Z"},
        ],
    }
    found = parse_html_page(page(graph))
    assert found.body == PARAGRAPHS
    assert found.published == "2025-03-12"  # 20:00 UTC is the next morning in Vietnam


def test_a_broken_or_foreign_block_is_passed_over():
    assert linked_article(BeautifulSoup(page("{not json"), "lxml")) is None
    other = {"@type": "Organization", "name": "Báo Điện tử"}
    assert linked_article(BeautifulSoup(page(other), "lxml")) is None
    article = f"<article><h1>{TITLE}</h1>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    found = parse_html_page(page("{not json", article + "</article>"))
    assert found.title == TITLE and found.body == PARAGRAPHS


def test_the_page_text_wins_when_it_holds_the_article():
    """The line rules keep captions and paragraph breaks that articleBody loses."""
    caption = "Quang cảnh hội nghị tổng kết tại Hà Nội"
    article = (
        f"<article><h1>{TITLE}</h1><p>{PARAGRAPHS[0]}</p>"
        f'<figure><img src="a.jpg"><figcaption>{caption}</figcaption></figure>'
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[1:])
        + "</article>"
    )
    flat = {**NEWS, "articleBody": " ".join(PARAGRAPHS)}
    found = parse_html_page(page(flat, article))
    assert [line for line in found.body if line != caption] == PARAGRAPHS
    assert caption in found.body


def test_an_html_article_body_is_read_by_its_blocks():
    html_body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "<script>track()</script>"
    found = parse_html_page(page({**NEWS, "articleBody": html_body}))
    assert found.body == PARAGRAPHS


def test_an_organisation_as_author_is_no_author():
    found = parse_html_page(
        page({**NEWS, "author": {"@type": "Organization", "name": "Báo Điện tử"}})
    )
    assert found.author is None
    found = parse_html_page(page({**NEWS, "author": [{"name": "Lan Hương"}, {"name": "Minh Anh"}]}))
    assert found.author == "Lan Hương"
