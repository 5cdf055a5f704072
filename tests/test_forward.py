"""Word-for-word checks on the syllable codes: the two ways of computing them agree, and
they find a title and a body span where they are."""

from __future__ import annotations

import numpy as np
import pytest

from indexer.text.vietnamese import SYLLABLE_RE, fold
from search_app.engine.matching import codes_of
from search_app.query.language import Term


def _codes(text: str) -> np.ndarray:
    return codes_of([Term(fold(s)) for s in SYLLABLE_RE.findall(text)])


@pytest.fixture(scope="module")
def forward_and_articles(archive_search):
    with archive_search.handle.current() as state:
        live = np.flatnonzero(state.tables.live)
        articles = [state.searcher.stored_fields(int(d)) | {"docnum": int(d)} for d in live]
        yield state.engine.forward, live, articles


def _agree(forward, sequence: np.ndarray, docs: np.ndarray) -> None:
    gathered = forward._gathered(sequence, docs)
    indexed = forward._indexed(sequence, docs)
    for name in ("pair_shares", "whole", "in_title"):
        assert np.array_equal(getattr(gathered, name), getattr(indexed, name)), name


def test_both_ways_agree_on_titles_spans_and_any_candidates(forward_and_articles):
    forward, live, articles = forward_and_articles
    rng = np.random.default_rng(7)
    checked = 0
    for article in articles[:40]:
        words = SYLLABLE_RE.findall(article.get("body", ""))
        texts = [article.get("title", "")]
        if len(words) > 12:
            start = int(rng.integers(0, len(words) - 8))
            texts.append(" ".join(words[start : start + 6]))
        for text in texts:
            sequence = _codes(text)
            if len(sequence) < 2:
                continue
            some = np.sort(rng.choice(live, size=min(len(live), 15), replace=False))
            for docs in (live, some, np.array([article["docnum"]])):
                _agree(forward, sequence, docs)
            checked += 1
    assert checked >= 40


def test_a_title_is_found_whole_and_in_the_title(forward_and_articles):
    forward, live, articles = forward_and_articles
    article = next(a for a in articles if len(SYLLABLE_RE.findall(a.get("title", ""))) >= 4)
    found = forward.word_for_word(_codes(article["title"]), live)
    mine = int(np.searchsorted(live, article["docnum"]))
    assert found.whole[mine] and found.in_title[mine]
    assert found.pair_shares[mine] == 1.0


def test_a_body_span_is_whole_but_not_in_the_title(forward_and_articles):
    forward, live, articles = forward_and_articles
    article = max(articles, key=lambda a: len(a.get("body", "")))
    words = SYLLABLE_RE.findall(article["body"])
    span = " ".join(words[len(words) // 2 : len(words) // 2 + 7])
    found = forward.word_for_word(_codes(span), live)
    mine = int(np.searchsorted(live, article["docnum"]))
    assert found.whole[mine] and not found.in_title[mine]
    # Reversed, the span is no longer held word for word (its pairs are not side by side).
    backwards = forward.word_for_word(_codes(span)[::-1].copy(), live)
    assert not backwards.whole[mine]


def test_pairs_held_counts_what_holding_finds_pair_by_pair(forward_and_articles):
    forward, live, articles = forward_and_articles
    text = " ".join(a.get("title", "") for a in articles[:6])
    codes = _codes(text)
    pairs = np.stack([codes[:-1], codes[1:]], axis=1)
    some = live[::3]
    expected = np.zeros(len(forward.starts))
    for pair in pairs:
        expected += forward.holding(pair, some, len(forward.starts))
    assert np.array_equal(forward.pairs_held(pairs, some), expected[some])
    assert forward.pairs_held(pairs, some).sum() > 0


@pytest.mark.parametrize(
    "q", ["thông tin truyền thông", "chuyen doi so bac kan", "UBND tỉnh", "của và các"]
)
def test_scores_from_the_codes_are_the_postings_scores(archive_search, monkeypatch, q):
    with archive_search.handle.current() as state:
        parsed = archive_search._parse(state, q)
        candidates = np.flatnonzero(state.tables.live)
        engine = state.engine
        assert engine.forward.term_counts(np.ones(1, np.uint32), candidates) is not None
        from_codes = engine._scores(parsed, candidates)
        monkeypatch.setattr(type(engine.forward), "term_counts", lambda *args: None)
        from_postings = engine._scores(parsed, candidates)
    assert from_codes.any()
    assert np.array_equal(from_codes, from_postings)
