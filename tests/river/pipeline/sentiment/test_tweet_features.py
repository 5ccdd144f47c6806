"""Tweet normalisation and hashed n-gram features."""

from __future__ import annotations

import numpy as np
import pytest

from earful.river.pipeline.sentiment.tweet_features import (
    SEPARATOR,
    HashedNgrams,
    code_points,
    normalise_batch,
)


def texts_of(normalised: str) -> list[str]:
    return normalised.split(SEPARATOR)[1:-1]


def test_normalise_drops_urls_and_anonymises_handles():
    (text,) = texts_of(normalise_batch(["@Alice_99 LOVE it http://t.co/xyz www.example.org/a"]))
    assert text.split() == ["@user", "love", "it"]


def test_normalise_decodes_escapes_and_entities():
    (text,) = texts_of(normalise_batch(["don\\u2019t &amp; can&#8217;t"]))
    assert text.split() == ["don't", "&", "can't"]


def test_nul_bytes_and_escaped_nuls_cannot_split_a_text():
    texts = ["a\x00b", "\\u0000", "&#0;", "", "\x00"]
    assert len(texts_of(normalise_batch(texts))) == len(texts)


def test_code_points_collapse_spaces_and_elongations():
    points = code_points(normalise_batch(["soooooo   goooood!!!!!"]))
    assert "".join(map(chr, points.tolist())) == "\x00 soo good!! \x00"


def test_lone_surrogates_are_kept_not_fatal():
    points = code_points(normalise_batch(["a\ud800b"]))
    assert 0xD800 in points.tolist()


def test_non_text_is_refused():
    with pytest.raises(TypeError, match="text 0 is NoneType"):
        normalise_batch([None])  # type: ignore[list-item]


def test_features_stay_in_their_text_and_table():
    features = HashedNgrams(bits=12)
    text, bucket, words = features.featurize(["hello there", "", "ok ok ok"])
    assert set(text.tolist()) == {0, 2}  # an empty text has no features
    assert bucket.min() >= 0 and bucket.max() < 2**12
    assert 0 < words < text.size


def test_features_do_not_depend_on_the_rest_of_the_batch():
    features = HashedNgrams()
    alone_text, alone_bucket, _ = features.featurize(["not good at all"])
    text, bucket, _ = features.featurize(["first one", "not good at all", "last"])
    assert sorted(alone_bucket.tolist()) == sorted(bucket[text == 1].tolist())


def word_buckets(features: HashedNgrams, text: str) -> set[int]:
    _, bucket, words = features.featurize([text])
    return set(bucket[:words].tolist())


def test_negation_marks_the_next_words_until_punctuation():
    features = HashedNgrams(word_bigrams=False)
    good = word_buckets(features, "good")
    assert not good & word_buckets(features, "not good")
    assert not good & word_buckets(features, "didn't really seem good")
    assert good <= word_buckets(features, "not that, good")  # the comma ends the scope
    assert good <= word_buckets(features, "not one two three good")  # past the scope


def test_bad_configuration_is_refused():
    with pytest.raises(ValueError, match="bits"):
        HashedNgrams(bits=40)
    with pytest.raises(ValueError, match="n-gram range"):
        HashedNgrams(char_ngrams=(5, 2))
    with pytest.raises(ValueError, match="bad feature configuration"):
        HashedNgrams.from_params({"bits": 20})


def test_params_round_trip():
    features = HashedNgrams(bits=18, word_bigrams=False, char_ngrams=(3, 4), negation_scope=2)
    assert HashedNgrams.from_params(features.params()) == features


def test_deterministic_across_calls():
    features = HashedNgrams()
    first = features.featurize(["Same text, same features 😀"])
    second = features.featurize(["Same text, same features 😀"])
    assert np.array_equal(first[1], second[1])
