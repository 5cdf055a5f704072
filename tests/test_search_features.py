"""Issue 4 behaviours of the search service: document numbers, abbreviations, dates,
near-duplicates, related articles, exports."""

from __future__ import annotations

import pytest

from search_app.results import BadDate, SearchRequest, date_bound

SEED_000 = "seeds/000_b31f338fe211c5e8.txt"
SEED_002 = "seeds/002_a9241768a893bb1d.txt"


def all_ids(archive_search, **kwargs) -> set[str]:
    found = set()
    page_number, pages = 0, 1
    while page_number < pages:
        page = archive_search.search(SearchRequest(page=page_number + 1, **kwargs))
        for hit in page.hits:
            found |= {hit.id, *(s.id for s in hit.similar)}
        page_number, pages = page.page, page.pages
    return found


@pytest.mark.parametrize(
    "typed", ["QĐ 570", "QD 570", "quyết định 570", "quyết định số 570", "quyet dinh so 570"]
)
def test_kind_and_number_find_the_citing_articles(archive_search, typed):
    assert all_ids(archive_search, q=typed) == all_ids(archive_search, q="570/QĐ-UBND")


def test_cited_documents_are_a_facet(archive_search):
    page = archive_search.search(SearchRequest(q="Bắc Kạn"))
    cited = {v.value: v for v in page.facets["cited"].values}
    assert cited["570/qd-ubnd"].label == "570/QĐ-UBND"
    filtered = all_ids(archive_search, q="Bắc Kạn", cited=("570/qd-ubnd",))
    assert {SEED_000, SEED_002} <= filtered
    assert len(filtered) == cited["570/qd-ubnd"].count


def test_a_document_number_has_a_timeline_oldest_first(archive_search):
    document = archive_search.document("570/qd-ubnd")
    assert document.key == "570/QĐ-UBND"
    ids = [a.id for a in document.articles]
    assert ids.index(SEED_000) < ids.index(SEED_002)  # 2020 before 2023
    dates = [a.published for a in document.articles if a.published]
    assert dates == sorted(dates)
    assert archive_search.document("999999/qd-xyz") is None


def test_abbreviation_and_long_form_find_each_other_exact_form_first(archive_search):
    short = all_ids(archive_search, q="UBND")
    long = all_ids(archive_search, q="ủy ban nhân dân")
    assert "fx-cds-baclieu" in short  # says only "Ủy ban nhân dân"
    assert short == long
    first = archive_search.search(SearchRequest(q="UBND")).hits[0]
    article = archive_search.article(first.id)
    assert "UBND" in " ".join(article.paragraphs_html) + article.title


def test_month_facet_and_date_range(archive_search):
    page = archive_search.search(SearchRequest())
    months = {v.value: v for v in page.facets["month"].values}
    assert months["2021-01"].label == "01/2021"
    in_2021 = all_ids(archive_search, date_from="2021", date_to="2021")
    assert in_2021 == all_ids(archive_search, year=("2021",))
    january = all_ids(archive_search, date_from="2021-01-01", date_to="2021-01-31")
    assert january == all_ids(archive_search, month=("2021-01",))
    assert not all_ids(archive_search, date_from="2099")


@pytest.mark.parametrize(
    ("text", "upper", "key"),
    [
        ("2021", False, 20210000),
        ("2021", True, 20219999),
        ("2021-3", True, 20210399),
        ("2021-03-05", False, 20210305),
    ],
)
def test_date_bounds(text, upper, key):
    assert date_bound(text, upper) == key


@pytest.mark.parametrize("text", ["yesterday", "2021-13", "2021-02-40", "21"])
def test_bad_dates_are_refused_with_a_message(text):
    with pytest.raises(BadDate, match="Ngày"):
        date_bound(text, upper=False)


def test_near_duplicates_are_grouped_under_the_best_hit(archive_search):
    page = archive_search.search(SearchRequest(q="Bưu chính Viễn thông tỉnh Bắc Kạn thành lập"))
    groups = {hit.id: [s.id for s in hit.similar] for hit in page.hits}
    leader = SEED_002 if SEED_002 in groups else SEED_000
    other = SEED_000 if leader == SEED_002 else SEED_002
    assert groups[leader] == [other] and other not in groups


def test_article_page_has_related_and_similar_articles(archive_search):
    article = archive_search.article(SEED_000)
    assert [s.id for s in article.similar] == [SEED_002]
    related = [r.id for r in article.related]
    assert related and SEED_000 not in related and SEED_002 not in related


def test_export_gives_every_result_in_order(archive_search):
    request = SearchRequest(q="thông tin")
    exported = [hit.id for hit in archive_search.export(request)]
    page = archive_search.search(request)
    assert len(exported) == len(set(exported)) == page.total
    assert exported[0] == page.hits[0].id
