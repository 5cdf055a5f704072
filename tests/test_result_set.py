"""The result set is the articles about the query (issue 11), on a small archive made here.

Words are matched as words, the diacritics typed define the set (joined by the other
spellings when it is tiny, with a notice), the articles holding most of the query follow as
near matches, and the count, the facets and the exports count what they say they count.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from indexer.build.builder import build_index
from search_app.engine import selection
from search_app.engine.index_handle import IndexHandle
from search_app.engine.matching import ACCENTED, FOLDED, SPELLED, Engine
from search_app.engine.search import ArchiveSearch
from search_app.results import SearchRequest

# id, title, body, published
RECORDS = [
    ("cds-bac-kan", "Bắc Kạn đẩy mạnh chuyển đổi số",
     "Tỉnh Bắc Kạn ban hành kế hoạch chuyển đổi số năm 2021, tập trung vào chính quyền số.",
     "2021-03-01"),
    ("cds-lang-son", "Lạng Sơn triển khai chuyển đổi số",
     "Lạng Sơn tổ chức hội nghị về chuyển đổi số trong cơ quan nhà nước, số hóa hồ sơ.",
     "2022-05-02"),
    ("cds-so", "Chuyển đổi mô hình hoạt động của Sở",
     "Sở Thông tin và Truyền thông chuyển đổi mô hình hoạt động, sắp xếp lại các phòng.",
     "2020-01-10"),
    ("scattered", "Đổi mới công tác chuyển giao công nghệ",
     "Số liệu thống kê cho thấy việc chuyển giao công nghệ và đổi mới sáng tạo còn chậm.",
     "2019-07-07"),
    ("thi-tot-nghiep", "Bắc Kạn tổ chức kỳ thi tốt nghiệp",
     "Kỳ thi tốt nghiệp diễn ra an toàn tại các điểm thi của tỉnh Bắc Kạn.", "2021-06-20"),
    ("thi-khong", "Học sinh tốt nghiệp thì được xét tuyển",
     "Học sinh tốt nghiệp thì được xét tuyển vào các trường nghề của tỉnh.", "2021-07-01"),
    ("bac-kan-du-lich", "Bắc Kạn phát triển du lịch cộng đồng",
     "Tỉnh Bắc Kạn phát triển du lịch cộng đồng gắn với bảo tồn văn hóa.", "2023-02-02"),
    ("van-ban", "Ban hành văn bản quy phạm pháp luật",
     "Ủy ban nhân dân tỉnh ban hành văn bản thực hiện Quyết định số 570/QĐ-UBND.",
     "2018-04-04"),
]  # fmt: skip


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    folder = tmp_path_factory.mktemp("result-set")
    with (folder / "news.jsonl").open("w", encoding="utf-8") as export:
        for record_id, title, body, published in RECORDS:
            record = {"id": record_id, "title": title, "body": body, "published": published}
            export.write(json.dumps(record, ensure_ascii=False) + "\n")
    report = build_index([folder / "news.jsonl"], folder / "ix", jobs=1)
    assert report.indexed == len(RECORDS)
    handle = IndexHandle(folder / "ix")
    yield ArchiveSearch(handle)
    handle.close()


@pytest.fixture
def strict_spelling(monkeypatch):
    """No other spellings join the set, however small it is (this archive is tiny)."""
    monkeypatch.setattr(selection, "FOLDED_BELOW", 0)


def counted(service, q: str, **kwargs) -> set[str]:
    return set(service.matched_ids(SearchRequest(q=q, **kwargs)))


def test_a_word_of_the_query_matches_as_a_word(service, strict_spelling):
    # "scattered" holds chuyển, đổi and số, but never "chuyển đổi".
    assert counted(service, "chuyển đổi số") == {"cds-bac-kan", "cds-lang-son"}
    assert "scattered" not in counted(service, "chuyen doi so")


def test_the_diacritics_typed_define_the_set(service, strict_spelling):
    # "Sở" is not "số"; typed without diacritics, both are "so".
    assert "cds-so" not in counted(service, "chuyển đổi số")
    assert "cds-so" in counted(service, "chuyen doi so")
    # A syllable typed bare in a query typed with diacritics is written bare: "thì" is not "thi".
    assert counted(service, "thi tốt nghiệp") == {"thi-tot-nghiep"}
    assert counted(service, "thi tot nghiep") == {"thi-tot-nghiep", "thi-khong"}


def test_a_tiny_set_spelled_as_typed_is_joined_by_the_other_spellings_with_a_notice(service):
    page = service.search(SearchRequest(q="thi tốt nghiệp"))
    assert selection.FOLDED_NOTICE in page.notices
    assert [hit.id for hit in page.hits] == ["thi-tot-nghiep", "thi-khong"]  # as typed first


def test_other_spellings_of_pasted_text_are_matched_only_when_they_could_add_articles(
    service, monkeypatch
):
    spellings = []
    clauses = Engine.clauses

    def recorded(self, parsed, spelling=ACCENTED):
        spellings.append(spelling)
        return clauses(self, parsed, spelling)

    monkeypatch.setattr(Engine, "clauses", recorded)
    service.search(SearchRequest(q="thi tốt nghiệp"))
    assert spellings == [SPELLED, FOLDED]  # two articles hold thi/thì, tốt and nghiệp
    spellings.clear()
    pasted = "Tỉnh Bắc Kạn phát triển du lịch cộng đồng gắn với bảo tồn văn hóa."
    page = service.search(SearchRequest(q=pasted))
    assert spellings == [SPELLED]  # one article holds its syllables, spelled as typed
    assert page.hits[0].id == "bac-kan-du-lich"


def test_every_syllable_is_looked_up_in_any_spelling_from_the_rarest(service):
    with service.handle.current() as state:
        engine = state.engine
        for q in ("bắc kạn", "Bắc Kạn phát triển", "tốt nghiệp -thì", '"du lịch" cộng'):
            parsed = ArchiveSearch._parse(state, q)
            expected = engine.live.copy()
            for term in parsed.positive_terms():
                expected &= engine.match(term, FOLDED)
            assert np.array_equal(engine.holding_every_syllable(parsed), expected), q
        # A conjunct that may match without its syllables: its abbreviation, an OR.
        for q in ("chuyển đổi số", "Bắc Kạn OR Lạng Sơn"):
            assert engine.holding_every_syllable(ArchiveSearch._parse(state, q)) is None, q


def test_near_matches_follow_and_say_what_they_lack(service, strict_spelling):
    page = service.search(SearchRequest(q="chuyển đổi số Bắc Kạn"))
    assert page.total == 1 and page.near >= 1 and page.counted == "all"
    first, *rest = page.hits
    assert first.id == "cds-bac-kan" and not first.near and first.missing == []
    assert rest and all(hit.near for hit in rest)
    # "chuyển đổi số" is one part of the query: it also stands for its abbreviation, CĐS.
    assert all(hit.missing == ["chuyển đổi số"] for hit in rest)
    # The facets and the count are the strict set's, unless the near matches are asked for.
    years = {v.value: v.count for v in page.facets["year"].values}
    assert years == {"2021": 1}
    near = service.search(SearchRequest(q="chuyển đổi số Bắc Kạn", near=True))
    assert near.counted == "near" and sum(v.count for v in near.facets["year"].values) > 1
    assert counted(service, "chuyển đổi số Bắc Kạn", near=True) > {"cds-bac-kan"}


def test_exports_hold_what_the_count_counts(service, strict_spelling):
    strict = [hit.id for hit in service.export(SearchRequest(q="chuyển đổi số Bắc Kạn"))]
    assert strict == ["cds-bac-kan"]
    both = [hit.id for hit in service.export(SearchRequest(q="chuyển đổi số Bắc Kạn", near=True))]
    assert both[0] == "cds-bac-kan" and len(both) > 1


def test_when_nothing_holds_the_whole_query_the_near_matches_are_counted(service):
    page = service.search(SearchRequest(q="Bắc Kạn du lịch zzzkhông"))
    assert page.total == 0 and page.near >= 1 and page.counted == "near"
    assert page.hits[0].id == "bac-kan-du-lich" and page.hits[0].missing == ["zzzkhông"]
    assert sum(v.count for v in page.facets["year"].values) == page.near


def test_syntax_keeps_its_meaning(service, strict_spelling):
    assert counted(service, '"chuyển đổi số"') == {"cds-bac-kan", "cds-lang-son"}
    assert counted(service, "chuyển đổi số -Lạng") == {"cds-bac-kan"}
    assert counted(service, "tốt nghiệp OR du lịch") == {
        "thi-tot-nghiep", "thi-khong", "bac-kan-du-lich"
    }  # fmt: skip
    assert counted(service, "570/QD-UBND") == {"van-ban"}
    assert service.search(SearchRequest(q="tốt nghiệp OR du lịch")).near == 0
