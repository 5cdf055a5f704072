"""The archive's vocabulary, read from the index for the query repairs.

Per index commit, on first use: every syllable with and without diacritics and underthesea's
multi-syllable words, with their occurrences, straight from the segments' term tables
(``whoosh_segments``), in about 0.5 s on 36,000 articles.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from whoosh.reading import IndexReader

from indexer.arrays.whoosh_segments import segment_terms
from search_app.query.spelling import Vocabulary, domain_phrases


def lexicon(
    reader: IndexReader, fieldname: str, joined: bool = False, min_count: int = 1
) -> dict[str, int]:
    """Term -> occurrences over all segments of an index, for terms seen ``min_count`` times;
    with ``joined``, only terms with a '_'.

    A term's copies in several segments are found by hash, so that only the terms kept
    become Python objects (two terms sharing a 64-bit hash would count as one).
    """
    parts = [segment_terms(leaf, fieldname, joined) for leaf, _ in reader.leaf_readers()]
    if not any(len(part.counts) for part in parts):
        return {}
    hashes = np.concatenate([part.hashes() for part in parts])
    _, first, copies = np.unique(hashes, return_index=True, return_inverse=True)
    counts = np.concatenate([part.counts for part in parts])
    totals = np.bincount(copies.reshape(-1), weights=counts).astype(np.int64)
    kept = totals >= min_count
    chosen, totals = first[kept], totals[kept]
    sizes = [len(part.counts) for part in parts]
    which = np.repeat(np.arange(len(parts)), sizes)[chosen]
    local = chosen - (np.cumsum(sizes) - sizes)[which]
    found: dict[str, int] = {}
    for number, part in enumerate(parts):
        mine = which == number
        found.update(zip(part.texts(local[mine]), totals[mine].tolist(), strict=True))
    return found


def load_vocabulary(reader: IndexReader, phrases: Iterable[str] | None = None) -> Vocabulary:
    """The vocabulary of an index; ``phrases`` default to the topic and place names.

    Like any Whoosh call, this must not share ``reader`` with another thread meanwhile.
    """
    text = lexicon(reader, "text")
    exact = lexicon(reader, "exact")
    # A word seen once can never be chosen (MIN_COUNT) nor stop another (DOMINANCE).
    words = lexicon(reader, "words", joined=True, min_count=2)
    return Vocabulary.from_terms(
        text, exact, words, domain_phrases() if phrases is None else phrases
    )
