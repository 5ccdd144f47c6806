import random
import string

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH

from earful.river.pipeline import near_duplicates as nd
from earful.river.pipeline.base import Context, MemoryIndex
from earful.river.pipeline.exact_dedupe import exact_dedupe
from earful.river.pipeline.items import Item, RawItem
from earful.river.pipeline.normalise import normalise

COMPLAINT = (
    "I ordered the blue kettle on Monday and was charged twice for it. Support has not "
    "answered my three emails and the order page still says processing. Please refund me."
)
EDITED = (
    "I ordered the blue kettle on monday and was charged TWICE for it!! Support has not "
    "answered my 3 emails and the order page still says processing. Please refund me"
)


def datasketch_minhash(text: str) -> MinHash:
    minhash = MinHash(
        num_perm=nd.NUM_PERM, seed=nd.SEED, hashfunc=nd.shingle_hash, scheme="affine32"
    )
    minhash.update_batch(nd.shingles(text))
    return minhash


def random_words(rng: random.Random, count: int) -> list[str]:
    return ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 9))) for _ in range(count)]


def pipeline(*raws: RawItem, index: MemoryIndex | None = None) -> list[Item]:
    context = Context(index=index or MemoryIndex())
    batch = [Item(raw=raw, source_id=1) for raw in raws]
    for stage in (normalise, exact_dedupe, nd.near_duplicates):
        stage([item for item in batch if not item.dropped], context)
    return batch


# The signatures are datasketch's


def test_signatures_equal_datasketch_value_for_value():
    rng = random.Random(5)
    vocabulary = random_words(rng, 40) + ["ça", "déjà", "日本語の", "Über", "naïve", "—", "x"]
    texts = [" ".join(rng.choices(vocabulary, k=rng.randint(0, 80))) for _ in range(400)]
    texts += ["", "a", "ab!", "abcd", "abcde", "!!!", "  ", "\ud800 lone", COMPLAINT]
    rng.shuffle(texts)
    texts += ["", ""]  # empty texts last once broke the signature before them
    signatures = nd.signatures(texts)
    assert signatures.shape == (len(texts), nd.NUM_PERM)
    assert signatures.dtype == np.uint32
    for text, row in zip(texts, signatures, strict=True):
        np.testing.assert_array_equal(row, datasketch_minhash(text).hashvalues, err_msg=text)


def test_signatures_of_texts_larger_than_a_chunk_equal_datasketch():
    rng = random.Random(9)
    texts = [" ".join(random_words(rng, n)) for n in (20_000, 3, 5_000, 0, 12_000)]
    signatures = nd.signatures(texts)
    for text, row in zip(texts, signatures, strict=True):
        np.testing.assert_array_equal(row, datasketch_minhash(text).hashvalues)


def test_permutations_are_datasketch_ones():
    a, b = MinHash(num_perm=nd.NUM_PERM, seed=nd.SEED, scheme="affine32").permutations
    ours_a, ours_b = nd.permutations()
    np.testing.assert_array_equal(ours_a, a)
    np.testing.assert_array_equal(ours_b, b)
    assert ours_a.dtype == ours_b.dtype == np.uint32


def test_shingle_hash_fits_32_bits_and_numpy_agrees_for_short_shingles():
    for shingle in (b"", b"a", b"ab", b"abcd", b"abcde", b"\xff" * 5):
        assert 0 <= nd.shingle_hash(shingle) < 2**32
    # A text shorter than a shingle is one shingle: itself.
    assert nd.shingles("ab") == {b"ab"}
    np.testing.assert_array_equal(nd.signatures(["ab"])[0], datasketch_minhash("ab").hashvalues)


def test_signature_of_nothing_is_datasketch_empty_minhash():
    empty = MinHash(num_perm=nd.NUM_PERM, seed=nd.SEED, scheme="affine32").hashvalues
    np.testing.assert_array_equal(nd.signatures(["", "?!"])[1], empty)
    assert nd.signatures([]).shape == (0, nd.NUM_PERM)


def test_shingles_ignore_case_punctuation_and_spacing():
    assert nd.shingles("The APP, crashed!") == nd.shingles("the app   crashed")


# Banding agrees with datasketch.MinHashLSH


def test_band_collisions_agree_with_datasketch_lsh():
    rng = random.Random(11)
    bases = [" ".join(random_words(rng, 30)) for _ in range(60)]
    texts = []
    for base in bases:
        words = base.split()
        for _ in range(rng.randint(1, 3)):
            edited = list(words)
            for position in rng.sample(range(len(words)), rng.randint(0, 6)):
                edited[position] = random_words(rng, 1)[0]
            texts.append(" ".join(edited))
    keys = nd.band_keys(nd.signatures(texts))
    lsh = MinHashLSH(num_perm=nd.NUM_PERM, params=(nd.BANDS, nd.ROWS))
    minhashes = [datasketch_minhash(text) for text in texts]
    for i, minhash in enumerate(minhashes):
        lsh.insert(i, minhash)
    ours = {
        (i, j)
        for i in range(len(texts))
        for j in range(len(texts))
        if i != j and set(keys[i].tolist()) & set(keys[j].tolist())
    }
    theirs = {(i, j) for i, m in enumerate(minhashes) for j in lsh.query(m) if i != j}
    assert ours == theirs
    assert len(ours) > 50  # the sample has real near-duplicates


