"""A worker's Whoosh segment, its postings encoded in bulk.

Whoosh's ``SegmentWriter`` hands each posting to a pool of Python tuples, sorts the pool and
encodes the postings one at a time: about 5 ms of the 6 that a VNTC article costs a worker
besides underthesea (560 postings an article). ``BulkSegmentWriter`` keeps each field's
postings in flat arrays as documents come (term number, weight, encoded value, and the
document of each run), then sorts them with numpy and writes Whoosh's W3 posting blocks a
term at a time. The files are byte for byte those Whoosh's own writer makes of the same
documents but for one thing: posting blocks too small for zlib to shrink are left
uncompressed, as Whoosh means to do (``_COMPRESS_FROM``); ``tests/test_segment_writer.py``
compares the files when every block is compressed and what Whoosh reads back otherwise. So
Whoosh, the commit and the search engine read the segment as before. Stored fields, lengths
and columns still go through Whoosh's per-document writer. With ``whoosh_segments`` (which
reads these structures), this is the one place that writes Whoosh's private segment
structures.
"""

from __future__ import annotations

import itertools
import zlib
from array import array
from collections.abc import Mapping
from pickle import dumps

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3TermInfo
from whoosh.filedb.filetables import OrderedHashWriter
from whoosh.filedb.filetables import _lengths as _LENGTHS
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

from indexer.build.schema import TermCountsField

_NO_LENGTH = length_to_byte(None)  # blocks and terms of a codec without length statistics
_ZERO_LENGTH = length_to_byte(0)
POSTING_BYTES = 12  # held per posting until the segment is written: number, weight, value
# Posting blocks whose pickle is shorter are written uncompressed: zlib makes them no smaller
# (on VNTC, 57% of the blocks, 2.43 MB before zlib and 2.44 after) and compressing them was a
# third of writing a segment. Whoosh means to skip those under 20 bytes, but a slip
# compresses every block; its reader takes each block's compression from the block.
_COMPRESS_FROM = 80


class SegmentCodec(W3Codec):
    """Whoosh's codec without per-posting length statistics.

    Whoosh keeps the shortest and longest document of each posting block for its block-max
    scoring shortcuts; this engine scores with numpy and never uses them, and looking up the
    length of every posting's document is 15% of writing a segment.
    """

    length_stats = False


class _FieldPostings:
    """One field's postings in the order documents were added."""

    def __init__(self, value_size: int) -> None:
        self.value_size = value_size  # bytes of each posting's encoded value (0: none)
        self.terms: dict[str | bytes, int] = {}  # term -> its number, in order of first use
        self.numbers = array("I")  # each posting's term number
        self.weights = array("f")  # as Whoosh stores them
        self.values = bytearray()  # value_size bytes a posting
        self.run_docs = array("I")  # document numbers, one per document holding the field
        self.run_lengths = array("I")  # how many postings each of those documents has

    def __len__(self) -> int:
        return len(self.numbers)

    def mark(self) -> tuple[int, int]:
        return len(self.numbers), len(self.run_docs)

    def truncate(self, mark: tuple[int, int]) -> None:
        """Forget the postings added since ``mark`` (a document that failed half way)."""
        postings, runs = mark
        del self.numbers[postings:], self.weights[postings:]
        del self.values[postings * self.value_size :]
        del self.run_docs[runs:], self.run_lengths[runs:]

    def add_counts(self, docnum: int, counts: Mapping[str, int]) -> int:
        """Add a document's term -> frequency counts (a ``TermCountsField`` value); the sum."""
        terms = self.terms
        self.numbers.extend([terms.setdefault(term, len(terms)) for term in counts])
        frequencies = np.fromiter(counts.values(), dtype=np.uint32, count=len(counts))
        self.weights.frombytes(frequencies.astype(np.float32).tobytes())
        self.values += frequencies.astype(">u4").tobytes()  # Whoosh's pack_uint of each
        self._run(docnum, len(counts))
        return int(frequencies.sum())

    def add_items(self, docnum: int, items, boost: float) -> int:
        """Add what a field's ``index`` method made of a value; the sum of frequencies."""
        terms, size = self.terms, self.value_size
        added = length = 0
        for term, frequency, weight, value in items:
            if len(value) != size:
                raise ValueError(f"a posting value of {len(value)} bytes, not {size}")
            self.numbers.append(terms.setdefault(term, len(terms)))
            self.weights.append(weight * boost)
            self.values += value
            length += frequency
            added += 1
        self._run(docnum, added)
        return length

    def _run(self, docnum: int, count: int) -> None:
        if count:
            self.run_docs.append(docnum)
            self.run_lengths.append(count)


