"""Publication dates: dates in text, date lines, bylines and given date values."""

from __future__ import annotations

import pytest

from indexer.metadata.dates import (
    byline_date,
    date_line,
    dates_in,
    is_header_clock,
    is_labelled,
    normalize_published,
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
