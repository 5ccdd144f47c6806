"""near_duplicates: MinHash LSH clustering, so the same complaint pasted twice with small
edits lands in one cluster.

Signatures are datasketch MinHash signatures ("affine32" scheme, its permutations for
SEED, `shingle_hash` as the hash function) computed for a whole batch at once with numpy:
one datasketch MinHash object per mention costs ~500 us against ~13 us here
(`bench/pipeline_stages.py --datasketch`, 2-core box). Shingles are the overlapping
5-byte windows of the case-folded UTF-8 text, ASCII punctuation and white space reduced
to single spaces; `shingle_hash` reads one as a little-endian integer and keeps the top
half of its product with an odd 64-bit constant, so numpy hashes every window of a batch
in a few array operations. `tests/river/pipeline/test_near_duplicates.py` checks that the
signatures equal datasketch's value for value and that clusters agree with
datasketch.MinHashLSH.

Banding: 8 bands of 8 rows. A pair is a candidate with probability 1 - (1 - J^8)^8:
0.99 at Jaccard 0.9, 0.77 at 0.8, 0.38 at 0.7, 0.03 at 0.5. Only cluster roots keep their
band keys in the store, so a cluster is found by any of its members' roots.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from .base import Context
from .items import Item

NUM_PERM = 64
BANDS = 8
ROWS = NUM_PERM // BANDS
SHINGLE_BYTES = 5
SHINGLE_CHARS = SHINGLE_BYTES  # the former name
MIN_CHARS = 24  # below this, exact dedupe is all that makes sense
SEED = 20261123
HASH_MULTIPLIER = 0x9E3779B97F4A7C15  # 2^64 / golden ratio, odd
_MASK64 = (1 << 64) - 1
_EMPTY = np.uint32(0xFFFFFFFF)  # datasketch's value for a MinHash of nothing
# Over UTF-8 bytes: ASCII letters to lower case, ASCII digits and every byte of non-ASCII
# characters kept, any other ASCII (punctuation, white space, controls) a space.
_FOLD_BYTES = bytes(
    c + 32 if 65 <= c <= 90 else c if 97 <= c <= 122 or 48 <= c <= 57 or c >= 128 else 32
    for c in range(256)
)
_PAD = b"\x00" * (SHINGLE_BYTES - 1)
# Windows per chunk of the permutation step: 256 KB of uint32 stays in the L2 cache.
_CHUNK = 65536


@cache
def permutations() -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) of datasketch.MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32").

    Drawn here the way datasketch 2.0 draws them rather than imported: importing datasketch
    loads scipy, 0.8 s more start-up for every process that ingests.
    """
    generator = np.random.RandomState(SEED)
    a = generator.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def folded_bytes(text: str) -> bytes:
    """Case-folded UTF-8 words (runs of letters, digits, non-ASCII) separated by one space."""
    if not text.isascii():
        text = text.casefold()
    return b" ".join(text.encode("utf-8", "replace").translate(_FOLD_BYTES).split())


def shingles(text: str) -> set[bytes]:
    """The text's shingles: every 5-byte window, or the whole text when it is shorter."""
    encoded = folded_bytes(text)
    if len(encoded) < SHINGLE_BYTES:
        return {encoded} if encoded else set()
    return {encoded[i : i + SHINGLE_BYTES] for i in range(len(encoded) - SHINGLE_BYTES + 1)}


def shingle_hash(shingle: bytes) -> int:
    """32-bit hash of a shingle (at most 8 bytes); the hashfunc for datasketch.MinHash."""
    return ((int.from_bytes(shingle, "little") * HASH_MULTIPLIER) & _MASK64) >> 32


def _fmix32(h: np.ndarray) -> np.ndarray:
    # MurmurHash3's 32-bit finalizer, the pre-mix of datasketch's affine32 scheme.
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h


