"""spam: a score from 0 (clean) to 1 (spam) from simple, explainable rules.

Each rule adds to the score; the sum is capped at 1:

- links: +0 for a link among words, up to +0.5 when links are most of the post;
- a link to a known bad domain: +0.6;
- repetition (six words or more): +0.3 when one word is over 30% of them, +0.2 when under
  35% of them are different;
- spam phrases ("buy now", "click here" ...): +0.3 each, at most two;
- shouting (over 30 letters, over 70% of them in upper-case words): +0.2.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from .base import Component, Context
from .items import Item

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")
_ASCII_UPPER = bytes(range(65, 91))
_ASCII_LOWER = bytes(range(97, 123))
# ASCII letters and digits kept, anything else a space: words by bytes.split().
_ASCII_WORDS = bytes(c if chr(c).isalnum() and c < 128 else 32 for c in range(256))
# Phrases start with one of these words; without any, the phrase search is skipped.
_PHRASE_FIRST_WORDS = frozenset(
    [
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


def _host(url: str) -> str:
    try:
        return (urlsplit(url if "://" in url else f"http://{url}").hostname or "").rstrip(".")
    except ValueError:
        return ""


@dataclass(frozen=True, slots=True)
class SpamRules:
    bad_domains: frozenset[str] = DEFAULT_BAD_DOMAINS

    def is_bad_domain(self, host: str) -> bool:
        while host:
            if host in self.bad_domains:
                return True
            _, _, host = host.partition(".")
        return False

    def score(self, text: str) -> float:
        lowered = text.lower()
        urls = _URL.findall(lowered) if ("http" in lowered or "www." in lowered) else []
        if urls:
            lowered = _URL.sub(" ", lowered)
        if lowered.isascii():
            words = lowered.encode("ascii").translate(_ASCII_WORDS).decode("ascii").split()
        else:
            words = _WORD.findall(lowered)
        if not words and not urls:
            return 0.0
        score = 0.0
        if urls:
            density = len(urls) / (len(words) + len(urls))
            score += min(0.5, max(0.0, density - 0.1) * 1.25)
            if any(self.is_bad_domain(_host(url)) for url in urls):
                score += 0.6
        distinct = set(words)
        if len(words) >= 6:
            if max(Counter(words).values()) / len(words) > 0.3:
                score += 0.3
            if len(distinct) / len(words) < 0.35:
                score += 0.2
        if not _PHRASE_FIRST_WORDS.isdisjoint(distinct):
            score += 0.3 * min(2, len(_SPAM_PHRASES.findall(lowered)))
        score += 0.2 if _shouting(text) else 0.0
        return round(min(1.0, score), 3)


def _shouting(text: str) -> bool:
    """Over 30 letters, over 70% of them upper case."""
    if text.isascii():
        encoded = text.encode("ascii")
        upper = len(encoded) - len(encoded.translate(None, _ASCII_UPPER))
        if upper <= 21:
            return False
        lower = len(encoded) - len(encoded.translate(None, _ASCII_LOWER))
        return upper + lower > 30 and upper / (upper + lower) > 0.7
    upper = sum(map(str.isupper, text))
    if upper <= 21:
        return False
    letters = sum(map(str.isalpha, text))
    return letters > 30 and upper / letters > 0.7


def make_spam(bad_domains: Iterable[str] = ()) -> Component:
    rules = SpamRules(
        DEFAULT_BAD_DOMAINS | {d.lower().strip().strip(".") for d in bad_domains if d.strip()}
    )

    def spam(batch: list[Item], context: Context) -> list[Item]:
        for item in batch:
            item.spam_score = rules.score(f"{item.title}\n{item.text}" if item.title else item.text)
        return batch

    return spam
