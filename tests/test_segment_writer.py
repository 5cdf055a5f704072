"""The bulk segment writer writes the segments Whoosh's own writer writes: byte for byte when
it compresses every posting block as Whoosh does, the same postings when it leaves the small
blocks uncompressed as it does by default."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest
from whoosh import index
from whoosh.fields import ID, KEYWORD, TEXT, Schema
from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

from indexer.build import parallel, segment_writer
from indexer.build.builder import build_index, index_records
from indexer.build.plan import plan_build
from indexer.build.schema import build_schema, open_index
from indexer.build.segment_writer import BulkSegmentWriter, SegmentCodec, new_segment_writer
from indexer.inputs.loading import load_records
from indexer.inputs.sources import discover
from indexer.records import Failure
from search_app import create_app


def _whoosh_writer(ix) -> SegmentWriter:
    return SegmentWriter(ix, _lk=False, compound=False, codec=SegmentCodec())


def _write_segment(folder: Path, documents: list[dict], make_writer) -> tuple[index.Index, object]:
    folder.mkdir()
    ix = index.create_in(str(folder), build_schema())
    writer = make_writer(ix)
    for document in documents:
        writer.add_document(**document)
    return ix, writer._finalize_segment()


def _segment_files(folder: Path, documents: list[dict], make_writer) -> dict[str, bytes]:
    """The files of one segment of ``documents``, by name after the segment's id."""
    ix, segment = _write_segment(folder, documents, make_writer)
    prefix = segment.segment_id()
    ix.close()
    return {
        path.name[len(prefix) :]: path.read_bytes()
        for path in folder.iterdir()
        if path.name.startswith(prefix)
    }


def _segment_postings(folder: Path, documents: list[dict], make_writer) -> dict:
    """Every term of one segment of ``documents`` as Whoosh reads it: its statistics and its
    postings (document, weight, encoded value)."""
    ix, segment = _write_segment(folder, documents, make_writer)
    with SegmentReader(ix.storage, ix.schema, segment) as reader:
        read = {}
        for field in reader.indexed_field_names():
            for term in reader.lexicon(field):
                info = reader.term_info(field, term)
                matcher = reader.postings(field, term)
                postings = []
                while matcher.is_active():
                    postings.append((matcher.id(), matcher.weight(), matcher.value()))
                    matcher.next()
                statistics = (info.weight(), info.doc_frequency(), info.max_weight())
                read[field, term] = (*statistics, info.min_id(), info.max_id(), postings)
    ix.close()
    return read


@pytest.fixture
def every_block_compressed(monkeypatch):
    """Compress every posting block, as Whoosh's writer does."""
    monkeypatch.setattr(segment_writer, "_COMPRESS_FROM", 0)


def _assert_same_files(tmp_path: Path, documents: list[dict]) -> dict[str, bytes]:
    whoosh = _segment_files(tmp_path / "whoosh", documents, _whoosh_writer)
    bulk = _segment_files(tmp_path / "bulk", documents, new_segment_writer)
    assert sorted(bulk) == sorted(whoosh)
    for name in whoosh:
        assert bulk[name] == whoosh[name], name
    return bulk


@pytest.fixture(scope="module")
def archive_documents(fixture_archive) -> list[dict]:
    """The Whoosh documents of the fixture archive, as a build's workers make them."""
    sources, _ = discover([fixture_archive])
    tasks = load_records(plan_build(sources, {}, [fixture_archive]).tasks)
    documents = index_records(list(tasks))
    return [document for document in documents if not isinstance(document, Failure)]


def _synthetic(count: int, seed: int = 7) -> list[dict]:
    """Documents with terms in hundreds of them (several posting blocks), frequencies all 1,
    all equal or mixed within a block, and fields left out."""
    rng = random.Random(seed)
    syllables = ["ta", "tá", "tà", "đi", "di", "sở", "so", "thông", "tin", "ả", "zz" * 40]
    documents = []
    for n in range(count):
        text = Counter({s: rng.choice([1, 1, 2, 7]) for s in rng.sample(syllables, 6)})
        if n % 3 == 0:
            text["ta"] = 3  # the same frequency in every third document
        document = {
            "id": f"doc-{n}",
            "source": f"src/{n % 4}.jsonl",
            "text": text,
            "words": Counter({"thông_tin": 1, f"từ{n % 50}": 2}),
            "topic": "chuyen-doi-so,y-te" if n % 2 else "the-thao",
            "body": f"nội dung {n}",
        }
        if n % 5:
            document["title"] = Counter({"ta": 1, "tin": n % 3 + 1})
            document["_stored_title"] = f"Tiêu đề {n}"
            document["year"] = str(2015 + n % 7)
        documents.append(document)
    return documents


def test_the_archive_makes_the_same_files(tmp_path, archive_documents, every_block_compressed):
    assert len(archive_documents) > 20
    files = _assert_same_files(tmp_path, archive_documents)
    assert {".pst", ".trm", "._stored.col", ".forward.col"} <= set(files)


