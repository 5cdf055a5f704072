"""The one place that reads Whoosh's private segment structures, each beside its public way.

Whoosh's public readers decode one term, one posting or one document at a time in Python:
13 s for the 270,000 words of the full archive's term table, seconds for a common
syllable's postings. Four reads go straight to the W3 codec's files instead, as numpy
arrays: a field's term table (``segment_terms``), a term's posting blocks
(``posting_arrays``), every term's posting blocks of a field (``field_postings``) and a
field's length column (``field_lengths``). Each checks that the
segment has the structures it expects and otherwise, or with ``public=True``, takes
Whoosh's public API; ``tests/test_whoosh_segments.py`` checks that both ways agree. Its
counterpart for writing is ``indexer.build.segment_writer`` (the W3 blocks and term table, byte
for byte Whoosh's); the build also drives Whoosh's writer by its private steps (finalize,
commit the TOC) in ``indexer.build.parallel``. Nothing else touches Whoosh's private parts.
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3LeafMatcher,
    W3TermInfo,
    W3TermsReader,
    _lenfield,
)
from whoosh.filedb.filetables import OrderedHashReader
from whoosh.reading import IndexReader, TermNotFound
from whoosh.util.numeric import byte_to_length

_INT = struct.Struct(">i")  # Whoosh's pack_int
_HASHED_BYTES = 32  # terms up to this long are hashed by numpy, longer ones by Python
_LOW_BYTES = np.array([(1 << (8 * k)) - 1 for k in range(9)], dtype=np.uint64)
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)


# --- Term tables -------------------------------------------------------------------------------


@dataclass
class Terms:
    """One segment's terms of a field: term i is block[starts[i]:ends[i]]."""

    block: bytes
    starts: np.ndarray
    ends: np.ndarray
    counts: np.ndarray  # occurrences

    @classmethod
    def of(cls, pairs: list[tuple[bytes, int]]) -> Terms:
        """From (term, occurrences) pairs."""
        lengths = np.array([len(term) for term, _ in pairs], dtype=np.int64)
        ends = np.cumsum(lengths)
        counts = np.array([n for _, n in pairs], dtype=np.int64)
        return cls(b"".join(term for term, _ in pairs), ends - lengths, ends, counts)

    def hashes(self) -> np.ndarray:
        """A 64-bit hash of each term, to find a term's copies in other segments."""
        data = np.frombuffer(self.block + bytes(_HASHED_BYTES), dtype=np.uint8)
        lengths = self.ends - self.starts
        # Each term's first bytes as little-endian uint64s, bytes past its end masked off.
        words = sliding_window_view(data, _HASHED_BYTES)[self.starts].view("<u8")
        hashed = lengths.astype(np.uint64)
        for i in range(_HASHED_BYTES // 8):
            part = words[:, i] & _LOW_BYTES[np.clip(lengths - 8 * i, 0, 8)]
            hashed = (hashed ^ part) * np.uint64(0x9E3779B97F4A7C15)  # wraps around silently
        for i in np.flatnonzero(lengths > _HASHED_BYTES).tolist():
            hashed[i] = hash(self.block[self.starts[i] : self.ends[i]]) & (2**64 - 1)
        return hashed

    def texts(self, chosen: np.ndarray) -> list[str]:
        """The terms at these positions, decoded: gathered by numpy into one text, then split."""
        if not len(chosen):
            return []
        starts, lengths = self.starts[chosen], (self.ends - self.starts)[chosen] + 1
        heads = np.cumsum(lengths) - lengths
        # Each term's bytes, then the newline appended after the block.
        index = np.arange(lengths.sum()) + np.repeat(starts - heads, lengths)
        index[heads + lengths - 1] = len(self.block)
        data = np.frombuffer(self.block + b"\n", dtype=np.uint8)
        # Our analyzers never make a term with a newline; callers zip strictly all the same.
        return data[index].tobytes().decode("utf-8").split("\n")[:-1]


def _be_words(data: np.ndarray, offsets: np.ndarray, dtype: str) -> np.ndarray:
    """The 4-byte big-endian values at ``offsets`` of a byte array."""
    return data[offsets[:, None] + np.arange(4)].view(dtype).reshape(-1)


def _public_terms(leaf: IndexReader, fieldname: str, joined: bool) -> Terms:
    try:
        pairs = [(t, round(i.weight())) for t, i in leaf.iter_field(fieldname)]
    except TermNotFound:  # no such field
        pairs = []
    return Terms.of([(term, n) for term, n in pairs if b"_" in term or not joined])


def segment_terms(
    leaf: IndexReader, fieldname: str, joined: bool = False, public: bool = False
) -> Terms:
    """Terms of one segment's field and their occurrences; with ``joined``, only terms with
    a '_' (underthesea's multi-syllable words)."""
    terms = getattr(leaf, "_terms", None)
    table = getattr(terms, "_tindex", None)
    if public or not isinstance(table, OrderedHashReader) or not hasattr(terms, "_fieldmap"):
        return _public_terms(leaf, fieldname, joined)
    number = terms._fieldmap.get(fieldname)
    start = None if number is None else table.closest_key_pos(struct.pack(">H", number))
    if start is None:
        return Terms.of([])
    end = table.closest_key_pos(struct.pack(">H", number + 1)) or table.endofdata
    index = table.dbfile.get(table.indexbase, table.indexlen * table.indexsize)
    positions = np.frombuffer(index, dtype=">" + table.extras["indextype"])
    lo, hi = np.searchsorted(positions, [start, end])
    offsets = positions[lo:hi].astype(np.int64) - start
    block = table.dbfile.get(start, end - start)
    data = np.frombuffer(block, dtype=np.uint8)
    # A record: key length, value length (int32 each), 2-byte field number + term, TermInfo
    # whose bytes 1-4 are the total weight (float32): the occurrences.
    starts = offsets + 10
    ends = offsets + 8 + _be_words(data, offsets, ">i4")
    counts = np.rint(_be_words(data, ends + 1, ">f4")).astype(np.int64)
    if joined:  # keep terms with a '_' between their start and end
        underscores = np.flatnonzero(data == ord("_"))
        keep = np.searchsorted(underscores, ends) > np.searchsorted(underscores, starts)
        starts, ends, counts = starts[keep], ends[keep], counts[keep]
    return Terms(block, starts, ends, counts)


# --- Postings and lengths ----------------------------------------------------------------------


def _public_postings(matcher) -> tuple[np.ndarray, np.ndarray]:
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.array(ids, np.int64), np.array(weights, np.float32)


def posting_arrays(
    leaf: IndexReader, field: str, term: bytes, public: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Document numbers and frequencies of a term in one segment. Deleted documents are
    included, except on the public way: callers keep the live ones."""
    if (field, term) not in leaf:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    terms = None if public else getattr(leaf, "_terms", None)
    matcher = terms.matcher(field, term, leaf.schema[field].format) if terms else None
    if not isinstance(matcher, W3LeafMatcher):  # another codec
        return _public_postings(leaf.postings(field, term))
    id_blocks, weight_blocks = [], []
    while True:  # one block (up to 128 postings) at a time
        matcher._read_data()
        ids, weights = _block_arrays(matcher._data[0], matcher._data[1], matcher._blocklength)
        id_blocks.append(ids)
        weight_blocks.append(weights)
        if matcher._lastblock:
            break
        matcher._next_block()
    return np.concatenate(id_blocks), np.concatenate(weight_blocks)


def _block_arrays(deltas, weights, size: int) -> tuple[np.ndarray, np.ndarray]:
    """A posting block's document numbers and weights, from the document numbers' deltas and
    the weights as Whoosh minifies them (None: all 1; a float: all that)."""
    ids = np.cumsum(np.asarray(deltas, dtype=np.int64))
    if weights is None:
        return ids, np.ones(size, np.float32)
    if isinstance(weights, float):
        return ids, np.full(size, weights, np.float32)
    return ids, np.asarray(weights, dtype=np.float32)


def _read_blocks(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """The postings of one term's W3 blocks: the magic, then for each block its signed
    length (negative for the last), its info pickle and its data pickle (compressed when
    the info says so)."""
    ids, weights = [], []
    position = len(WHOOSH3_HEADER_MAGIC)
    while True:
        (length,) = _INT.unpack_from(data, position)
        position += _INT.size
        block = io.BytesIO(data[position : position + abs(length)])
        count, _, _, compression, *_ = pickle.load(block)
        rest = block.read()
        deltas, block_weights, _ = pickle.loads(zlib.decompress(rest) if compression else rest)
        block_ids, block_weights = _block_arrays(deltas, block_weights, count)
        ids.append(block_ids)
        weights.append(block_weights)
        position += abs(length)
        if length < 0:
            return np.concatenate(ids), np.concatenate(weights)


def field_postings(
    leaf: IndexReader, fieldname: str, public: bool = False
) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
    """Every term of one segment's field with its document numbers and frequencies, in term
    order: the term table read once, each term's blocks sliced from one read of the postings
    file (``posting_arrays`` looks each term up on its own). Deleted documents are included,
    except on the public way."""
    terms = segment_terms(leaf, fieldname, public=public)
    texts = terms.texts(np.arange(len(terms.counts)))
    reader = None if public else getattr(leaf, "_terms", None)
    # Read in place, each term's key is followed by its TermInfo: an inlined flag first,
    # where its blocks are last.
    info = np.frombuffer(terms.block, dtype=np.uint8)
    if not isinstance(reader, W3TermsReader) or not texts or info[terms.ends].any():
        for text in texts:  # another codec, or postings inlined in the term table
            yield (text, *posting_arrays(leaf, fieldname, text.encode("utf-8"), public))
        return
    where = terms.ends + W3TermInfo._struct.size
    offsets = _be_words(info, where, ">u4").astype(np.int64) << 32
    offsets |= _be_words(info, where + 4, ">u4").astype(np.int64)
    lengths = _be_words(info, where + 8, ">i4").astype(np.int64)
    first = int(offsets.min())
    data = reader._postfile.get(first, int((offsets + lengths).max()) - first)
    starts, ends = (offsets - first).tolist(), (offsets - first + lengths).tolist()
    for text, start, end in zip(texts, starts, ends, strict=True):
        yield (text, *_read_blocks(data[start:end]))


def field_lengths(leaf: IndexReader, field: str, public: bool = False) -> np.ndarray:
    """Each document's length in a field, as Whoosh stores it (one byte, approximate)."""
    count = leaf.doc_count_all()
    if not public:
        try:
            column = leaf._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
            raw = column._dbfile.get(column._basepos, column._doccount)
            return _LENGTH_OF_BYTE[np.frombuffer(raw, dtype=np.uint8)][:count]
        except (AttributeError, TypeError, ValueError):  # another codec: the public way
            pass
    return np.array([leaf.doc_field_length(i, field) for i in range(count)], np.float32)
