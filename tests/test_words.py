"""Loose syllables of a query grouped into the words they make (search_app/query/words.py)."""

from __future__ import annotations

import pytest

from search_app.query.abbreviations import expand_query
from search_app.query.language import (
    Alternatives,
    And,
    DocNumber,
    Not,
    Or,
    Phrase,
    Term,
    Word,
    parse_query,
)
from search_app.query.spelling import Vocabulary
from search_app.query.words import group_words

TEXT = {"chuyen": 120, "doi": 230, "so": 520, "bac": 95, "kan": 21, "tai": 80, "nan": 40,
        "giao": 90, "thong": 350, "ho": 60, "xyz": 3}  # fmt: skip
EXACT = {"chuyển": 118, "đổi": 150, "số": 400, "sở": 60, "bắc": 80, "kạn": 20, "tại": 50,
         "nạn": 38, "thông": 340, "hộ": 40}  # fmt: skip
WORDS = {"chuyển_đổi": 100, "chuyển_đổi_số": 12, "bắc_kạn": 18, "tai_nạn": 35,
         "giao_thông": 80}  # fmt: skip


@pytest.fixture
def vocabulary() -> Vocabulary:
    return Vocabulary.from_terms(TEXT, EXACT, WORDS)


def grouped(query: str, vocabulary: Vocabulary | None = None):
    def lookup() -> Vocabulary:
        assert vocabulary is not None, "the vocabulary was asked for"
        return vocabulary

    return group_words(parse_query(query), lookup).root


def terms(*texts: str) -> tuple[Term, ...]:
    return tuple(Term(t) for t in texts)


def test_typed_with_diacritics_underthesea_splits_the_run_and_no_vocabulary_is_read():
    assert grouped("chuyển đổi số") == And((Word(terms("chuyển", "đổi")), Term("số")))
    assert grouped("tai nạn giao thông") == And(
        (Word(terms("tai", "nạn")), Word(terms("giao", "thông")))
    )


def test_typed_without_diacritics_the_run_is_restored_then_split(vocabulary):
    # As typed with diacritics: "chuyển đổi" + "số", not the archive's longer "chuyển_đổi_số".
    assert grouped("chuyen doi so", vocabulary) == And((Word(terms("chuyen", "doi")), Term("so")))


def test_bare_syllables_left_join_the_archives_two_syllable_words(vocabulary):
    # "xyz" keeps the run from being restored; "giao thong" is still a word of the archive.
    assert grouped("xyz giao thong", vocabulary) == And((Term("xyz"), Word(terms("giao", "thong"))))


def test_syntax_keeps_its_meaning(vocabulary):
    assert grouped('"chuyển đổi số"') == Phrase(terms("chuyển", "đổi", "số"))
    assert grouped("chuyển đổi -số") == And((Word(terms("chuyển", "đổi")), Not(Term("số"))))
    assert grouped("tai nạn OR giao thông") == Or(
        (Word(terms("tai", "nạn")), Word(terms("giao", "thông")))
    )
    found = grouped("570/QĐ-UBND")
    assert isinstance(found, DocNumber)


def test_a_single_syllable_and_pasted_text_stay_as_they_are(vocabulary):
    assert grouped("số") == Term("số")
    pasted = " ".join(["chuyển đổi số tại Bắc Kạn"] * 3)
    assert grouped(pasted) == parse_query(pasted).root


def test_the_words_of_a_long_form_are_grouped_inside_its_alternatives():
    found = group_words(expand_query(parse_query("chuyển đổi số")), lambda: None).root
    assert isinstance(found, Alternatives)
    assert found.typed == And((Word(terms("chuyển", "đổi")), Term("số")))
    assert found.others == (Term("cđs"),)
