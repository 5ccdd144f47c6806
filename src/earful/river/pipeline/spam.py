"""spam: a score from 0 (clean) to 1 (spam) from simple, explainable rules."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from .base import Context
from .items import Item

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_SPAM_PHRASES = re.compile(
    r"\b(?:buy now|click here|free money|earn \$?\d+|work from home|limited offer|act now|"
    r"crypto giveaway|100% free|cheap (?:viagra|cialis|pills)|casino bonus|dm me for|"
    r"promo code|followers? for free)\b",
    re.IGNORECASE,
)
DEFAULT_BAD_DOMAINS = frozenset(
    {"bit-ly.click", "free-gift.win", "cheap-pills.example", "casino-bonus.example"}
)


@dataclass(frozen=True, slots=True)
class SpamRules:
    bad_domains: frozenset[str] = DEFAULT_BAD_DOMAINS

    def score(self, text: str) -> float:
        words = _WORD.findall(text)
        if not words:
            return 0.0
        urls = _URL.findall(text)
        score = 0.0
        # Link density: links per word, saturating.
        score += min(0.5, 2.5 * len(urls) / len(words)) if urls else 0.0
        # Known bad domains.
        for url in urls:
            host = (urlsplit(url if "://" in url else f"http://{url}").hostname or "").lower()
            if any(host == d or host.endswith("." + d) for d in self.bad_domains):
                score += 0.6
                break
        # Repeated text: the same word over and over.
        if len(words) >= 8:
            most = Counter(w.lower() for w in words).most_common(1)[0][1]
            if most / len(words) > 0.3:
                score += 0.3
            if len({w.lower() for w in words}) / len(words) < 0.35:
                score += 0.2
        score += 0.3 * min(2, len(_SPAM_PHRASES.findall(text)))
        letters = [c for c in text if c.isalpha()]
        if len(letters) > 30 and sum(c.isupper() for c in letters) / len(letters) > 0.7:
            score += 0.15
        return round(min(1.0, score), 3)


def make_spam(bad_domains: Iterable[str] = ()) -> callable:
    rules = SpamRules(DEFAULT_BAD_DOMAINS | {d.lower().strip() for d in bad_domains if d})

    def spam(batch: list[Item], context: Context) -> list[Item]:
        for item in batch:
            item.spam_score = rules.score(f"{item.title}\n{item.text}")
        return batch

    return spam