@pytest.mark.parametrize("batch", [50, 1 << 16])
def test_many_blocks_and_every_kind_of_weights_make_the_same_files(
    tmp_path, monkeypatch, every_block_compressed, batch
):
    monkeypatch.setattr(segment_writer, "_BATCH", batch)  # postings made Python lists at once
    _assert_same_files(tmp_path, _synthetic(700))


@pytest.mark.parametrize("documents", ["archive", "synthetic"])
def test_small_blocks_left_uncompressed_read_back_the_same(tmp_path, archive_documents, documents):
    documents = archive_documents if documents == "archive" else _synthetic(700)
    whoosh = _segment_postings(tmp_path / "whoosh", documents, _whoosh_writer)
    bulk = _segment_postings(tmp_path / "bulk", documents, new_segment_writer)
    assert len(bulk) > 700
    assert bulk == whoosh
    # The same per-document files; postings no bigger to speak of.
    files = _segment_files(tmp_path / "bulk-files", documents, new_segment_writer)
    theirs = _segment_files(tmp_path / "whoosh-files", documents, _whoosh_writer)
    assert {name: files[name] for name in files if name not in (".pst", ".trm")} == {
        name: theirs[name] for name in theirs if name not in (".pst", ".trm")
    }
    assert files[".pst"] != theirs[".pst"]
    assert len(files[".pst"]) < 1.02 * len(theirs[".pst"])


def test_a_term_table_past_64_kib_widens_its_positions_as_whoosh_does(
    tmp_path, monkeypatch, every_block_compressed
):
    monkeypatch.setattr(segment_writer, "_BATCH", 300)  # the widening falls inside a batch
    documents = [
        {"id": f"doc-{n}", "source": "s", "words": Counter({f"từ_{n:04d}_" + "x" * 90: 1})}
        for n in range(900)
    ]
    files = _assert_same_files(tmp_path, documents)
    assert len(files[".trm"]) > 2**16


def test_text_values_and_boosts_go_through_the_fields_analyzers_as_whoosh_does(
    tmp_path, every_block_compressed
):
    documents = _synthetic(40)
    documents[3]["text"] = "Sở Thông tin và Truyền thông tỉnh Bắc Kạn"  # analyzed, not counts
    documents[4]["title"] = "Thông tin"
    documents[5]["_boost"] = 2.5
    documents[6]["_words_boost"] = 0.5
    _assert_same_files(tmp_path, documents)


def test_a_document_that_fails_half_way_leaves_no_postings_behind(tmp_path, every_block_compressed):
    documents = _synthetic(30)
    broken = {**documents[10], "forward": "not bytes"}  # the column refuses it, after the
    folder = tmp_path / "failed"  # fields before it in name order gave their postings
    folder.mkdir()
    ix = index.create_in(str(folder), build_schema())
    writer = new_segment_writer(ix)
    for document in documents[:10]:
        writer.add_document(**document)
    held = writer.held_mb()
    with pytest.raises(TypeError):
        writer.add_document(**broken)
    assert writer.held_mb() == held
    for document in documents[10:]:
        writer.add_document(**document)
    prefix = writer._finalize_segment().segment_id()
    whoosh = _segment_files(tmp_path / "whoosh", documents, _whoosh_writer)
    for postings in (".pst", ".trm"):  # (Whoosh's per-document files are its own)
        assert (folder / (prefix + postings)).read_bytes() == whoosh[postings]


@pytest.mark.parametrize(
    "schema, refused",
    [
        (Schema(id=ID(stored=True), body=TEXT(phrase=True)), "'body'"),  # positions
        (Schema(id=ID(stored=True), tags=KEYWORD(vector=True)), "'tags'"),  # term vectors
    ],
)
def test_a_schema_it_cannot_write_is_refused(tmp_path, schema, refused):
    ix = index.create_in(str(tmp_path), schema)
    with pytest.raises(ValueError, match=refused):
        BulkSegmentWriter(ix, _lk=False, codec=SegmentCodec())


def test_a_worker_writes_a_segment_whenever_it_holds_enough(tmp_path, fixture_archive, monkeypatch):
    whole = tmp_path / "whole"
    build_index([fixture_archive], whole, jobs=2)
    monkeypatch.setattr(parallel, "CHUNK", 2)
    monkeypatch.setattr(parallel, "SEGMENT_LIMIT_MB", 1e-6)  # the workers fork with it
    split = tmp_path / "split"
    report = build_index([fixture_archive], split, jobs=2)
    assert report.failed == 0
    one, many = open_index(whole), open_index(split)
    assert len(many._segments()) > len(one._segments()) + 4
    assert many.doc_count() == one.doc_count()
    for query in ("chuyển đổi số", "bac kan", "570/QĐ-UBND", "thông tin truyền thông"):
        first, second = _search(whole, query), _search(split, query)
        assert [hit["id"] for hit in second["hits"]] == [hit["id"] for hit in first["hits"]]
        assert (second["total"], second["facets"]) == (first["total"], first["facets"])


def _search(index_dir: Path, query: str) -> dict:
    app = create_app({"INDEX_DIR": str(index_dir), "TESTING": True})
    try:
        return app.test_client().get("/search.json", query_string={"q": query}).get_json()
    finally:
        app.extensions["archive_search"].handle.close()