def test_clusters_agree_with_datasketch_lsh():
    rng = random.Random(12)
    bases = [" ".join(random_words(rng, 25)) for _ in range(40)]
    raws = []
    for n in range(150):
        words = rng.choice(bases).split()
        for position in rng.sample(range(len(words)), rng.randint(0, 8)):
            words[position] = random_words(rng, 1)[0]
        raws.append(RawItem(text=" ".join(words), external_id=str(n)))
    batch = pipeline(*raws)
    lsh = MinHashLSH(num_perm=nd.NUM_PERM, params=(nd.BANDS, nd.ROWS))
    roots: set[str] = set()
    for item in batch:
        minhash = datasketch_minhash(f"{item.title} {item.text}")
        matches = set(lsh.query(minhash))
        if matches:
            assert item.duplicate_of_key in matches
            assert item.bands == []
        else:
            assert item.duplicate_of_key == ""
            assert len(item.bands) == nd.BANDS
            lsh.insert(item.key, minhash)
            roots.add(item.key)
    assert 10 < len(roots) < 150


def test_candidate_probability_follows_jaccard():
    """1 - (1 - J^8)^8: near-certain at 0.9, about even near 0.7, never at 0.3."""
    rng = random.Random(3)
    by_similarity: dict[str, list[bool]] = {"~0.9": [], "~0.5": [], "~0.3": []}
    while min(map(len, by_similarity.values())) < 150:
        words = random_words(rng, 40)
        edited = list(words)
        for position in rng.sample(range(40), rng.choice([1, 2, 9, 10, 11, 16, 17, 18])):
            edited[position] = random_words(rng, 1)[0]
        a, b = " ".join(words), " ".join(edited)
        sa, sb = nd.shingles(a), nd.shingles(b)
        jaccard = len(sa & sb) / len(sa | sb)
        keys = nd.band_keys(nd.signatures([a, b]))
        candidate = bool(set(keys[0].tolist()) & set(keys[1].tolist()))
        for label, (low, high) in {
            "~0.9": (0.87, 0.95),
            "~0.5": (0.45, 0.55),
            "~0.3": (0.25, 0.35),
        }.items():
            if low <= jaccard <= high:
                by_similarity[label].append(candidate)
    rate = {label: sum(found) / len(found) for label, found in by_similarity.items()}
    assert rate["~0.9"] >= 0.93
    assert rate["~0.5"] <= 0.15
    assert rate["~0.3"] <= 0.01


def test_band_keys_are_signed_64_bit_and_distinct_per_band():
    keys = nd.band_keys(nd.signatures(["the same text in every band, long enough"]))
    assert keys.dtype == np.int64
    assert len(set(keys[0].tolist())) == nd.BANDS


# The stage


def test_the_same_complaint_pasted_twice_with_small_edits_is_one_cluster():
    first, second, other = pipeline(
        RawItem(text=COMPLAINT, external_id="a"),
        RawItem(text=EDITED, external_id="b"),
        RawItem(
            text="The new dashboard is lovely and much faster than before, well done team!",
            external_id="c",
        ),
    )
    assert second.duplicate_of_key == first.key
    assert first.duplicate_of_key == "" and first.duplicate_of_id is None
    assert len(first.bands) == nd.BANDS and second.bands == []
    assert other.duplicate_of_key == "" and len(other.bands) == nd.BANDS


def test_a_stored_cluster_root_is_found_through_the_index():
    index = MemoryIndex()
    [stored] = pipeline(RawItem(text=COMPLAINT, external_id="a"), index=index)
    ids = index.remember([stored])
    [later] = pipeline(RawItem(text=EDITED, external_id="b"), index=index)
    assert later.duplicate_of_id == ids[stored.key]
    assert later.bands == []


def test_exact_copies_of_a_near_duplicate_point_at_the_cluster_root():
    root, near, copy = pipeline(
        RawItem(text=COMPLAINT, external_id="a"),
        RawItem(text=EDITED, external_id="b"),
        RawItem(text=EDITED.upper(), external_id="c"),  # same content hash as b
    )
    assert near.duplicate_of_key == root.key
    assert copy.duplicate_of_key == root.key


def test_short_texts_are_left_to_exact_dedupe():
    a, b = pipeline(
        RawItem(text="so slow today", external_id="a"),
        RawItem(text="so slow today!", external_id="b"),
    )
    assert len(a.text) < nd.MIN_CHARS
    assert (a.bands, b.bands) == ([], [])
    assert b.duplicate_of_key == ""  # too short to call a near-duplicate


@pytest.mark.parametrize("text", ["\x00" * 100, "\ud800" * 50, "!" * 10_000, "é" * 30])
def test_odd_texts_do_not_raise(text):
    batch = [Item(raw=RawItem(text=""), source_id=1, text=text, key="k")]
    nd.near_duplicates(batch, Context())
    assert len(batch[0].bands) in (0, nd.BANDS)


def test_band_keys_computed_ahead_give_the_same_clusters():
    raws = [
        RawItem(text=COMPLAINT, external_id="a"),
        RawItem(text="short", external_id="b"),
        RawItem(text=EDITED, external_id="c"),
    ]
    inline = pipeline(*raws)
    context = Context(index=MemoryIndex())
    ahead = normalise([Item(raw=raw, source_id=1) for raw in raws], context)
    nd.near_duplicate_signatures(ahead, context)
    assert ahead[1].band_keys is None  # too short to cluster
    assert ahead[0].band_keys == inline[0].bands
    exact_dedupe(ahead, context)
    nd.near_duplicates(ahead, context)
    assert [(i.duplicate_of_key, i.bands) for i in ahead] == [
        (i.duplicate_of_key, i.bands) for i in inline
    ]
