"""'Did you mean': diacritics restored from the archive's vocabulary, and typos."""

from __future__ import annotations

from pathlib import Path

import pytest

from search_app.query.spelling import Vocabulary, correct, domain_phrases, repair, suggest

ROOT = Path(__file__).resolve().parent.parent

# Occurrences in a made-up archive, as the index fields hold them.
TEXT = {
    "chuyen": 120, "doi": 230, "so": 520, "bac": 95, "kan": 21, "ban": 500, "tin": 300,
    "thong": 350, "hoa": 160, "viet": 100, "nam": 300, "tinh": 210, "ubnd": 50, "email": 20,
    "moi": 90, "bao": 200, "bai": 200, "thoi": 120, "ha": 135, "noi": 60,
}  # fmt: skip
EXACT = {
    "chuyển": 118, "đổi": 150, "đội": 60, "số": 400, "sở": 60, "sợ": 20, "bắc": 80, "bạc": 10,
    "kạn": 20, "bàn": 100, "bán": 90, "bạn": 110, "bản": 95, "tín": 20, "thông": 340,
    "hóa": 80, "hòa": 70, "việt": 98, "tỉnh": 200, "mới": 85, "báo": 100, "bảo": 90,
    "hà": 100, "hạ": 30, "nội": 55,
}  # fmt: skip
WORDS = {
    "chuyển_đổi": 100, "đổi_mới": 30, "bắc_kạn": 18, "bạc_kan": 2, "thông_tin": 200,
    "số_hóa": 40, "việt_nam": 90, "sở_hữu": 9, "e-mail_x": 5, "covid_19": 7, "hà_nội": 50,
}  # fmt: skip


@pytest.fixture
def vocabulary() -> Vocabulary:
    """A vocabulary made by hand, without an index."""
    return Vocabulary.from_terms(TEXT, EXACT, WORDS)


def test_from_terms_groups_spellings(vocabulary):
    assert vocabulary.syllables["so"] == {"số": 400, "sở": 60, "sợ": 20}
    assert vocabulary.words["chuyen doi"] == {"chuyển_đổi": 100}
    assert vocabulary.words["bac kan"] == {"bắc_kạn": 18, "bạc_kan": 2}
    assert "covid 19" not in vocabulary.words  # only words of letters can be typed back
    assert vocabulary.phrases == {}


def test_syllable_readings_count_the_unaccented_spelling(vocabulary):
    assert vocabulary.syllable_readings("so") == {"số": 400, "sở": 60, "sợ": 20, "so": 40}
    assert vocabulary.syllable_readings("tin") == {"tín": 20, "tin": 280}
    assert vocabulary.syllable_readings("email") == {"email": 20}
    assert vocabulary.syllable_readings("zzz") == {}


def test_knows(vocabulary):
    assert vocabulary.knows("số") and vocabulary.knows("Số") and vocabulary.knows("so")
    assert not vocabulary.knows("sổ")  # accented: this very spelling must occur
    assert not vocabulary.knows("soos")


def test_vocabulary_can_be_built_field_by_field():
    vocabulary = Vocabulary(
        syllables={"so": {"số": 9}}, words={}, folded={"so": 9}, phrases={"chuyen doi so": "x"}
    )
    assert suggest("so", vocabulary) == "số"


@pytest.mark.parametrize(
    ("query", "restored"),
    [
        ("chuyen doi so", "chuyển đổi số"),  # the word chuyển_đổi, then số (400 vs 60)
        ("Chuyen Doi So", "Chuyển Đổi Số"),  # the case typed is kept
        ("bac kan", "bắc kạn"),
        ("Bac Kan", "Bắc Kạn"),
        ("so", "số"),
        ("chuyển doi", "chuyển đổi"),  # an accented syllable helps read its neighbour
        ("doi moi", "đổi mới"),
        ("chuyen doi so hoa", "chuyển đổi số hóa"),  # chuyển_đổi + số_hóa
        ("thong tin viet nam", "thông tin việt nam"),
        ("UBND tinh Bac Kan", "UBND tỉnh Bắc Kạn"),
        ("ubnd tinh", "ubnd tỉnh"),
        # structure and what is not ours stays as typed
        ('chuyen doi OR "bac kan" -tin 570/QD-UBND', 'chuyển đổi OR "bắc kạn" -tin 570/QD-UBND'),
        ('"chuyen" doi', '"chuyển" doi'),  # no word across a quote: đổi or đội is unclear
        ("-chuyen doi", "-chuyển doi"),  # '-chuyen' is excluded alone
        ("(bac kan OR viet nam) 2024", "(bắc kạn OR việt nam) 2024"),
        ("chuyen-doi", "chuyển-đổi"),
        ("ha noi", "hà nội"),  # as a word, hà is clear ...
    ],
)
def test_suggest(vocabulary, query, restored):
    assert suggest(query, vocabulary) == restored


