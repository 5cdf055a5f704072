"""Dates on whole pages (issue 15): each shape of real pages in a text scrape and in HTML."""

from __future__ import annotations

import pytest

from indexer.pages.htmlpage import parse_html_page
from indexer.pages.textpage import parse_text_page

TITLE = "Hội nghị tổng kết chuyển đổi số năm 2019"
LEAD = (
    "Sáng nay, Sở Thông tin và Truyền thông tổ chức hội nghị tổng kết công tác chuyển đổi số "
    "năm qua với sự tham gia của các sở, ngành và địa phương."
)
HEADER = "SỞ THÔNG TIN VÀ TRUYỀN THÔNG TỈNH BẮC KẠN"
MENU = "Trang chủ\nGiới thiệu\nTin tức\nVăn bản"

SHAPES = [
    ("thứ hai, 05 08 2019 14:38", "2019-08-05"),
    ("05 08 2019", "2019-08-05"),
    ("30 tháng 8, 2024", "2024-08-30"),
    ("Thứ sáu, ngày 30 tháng 08, 2024", "2024-08-30"),
    ("Publish date: 12/03/2021", "2021-03-12"),
    ("Published: March 12, 2021", "2021-03-12"),
    ("Posted on 12 Mar 2021 by Lan Anh", "2021-03-12"),
    ("Date: 12/03/2021", "2021-03-12"),
    ("Ngày xuất bản: 12/03/2021", "2021-03-12"),
]


def text_page(date_line: str) -> str:
    return f"{HEADER}\n{MENU}\n{TITLE}\n{date_line}\n{LEAD}\n"


def html_page(date_markup: str, header: str = "") -> str:
    return (
        f"<html><head><title>{TITLE}</title></head><body><div class='top'>{header}</div>"
        f"<div class='content'><h1>{TITLE}</h1>{date_markup}<p>{LEAD}</p></div></body></html>"
    )


@pytest.mark.parametrize(("line", "date"), SHAPES)
def test_text_page_dates(line, date):
    page = parse_text_page(text_page(line))
    assert (page.title, page.published, page.body) == (TITLE, date, [LEAD])


@pytest.mark.parametrize(("line", "date"), SHAPES)
def test_html_page_dates_in_a_date_element_and_in_a_plain_one(line, date):
    for markup in (f"<div class='date'>{line}</div>", f"<span>{line}</span>"):
        page = parse_html_page(html_page(markup))
        assert (page.title, page.published, page.body) == (TITLE, date, [LEAD])


def test_numbers_in_running_text_are_not_dates():
    body = "Có 05 08 2019 người dân đã dùng dịch vụ công trực tuyến trong năm qua."
    page = parse_text_page(f"{TITLE}\nBản để in\n{body}\n")
    assert (page.published, page.body) == (None, [body])
    page = parse_html_page(html_page(f"<p>{body}</p>"))
    assert page.published is None and page.body[0] == body


def test_a_date_under_its_label_in_the_next_cell():
    page = parse_text_page(f"{TITLE}\nBản để in\n{LEAD}\nNgày đăng:\n12/03/2021\n")
    assert (page.published, page.body) == ("2021-03-12", [LEAD])
    page = parse_html_page(
        html_page(
            "<table class='info'><tr><td>Publish date</td><td>March 12, 2021</td></tr></table>"
        )
    )
    assert page.published == "2021-03-12"


def test_a_last_change_is_not_the_publication():
    page = parse_text_page(f"{TITLE}\nCập nhật lần cuối: 12/03/2021\n{LEAD}\n")
    assert (page.title, page.published, page.body) == (TITLE, None, [LEAD])


@pytest.mark.parametrize(
    "clock", ["Thứ Ba, 14/05/2013", "Hôm nay: Thứ Ba, 14/05/2013", "thứ ba, 14 05 2013 08:15"]
)
def test_a_frozen_header_clock_is_not_the_date_nor_the_title_anchor(clock):
    page = parse_text_page(f"{HEADER}\n{clock}\n{MENU}\n{TITLE}\nBản để in\n{LEAD}\n")
    assert (page.title, page.published, page.body) == (TITLE, None, [LEAD])
    page = parse_text_page(f"{HEADER}\n{clock}\n{MENU}\n{TITLE}\n20/02/2013\n{LEAD}\n")
    assert (page.title, page.published) == (TITLE, "2013-02-20")


@pytest.mark.parametrize("clock", ["Hôm nay: Thứ Ba, 14/05/2013", "Thứ Ba, 14/05/2013"])
def test_html_header_clock_is_not_the_date(clock):
    page = parse_html_page(html_page("", header=f"{HEADER}<div class='date'>{clock}</div>"))
    assert (page.title, page.published) == (TITLE, None)
    inside = f"<div class='date'>{clock}</div>" if clock.startswith("Hôm") else ""
    page = parse_html_page(html_page(inside + "<span class='date'>20/02/2013</span>"))
    assert page.published == "2013-02-20"


@pytest.mark.parametrize("slot", ["( )", "(  )", "[ ]", "( Cập nhật lúc: )"])
def test_empty_date_slot_is_neither_a_date_nor_part_of_the_title(slot):
    for text in (f"{TITLE} {slot}\n{LEAD}\n", f"{MENU}\n{TITLE}\n{slot}\n{LEAD}\n"):
        page = parse_text_page(text)
        assert (page.title, page.published, page.body) == (TITLE, None, [LEAD])
    for markup in (
        f"<h1>{TITLE} {slot}</h1><p>{LEAD}</p>",
        f"<h1>{TITLE} <span class='date'>{slot}</span></h1><p>{LEAD}</p>",
        f"<h1>{TITLE}</h1><p>{slot}</p><p>{LEAD}</p>",
    ):
        page = parse_html_page(f"<html><body><div class='content'>{markup}</div></body></html>")
        assert (page.title, page.published, page.body) == (TITLE, None, [LEAD])
