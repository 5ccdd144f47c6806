"""Why moderation should hold a comment: the checks `submit_comment` runs.

The spam score is the river's own (link density, repeated text, known bad domains), so a
comment is judged like any other mention; duplicates are caught both exactly (same words
whatever their case and spacing) and nearly (MinHash signatures of the river's
near-duplicate stage, estimated Jaccard similarity >= NEAR_DUPLICATE).
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np
from django.conf import settings

from earful.river.pipeline.items import Item, RawItem
from earful.river.pipeline.near_duplicates import MIN_CHARS, signatures
from earful.river.pipeline.normalise import content_hash
from earful.river.pipeline.spam import make_spam
from earful.river.rollups import SPAM_THRESHOLD

FIRST_COMMENT = "first comment from this address"
HAS_LINKS = "contains links"
SPAM = "looks like spam"
DUPLICATE = "same as an earlier comment"
NEAR_DUPLICATE_REASON = "nearly the same as an earlier comment"

NEAR_DUPLICATE = 0.8
RECENT_COMMENTS = 300  # site-wide comments compared, besides the post's own

_LINK = re.compile(r"(https?://|www\.|\]\(|<a\s)", re.IGNORECASE)


def has_links(text: str) -> bool:
    return bool(_LINK.search(text))


@cache
def _spam_component(bad_domains: tuple[str, ...]):
    return make_spam(bad_domains)


def spam_score(text: str, website: str = "") -> float:
    component = _spam_component(tuple(settings.EARFUL_SPAM_DOMAINS))
    body = f"{text}\n{website}" if website else text
    item = Item(raw=RawItem(text=body), source_id=0, text=body)
    component([item], None)
    return item.spam_score


def is_spam(score: float) -> bool:
    return score >= SPAM_THRESHOLD


def hash_of(text: str) -> str:
    return content_hash(text)


def nearly_the_same(text: str, others: list[str]) -> bool:
    """Whether `text` is a near-duplicate of any of `others`."""
    candidates = [other for other in others if len(other) >= MIN_CHARS]
    if len(text) < MIN_CHARS or not candidates:
        return False
    rows = signatures([text, *candidates])
    similarity = (rows[1:] == rows[0]).mean(axis=1)
    return bool(np.any(similarity >= NEAR_DUPLICATE))
