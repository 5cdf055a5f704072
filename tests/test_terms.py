"""The one-pass term counts the indexer writes agree with the fields' Whoosh analyzers."""

from collections import Counter
from pathlib import Path

import pytest

from bench.recombine import KnownWords
from indexer.pages.textpage import parse_text_page
from indexer.text import segment
from indexer.text.analysis import exact_syllable_analyzer, folded_syllable_analyzer
from indexer.text.segment import paragraph_words, segment_texts, segment_words, use_word_cache
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


def test_known_words_of_paragraphs_give_the_same_words_sooner():
    text = "Sở Thông tin và Truyền thông tỉnh Bắc Kạn.\n\nChuyển đổi số năm 2021."
    plain = segment_words(text)
    known = {p: " ".join(paragraph_words(p)) for p in text.split("\n") if p.strip()}
    use_word_cache(KnownWords(known))
    try:
        assert segment_words(text) == plain
        known["Chuyển đổi số năm 2021."] = "sentinel"  # taken, not computed again
        assert segment_words(text)[-1] == "sentinel"
    finally:
        use_word_cache(None)


class _CountingCache:
    """A word cache that knows nothing and counts what it is asked and told."""

    def __init__(self, events: list[str]) -> None:
        self.lookups: list[list[str]] = []
        self.kept: list[str] = []
        self.events = events

    def get_many(self, paragraphs: list[str]) -> dict[str, list[str]]:
        self.lookups.append(paragraphs)
        return {}

    def put(self, paragraph: str, words: list[str]) -> None:
        self.kept.append(paragraph)
        self.events.append("put")


def test_texts_segmented_together_ask_the_cache_once_and_segment_a_paragraph_once(monkeypatch):
    texts = [
        "Chuyển đổi số.\nBắc Kạn họp.",
        "Bắc Kạn họp.\n\nBắc Kạn họp.",
        "",
        "Một đoạn khác.",
    ]
    alone = [segment_words(text) for text in texts]
    events: list[str] = []
    cache = _CountingCache(events)

    def segmenting(paragraph: str) -> list[str]:
        events.append("segment")
        return paragraph_words(paragraph)

    monkeypatch.setattr(segment, "paragraph_words", segmenting)
    use_word_cache(cache)
    try:
        assert segment_texts(texts) == alone
    finally:
        use_word_cache(None)
    assert cache.lookups == [["Chuyển đổi số.", "Bắc Kạn họp.", "Một đoạn khác."]]
    assert cache.kept == ["Chuyển đổi số.", "Bắc Kạn họp.", "Một đoạn khác."]
    # Told once every paragraph is segmented: packing words between underthesea's calls
    # would evict its model from the processor's caches.
    assert events == ["segment"] * 3 + ["put"] * 3
