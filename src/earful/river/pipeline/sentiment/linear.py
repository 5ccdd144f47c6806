"""A fast multinomial logistic regression over word and character n-grams.

The model is a data file shipped next to this module (`data/linear-sentiment.json.gz`):
a vocabulary of feature strings, one row of weights per feature and per class, an idf
per feature and a bias per class. It holds no tweets. `scripts/train_sentiment.py`
rebuilds it from the SemEval Twitter sets; both use `Featurizer` below, so training and
inference see the same features.

Inference is plain Python for the features and numpy for the arithmetic: each text
becomes the set of its known feature ids, and a whole batch is scored with one gather and
one `reduceat` over a flat index array.
"""

from __future__ import annotations

import base64
import gzip
import html
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

MODEL_PATH = Path(__file__).with_name("data") / "linear-sentiment.json.gz"
FORMAT = "earful-linear-sentiment"
FORMAT_VERSION = 1

_ESCAPE = re.compile(r"\\+u([0-9a-fA-F]{4})")
_URL = re.compile(r"(?:https?://|www\.)\S*|\bhttps?\b")
_HANDLE = re.compile(r"@\w+(?:'s)?")
_ELONGATED = re.compile(r"(\w)\1{2,}")
_TOKEN = re.compile(
    r"""
    <3+                                   # heart
    | (?<!\w)[:;=8xX]['\-^o]?[)(\]\[dDpPoO/\\|*3]+(?!\w)  # :) ;-) :D :/ xD
    | (?<!\w)[)(\]\[dD][-']?[:;=](?!\w)   # (: (-;
    | @user
    | [^\W\d_](?:[\w']*\w)?               # words, with inner apostrophes: don't
    | \d+(?:[.,:]\d+)*                    # numbers, times
    | [!?]+                               # emphasis
    | [.,;:]                              # clause breaks (end negation scope)
    | [^\s\w]                             # any other symbol, emoji included
    """,
    re.VERBOSE,
)
_NEGATIONS = frozenset(
    "not no never nothing nobody none nowhere neither nor cannot cant dont doesnt didnt "
    "isnt wasnt arent werent wont wouldnt shouldnt couldnt aint hasnt havent hadnt "
    "without".split()
)
_CLAUSE_END = frozenset(".,;:!?")
_NEGATION_SCOPE = 3


def normalise(text: str) -> str:
    """Lower-case text with escapes decoded, URLs dropped and handles made `@user`."""
    if "\\u" in text:
        text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    if "&" in text:
        text = html.unescape(text)
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = _URL.sub(" ", text)
    text = _HANDLE.sub("@user", text)
    text = _ELONGATED.sub(r"\1\1", text)
    return text.lower()


def tokenise(text: str) -> list[str]:
    """Tokens of normalised text; words after a negation get a `not_` prefix."""
    tokens = _TOKEN.findall(normalise(text))
    out: list[str] = []
    scope = 0
    for token in tokens:
        if token in _CLAUSE_END or token[0] in "!?":
            scope = 0
            out.append(token)
        elif scope:
            scope -= 1
            out.append("not_" + token)
        else:
            out.append(token)
        if token in _NEGATIONS or token.endswith("n't"):
            scope = _NEGATION_SCOPE
    return out


@dataclass(frozen=True)
class Featurizer:
    """Turns a text into its set of feature strings.

    `word_ngrams` is the longest word n-gram (1 = unigrams only); `char_ngrams` the
    (shortest, longest) character n-gram taken inside each word padded with spaces, or
    None for no character n-grams.
    """

    word_ngrams: int = 2
    char_ngrams: tuple[int, int] | None = None

    def features(self, text: str) -> set[str]:
        tokens = tokenise(text)
        feats = set(tokens)
        if self.word_ngrams >= 2:
            feats.update(a + " " + b for a, b in zip(tokens, tokens[1:], strict=False))
        if self.word_ngrams >= 3:
            feats.update(
                a + " " + b + " " + c
                for a, b, c in zip(tokens, tokens[1:], tokens[2:], strict=False)
            )
        if self.char_ngrams:
            low, high = self.char_ngrams
            for token in set(tokens):
                word = " " + (token[4:] if token.startswith("not_") else token) + " "
                size = len(word)
                for n in range(low, min(high, size) + 1):
                    feats.update("#" + word[i : i + n] for i in range(size - n + 1))
        return feats

    def params(self) -> dict[str, Any]:
        return {"word_ngrams": self.word_ngrams, "char_ngrams": self.char_ngrams}

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> Featurizer:
        chars = params.get("char_ngrams")
        return cls(word_ngrams=params["word_ngrams"], char_ngrams=tuple(chars) if chars else None)


