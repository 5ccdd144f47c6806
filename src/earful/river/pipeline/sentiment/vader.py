"""VADER (vaderSentiment) with a neutral band on its compound score tuned for tweets.

VADER's own README suggests negative <= -0.05 < neutral < 0.05 <= positive. On tweets
that band is too narrow: many neutral tweets carry a word or two of mild valence. The
band below was tuned by scripts/train_sentiment.py to maximise macro-averaged recall on
all SemEval 2013-2016 tweets minus every tweet that recurs in the TweetEval validation
split. It was deliberately not tuned on that split, which bench/sentiment_eval.py
measures on.
"""

from __future__ import annotations

from collections.abc import Sequence

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from .languages import NOT_SCORED, scoring_language
from .tweet_features import decode_escapes

# Produced by `python scripts/train_sentiment.py`; see docs/sentiment.md.
NEGATIVE_BELOW = -0.01  # compound <= this is negative
POSITIVE_ABOVE = 0.41  # compound > this is positive

ENGLISH = frozenset({"en"})


def _clean(text: str) -> str:
    """Decode literal \\uXXXX escapes and curly apostrophes, which VADER does not read."""
    return decode_escapes(text).replace("\u2019", "'")


class VaderEngine:
    name = "vader"

    def __init__(
        self, negative_below: float = NEGATIVE_BELOW, positive_above: float = POSITIVE_ABOVE
    ):
        if not -1.0 <= negative_below <= positive_above <= 1.0:
            raise ValueError(
                f"need -1 <= negative_below <= positive_above <= 1, "
                f"got {negative_below}, {positive_above}"
            )
        self.negative_below = negative_below
        self.positive_above = positive_above
        self._analyser = SentimentIntensityAnalyzer()

    def compound_scores(self, texts: Sequence[str]) -> list[float]:
        scores = self._analyser.polarity_scores
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"text {i} is {type(text).__name__}, not str")
        return [scores(_clean(text))["compound"] for text in texts]

    def label(self, compound: float) -> str:
        if compound <= self.negative_below:
            return "negative"
        if compound > self.positive_above:
            return "positive"
        return "neutral"

    def analyse(
        self, texts: Sequence[str], languages: Sequence[str | None] | None = None
    ) -> list[tuple[str, float]]:
        """VADER reads English only: texts in another language are not scored."""
        if languages is None:
            return [(self.label(c), c) for c in self.compound_scores(texts)]
        if len(languages) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(languages)} languages")
        english = [i for i, code in enumerate(languages) if scoring_language(code, ENGLISH)]
        results: list[tuple[str, float]] = [(NOT_SCORED, 0.0)] * len(texts)
        scores = self.compound_scores([texts[i] for i in english])
        for index, compound in zip(english, scores, strict=True):
            results[index] = (self.label(compound), compound)
        return results