class BulkSegmentWriter(SegmentWriter):
    """Whoosh's ``SegmentWriter`` for a worker's new segment, postings written in bulk.

    For schemas without term vectors, separate spelling fields or variable-size posting
    values (positions, characters): ``ValueError`` otherwise. Document and field boosts
    apply as in Whoosh.
    """

    def __init__(self, ix, **kwargs) -> None:
        # Refused before Whoosh's writer opens its files.
        self._postings: dict[str, _FieldPostings] = {}
        for name, field in ix.schema.items():
            if not field.indexed:
                continue
            size = field.format.fixed_value_size()
            if field.vector or field.separate_spelling() or size is None or size < 0:
                raise ValueError(f"the bulk segment writer cannot index the field {name!r}")
            self._postings[name] = _FieldPostings(size)
        codec = kwargs.get("codec")
        if codec is not None and codec._inlinelimit > 1:
            raise ValueError("the bulk segment writer does not inline postings")
        super().__init__(ix, **kwargs)

    def held_mb(self) -> float:
        """Megabytes of postings added and not yet written."""
        held = sum(len(postings) for postings in self._postings.values())
        return held * POSTING_BYTES / 2**20

    def add_document(self, **fields) -> None:
        """Add a document, as ``SegmentWriter.add_document`` does."""
        self._check_state()
        schema, perdoc, docnum = self.schema, self.perdocwriter, self.docnum
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, names)
        docboost = self._doc_boost(fields)
        marks = {name: postings.mark() for name, postings in self._postings.items()}
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    boost = self._field_boost(fields, name, docboost)
                    length = self._index(name, field, value, boost)
                stored = fields.get(f"_stored_{name}", value)
                perdoc.add_field(name, field, stored if field.stored else None, length)
                if field.column_type and stored is not None:
                    perdoc.add_column_value(name, field.column_type, field.to_column_value(stored))
        except Exception:
            perdoc.cancel_doc()
            for name, postings in self._postings.items():
                postings.truncate(marks[name])
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _index(self, name: str, field, value, boost: float) -> int:
        """Add a field's postings; its length (for a scorable field) in the document."""
        postings = self._postings[name]
        counts = isinstance(field, TermCountsField) and isinstance(value, Mapping)
        if counts and boost == 1.0 and field.format.field_boost == 1.0:
            length = postings.add_counts(self.docnum, value)
        else:
            length = postings.add_items(self.docnum, field.index(value), boost)
        return length if field.scorable else 0

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        writer = self.fieldwriter
        # Fields in name order, as Whoosh's pool sorts them: the same field numbers.
        for name in sorted(self._postings):
            postings = self._postings[name]
            if len(postings):
                writer.start_field(name, self.schema[name])
                _write_field(writer, postings, self.codec)
                writer.finish_field()
            self._postings[name] = _FieldPostings(postings.value_size)
        writer.close()


_BATCH = 1 << 16  # postings turned into Python lists at a time


def _write_field(writer, postings: _FieldPostings, codec: W3Codec) -> None:
    """Write a field's terms and posting blocks as Whoosh's ``W3FieldWriter`` would."""
    field = _SortedField(postings, codec._blocklimit)
    # Python lists are what pickle and zlib take: made a batch of postings at a time, so
    # that they never hold a whole field.
    ends = field.term_start + field.term_count
    cuts = np.searchsorted(ends, np.arange(_BATCH, len(field.docs), _BATCH), side="right")
    bounds = [0, *np.unique(cuts).tolist(), len(field.terms)]
    for low, high in itertools.pairwise(bounds):
        if low < high:
            field.write_terms(writer, low, high, codec._compression)


