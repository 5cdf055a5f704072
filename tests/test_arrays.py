"""The arrays derived from each commit: written with it, mapped by the searcher, rebuilt
when missing, and equal to what the index holds."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest

from indexer.arrays import derive as deriving
from indexer.arrays.derive import derive, derive_segments
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


def _segments(folder):
    ix = open_index(folder)
    return ix.storage, ix.schema, ix._segments()


def test_two_processes_derive_what_one_does(built):
    folder, _ = built
    storage, schema, segments = _segments(folder)
    assert len(segments) > 1
    arrays, meta = derive_segments(storage, schema, segments)
    with open_index(folder).reader() as reader:
        alone, alone_meta = derive(reader)
    assert meta == alone_meta
    assert set(arrays) == set(alone)
    for key, array in alone.items():
        assert np.array_equal(arrays[key], array), key


def _fails(reader, live):
    raise ValueError("a term table that cannot be read")


def _dies(reader, live):
    os._exit(3)


@pytest.mark.parametrize(
    "term_arrays, message",
    [(_fails, "ValueError: a term table that cannot be read"), (_dies, "died")],
)
def test_the_second_process_failing_fails_the_derivation(built, monkeypatch, term_arrays, message):
    folder, _ = built
    monkeypatch.setattr(deriving, "_term_arrays", term_arrays)  # the child forks with it
    with pytest.raises(RuntimeError, match=message):
        derive_segments(*_segments(folder))


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
