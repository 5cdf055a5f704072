"""The one-pass term counts the indexer writes agree with the fields' Whoosh analyzers."""

from collections import Counter
from pathlib import Path

import pytest

from indexer.pages.textpage import parse_text_page
from indexer.text.analysis import exact_syllable_analyzer, folded_syllable_analyzer
from indexer.text.terms import FORWARD_SEPARATOR, document_terms, forward_codes, syllable_hash

SEEDS = sorted((Path(__file__).resolve().parent.parent / "archive").glob("*.txt"))


def analyzed(analyzer, text):
    return Counter(token.text for token in analyzer(text))


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_counts_match_the_analyzers(seed):
    page = parse_text_page(seed.read_bytes())
    title, body = page.title, "\n".join(page.body)
    terms = document_terms(title, body)
    assert terms.title == analyzed(folded_syllable_analyzer(), title)
    assert terms.text == analyzed(folded_syllable_analyzer(), title + "\n" + body)
    assert terms.exact == analyzed(exact_syllable_analyzer(), title + "\n" + body)


def test_forward_holds_title_separator_body():
    terms = document_terms("Bắc Kạn", "Quyết định 570/QĐ-UBND")
    codes = list(forward_codes(terms.forward))
    folded = ["bac", "kan", "quyet", "dinh", "570", "qd", "ubnd"]
    assert codes == [
        *map(syllable_hash, folded[:2]),
        FORWARD_SEPARATOR,
        *map(syllable_hash, folded[2:]),
    ]


def test_exact_terms_keep_only_syllables_with_diacritics():
    terms = document_terms("Tin tức", "Đổi mới ban BÁN")
    assert terms.exact == Counter({"tức": 1, "đổi": 1, "mới": 1, "bán": 1})