def _encode(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array, dtype="<f2").tobytes()).decode("ascii")


def _decode(data: str, shape: tuple[int, ...]) -> np.ndarray:
    raw = np.frombuffer(base64.b64decode(data), dtype="<f2")
    return raw.astype(np.float32).reshape(shape)


@dataclass
class LinearModel:
    """Vocabulary, weights (features x classes), idf per feature and bias per class."""

    labels: list[str]
    vocabulary: list[str]
    weights: np.ndarray
    idf: np.ndarray
    bias: np.ndarray
    featurizer: Featurizer = field(default_factory=Featurizer)
    info: dict[str, Any] = field(default_factory=dict)

    def save(self, path: Path) -> None:
        doc = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "labels": self.labels,
            "featurizer": self.featurizer.params(),
            "info": self.info,
            "bias": [float(b) for b in self.bias],
            "vocabulary": self.vocabulary,
            "idf": _encode(self.idf),
            "weights": _encode(self.weights),
        }
        data = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> LinearModel:
        doc = json.loads(gzip.decompress(path.read_bytes()))
        if doc.get("format") != FORMAT or doc.get("version") != FORMAT_VERSION:
            raise ValueError(f"{path} is not a version {FORMAT_VERSION} {FORMAT} file")
        vocabulary = doc["vocabulary"]
        size, classes = len(vocabulary), len(doc["labels"])
        return cls(
            labels=doc["labels"],
            vocabulary=vocabulary,
            weights=_decode(doc["weights"], (size, classes)),
            idf=_decode(doc["idf"], (size,)),
            bias=np.asarray(doc["bias"], dtype=np.float32),
            featurizer=Featurizer.from_params(doc["featurizer"]),
            info=doc.get("info", {}),
        )


class LinearEngine:
    """Sentiment from the shipped logistic regression; score = P(positive) - P(negative)."""

    name = "linear"

    def __init__(self, model: LinearModel | None = None):
        model = model or LinearModel.load()
        self.labels = model.labels
        self._features = model.featurizer.features
        self._index = {feature: i + 1 for i, feature in enumerate(model.vocabulary)}
        # Row 0 is a feature every text has: it carries the bias and keeps no row empty.
        self._weights = np.vstack([model.bias[None, :], model.weights * model.idf[:, None]])
        self._idf2 = np.concatenate([[0.0], model.idf.astype(np.float64) ** 2])
        self._pos = self.labels.index("positive")
        self._neg = self.labels.index("negative")

    def _ids(self, texts: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        index_get = self._index.get
        flat: list[int] = []
        starts: list[int] = []
        for text in texts:
            starts.append(len(flat))
            flat.append(0)
            for feature in self._features(text):
                i = index_get(feature)
                if i is not None:
                    flat.append(i)
        return np.asarray(flat, dtype=np.intp), np.asarray(starts, dtype=np.intp)

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Class probabilities, one row per text, columns in `self.labels` order."""
        if not texts:
            return np.zeros((0, len(self.labels)))
        flat, starts = self._ids(texts)
        norms = np.sqrt(np.add.reduceat(self._idf2[flat], starts))
        norms[norms == 0] = 1.0
        sums = np.add.reduceat(self._weights[flat], starts, axis=0)
        bias = self._weights[0]
        logits = bias + (sums - bias) / norms[:, None]
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def analyse(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        probs = self.probabilities(texts)
        labels = self.labels
        winners = probs.argmax(axis=1).tolist()
        scores = (probs[:, self._pos] - probs[:, self._neg]).tolist()
        return [(labels[w], round(s, 4)) for w, s in zip(winners, scores, strict=True)]
