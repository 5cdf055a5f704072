"""What we read of Whoosh's private segment structures equals what its public API reads.

On a real index of the fixture archive, in several segments, one of them with deleted
documents: every field's term table, the postings of a sample of terms of every scored
field, and the length columns.
"""

from __future__ import annotations

import shutil
from collections import Counter

import numpy as np
import pytest
from whoosh import index
from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

from indexer.arrays.whoosh_segments import (
    field_lengths,
    field_postings,
    posting_arrays,
    segment_terms,
)
from indexer.build.schema import build_schema
from indexer.build.segment_writer import SegmentCodec, new_segment_writer

FIELDS = ("text", "exact", "words", "title", "province", "docnums")


@pytest.fixture(scope="module")
def leaves(index_dir, tmp_path_factory):
    """The segment readers of a copy of the fixture index, with a few documents deleted."""
    folder = tmp_path_factory.mktemp("segments") / "ix"
    shutil.copytree(index_dir, folder)
    ix = index.open_dir(str(folder))
    with ix.searcher() as searcher:
        ids = sorted(doc["id"] for doc in searcher.all_stored_fields())
    writer = ix.writer()
    for doc_id in ids[::7]:
        writer.delete_by_term("id", doc_id)
    writer.commit(merge=False)
    with ix.reader() as reader:
        found = [leaf for leaf, _ in reader.leaf_readers()]
        assert len(found) > 1 and any(leaf.has_deletions() for leaf in found)
        yield found


def _terms(terms) -> dict[str, int]:
    texts = terms.texts(np.arange(len(terms.counts)))
    return dict(zip(texts, terms.counts.tolist(), strict=True))


@pytest.mark.parametrize("joined", [False, True])
@pytest.mark.parametrize("fieldname", [*FIELDS, "nonexistent"])
def test_term_tables_read_as_whoosh_reads_them(leaves, fieldname, joined):
    for leaf in leaves:
        fast = _terms(segment_terms(leaf, fieldname, joined))
        assert fast == _terms(segment_terms(leaf, fieldname, joined, public=True))
        if fieldname == ("words" if joined else "text"):
            assert fast  # the comparison is not between two empty tables
            table = segment_terms(leaf, fieldname, joined)
            # read in place: the block is the table itself, record headers and all
            assert len(table.block) > int((table.ends - table.starts).sum())


@pytest.mark.parametrize("fieldname", ["text", "exact", "words", "title", "docnums"])
def test_postings_read_as_whoosh_reads_them(leaves, fieldname):
    compared, deleted_seen = 0, False
    for leaf in leaves:
        terms = [term for term, _ in leaf.iter_field(fieldname)]
        for term in terms[:: max(1, len(terms) // 150)]:
            docs, weights = posting_arrays(leaf, fieldname, term)
            live = np.array([not leaf.is_deleted(int(d)) for d in docs], dtype=bool)
            public_docs, public_weights = posting_arrays(leaf, fieldname, term, public=True)
            assert docs[live].tolist() == public_docs.tolist(), term
            assert np.allclose(weights[live], public_weights), term
            compared += 1
            deleted_seen |= not live.all()  # read in place: deleted documents are there
    assert compared > 20
    if fieldname == "text":
        assert deleted_seen


@pytest.mark.parametrize("fieldname", ["text", "exact", "words", "title", "docnums", "nothing"])
def test_a_fields_postings_read_at_once_as_each_terms(leaves, fieldname):
    compared = 0
    for leaf in leaves:
        terms = []
        if fieldname in leaf.indexed_field_names():
            terms = [term.decode("utf-8") for term, _ in leaf.iter_field(fieldname)]
        at_once = list(field_postings(leaf, fieldname))
        assert [term for term, _, _ in at_once] == terms
        for term, docs, weights in at_once:
            one = posting_arrays(leaf, fieldname, term.encode("utf-8"))
            assert docs.tolist() == one[0].tolist() and weights.tolist() == one[1].tolist()
            compared += 1
        public = list(field_postings(leaf, fieldname, public=True))
        assert [term for term, _, _ in public] == terms
        for (_, docs, _), (_, public_docs, _) in zip(at_once, public, strict=True):
            live = np.array([not leaf.is_deleted(int(d)) for d in docs], dtype=bool)
            assert docs[live].tolist() == public_docs.tolist()
    assert compared > 20 or fieldname == "nothing"


def test_a_term_that_is_not_there_has_no_postings(leaves):
    docs, weights = posting_arrays(leaves[0], "text", "khôngcótừnày".encode())
    assert len(docs) == len(weights) == 0


@pytest.mark.parametrize("fieldname", ["text", "exact", "words", "title"])
def test_field_lengths_read_as_whoosh_reads_them(leaves, fieldname):
    for leaf in leaves:
        fast = field_lengths(leaf, fieldname)
        assert len(fast) == leaf.doc_count_all()
        assert fast.tolist() == field_lengths(leaf, fieldname, public=True).tolist()


@pytest.mark.parametrize("writer", ["whoosh", "bulk"])
def test_postings_of_many_blocks_read_at_once(tmp_path, writer):
    """Terms in hundreds of documents (blocks of 128), written by Whoosh's writer (every block
    compressed) or the build's (small blocks not)."""
    ix = index.create_in(str(tmp_path), build_schema())
    if writer == "whoosh":
        segment_writer = SegmentWriter(ix, _lk=False, compound=False, codec=SegmentCodec())
    else:
        segment_writer = new_segment_writer(ix)
    for n in range(700):
        text = Counter({"ta": 1 + n % 3, "tin": 2, f"s{n % 9}": 1, f"only{n}": 1})
        segment_writer.add_document(id=f"d{n}", text=text)
    segment = segment_writer._finalize_segment()
    with SegmentReader(ix.storage, ix.schema, segment) as leaf:
        read = {
            term: (docs.tolist(), weights.tolist())
            for term, docs, weights in field_postings(leaf, "text")
        }
        assert len(read) == 700 + 9 + 2
        assert read["ta"][0] == list(range(700))
        assert read["ta"][1] == [float(1 + n % 3) for n in range(700)]
        for term in ("ta", "tin", "s4", "only7"):
            docs, weights = posting_arrays(leaf, "text", term.encode(), public=True)
            assert read[term] == (docs.tolist(), weights.tolist())
