import pytest

from indexer.metadata.docnumbers import find_document_numbers, find_query_document_numbers


@pytest.mark.parametrize(
    ("text", "key", "terms"),
    [
        ("Quyết định số 570/QĐ-UBND.", "570/QĐ-UBND", ["570/qd-ubnd", "qd-ubnd", "570/qd"]),
        (
            "theo Quyết định số 925/2006/QĐ-UBND của",
            "925/2006/QĐ-UBND",
            ["925/2006/qd-ubnd", "925/qd-ubnd", "qd-ubnd", "925/qd"],
        ),
        (
            "Thông tư liên tịch số 17/2010/TTLT- BTTTT-BNV còn",  # as seed 004 writes it
            "17/2010/TTLT-BTTTT-BNV",
            ["17/2010/ttlt-btttt-bnv", "17/ttlt-btttt-bnv", "ttlt-btttt-bnv", "17/ttlt"],
        ),
        (
            "Nghị định 64/2007/NĐ-CP",
            "64/2007/NĐ-CP",
            ["64/2007/nd-cp", "64/nd-cp", "nd-cp", "64/nd"],
        ),
        ("Quyết định số 258/QĐ-TTg lấy", "258/QĐ-TTg", ["258/qd-ttg", "qd-ttg", "258/qd"]),
        ("Nghị quyết 52-NQ/TW", "52-NQ/TW", ["52-nq/tw", "nq/tw"]),
    ],
)
def test_numbers_found_whole_and_in_parts(text, key, terms):
    (number,) = find_document_numbers(text)
    assert number.key == key
    assert number.index_terms() == terms
    assert text[number.start : number.end] == number.text


@pytest.mark.parametrize(
    "text", ["ngày 28/8/1945-28/8/2023", "tỷ lệ 1/3", "24/7", "100/km", "năm 2021"]
)
def test_dates_and_fractions_are_not_numbers(text):
    assert find_document_numbers(text) == []


@pytest.mark.parametrize("typed", ["570/QĐ-UBND", "570/QD-UBND", "570/qđ-ubnd", "570/qd-ubnd"])
def test_query_spellings_look_up_one_term(typed):
    (number,) = find_query_document_numbers(typed)
    assert number.query_term() == "570/qd-ubnd"


def test_number_typed_without_year_finds_it_cited_with_one():
    (typed,) = find_query_document_numbers("925/QĐ-UBND")
    (cited,) = find_document_numbers("số 925/2006/QĐ-UBND")
    assert typed.query_term() in cited.index_terms()
    (with_year,) = find_query_document_numbers("925/2006/qđ-ubnd")
    assert with_year.query_term() == "925/2006/qd-ubnd"
