"""Romanised Hindi (Hinglish): is a Latin-script text Hindi written in Latin letters?

General language identifiers have no class for it and call it English, Italian, Finnish,
... A small lexicon answers instead: words at least a few times more frequent in SentiMix
2020 Hinglish tweets than in English and in every other Latin-script set the training
script reads (scripts/train_hinglish.py). A text is Hinglish when enough of its words are
in the lexicon (at least `min_hits`, and at least `min_share` of its words). The model
(data/hinglish.npz: the words, their log2 frequency ratios and the two limits; no tweets)
loads once per process; checking a tweet is a set look-up per word.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).parent / "data" / "hinglish.npz"
_WORDS = re.compile(r"[a-z]+")


def words(text: str) -> list[str]:
    """The lower-case ASCII letter runs of the text, as the model counts them."""
    return _WORDS.findall(text.lower())


@cache
def _model() -> tuple[frozenset[str], int, float]:
    with np.load(MODEL_PATH) as data:
        lexicon = frozenset(str(data["words"]).split("\n"))
        return lexicon, int(data["min_hits"]), float(data["min_share"])


def is_hinglish(text: str) -> bool:
    """Whether the (Latin-script) text reads as romanised Hindi."""
    return is_hinglish_lower(text.lower())


def is_hinglish_lower(lowered: str) -> bool:
    """is_hinglish for text already lower-cased (the language stage has it at hand)."""
    lexicon, min_hits, min_share = _model()
    tokens = _WORDS.findall(lowered)
    if len(tokens) < min_hits or lexicon.isdisjoint(tokens):
        return False
    hits = sum(map(lexicon.__contains__, tokens))
    return hits >= min_hits and hits >= min_share * len(tokens)
