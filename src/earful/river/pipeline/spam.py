"""spam: a score from 0 (clean) to 1 (spam) from simple, explainable rules.

Each rule adds to the score; the sum is capped at 1:

- links: nothing for one link among words, up to +0.5 when links are most of the post;
- a link to a known bad domain or one of its subdomains: +0.6;
- repetition (six words or more): +0.3 when one word is over 30% of them, +0.2 when under
  35% of them are different;
- spam phrases ("buy now", "click here" ...): +0.3 each, at most two;
- shouting (over 30 letters, over 70% of them upper case): +0.2.

Words are runs of ASCII letters and digits and of non-ASCII characters, found over UTF-8
bytes with bytes.translate and bytes.split: a regex costs several times as much per post.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .base import Component, Context
from .items import Item

# A link and, as its group, its host (with any user and port, trimmed later).
_URL = re.compile(r"(?:https?://|(?=www\.))([^\s/?#<>\"']*)[^\s<>\"']*", re.IGNORECASE)
_ASCII_UPPER = bytes(range(65, 91))
_ASCII_LOWER = bytes(range(97, 123))
_WORD_BYTES = bytes(c if c >= 128 or chr(c).isalnum() else 32 for c in range(256))
# Phrases start with one of these words; without any, the phrase search is skipped.
_PHRASE_FIRST_WORDS = frozenset(
    word.encode()
    for word in [
        *("buy", "click", "free", "earn", "work", "limited", "act", "crypto", "100", "cheap"),
        *("casino", "dm", "promo", "follower", "followers"),
    ]
)
_SPAM_PHRASES = re.compile(
    r"\b(?:buy now|click here|free money|earn \$?\d+|work from home|limited offer|act now|"
    r"crypto giveaway|100% free|cheap (?:viagra|cialis|pills)|casino bonus|dm me for|"
    r"promo code|followers? for free)\b"
)
DEFAULT_BAD_DOMAINS = frozenset(
    {"bit-ly.click", "free-gift.win", "cheap-pills.example", "casino-bonus.example"}
)


@dataclass(frozen=True, slots=True)
class SpamRules:
    bad_domains: frozenset[str] = DEFAULT_BAD_DOMAINS

    def is_bad_domain(self, host: str) -> bool:
        """The host (or "user@host:port") is a bad domain or below one."""
        host = host.rpartition("@")[2].partition(":")[0].rstrip(".").lower()
        while host:
            if host in self.bad_domains:
                return True
            host = host.partition(".")[2]
        return False

    def score(self, text: str) -> float:
        lowered = text.lower()
        hosts = _URL.findall(lowered) if "http" in lowered or "www." in lowered else None
        if hosts:
            lowered = _URL.sub(" ", lowered)
        words = lowered.encode("utf-8", "replace").translate(_WORD_BYTES).split()
        count = len(words)
        links = len(hosts) if hosts else 0
        if not count and not links:
            return 0.0
        score = 0.0
        if links:
            score += min(0.5, max(0.0, links / (count + links) - 0.1) * 1.25)
            if any(map(self.is_bad_domain, hosts)):
                score += 0.6
        distinct = set(words)
        different = len(distinct)
        if count >= 6 and different < count:
            if _most_repeated(words, different) > 0.3 * count:
                score += 0.3
            if different < 0.35 * count:
                score += 0.2
        if not _PHRASE_FIRST_WORDS.isdisjoint(distinct):
            score += 0.3 * min(2, len(_SPAM_PHRASES.findall(lowered)))
        if _shouting(text):
            score += 0.2
        return 1.0 if score >= 1.0 else round(score, 3)


def _most_repeated(words: list[bytes], different: int) -> int:
    """How often the commonest word occurs, or a bound on it when that is small anyway."""
    bound = len(words) - different + 1  # all the repeats are of one word at most
    if bound <= 0.3 * len(words):
        return bound
    return max(Counter(words).values())


def _shouting(text: str) -> bool:
    """Over 30 letters, over 70% of them upper case."""
    # ASCII letters counted fast; every other character is at most one upper-case letter.
    ascii_part = text.encode("ascii", "ignore")
    others = len(text) - len(ascii_part)
    upper = len(ascii_part) - len(ascii_part.translate(None, _ASCII_UPPER))
    if upper + others <= 21:
        return False
    lower = len(ascii_part) - len(ascii_part.translate(None, _ASCII_LOWER))
    if (upper + others) / (upper + lower + others) <= 0.7:
        return False
    if others:
        upper = sum(map(str.isupper, text))
        letters = sum(map(str.isalpha, text))
        return letters > 30 and upper / letters > 0.7
    return upper + lower > 30 and upper / (upper + lower) > 0.7


def make_spam(bad_domains: Iterable[str] = ()) -> Component:
    rules = SpamRules(
        DEFAULT_BAD_DOMAINS | {d.lower().strip().strip(".") for d in bad_domains if d.strip()}
    )

    def spam(batch: list[Item], context: Context) -> list[Item]:
        score = rules.score
        for item in batch:
            item.spam_score = score(f"{item.title}\n{item.text}" if item.title else item.text)
        return batch

    return spam
