"""Near-duplicate signatures: MinHash over runs of four syllables.

Provincial sites repost announcements and reuse each other's paragraphs (seeds 000 and 002
share most of a page). Each article gets, at index time, a MinHash signature of the set of
its 4-syllable shingles plus the size of that set; comparing two signatures estimates how
much of the smaller article the larger one contains, without reading either text.
"""

from __future__ import annotations

import numpy as np

SHINGLE = 4  # syllables per shingle
HASHES = 64  # signature length
_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)
# Fixed odd multipliers and offsets: signatures must compare across builds and processes.
_RANDOM = np.random.default_rng(20261123)
_A = _RANDOM.integers(1, 2**63, HASHES, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_B = _RANDOM.integers(0, 2**63, HASHES, dtype=np.uint64)
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 1], dtype=np.uint64)
EMPTY_SIGNATURE = b""


def shingle_hashes(codes: np.ndarray) -> np.ndarray:
    """The distinct 64-bit hashes of an article's runs of SHINGLE syllable codes, sorted."""
    if len(codes) < SHINGLE:
        return np.zeros(0, dtype=np.uint64)
    wide = codes.astype(np.uint64)
    count = len(wide) - SHINGLE + 1
    with np.errstate(over="ignore"):
        mixed = wide[:count] * _MIX[0]  # = (0 * 31) ^ (first code * its multiplier)
        for offset in range(1, SHINGLE):
            mixed *= np.uint64(31)
            mixed ^= wide[offset : offset + count] * _MIX[offset]
    # Sorted in place and its repeats dropped: np.unique takes three times as long.
    mixed.sort()
    distinct = np.empty(count, dtype=bool)
    distinct[0] = True
    np.not_equal(mixed[1:], mixed[:-1], out=distinct[1:])
    return mixed[distinct]


def signature(codes: np.ndarray) -> bytes:
    """The MinHash signature of an article's shingles, followed by their number."""
    shingles = shingle_hashes(codes)
    if not len(shingles):
        return EMPTY_SIGNATURE
    with np.errstate(over="ignore"):
        permuted = np.multiply.outer(_A, shingles)
        permuted += _B[:, None]
    minima = (permuted.min(axis=1) >> np.uint64(32)).astype(np.uint32)
    return minima.tobytes() + np.uint32(min(len(shingles), 2**32 - 1)).tobytes()


def overlap(first: bytes, second: bytes) -> float:
    """Estimated share of the smaller article's shingles that the other one holds."""
    if not first or not second:
        return 0.0
    a, b = np.frombuffer(first, np.uint32), np.frombuffer(second, np.uint32)
    jaccard = float(np.mean(a[:HASHES] == b[:HASHES]))
    size_a, size_b = int(a[HASHES]), int(b[HASHES])
    common = jaccard / (1.0 + jaccard) * (size_a + size_b)
    return min(1.0, common / max(1, min(size_a, size_b)))