def _window_hashes(encoded: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """shingle_hash of every window of every text, and how many windows each text has."""
    lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    counts = np.where(lengths > 0, np.maximum(lengths - (SHINGLE_BYTES - 1), 1), 0)
    # Texts end to end, each followed by zero bytes: a window running off a short text
    # reads zeros, which leave its little-endian value what int.from_bytes gives.
    blob = np.frombuffer(_PAD.join(encoded) + _PAD * 2, dtype=np.uint8)
    offsets = np.zeros(len(encoded), dtype=np.int64)
    np.cumsum(lengths[:-1] + len(_PAD), out=offsets[1:])
    total = int(counts.sum())
    firsts = np.zeros(len(encoded), dtype=np.int64)
    np.cumsum(counts[:-1], out=firsts[1:])
    starts = np.arange(total, dtype=np.int64) + np.repeat(offsets - firsts, counts)
    # Hash the window at every position of the blob (contiguous, cheap), then pick the
    # windows inside texts: one gather instead of five.
    positions = len(blob) - (SHINGLE_BYTES - 1)
    values = blob[:positions].astype(np.uint64)
    for k in range(1, SHINGLE_BYTES):
        values |= blob[k : k + positions].astype(np.uint64) << np.uint64(8 * k)
    with np.errstate(over="ignore"):
        values *= np.uint64(HASH_MULTIPLIER)
    values >>= np.uint64(32)
    return values.astype(np.uint32)[starts], counts


def signatures(texts: list[str]) -> np.ndarray:
    """MinHash signatures (len(texts) x NUM_PERM, uint32) of the texts' shingles."""
    result = np.full((len(texts), NUM_PERM), _EMPTY, dtype=np.uint32)
    if not texts:
        return result
    hashes, counts = _window_hashes([folded_bytes(text) for text in texts])
    if not len(hashes):
        return result
    with np.errstate(over="ignore"):
        mixed = _fmix32(hashes)
    filled = np.flatnonzero(counts)  # texts with at least one window
    ends = np.cumsum(counts[filled])
    # Chunks of whole texts, so each min-reduction sees all of a text's windows.
    cuts = np.searchsorted(ends, np.arange(_CHUNK, ends[-1], _CHUNK)) + 1
    a, b = permutations()
    first = 0
    for last in np.unique(np.append(cuts, len(filled))).tolist():
        if last <= first:
            continue
        lo = int(ends[first - 1]) if first else 0
        block = mixed[lo : int(ends[last - 1])]
        reduce_at = np.empty(last - first, dtype=np.intp)
        reduce_at[0] = 0
        reduce_at[1:] = ends[first : last - 1] - lo
        mins = np.empty((NUM_PERM, last - first), dtype=np.uint32)
        row = np.empty(len(block), dtype=np.uint32)
        for k in range(NUM_PERM):
            np.multiply(block, a[k], out=row)
            row += b[k]
            np.minimum.reduceat(row, reduce_at, out=mins[k])
        result[filled[first:last]] = mins.T
        first = last
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


def _compute_band_keys(items: list[Item]) -> None:
    if items:
        rows = band_keys(signatures([f"{item.title} {item.text}" for item in items])).tolist()
        for item, row in zip(items, rows, strict=True):
            item.band_keys = row


def near_duplicate_signatures(batch: list[Item], context: Context) -> list[Item]:
    """The costly, store-free half of near_duplicates, for running ahead in a worker."""
    _compute_band_keys([item for item in batch if len(item.text) + len(item.title) >= MIN_CHARS])
    return batch


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
    _compute_band_keys([item for item in candidates if item.band_keys is None])
    keys = [item.band_keys for item in candidates]
    stored = context.index.roots_by_band([k for row in keys for k in row])
    batch_roots: dict[int, str] = {}
    clustered: dict[str, Item] = {}
    # Most items share no band with anything: a set test says so without a generator.
    stored_keys, batch_keys = stored.keys(), batch_roots.keys()
    for item, row in zip(candidates, keys, strict=True):
        if not stored_keys.isdisjoint(row):
            item.duplicate_of_id = next(stored[k] for k in row if k in stored)
            clustered[item.key] = item
            continue
        if not batch_keys.isdisjoint(row):
            root_key = next(batch_roots[k] for k in row if k in batch_roots)
            item.duplicate_of_key = root_key
            clustered[item.key] = item
            continue
        item.bands = row
        for k in row:
            batch_roots[k] = item.key
    if clustered:
        # Exact copies point at their first copy; if that joined a cluster, so do they.
        for item in batch:
            first = clustered.get(item.duplicate_of_key)
            if first is not None and first is not item:
                item.duplicate_of_id = first.duplicate_of_id
                item.duplicate_of_key = first.duplicate_of_key
    return batch
