"""The archive's vocabulary read from a real index: every segment, any reader; packed into
arrays at the commit and read back as the spelling repairs ask for it."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import fields, index
from whoosh.reading import TermNotFound

from indexer.arrays.lexicon import MappedCounts, MappedGroups, lexicon, pack, vocabulary_arrays
from indexer.build.builder import build_index
from search_app.engine.index_handle import IndexHandle
from search_app.engine.search import SUGGEST_BELOW, ArchiveSearch
from search_app.query.keyboard import convert_query
from search_app.query.spelling import Vocabulary, suggest
from search_app.results import SearchRequest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def reader_of_archive(tmp_path_factory):
    """A reader of a real index of the seeds and the fixture archive."""
    target = tmp_path_factory.mktemp("lexicon") / "ix"
    build_index([ROOT / "tests" / "data" / "archive", ROOT / "archive"], target, jobs=1)
    with index.open_dir(str(target)).searcher() as searcher:
        yield searcher.reader()


def _slow_lexicon(reader, fieldname):
    return {term.decode(): round(info.weight()) for term, info in reader.iter_field(fieldname)}


@pytest.mark.parametrize("fieldname", ["text", "exact", "words", "province"])
def test_lexicon_reads_what_whoosh_reads(reader_of_archive, fieldname):
    assert lexicon(reader_of_archive, fieldname) == _slow_lexicon(reader_of_archive, fieldname)


def test_lexicon_of_a_field_that_is_not_there(reader_of_archive):
    assert lexicon(reader_of_archive, "nonexistent") == {}


def test_vocabulary_of_a_real_index(reader_of_archive):
    vocabulary = Vocabulary.from_arrays(vocabulary_arrays(reader_of_archive))
    words = {t: n for t, n in _slow_lexicon(reader_of_archive, "words").items() if n > 1}
    exact = _slow_lexicon(reader_of_archive, "exact")
    by_hand = Vocabulary.from_terms({}, exact, words)
    assert dict(vocabulary.words) == by_hand.words
    assert dict(vocabulary.syllables) == by_hand.syllables
    assert dict(vocabulary.folded) == _slow_lexicon(reader_of_archive, "text")
    assert vocabulary.words["chuyen doi"] == {"chuyển_đổi": 13}
    assert suggest("chuyen doi so", vocabulary) == "chuyển đổi số"
    assert convert_query("chuyeenr ddooir soos", vocabulary.knows) == "chuyển đổi số"
    assert convert_query("chuyen doi so", vocabulary.knows) is None


def test_lexicon_adds_up_segments(tmp_path):
    schema = fields.Schema(text=fields.TEXT, words=fields.TEXT)
    ix = index.create_in(str(tmp_path), schema)
    for texts in (["số số chuyển_đổi", "số"], ["số chuyển_đổi bắc_kạn", "bắc"], ["zzz"]):
        writer = ix.writer()
        for text in texts:
            writer.add_document(text=text, words=text)
        writer.commit(merge=False)  # one segment per commit
    with ix.searcher() as searcher:
        reader = searcher.reader()
        assert len(reader.leaf_readers()) == 3
        found = lexicon(reader, "text")
        assert found == _slow_lexicon(reader, "text")
        assert found["số"] == 4
        # once in each of two segments: twice in all
        assert lexicon(reader, "words", joined=True, min_count=2) == {"chuyển_đổi": 2}


class _FakeInfo:
    def __init__(self, weight: float) -> None:
        self._weight = weight

    def weight(self) -> float:
        return self._weight


class _FakeLeaf:
    """A reader of no known storage: the lexicon is read the public way."""

    def leaf_readers(self):
        return [(self, 0)]

    def iter_field(self, fieldname):
        if fieldname != "text":
            raise TermNotFound((fieldname, ""))
        yield from [(b"so", _FakeInfo(3.0)), (b"tin", _FakeInfo(2.0))]


def test_lexicon_of_other_readers():
    assert lexicon(_FakeLeaf(), "text") == {"so": 3, "tin": 2}
    assert lexicon(_FakeLeaf(), "exact") == {}


def test_the_vocabulary_is_read_when_a_query_first_needs_it(index_dir):
    handle = IndexHandle(index_dir)
    archive_search = ArchiveSearch(handle)
    try:
        with handle.current() as state:
            assert state._vocabulary is None  # not read with the commit
        page = archive_search.search(SearchRequest(q="thông tin"))
        assert page.total >= SUGGEST_BELOW and not page.searched and not page.suggestion
        with handle.current() as state:
            assert state._vocabulary is None  # nor by a query that needs no repair
        page = archive_search.search(SearchRequest(q="chuyeenr ddooir soos"))
        assert page.searched == "chuyển đổi số"
        with handle.current() as state:
            assert state._vocabulary is not None
    finally:
        handle.close()


def test_a_packed_table_reads_as_the_groups_it_was_made_of():
    groups = {"so": {"số": 400, "sở": 60}, "chuyen doi": {"chuyển_đổi": 100}, "zz": {"zz": 1}}
    table = MappedGroups(pack("t", groups), "t")
    assert dict(table) == groups and len(table) == 3
    assert table["so"] == {"số": 400, "sở": 60}
    assert "chuyen doi" in table and "chuyen" not in table and 5 not in table
    assert table.get("xyz") is None
    counts = MappedCounts(pack("c", {"so": {"so": 520}, "doi": {"doi": 230}}), "c")
    assert counts["so"] == 520 and counts.get("doi") == 230 and counts.get("x", 0) == 0
    assert dict(MappedGroups(pack("e", {}), "e")) == {}
