"""Query behaviour on a real index of the seeds and the fixture archive."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import asdict

import pytest

from indexer.text.vietnamese import fold
from search_app.engine.search import SearchRequest
from search_app.engine.selection import FOLDED_BELOW, FOLDED_NOTICE
from search_app.results import FacetValue, Similar

SEED_000 = "seeds/000_b31f338fe211c5e8.txt"
SEED_002 = "seeds/002_a9241768a893bb1d.txt"


def ids(archive_search, q="", **kwargs) -> list[str]:
    """Every result, in order; near-duplicates grouped under a hit follow it."""
    found = []
    page_number, pages = 0, 1
    while page_number < pages:
        page = archive_search.search(SearchRequest(q=q, page=page_number + 1, **kwargs))
        for hit in page.hits:
            found += [hit.id, *(similar.id for similar in hit.similar)]
        page_number, pages = page.page, page.pages
    return found


def test_words_typed_without_diacritics_match_any_diacritics(archive_search):
    accented = ids(archive_search, "Bắc Kạn")
    assert SEED_000 in accented
    assert set(ids(archive_search, "bac kan")) >= set(accented)


def test_diacritics_typed_define_the_set(archive_search):
    table = archive_search.search(SearchRequest(q="bàn"))
    assert table.total >= FOLDED_BELOW and FOLDED_NOTICE not in table.notices
    tables = counted(archive_search, "bàn")
    assert "fx-ban-giai-phap" in tables and "fx-ban-dau-gia" not in tables  # "Bán đấu giá"
    assert tables < counted(archive_search, "ban")


def test_a_few_exact_matches_are_joined_by_the_other_spellings_with_a_notice(archive_search):
    sell = archive_search.search(SearchRequest(q="bán"))
    assert FOLDED_NOTICE in sell.notices
    assert counted(archive_search, "bán") == counted(archive_search, "ban")
    assert ids(archive_search, "bán")[0] == "fx-ban-dau-gia"  # spelled as typed comes first


@pytest.mark.parametrize(
    ("old", "new"), [("thuỷ lợi", "thủy lợi"), ("hoà bình", "hòa bình"), ("uỷ ban", "ủy ban")]
)
def test_old_tone_placement_finds_the_same_articles(archive_search, old, new):
    assert ids(archive_search, old) == ids(archive_search, new)
    assert ids(archive_search, new)


def test_nfd_query_finds_the_same_articles_as_nfc(archive_search):
    nfc = "truyền hình Điện Biên số hóa"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    assert ids(archive_search, nfd) == ids(archive_search, nfc)
    assert "fx-nfd" in ids(archive_search, nfc)


def test_stored_text_is_nfc(archive_search):
    article = archive_search.article("fx-nfd")
    assert article.title == unicodedata.normalize("NFC", article.title)
    assert article.title == "Phát thanh truyền hình Điện Biên số hóa"


def counted(archive_search, q: str, **kwargs) -> set[str]:
    """The articles a search counts (the strict set, or the near matches too)."""
    return set(archive_search.matched_ids(SearchRequest(q=q, **kwargs)))


def test_quoted_phrase_needs_the_words_in_order(archive_search):
    words = counted(archive_search, "số đổi chuyển")
    phrase = counted(archive_search, '"chuyển đổi số"')
    assert phrase and phrase < words
    for article_id in phrase:
        article = archive_search.article(article_id)
        text = fold(article.title + " " + " ".join(p for p in article.paragraphs_html))
        assert "chuyen doi so" in text


def citing(archive_search, number: str) -> set[str]:
    """Articles whose stored text contains a document number, found without the index."""
    found = set()
    for article_id in ids(archive_search):
        article = archive_search.article(article_id)
        if number in article.title + " ".join(article.paragraphs_html):
            found.add(article_id)
    return found


@pytest.mark.parametrize("typed", ["570/QĐ-UBND", "570/QD-UBND", "570/qđ-ubnd", '"570/QĐ-UBND"'])
def test_document_number_in_every_spelling(archive_search, typed):
    expected = citing(archive_search, "570/QĐ-UBND")
    assert {SEED_000, SEED_002} <= expected
    assert set(ids(archive_search, typed)) == expected


def test_document_number_with_year_and_without(archive_search):
    assert ids(archive_search, "925/2006/QĐ-UBND") == [SEED_000]
    assert ids(archive_search, "925/QĐ-UBND") == [SEED_000]
    assert "seeds/004_7cf9c1a2196799be.txt" in ids(archive_search, "17/2010/TTLT-BTTTT-BNV")


def test_excluded_words_and_or(archive_search):
    both = counted(archive_search, "chuyển đổi số")
    without = counted(archive_search, "chuyển đổi số -Bạc")
    assert "fx-cds-baclieu" in both and "fx-cds-baclieu" not in without
    assert without < both
    either = counted(archive_search, "lao cai OR bac lieu")
    assert {"fx-attt-laocai", "fx-cds-baclieu"} <= either
    assert either == counted(archive_search, "lao cai") | counted(archive_search, "bac lieu")


@pytest.mark.parametrize(
    "typed", ['"chuyển đổi', "(Bắc Kạn", "OR", "-", "Bắc Kạn OR", '""', "a)b("]
)
def test_malformed_queries_are_answered(archive_search, typed):
    page = archive_search.search(SearchRequest(q=typed))
    assert page.total >= 0


def test_empty_query_lists_everything_newest_first(archive_search):
    page = archive_search.search(SearchRequest())
    everything = ids(archive_search)
    assert page.total == len(everything) == len(set(everything))
    dates = [hit.published for hit in page.hits if hit.published]
    assert dates == sorted(dates, reverse=True)


def test_facet_counts_describe_the_result_set(archive_search):
    page = archive_search.search(SearchRequest(q="thông tin"))
    for name in ("year", "topic"):
        assert all(v.count <= page.total for v in page.facets[name].values)
    province = page.facets["province"].values
    bac_kan = next(v for v in province if v.value == "bac-kan")
    assert bac_kan.label == "Bắc Kạn"
    filtered = archive_search.search(SearchRequest(q="thông tin", province=("bac-kan",)))
    assert filtered.total == bac_kan.count
    assert all(hit.province == "Bắc Kạn" for hit in filtered.hits)
    chosen = next(v for v in filtered.facets["province"].values if v.value == "bac-kan")
    assert chosen.selected and chosen.count == bac_kan.count
    # Other facets count within the filtered results.
    assert sum(v.count for v in filtered.facets["year"].values) <= filtered.total
    for year in filtered.facets["year"].values:
        both = archive_search.search(
            SearchRequest(q="thông tin", province=("bac-kan",), year=(year.value,))
        )
        assert both.total == year.count


def test_values_of_one_facet_combine_with_or(archive_search):
    one = archive_search.search(SearchRequest(province=("bac-kan",))).total
    two = (
        archive_search.search(SearchRequest(province=("bac-kan",))).total
        + archive_search.search(SearchRequest(province=("lao-cai",))).total
    )
    assert archive_search.search(SearchRequest(province=("bac-kan", "lao-cai"))).total == two > one


def test_topic_labels_from_records_are_kept(archive_search):
    page = archive_search.search(SearchRequest(q="nguồn mở trường học"))
    assert page.hits[0].id == "fx-vitinh" and page.hits[0].topics == ["Vi tính (CNTT)"]
    topic = next(v for v in page.facets["topic"].values if v.value == "vi-tinh-cntt")
    assert topic.label == "Vi tính (CNTT)"


MARK = re.compile(r"<mark>(.*?)</mark>")


@pytest.mark.parametrize("typed", ["Bắc Kạn", "bac kan", "chuyển đổi số", "chuyen doi so"])
def test_highlights_cover_exactly_the_matched_words(archive_search, typed):
    wanted = {fold(word) for word in typed.split()}
    page = archive_search.search(SearchRequest(q=typed))
    assert page.hits
    for hit in page.hits:
        for marked in MARK.findall(hit.snippet) + MARK.findall(hit.title_html):
            text = html.unescape(marked)
            assert {fold(w) for w in re.findall(r"\w+", text)} <= wanted, text
            article = archive_search.article(hit.id)
            assert text in article.title + "\n" + "\n".join(
                html.unescape(re.sub("</?mark>", "", p)) for p in article.paragraphs_html
            )


def test_pagination(archive_search):
    first = archive_search.search(SearchRequest(q="thông tin"))
    assert first.pages >= 2
    second = archive_search.search(SearchRequest(q="thông tin", page=2))
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}
    last = archive_search.search(SearchRequest(q="thông tin", page=999))
    assert last.page == last.pages


def test_no_article_with_every_word_falls_back_to_most_words(archive_search):
    strict = archive_search.search(SearchRequest(q="diễn tập an toàn thông tin zzzkhông"))
    assert strict.total == 0 and strict.near > 0 and strict.counted == "near"
    assert any("nhiều từ nhất" in notice for notice in strict.notices)
    assert strict.hits[0].id in {"fx-attt-laocai", "pages/quang-ninh-2019-dien-tap-attt.html"}
    assert strict.hits[0].near and strict.hits[0].missing == ["zzzkhông"]
    exact = archive_search.search(SearchRequest(q="diễn tập an toàn thông tin"))
    assert not any("nhiều từ nhất" in notice for notice in exact.notices)
    assert archive_search.search(SearchRequest(q="zzzkhông")).total == 0


def test_a_pasted_paragraph_finds_the_article_it_comes_from(archive_search):
    paragraph = (
        "Người dân cần cảnh giác với tin nhắn giả mạo ngân hàng và đường dẫn lạ. Không cung "
        "cấp mã OTP cho bất kỳ ai; khi nghi ngờ lừa đảo hãy báo cho cơ quan công an. Thêm "
        "vài câu không có trong bài nào: mùa xuân năm nay hoa đào nở muộn ở vùng cao."
    )
    page = archive_search.search(SearchRequest(q=paragraph))
    assert page.hits[0].id == "fx-script"


def test_the_json_of_facet_values_and_near_duplicates_holds_every_field():
    value = FacetValue("bac-kan", "Bắc Kạn", 3, True)
    similar = Similar("a1", "Tiêu đề", "2021-05-01", "Bắc Kạn")
    assert value.to_json() == asdict(value)
    assert similar.to_json() == asdict(similar)
