import re
import unicodedata

import pytest

from indexer.text.vietnamese import (
    fold,
    has_diacritics,
    normalize_text,
    place_tone,
    slugify,
    syllables,
    trie_pattern,
    whole_words_pattern,
)


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [
        ("hoà bình", "hòa bình"),
        ("Hoà Bình", "Hòa Bình"),
        ("HOÀ", "HÒA"),
        ("thuỷ lợi", "thủy lợi"),
        ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
        ("khoẻ", "khỏe"),
        ("quý", "quý"),  # the u of qu is a consonant: the tone stays on y
        ("hoàng", "hoàng"),  # a final consonant keeps the tone on the last vowel
        ("khuỷu", "khuỷu"),
        ("của", "của"),
        ("giữa", "giữa"),
        ("người", "người"),
    ],
)
def test_one_tone_placement(typed, normalized):
    assert normalize_text(typed) == normalized


def test_nfd_input_becomes_nfc():
    nfd = unicodedata.normalize("NFD", "Chuyển đổi số tỉnh Bắc Kạn, thuỷ lợi")
    assert nfd != unicodedata.normalize("NFC", nfd)
    assert normalize_text(nfd) == "Chuyển đổi số tỉnh Bắc Kạn, thủy lợi"


def test_tone_typed_after_the_syllable_moves_onto_its_vowel():
    assert normalize_text("toan\u0301 ho\u0323c") == "toán học"


def test_spaces_and_line_ends():
    assert normalize_text("Bắc\u00a0Kạn\r\nxin\u200b chào") == "Bắc Kạn\nxin chào"


@pytest.mark.parametrize(
    ("syllable", "placed"),
    [("hoà", "hòa"), ("thuỷ", "thủy"), ("thuở", "thuở"), ("tuổi", "tuổi"), ("xoáy", "xoáy")],
)
def test_place_tone(syllable, placed):
    assert place_tone(syllable) == placed


def test_fold_strips_every_diacritic_including_d_bar():
    assert fold("Đổi mới ĐỒNG Thủy") == "doi moi dong thuy"
    assert has_diacritics("bắc") and not has_diacritics("bac")


def test_syllables_have_exact_offsets():
    text = "năm2012, 570/QĐ-UBND"
    found = list(syllables(text))
    assert [s for s, _, _ in found] == ["năm", "2012", "570", "QĐ", "UBND"]
    assert all(text[start:end] == s for s, start, end in found)


def test_slugify():
    assert slugify("Bắc Kạn") == "bac-kan"
    assert slugify("Vi tính (CNTT)") == "vi-tinh-cntt"
    assert slugify("Phát thanh - Truyền hình") == "phat-thanh-truyen-hinh"


def test_trie_pattern_matches_every_word_and_prefers_the_longest():
    pattern = re.compile(trie_pattern(["Hà Nam", "Hà Nội", "Hà", "a.b"]))
    assert pattern.fullmatch("a.b") and not pattern.fullmatch("axb")
    assert [m.group() for m in pattern.finditer("Hà Nội, Hà Nam, Hà Giang")] == [
        "Hà Nội",
        "Hà Nam",
        "Hà",
    ]
    assert trie_pattern([]) == ""


def test_whole_words_pattern_matches_words_standing_whole():
    pattern = re.compile(whole_words_pattern(["Hà Nam", "Hà Nội", "Hà", "[x]"]))
    text = "Hà Nội, Hà Nam, Hàng Hà, xHà, Hà2, [x] và Thái Hà"
    assert [m.group() for m in pattern.finditer(text)] == ["Hà Nội", "Hà Nam", "Hà", "[x]", "Hà"]
    assert not re.search(whole_words_pattern([]), "anything")