class _SortedField:
    """A field's postings sorted by term, then document, cut into Whoosh's blocks."""

    def __init__(self, postings: _FieldPostings, limit: int) -> None:
        keys = [t.encode("utf-8") if isinstance(t, str) else t for t in postings.terms]
        self.terms = sorted(set(keys))  # a term given both as text and as bytes is one term
        place = {key: i for i, key in enumerate(self.terms)}
        rank = np.fromiter((place[key] for key in keys), dtype=np.int32, count=len(keys))
        del keys, place
        term_of = rank[np.frombuffer(postings.numbers, dtype=np.uint32)]
        # Stable: within a term the postings stay in the order added, by ascending document.
        order = np.argsort(term_of, kind="stable")
        count = np.bincount(term_of, minlength=len(self.terms))
        del term_of
        self.docs = np.repeat(
            np.frombuffer(postings.run_docs, dtype=np.uint32),
            np.frombuffer(postings.run_lengths, dtype=np.uint32),
        )[order]
        self.weights = np.frombuffer(postings.weights, dtype=np.float32)[order]
        self.size = size = postings.value_size
        self.values = b""
        if size:
            by_posting = np.frombuffer(postings.values, dtype=np.uint8).reshape(-1, size)
            self.values = by_posting[order].tobytes()
        del order

        self.term_count, self.term_start = count, np.cumsum(count) - count
        self.term_weight = np.add.reduceat(self.weights, self.term_start, dtype=np.float64)
        self.term_max = np.maximum.reduceat(self.weights, self.term_start)
        # Blocks of up to ``limit`` postings, each term's own.
        self.term_blocks = (count + limit - 1) // limit
        self.first_block = np.cumsum(self.term_blocks) - self.term_blocks
        block_term = np.repeat(np.arange(len(self.terms)), self.term_blocks)
        in_term = np.arange(len(block_term)) - self.first_block[block_term]
        term_start = self.term_start[block_term]
        self.block_start = term_start + limit * in_term
        self.block_end = np.minimum(self.block_start + limit, term_start + count[block_term])
        self.block_low = np.minimum.reduceat(self.weights, self.block_start)
        self.block_high = np.maximum.reduceat(self.weights, self.block_start)
        # Document numbers as Whoosh's delta_encode gives them within a block (the
        # subtraction wraps around where a term starts: a block starts there too).
        self.deltas = np.diff(self.docs, prepend=np.uint32(0))
        self.deltas[self.block_start] = self.docs[self.block_start]

    def write_terms(self, writer, low: int, high: int, level: int) -> None:
        """Write terms ``low`` to ``high`` (their blocks, then their row in the term table)."""
        first = int(self.term_start[low])
        postings = slice(first, int(self.term_start[high - 1] + self.term_count[high - 1]))
        docs, deltas = self.docs[postings].tolist(), self.deltas[postings].tolist()
        weights = self.weights[postings].tolist()
        size = self.size
        values = self.values[postings.start * size : postings.stop * size]
        terms = slice(low, high)
        count, start = self.term_count[terms].tolist(), (self.term_start[terms] - first).tolist()
        sums, maxima = self.term_weight[terms].tolist(), self.term_max[terms].tolist()
        term_blocks = self.term_blocks[terms].tolist()
        blocks = slice(
            int(self.first_block[low]), int(self.first_block[high - 1]) + term_blocks[-1]
        )
        block_start = (self.block_start[blocks] - first).tolist()
        block_end = (self.block_end[blocks] - first).tolist()
        block_low, block_high = self.block_low[blocks].tolist(), self.block_high[blocks].tolist()

        postfile, table = writer._postfile, writer._tindex
        prefix = pack_ushort(writer._fieldid)
        pack_info = W3TermInfo._struct.pack
        offset = postfile.tell()
        written: list[bytes] = []  # the terms' blocks, written at once
        keys, rows = [], []  # the terms' rows in the term table
        block = 0
        for i in range(high - low):
            parts = [WHOOSH3_HEADER_MAGIC]
            last = block + term_blocks[i] - 1
            while block <= last:
                a, z = block_start[block], block_end[block]
                least, most = block_low[block], block_high[block]
                if least == most == 1.0:
                    block_weights = None
                elif least == most:
                    block_weights = least
                else:
                    block_weights = tuple(weights[a:z])
                data = (tuple(deltas[a:z]), block_weights, values[a * size : z * size] or None)
                databytes = dumps(data, 2)
                compression = level if len(databytes) >= _COMPRESS_FROM else 0
                if compression:
                    databytes = zlib.compress(databytes, compression)
                # Whoosh's block maximum starts at the integer 0 and takes a greater weight.
                info = (z - a, docs[z - 1], most if most > 0 else 0, compression)
                infobytes = dumps((*info, _NO_LENGTH, _NO_LENGTH), 2)
                length = len(infobytes) + len(databytes)
                parts += [pack_int(-length if block == last else length), infobytes, databytes]
                block += 1
            data = b"".join(parts)
            written.append(data)
            maximum = maxima[i]
            info = pack_info(
                0,  # not inlined
                sums[i],
                count[i],
                0,  # no shortest length: Whoosh writes 0 for None
                _ZERO_LENGTH,
                maximum if maximum > 0 else 0,
                docs[start[i]],
                docs[start[i] + count[i] - 1],
            )
            keys.append(prefix + self.terms[low + i])
            rows.append(info + pack_long(offset) + pack_int(len(data)))
            offset += len(data)
        postfile.write(b"".join(written))
        _add_terms(table, keys, rows)


def _add_terms(table: OrderedHashWriter, keys: list[bytes], values: list[bytes]) -> None:
    """``table.add`` of each key (in increasing order) and value, written at once."""
    if keys[0] <= table.lastkey:
        raise ValueError(f"Keys must increase: {table.lastkey!r}..{keys[0]!r}")
    dbfile, hashed = table.dbfile, table.hashfn
    position = dbfile.tell()
    positions, records = [], []
    for key, value in zip(keys, values, strict=True):
        positions.append(position)
        record = _LENGTHS.pack(len(key), len(value)) + key + value
        records.append(record)
        position += len(record)
        h = hashed(key)
        table.buckets[h & 255].append((h, positions[-1]))
    dbfile.write(b"".join(records))
    index = table.index  # positions of the keys, in an array Whoosh widens when it must
    held = len(index.array)
    try:
        index.array.extend(positions)
    except OverflowError:
        del index.array[held:]
        index.extend(positions)
    table.lastkey = keys[-1]


def new_segment_writer(ix) -> BulkSegmentWriter:
    """A build worker's writer of a new segment of ``ix``: no lock (the build process holds
    it) and no compound file (saves copying the segment)."""
    return BulkSegmentWriter(ix, _lk=False, compound=False, codec=SegmentCodec())
