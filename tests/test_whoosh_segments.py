"""What we read of Whoosh's private segment structures equals what its public API reads.

On a real index of the fixture archive, in several segments, one of them with deleted
documents: every field's term table, the postings of a sample of terms of every scored
field, and the length columns.
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from whoosh import index

from indexer.arrays.whoosh_segments import field_lengths, posting_arrays, segment_terms

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


def test_a_term_that_is_not_there_has_no_postings(leaves):
    docs, weights = posting_arrays(leaves[0], "text", "khôngcótừnày".encode())
    assert len(docs) == len(weights) == 0


@pytest.mark.parametrize("fieldname", ["text", "exact", "words", "title"])
def test_field_lengths_read_as_whoosh_reads_them(leaves, fieldname):
    for leaf in leaves:
        fast = field_lengths(leaf, fieldname)
        assert len(fast) == leaf.doc_count_all()
        assert fast.tolist() == field_lengths(leaf, fieldname, public=True).tolist()
