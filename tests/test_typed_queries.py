"""Queries typed with the keyboard off (Telex, VNI) and "did you mean", on the fixture index."""

from __future__ import annotations

import html
import json
import unicodedata

import pytest

from search_app.results import SearchRequest


def ids(page) -> list[str]:
    return [hit.id for hit in page.hits]


@pytest.mark.parametrize("typed", ["chuyeenr ddooir soos", "chuye6n3 d9o6i3 so61"])
def test_keyboard_off_query_is_searched_as_vietnamese(archive_search, typed):
    page = archive_search.search(SearchRequest(q=typed))
    accented = archive_search.search(SearchRequest(q="chuyển đổi số"))
    assert page.searched == "chuyển đổi số"
    assert page.total == accented.total > 0
    assert ids(page) == ids(accented)
    assert "<mark>" in page.hits[0].snippet  # the matches of the reading are marked


def test_verbatim_searches_what_was_typed(archive_search):
    page = archive_search.search(SearchRequest(q="chuyeenr ddooir soos", verbatim=True))
    assert page.searched == ""
    assert page.total == 0


@pytest.mark.parametrize(
    "typed", ["chuyen doi so", "chuyển đổi số", "UBND tỉnh", "570/QĐ-UBND", "email"]
)
def test_ordinary_queries_are_not_rewritten(archive_search, typed):
    assert archive_search.search(SearchRequest(q=typed)).searched == ""


def test_page_says_what_it_shows_and_offers_the_typed_query(client):
    response = client.get("/search?q=Bawcs+Kajn")
    text = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "Đang hiển thị kết quả cho «<strong>Bắc Kạn</strong>»" in text
    assert 'href="/search?q=Bawcs+Kajn&verbatim=1"' in text
    # the results link to articles with the reading highlighted
    assert "q=B%E1%BA%AFc+K%E1%BA%A1n" in text
    verbatim = html.unescape(client.get("/search?q=Bawcs+Kajn&verbatim=1").get_data(as_text=True))
    assert "Đang hiển thị kết quả cho" not in verbatim


def test_api_reports_the_query_searched(client):
    data = json.loads(client.get("/search.json?q=baso+chis").get_data(as_text=True))
    assert data["query"] == "baso chis"
    assert data["searched"] == "báo chí"
    assert data["total"] > 0


def test_export_uses_the_same_reading(archive_search):
    typed = [hit.id for hit in archive_search.export(SearchRequest(q="truyeenf thoong"))]
    accented = [hit.id for hit in archive_search.export(SearchRequest(q="truyền thông"))]
    assert typed == accented and typed


def test_typo_gets_a_did_you_mean_with_diacritics(archive_search):
    page = archive_search.search(SearchRequest(q="thnog tin truyen thong"))
    assert page.suggestion == "thông tin truyền thông"
    fixed = archive_search.search(SearchRequest(q=page.suggestion))
    assert fixed.total > 0 and not fixed.notices


def test_few_results_without_diacritics_get_the_spelling(archive_search):
    page = archive_search.search(SearchRequest(q="bac kan"))
    assert 0 < page.total < 5
    assert page.suggestion == "bắc kạn"


@pytest.mark.parametrize("query", ["thnog tin truyền thông", "bac kan", "Bắc Kan"])
def test_a_query_typed_decomposed_gets_the_same_did_you_mean(archive_search, query):
    composed = archive_search.search(SearchRequest(q=unicodedata.normalize("NFC", query)))
    decomposed = archive_search.search(SearchRequest(q=unicodedata.normalize("NFD", query)))
    assert composed.suggestion  # a repair to compare
    assert decomposed.suggestion == composed.suggestion


def test_no_suggestion_when_the_query_finds_plenty(archive_search):
    page = archive_search.search(SearchRequest(q="thong tin"))
    assert page.total >= 5
    assert page.suggestion == ""


def test_no_suggestion_that_finds_nothing(archive_search):
    page = archive_search.search(SearchRequest(q="zzqx"))
    assert page.total == 0 and page.suggestion == ""


def test_did_you_mean_link_keeps_the_filters(client):
    response = client.get("/search?q=thnog+tin+truyen+thong&sort=newest")
    text = html.unescape(response.get_data(as_text=True))
    assert "Có phải bạn muốn tìm:" in text
    assert "q=th%C3%B4ng+tin+truy%E1%BB%81n+th%C3%B4ng&sort=newest" in text
