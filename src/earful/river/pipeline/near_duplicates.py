"""near_duplicates: MinHash LSH clustering, so the same complaint pasted twice with small
edits lands in one cluster.

Signatures are datasketch MinHash signatures (its "affine32" scheme and permutations), but
computed for a whole batch at once with numpy: building one datasketch MinHash object per
mention costs about 150 us, more than the rest of the pipeline together (bench/README.md).
`tests/river/pipeline/test_near_duplicates.py` checks the two agree value for value.

Banding: 8 bands of 8 rows. A pair is a candidate with probability 1 - (1 - J^8)^8:
0.99 at Jaccard 0.9, 0.77 at 0.8, 0.38 at 0.7, 0.03 at 0.5. Only cluster roots keep their
band keys in the store, so a cluster is found by any of its members' roots.
"""

from __future__ import annotations

import re
import zlib
from functools import cache

import numpy as np
from datasketch import MinHash

from .base import Context
from .items import Item

NUM_PERM = 64
BANDS = 8
ROWS = NUM_PERM // BANDS
SHINGLE_CHARS = 5
MIN_CHARS = 24  # below this, exact dedupe is all that makes sense
SEED = 20261123
_NON_WORD = re.compile(r"[\W_]+")
_MASK32 = np.uint64(0xFFFFFFFF)


@cache
def permutations() -> tuple[np.ndarray, np.ndarray]:
    a, b = MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32").permutations
    return a.astype(np.uint32), b.astype(np.uint32)


def shingles(text: str) -> set[bytes]:
    folded = _NON_WORD.sub(" ", text.casefold()).strip()
    encoded = folded.encode("utf-8")
    if len(encoded) < SHINGLE_CHARS:
        return {encoded} if encoded else set()
    return {encoded[i : i + SHINGLE_CHARS] for i in range(len(encoded) - SHINGLE_CHARS + 1)}


def _fmix32(h: np.ndarray) -> np.ndarray:
    # MurmurHash3's 32-bit finalizer, the pre-mix of datasketch's affine32 scheme.
    h = h.astype(np.uint32)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h


def signatures(texts: list[str]) -> np.ndarray:
    """MinHash signatures (len(texts) x NUM_PERM, uint32) of the texts' character shingles."""
    a, b = permutations()
    hashes: list[int] = []
    offsets = [0]
    for text in texts:
        hashes.extend(zlib.crc32(s) for s in shingles(text))
        offsets.append(len(hashes))
    if not hashes:
        return np.zeros((len(texts), NUM_PERM), dtype=np.uint32)
    with np.errstate(over="ignore"):
        mixed = _fmix32(np.array(hashes, dtype=np.uint32)).reshape(-1, 1)
        permuted = mixed * a + b
    starts = np.array(offsets[:-1])
    result = np.minimum.reduceat(permuted, np.minimum(starts, len(hashes) - 1), axis=0)
    empty = starts == np.array(offsets[1:])
    result[empty] = np.uint32(0xFFFFFFFF)
    return result


def band_keys(signature_rows: np.ndarray) -> np.ndarray:
    """One signed 64-bit key per band (rows x BANDS), usable as a database integer."""
    rows = signature_rows.astype(np.uint64).reshape(len(signature_rows), BANDS, ROWS)
    key = np.zeros((len(signature_rows), BANDS), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for r in range(ROWS):
            key = key * np.uint64(0x100000001B3) + rows[:, :, r]
            key ^= key >> np.uint64(29)
        key = key * np.uint64(0x9E3779B97F4A7C15) + np.arange(BANDS, dtype=np.uint64)
    return key.view(np.int64)


def near_duplicates(batch: list[Item], context: Context) -> list[Item]:
    candidates = [
        item
        for item in batch
        if item.duplicate_of_id is None
        and not item.duplicate_of_key
        and len(item.text) + len(item.title) >= MIN_CHARS
    ]
    if not candidates:
        return batch
    keys = band_keys(signatures([f"{item.title} {item.text}" for item in candidates])).tolist()
    stored = context.index.roots_by_band([k for row in keys for k in row])
    batch_roots: dict[int, str] = {}
    for item, row in zip(candidates, keys, strict=True):
        root_id = next((stored[k] for k in row if k in stored), None)
        if root_id is not None:
            item.duplicate_of_id = root_id
            continue
        root_key = next((batch_roots[k] for k in row if k in batch_roots), None)
        if root_key is not None:
            item.duplicate_of_key = root_key
            continue
        item.bands = row
        for k in row:
            batch_roots[k] = item.key
    return batch