@pytest.mark.parametrize(
    "query",
    [
        "ban",  # bạn 110, bàn 100, bản 95, bán 90, ban 105: no reading stands out
        "doi",  # đổi 150 vs đội 60
        "tin",  # mostly written 'tin'
        "bao",
        "hoa",  # hóa 80 vs hòa 70
        "ha",  # ... alone, hà 100 vs hạ 30 is not clear enough (SYLLABLE_DOMINANCE)
        "email",
        "chuyển đổi số",  # nothing to restore
        "chuyên doi",  # the accent typed rules out chuyển_đổi
        "BAC KAN",  # capitals are read as abbreviations
        "UBND CNTT",
        "570/QĐ-UBND",
        "",
        "zzz",
        '"" OR ()',
    ],
)
def test_suggest_leaves_alone(vocabulary, query):
    assert suggest(query, vocabulary) is None


def test_rare_words_are_not_trusted():
    vocabulary = Vocabulary.from_terms({"ha": 4}, {"hà": 2}, {"hà_xa": 2})
    assert suggest("ha xa", vocabulary) is None


def test_curated_phrases_fill_gaps_in_the_words():
    exact = {**EXACT, "sở": 250}  # số and sở now too close to choose from
    vocabulary = Vocabulary.from_terms(TEXT, exact, WORDS, ["chuyển đổi số", "Bắc Kạn", "x 1"])
    assert suggest("so", vocabulary) is None
    assert suggest("chuyen doi so", vocabulary) == "chuyển đổi số"
    # bắc_kạn is an archive word already; 'x 1' is no phrase of letters
    assert vocabulary.phrases == {"chuyen doi so": "chuyển_đổi_số"}


def test_curated_phrases_need_syllables_the_archive_has():
    vocabulary = Vocabulary.from_terms(TEXT, EXACT, WORDS, ["chuyển đổi sổ"])
    assert vocabulary.phrases == {}


def test_domain_phrases_hold_topics_and_provinces():
    phrases = domain_phrases()
    assert "Chuyển đổi số" in phrases and "Bắc Kạn" in phrases and "an toàn thông tin" in phrases
    assert "Sở Thông tin và Truyền thông" in phrases


@pytest.mark.parametrize(
    ("query", "corrected"),
    [
        ("chuyn doi", "chuyen doi"),  # one letter missing
        ("Thnog tin", "Thong tin"),  # two letters swapped
        ("chuyeb", "chuyen"),
    ],
)
def test_correct(vocabulary, query, corrected):
    assert correct(query, vocabulary) == corrected
    assert suggest(corrected, vocabulary) is not None  # then the diacritics


@pytest.mark.parametrize(
    "query",
    [
        "chuyen doi",  # nothing unknown
        "baa",  # bao and bai are equally close
        "soos",  # Telex: the keyboard conversion's job
        "ddoi",  # half-typed Telex (đoi): not a typo of 'doi'
        "bx",  # too short to guess
        "chuyểb",  # accented: not guessed
    ],
)
def test_correct_leaves_alone(vocabulary, query):
    assert correct(query, vocabulary) is None


@pytest.mark.parametrize(
    ("query", "repaired"),
    [
        ("Thnog tin", "Thông tin"),  # fixed, then restored
        ("thnog tin việt nam", "thông tin việt nam"),  # a fix is restored among accents
        ("thông tin viet nam", None),  # ... what was typed bare among them is not
        ("chuyển doi", "chuyển đổi"),  # a word half typed is completed
        ("chuyen doi", "chuyển đổi"),
    ],
)
def test_repair_fixes_typos_then_restores_diacritics(vocabulary, query, repaired):
    assert repair(query, vocabulary) == repaired


def test_syllables_typed_bare_among_diacritics_are_taken_as_written():
    vocabulary = Vocabulary.from_terms(
        {"tang": 40, "cao": 60, "do": 90, "chu": 50}, {"tăng": 40, "độ": 70, "chủ": 45},
        {"cao_độ": 40},
    )  # fmt: skip
    assert suggest("tang cao do", vocabulary) == "tăng cao độ"
    assert suggest("tăng cao do", vocabulary) is None  # do: because of, as typed
    assert suggest("điều tra Chu", vocabulary) is None  # a name
    assert suggest("dieu tra Chu", vocabulary) == "dieu tra Chủ"
