"""Entities mangled by old site migrations: repaired where the repair is unambiguous, never
splitting a word, and anything else left as written."""

from __future__ import annotations

import pytest

from indexer.inputs.mangled import repair_mangled
from indexer.pages.htmlpage import parse_html_page
from indexer.pages.textpage import parse_text_page
from indexer.text.vietnamese import SYLLABLE_RE


@pytest.mark.parametrize(
    ("mangled", "repaired"),
    [
        ("vi;ecirc%3ḅc", "việc"),  # & -> ;  and  ; -> %3B, whose B took the tone mark
        ("Vi;ecirc%3Ḅc làm", "Việc làm"),
        ("vi;ecirc%3b\u0323c", "việc"),  # decomposed
        ("viê%3Ḅc", "việc"),  # the entity read, its "%3B" left
        ("Tr;ecirc;n đường", "Trên đường"),
        ("ph;ép", "phép"),  # a stray ';' inside a word
        ("giấy ph;ép số 12", "giấy phép số 12"),
    ],
)
def test_mangled_words_are_repaired(mangled, repaired):
    assert repair_mangled(mangled) == repaired


@pytest.mark.parametrize(
    "text",
    [
        "a;b",  # not a Vietnamese syllable once joined
        "c;ac",
        "x; y",  # a semicolon between words
        "HTML &amp; CSS; xong",
        "giá tăng 100%3B",
        "https://example.vn/?a=1%3Bb=2",
        "abc%3Bdef",
        "Hà Nội;Hải Phòng",  # two words, not one syllable
        "",
    ],
)
def test_anything_else_stays_as_written(text):
    assert repair_mangled(text) == text


BODY = (
    "Sở đã cấp giấy ph;ép cho 12 đơn vị; vi;ecirc%3ḅc thẩm định hồ sơ được thực hiện "
    "trên môi trường mạng, bảo đảm công khai, minh bạch."
)


def test_pages_are_searchable_by_the_repaired_words():
    html = (
        "<html><body><h1>Cấp ph;ép hoạt động cho trang thông tin điện tử tổng hợp</h1>"
        f"<p>{BODY}</p><p>Người dân có thể tra cứu kết quả trên cổng dịch vụ công.</p>"
        "</body></html>"
    )
    for page in (parse_html_page(html), parse_text_page(html_to_text(html))):
        assert page.title == "Cấp phép hoạt động cho trang thông tin điện tử tổng hợp"
        words = SYLLABLE_RE.findall(" ".join(page.body))
        assert "phép" in words and "việc" in words
        assert "ph" not in words and "ecirc" not in words


def html_to_text(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    return "\n".join(tag.get_text() for tag in soup.find_all(["h1", "p"]))
