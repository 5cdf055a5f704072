"""The packed masks of common terms: what comes back is what went in, within the budget."""

from __future__ import annotations

import numpy as np

from search_app.engine import postings
from search_app.engine.postings import MaskCache, Recent
from search_app.results import SearchRequest


def test_a_kept_mask_comes_back_equal_and_as_a_new_array():
    masks = MaskCache(1000)
    mask = np.random.default_rng(3).random(1000) < 0.3
    masks.put(("text", "cua"), mask)
    first, second = masks.get(("text", "cua")), masks.get(("text", "cua"))
    assert np.array_equal(first, mask) and first.dtype == bool
    first[:] = False  # a caller may change what it got
    assert np.array_equal(second, mask) and np.array_equal(masks.get(("text", "cua")), mask)
    assert masks.get(("text", "va")) is None


def test_the_least_recently_used_go_beyond_the_budget(monkeypatch):
    monkeypatch.setattr(postings, "MASK_BYTES", 3 * 1000 // 8)
    masks = MaskCache(1000)
    for name in ("a", "b", "c"):
        masks.put(("text", name), np.ones(1000, dtype=bool))
    masks.get(("text", "a"))  # used: 'b' is now the oldest
    masks.put(("text", "d"), np.ones(1000, dtype=bool))
    assert masks.get(("text", "b")) is None
    assert all(masks.get(("text", n)) is not None for n in ("a", "c", "d"))


def test_common_terms_are_kept_and_answers_do_not_change(archive_search, monkeypatch):
    requests = [SearchRequest(q=q) for q in ("của các", "thông tin truyền thông", "tin tuc")]

    def answers():
        pages = [archive_search.search(r) for r in requests]
        return [(p.total, [h.id for h in p.hits], p.near) for p in pages]

    with archive_search.handle.current() as state:
        state.engine.masks = MaskCache(len(state.tables.live))  # nothing kept yet
        masks = state.engine.masks
    first = answers()
    assert len(masks._packed), "the common syllables' masks are kept"
    assert answers() == first
    monkeypatch.setattr(masks, "common", 10**9)  # nothing is common: every mask is built
    assert answers() == first


def test_recent_values_keep_within_their_budget_and_the_last_one_always():
    kept = Recent(lambda: 10)
    for name in "abc":
        kept.put(name, name.upper(), 4)
    assert kept.get("a") is None and kept.get("b") == "B" and kept.get("c") == "C"
    kept.put("b", "other", 4)  # kept already: unchanged
    assert kept.get("b") == "B"
    kept.put("huge", "H", 100)  # over the budget alone: it stays, the others go
    assert len(kept) == 1 and kept.get("huge") == "H"


def test_the_written_spellings_of_a_syllable_are_read_in_one_search(archive_search):
    from indexer.text.vietnamese import spellings

    with archive_search.handle.current() as state:
        cache = state.engine.postings
        for folded in ("bac", "kan", "thong", "tin", "so", "chuyen", "doi", "zzq"):
            written = spellings(folded)
            one_by_one = [cache.frequencies("exact", s) for s in written]
            one_by_one = [(d, t) for d, t in one_by_one if len(d)]
            at_once = cache.written_frequencies(written)
            assert len(at_once) == len(one_by_one)
            for (docs, tf), (their_docs, their_tf) in zip(at_once, one_by_one, strict=True):
                assert np.array_equal(docs, their_docs) and np.array_equal(tf, their_tf)
        assert any(len(cache.written_frequencies(spellings(f))) > 1 for f in ("thong", "so"))
        assert cache.written_frequencies(()) == []
