"""Grouping a result list into pages of near-duplicates: the batched grouping agrees with
the greedy one the module describes, one document at a time."""

from __future__ import annotations

import numpy as np
import pytest

from indexer.text.similarity import HASHES, signature
from search_app.engine.duplicates import THRESHOLD, Pushback, Signatures
from search_app.engine.forward import ForwardStore


def _signatures(articles: list[np.ndarray]) -> Signatures:
    """Real signatures and a real forward store over articles given as syllable codes."""
    lengths = np.array([len(a) for a in articles])
    codes = np.concatenate(articles).astype(np.uint32)
    keys, counts = np.unique(codes, return_counts=True)
    order = np.argsort(codes, kind="stable")
    first = np.cumsum(counts) - counts
    minima = np.zeros((len(articles), HASHES), dtype=np.uint32)
    sizes = np.zeros(len(articles), dtype=np.int64)
    for docnum, article in enumerate(articles):
        data = signature(article)
        if data:
            values = np.frombuffer(data, dtype=np.uint32)
            minima[docnum], sizes[docnum] = values[:HASHES], values[HASHES]
    starts = np.cumsum(lengths) - lengths
    arrays = {
        "codes": codes,
        "starts": starts,
        "ends": starts + lengths,
        "title_ends": starts,
        "order": order,
        "first": first,
        "keys": keys,
        "counts": counts,
        "minima": minima,
        "sizes": sizes,
    }
    return Signatures(arrays, ForwardStore(arrays))


def _greedy(signatures: Signatures, ordered: list[int], size: int) -> list[list[list[int]]]:
    """Every page, one document at a time: a document joins the group of the same page whose
    leader it overlaps most (estimated, then confirmed), else starts a group."""
    pages, groups = [], []
    for docnum in ordered:
        leaders = np.array([group[0] for group in groups], dtype=np.int64)
        shared = signatures.overlaps(docnum, leaders) if len(groups) else np.zeros(0)
        ranked = [int(b) for b in np.argsort(-shared, kind="stable") if shared[b] >= THRESHOLD]
        home = next((b for b in ranked if signatures.confirmed(groups[b][0], docnum)), None)
        if home is not None:
            groups[home].append(docnum)
            continue
        if len(groups) == size:
            pages.append(groups)
            groups = []
        groups.append([docnum])
    return [*pages, groups] if groups else pages


def _pages(signatures: Signatures, ordered: list[int], size: int) -> list[list[list[int]]]:
    items, pages, more = Pushback(ordered), [], True
    while more:
        groups, more = signatures.page(items, size)
        if groups:
            pages.append(groups)
    return pages


@pytest.mark.parametrize("seed", range(12))
def test_pages_group_reposts_as_the_greedy_grouping_does(seed):
    rng = np.random.default_rng(seed)
    originals = [rng.integers(1, 5000, int(rng.integers(5, 300))) for _ in range(12)]
    articles = list(originals)
    for _ in range(30):  # reposts: cut, spliced with another, or padded
        base = originals[int(rng.integers(len(originals)))]
        cut = base[int(rng.integers(0, max(1, len(base) // 3))) :]
        kind = rng.integers(3)
        if kind == 0:
            articles.append(cut)
        elif kind == 1:
            other = originals[int(rng.integers(len(originals)))]
            articles.append(np.concatenate([cut[: len(cut) // 2], other[len(other) // 2 :]]))
        else:
            articles.append(np.concatenate([cut, rng.integers(1, 5000, len(cut))]))
    signatures = _signatures(articles)
    ordered = rng.permutation(len(articles)).tolist()
    for size in (1, 3, 10):
        pages = _pages(signatures, ordered, size)
        assert pages == _greedy(signatures, ordered, size)
        assert sorted(d for page in pages for group in page for d in group) == sorted(ordered)
    assert any(len(group) > 1 for page in _pages(signatures, ordered, 10) for group in page)


def test_the_first_document_of_the_next_page_is_given_back():
    rng = np.random.default_rng(1)
    signatures = _signatures([rng.integers(1, 5000, 100) for _ in range(5)])
    items = Pushback([0, 1, 2, 3, 4])
    assert signatures.page(items, 2) == ([[0], [1]], True)
    assert list(items) == [2, 3, 4]
