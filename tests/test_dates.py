"""Publication dates: dates in text, date lines, bylines and given date values."""

from __future__ import annotations

import pytest

from indexer.metadata.dates import (
    byline_date,
    date_line,
    dates_in,
    is_date_label,
    is_empty_date_slot,
    is_header_clock,
    is_labelled,
    is_last_change,
    normalize_published,
    strip_empty_slots,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-01-26", "2021-01-26"),
        ("2021-01-26T08:00:00+07:00", "2021-01-26"),
        ("2021-01-26 08:00", "2021-01-26"),
        ("2021-1-5", "2021-01-05"),
        ("2021-02-30", None),
        ("26/01/2021", "2021-01-26"),
        ("2021-03", "2021-03"),
        ("2021", "2021"),
        ("2021-13", None),
        ("hôm qua", None),
    ],
)
def test_normalize_published(value, expected):
    assert normalize_published(value) == expected


def test_dates_in_reads_every_written_form_and_skips_impossible_dates():
    text = "Từ 1/9/2019 đến 2024-09-01, ngày 5 tháng 3 năm 2020; không phải 31/02/2021 hay 2099999"
    assert dates_in(text) == ["2019-09-01", "2024-09-01", "2020-03-05"]


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("Thứ tư - 20/02/2013 14:57", "2013-02-20"),
        ("( Cập nhật lúc: 08/05/2020 )", "2020-05-08"),
        ("Ngày đăng: 05/09/2022 | Lượt xem: 1245", "2022-09-05"),
        ("Ngày 11/5/2006, Sở Thông tin và Truyền thông được thành lập.", None),
    ],
)
def test_date_line(line, date):
    assert date_line(line) == date


def test_labels_clocks_and_bylines():
    assert is_labelled("Cập nhật lúc: 08/05/2020") and not is_labelled("Thứ tư - 20/02/2013")
    assert is_header_clock("20:50 ICT Thứ tư, 20/02/2013") and not is_header_clock("20/02/2013")
    assert byline_date("21/03/2024 bởi Thanh Tâm") == "2024-03-21"
    assert byline_date("Ngày 21/03/2024, Sở tổ chức hội nghị.") is None


# --- issue 15: shapes seen on real pages, and what must not become a date ----------------------


@pytest.mark.parametrize(
    ("line", "date"),
    [
        # day, month and year apart, with a weekday, a time, a label, or alone
        ("thứ hai, 05 08 2019 14:38", "2019-08-05"),
        ("Thứ Hai, 05 08 2019", "2019-08-05"),
        ("05 08 2019 14:38", "2019-08-05"),
        ("14:38 05 08 2019", "2019-08-05"),
        ("05 08 2019", "2019-08-05"),
        ("Ngày đăng: 05 08 2019 | Lượt xem: 1245", "2019-08-05"),
        # the month as a word, a comma before the year
        ("30 tháng 8, 2024", "2024-08-30"),
        ("30 tháng 8 năm 2024", "2024-08-30"),
        ("ngày 30 tháng 08, 2024", "2024-08-30"),
        ("Thứ sáu, ngày 30 tháng 8, 2024", "2024-08-30"),
        # English labels and month names on Vietnamese pages
        ("Publish date: 12/03/2021", "2021-03-12"),
        ("Published: March 12, 2021", "2021-03-12"),
        ("Posted on 12 Mar 2021", "2021-03-12"),
        ("Date: 12/03/2021", "2021-03-12"),
        ("Ngày xuất bản: 12/03/2021", "2021-03-12"),
        ("Created: 12-Mar-2021", "2021-03-12"),
        ("Monday, March 12, 2021 10:00 AM", "2021-03-12"),
        ("March 12, 2021, 10:00 (UTC)", "2021-03-12"),
        ("12 March 2021", "2021-03-12"),
    ],
)
def test_date_line_reads_the_shapes_of_real_pages(line, date):
    assert date_line(line) == date


@pytest.mark.parametrize(
    "line",
    [
        "05 08 2019 người tham dự hội nghị",  # numbers in running text
        "Có 05 08 2019 người",
        "Lúc 10:15 ngày 05 08 2019, đoàn công tác đã tới xã.",  # a sentence
        "Điện thoại: 0209 3870 123",  # phone numbers
        "ĐT: 0912 05 08 2019",
        "Phiên bản 10 12 2020",  # a version
        "Tổng số 12 08 2020 lượt",  # counts
        "Số 12 10 2020 15 30",
        "5 8 2019",  # a date written apart has two-digit day and month
        "31 02 2019",  # impossible
        "Dự án may 12 2021",  # "may" is Vietnamese too
        "( )",  # an empty date slot
        "Hôm nay: Thứ Ba, 14/05/2013",  # a header's clock
    ],
)
def test_date_line_guards(line):
    assert date_line(line) is None
    assert byline_date(line) is None or is_header_clock(line)


def test_numbers_apart_and_english_months_are_dates_only_in_context():
    assert dates_in("Từ 05 08 2019 đến March 12, 2021") == []
    assert byline_date("05 08 2019 14:38 | Tác giả: Minh Anh") == "2019-08-05"
    assert byline_date("Thu Hà, 05 08 2019") is None
    assert byline_date("Posted on March 12, 2021 by Lan Anh") == "2021-03-12"


def test_header_clocks_and_empty_slots_are_never_dates():
    assert is_header_clock("Hôm nay: Thứ Ba, 14/05/2013")
    assert is_header_clock("Today is Tuesday, May 14, 2013")
    assert not is_header_clock("Thứ Ba, 14/05/2013")
    assert not is_header_clock("Hôm nay: 1234")  # a visitor counter, not a clock
    for slot in ("( )", "(  )", "[ ]", "( Cập nhật lúc: )", "Ngày đăng: ( )"):
        assert is_empty_date_slot(slot) and date_line(slot) is None
    assert not is_empty_date_slot("(Ảnh: Minh Anh)")
    assert strip_empty_slots("Hội nghị tổng kết năm 2019 ( ) ( )") == "Hội nghị tổng kết năm 2019"
    assert strip_empty_slots("Hội nghị (mở rộng)") == "Hội nghị (mở rộng)"


def test_labels_alone_and_last_changes():
    assert is_date_label("Ngày đăng:") and is_date_label("Publish date") and is_date_label("Date")
    assert not is_date_label("Ngày đăng: 05/09/2022") and not is_date_label("Cập nhật thông tin")
    assert is_labelled("Published: March 12, 2021")
    assert not is_labelled("Cập nhật lần cuối: 12/03/2021")
    assert not is_labelled("Last updated: March 12, 2021")
    assert is_last_change("Cập nhật lần cuối: 12/03/2021") and is_last_change("Updated: 12/03/2021")
    assert date_line("Cập nhật lần cuối: 12/03/2021") == "2021-03-12"  # a date, not a publication
