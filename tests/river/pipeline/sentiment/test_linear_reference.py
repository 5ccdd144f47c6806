"""The fast featurizer and engine give exactly what the first, plainer version gave.

`reference_featurize` and `reference_logits` below are that version (one array per feature
group, concatenated, then mixed; a column per class gathered and summed by text and group),
kept here as the reference: the shipped code may only change how fast it gets there.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from earful.river.pipeline.sentiment import tweet_features as tf
from earful.river.pipeline.sentiment.evaluation import read_tweeteval_val, shared_data_dir
from earful.river.pipeline.sentiment.linear import LinearEngine, LinearModel
from earful.river.pipeline.sentiment.tweet_features import HashedNgrams


def reference_code_points(normalised: str) -> np.ndarray:
    raw = normalised.encode("utf-32-le", "surrogatepass")
    points = np.frombuffer(raw, dtype=np.uint32).astype(np.uint64)
    space = (tf._CLASSES[np.minimum(points, 0x10000)] == tf._SPACE_CLASS) & (points != 0)
    points[space] = 32
    keep = np.ones(points.size, dtype=bool)
    same = points[1:] == points[:-1]
    keep[2:] = ~(same[1:] & same[:-1])
    keep[1:] &= ~(space[1:] & space[:-1])
    return points[keep]


def reference_featurize(features: HashedNgrams, texts: list[str]):
    points = reference_code_points(tf.normalise_batch(texts))
    is_separator = points == 0
    text_of = np.cumsum(is_separator) - 1
    found = tf.tokens(points, text_of)
    hashes = [found.hashes ^ (tf.negated(found, features.negation_scope) * tf._NEGATED_SALT)]
    owners = [found.text]
    if features.word_bigrams and found.hashes.size > 1:
        same = found.text[1:] == found.text[:-1]
        pair = (hashes[0][:-1] * tf._BIGRAM_PRIME + hashes[0][1:]) ^ tf._BIGRAM_SALT
        hashes.append(pair[same])
        owners.append(found.text[1:][same])
    words = sum(h.size for h in hashes)
    low, high = features.char_ngrams
    separators_before = np.concatenate([[0], np.cumsum(is_separator)])
    rolling = points
    for n in range(2, high + 1):
        rolling = rolling[:-1] * tf._PRIME + points[n - 1 :]
        if n < max(low, 2):
            continue
        size = rolling.size
        clean = separators_before[n : n + size] == separators_before[:size]
        hashes.append(rolling[clean] ^ (tf._CHAR_SALT * np.uint64(n)))
        owners.append(text_of[:size][clean])
    every = np.concatenate(hashes)
    every ^= every >> np.uint64(29)
    every *= tf._MIX
    buckets = (every >> np.uint64(64 - features.bits)).astype(np.intp)
    return np.concatenate(owners).astype(np.intp), buckets, words


def reference_logits(engine: LinearEngine, texts: list[str]) -> np.ndarray:
    count = len(texts)
    text, bucket, words = reference_featurize(engine.model.features, texts)
    rows = np.take(engine._table, bucket, axis=0)
    slot = text * 2
    slot[words:] += 1
    size = 2 * count
    norms = np.sqrt(np.bincount(slot, weights=rows[:, -1], minlength=size))
    norms[norms == 0] = 1.0
    logits = np.tile(engine._bias, (count, 1))
    for column, k in enumerate(engine._others):
        per_slot = np.bincount(slot, weights=rows[:, column], minlength=size) / norms
        logits[:, k] += per_slot[0::2] + per_slot[1::2]
    return logits


def reference_analyse(engine: LinearEngine, texts: list[str]) -> list[tuple[str, float]]:
    logits = reference_logits(engine, texts)
    logits -= logits.max(axis=1, keepdims=True)
    exp = np.exp(logits)
    probs = exp / exp.sum(axis=1, keepdims=True)
    winners = probs.argmax(axis=1).tolist()
    scores = np.round(probs[:, engine._positive] - probs[:, engine._negative], 4).tolist()
    return [(engine.labels[w], s) for w, s in zip(winners, scores, strict=True)]


# Posts of the kinds the river sees: replies, links, hashtags, emoji, elongations,
# negations, entities and escapes, other languages, empty and one-character texts.
POSTS = [
    "@lumio the Arc 3 battery is NOT good at all!!! :( https://t.co/x1",
    "Sooooo happy with my new Arc phone 😍😍😍 #Lumio",
    "don't buy it, didn't work, won't charge... never again",
    "Die neue Version der App stürzt ständig ab, wenn ich ein Foto hochladen möchte.",
    "La aplicación me cobró dos veces el mismo pedido y nadie responde en soporte.",
    "新しいアップデートの後、保存していた下書きがすべて消えてしまいました。",
    "can&#8217;t believe it &amp; I love it \\u2019 www.example.org/path?x=1",
    "",
    "a",
    "!!",
    "   spaces\t\tand\nnew lines   ",
    "x\x00y lone \ud800 surrogate",
    "Update: screen cracked on the Lumio Arc phone from a tiny drop, really disappointed",
    "BUY NOW cheap pills!!! click here http://cheap-pills.example/x?id=7 free money",
    "not bad, not bad at all; actually great",
    "ok ok ok ok ok ok",
]

CONFIGS = [
    HashedNgrams(),
    HashedNgrams(bits=12, char_ngrams=(3, 4)),
    HashedNgrams(word_bigrams=False, char_ngrams=(0, 0)),
    HashedNgrams(char_ngrams=(2, 2), negation_scope=1),
]


def assert_same_features(features: HashedNgrams, texts: list[str]) -> None:
    expected = reference_featurize(features, texts)
    text, bucket, words = features.featurize(texts)
    assert text.dtype == expected[0].dtype and bucket.dtype == expected[1].dtype
    assert np.array_equal(text, expected[0])
    assert np.array_equal(bucket, expected[1])
    assert words == expected[2]
    slot, slot_bucket, slot_words = features.occurrences(texts, slots=True)
    groups = expected[0] * 2
    groups[expected[2] :] += 1
    assert np.array_equal(slot, groups) and np.array_equal(slot_bucket, expected[1])
    assert slot_words == expected[2]


@pytest.mark.parametrize("features", CONFIGS, ids=repr)
def test_features_equal_the_reference(features):
    assert_same_features(features, POSTS)
    for post in POSTS:
        assert_same_features(features, [post])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=60), min_size=1, max_size=6))
def test_features_of_any_text_equal_the_reference(texts):
    assert_same_features(HashedNgrams(), texts)


@pytest.fixture(scope="module")
def engine() -> LinearEngine:
    return LinearEngine(LinearModel.load())


def test_engine_scores_equal_the_reference(engine):
    assert engine.analyse(POSTS) == reference_analyse(engine, POSTS)
    assert np.array_equal(engine.logits(POSTS), reference_logits(engine, POSTS))


DATA = shared_data_dir()


@pytest.mark.skipif(
    not (DATA / "tweeteval-sentiment" / "val_text.txt").is_file(),
    reason="needs the TweetEval validation split under ../shared/data",
)
def test_engine_scores_equal_the_reference_on_real_tweets(engine):
    tweets, _ = read_tweeteval_val(DATA)
    for start in range(0, len(tweets), 500):
        batch = tweets[start : start + 500]
        assert engine.analyse(batch) == reference_analyse(engine, batch)
        assert np.array_equal(engine.logits(batch), reference_logits(engine, batch))
