"""The arrays derived from each commit: written with it, mapped by the searcher, rebuilt
when missing, and equal to what the index holds."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from indexer.arrays.derive import derive
from indexer.arrays.store import FOLDER, fingerprint, open_arrays
from indexer.build.builder import build_index
from indexer.build.schema import open_index
from search_app.engine.index_handle import IndexHandle
from search_app.engine.search import ArchiveSearch
from search_app.results import SearchRequest


def current(index_dir):
    ix = open_index(index_dir)
    with ix.reader() as reader:
        return fingerprint(reader.segments())


@pytest.fixture
def built(fixture_archive, tmp_path):
    """A fresh index of the fixture archive, built in two commits (seeds, then the rest)."""
    folder = tmp_path / "ix"
    build_index([fixture_archive / "seeds"], folder, jobs=1)
    first = current(folder)
    build_index([fixture_archive / "seeds", fixture_archive / "fixtures"], folder, jobs=2)
    return folder, first


def test_each_commit_writes_its_arrays_and_only_the_current_ones_stay(built):
    folder, first = built
    name = current(folder)
    assert name != first
    assert sorted(p.name for p in (folder / FOLDER).iterdir()) == [name]


def test_the_arrays_are_mapped_and_equal_what_the_index_holds(built):
    folder, _ = built
    arrays = open_arrays(folder, current(folder))
    assert arrays is not None
    assert all(isinstance(a.base, np.memmap) for a in arrays.arrays.values())
    ix = open_index(folder)
    with ix.reader() as reader:
        fresh, meta = derive(reader)
    assert meta == {k: arrays.meta[k] for k in meta}
    assert set(fresh) == set(arrays.arrays)
    for key, array in fresh.items():
        assert np.array_equal(np.asarray(arrays[key]), array), key


def test_missing_arrays_are_derived_and_written_by_the_searcher(built):
    folder, _ = built
    shutil.rmtree(folder / FOLDER)
    handle = IndexHandle(folder)
    try:
        page = ArchiveSearch(handle).search(SearchRequest(q="chuyển đổi số"))
    finally:
        handle.close()
    assert page.total > 0
    assert open_arrays(folder, current(folder)) is not None


def test_a_search_after_a_commit_maps_the_new_arrays(built, fixture_archive):
    folder, _ = built
    handle = IndexHandle(folder, refresh_seconds=0)
    search = ArchiveSearch(handle)
    try:
        before = search.search(SearchRequest()).total
        build_index([fixture_archive / "seeds"], folder, rebuild=True, jobs=1)  # seeds only
        search.search(SearchRequest())
        handle.wait_for_refresh()
        after = search.search(SearchRequest()).total
    finally:
        handle.close()
    assert after == 5 < before
    assert sorted(p.name for p in (folder / FOLDER).iterdir()) == [current(folder)]


@pytest.mark.parametrize("field", ["text", "title", "exact"])
def test_the_mapped_postings_are_whooshs(built, field):
    folder, _ = built
    handle = IndexHandle(folder)
    try:
        with handle.current() as state:
            postings = state.engine.postings
            reader = state.searcher.reader()
            terms = [term.decode("utf-8") for term in reader.lexicon(field)]
            assert len(terms) > 50
            for term in terms:
                matcher = reader.postings(field, term)
                whoosh = {}
                while matcher.is_active():
                    whoosh[matcher.id()] = matcher.weight()
                    matcher.next()
                mapped = postings.get(field, term)
                assert dict(zip(mapped.docs.tolist(), mapped.counts.tolist(), strict=True)) == (
                    whoosh
                ), term
                assert postings.doc_frequency(field, term) == len(whoosh)
    finally:
        handle.close()
