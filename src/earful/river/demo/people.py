"""Invented people of the demo: names, handles in each network's style, and their reach."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

FIRST_NAMES = (
    "Nora", "Liam", "Ava", "Mateo", "Chloé", "Jonas", "Priya", "Kenji", "Sofia", "Malik",
    "Elena", "Tom", "Inès", "Lukas", "Aisha", "Pablo", "Hanna", "Omar", "Julia", "Ravi",
    "Zoé", "Felix", "Mina", "Diego", "Lea", "Sam", "Yuki", "Camille", "Noah", "Ingrid",
    "Marta", "Karim", "Emma", "Lucas", "Sara", "Theo", "Alba", "Nils", "Ada", "Hugo",
)  # fmt: skip
LAST_NAMES = (
    "Berg", "Moreau", "Okafor", "Schneider", "Ruiz", "Tanaka", "Novak", "Dubois",
    "Fischer", "García", "Lindqvist", "Rossi", "Petit", "Kowalski", "Haddad", "Müller",
    "Santos", "Weber", "Laurent", "Jensen", "Costa", "Meyer", "Fontaine", "Ortega",
)  # fmt: skip
HANDLE_WORDS = (
    "pixel", "coffee", "retro", "byte", "nomad", "quiet", "cyclist", "owl", "maker",
    "tinker", "lens", "vinyl", "trail", "circuit", "mango", "static", "orbit", "fern",
    "ramen", "glitch", "harbor", "sunny", "kernel", "analog",
)  # fmt: skip
MASTODON_INSTANCES = (
    "mastodon.example", "fosstodon.example", "toot.example", "social.example",
    "chaos.example", "mstdn.example",
)  # fmt: skip
SPAM_WORDS = ("deals", "promo", "gift", "free", "win", "bonus", "cash", "best")
CARRIERS = ("ParcelPoint", "SwiftCrate", "Eurodrop", "QuickPost")


@dataclass(frozen=True)
class Person:
    handle: str
    name: str
    url: str
    reach: int | None


def _base_handle(rng: random.Random, first: str, last: str) -> str:
    ascii_first = first.encode("ascii", "ignore").decode().lower() or "user"
    ascii_last = last.encode("ascii", "ignore").decode().lower() or "x"
    style = rng.randrange(5)
    if style == 0:
        return f"{ascii_first}{ascii_last[0]}"
    if style == 1:
        return f"{ascii_first}_{ascii_last}"
    if style == 2:
        return f"{rng.choice(HANDLE_WORDS)}{ascii_first}"
    if style == 3:
        return f"{ascii_first}{rng.randint(1, 99)}"
    return f"{rng.choice(HANDLE_WORDS)}_{rng.choice(HANDLE_WORDS)}"


def long_tailed_reach(rng: random.Random, median: int) -> int:
    """Followers, karma or subscribers: log-normal, so most are small and a few are huge."""
    return max(0, int(median * math.exp(rng.gauss(0.0, 1.5))))


def new_person(rng: random.Random, network: str, reach_median: int | None) -> Person:
    """A person in the style of `network` (a demo channel's slug); handles may repeat."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    reach = long_tailed_reach(rng, reach_median) if reach_median else None
    return _on_network(rng, network, _base_handle(rng, first, last), f"{first} {last}", reach)


def spam_account(rng: random.Random, network: str) -> Person:
    """A throwaway account of the kind that posts link spam."""
    base = f"{rng.choice(SPAM_WORDS)}{rng.choice(SPAM_WORDS)}{rng.randint(100, 99999)}"
    return _on_network(rng, network, base, "", rng.randint(0, 25))


def _on_network(rng: random.Random, network: str, base: str, name: str, reach) -> Person:
    if network == "mastodon":
        instance = rng.choice(MASTODON_INSTANCES)
        return Person(f"@{base}@{instance}", name, f"https://{instance}/@{base}", reach)
    if network == "bluesky":
        handle = f"{base}.bsky.example"
        return Person(handle, name, f"https://bsky.example/profile/{handle}", reach)
    if network == "hackernews":
        return Person(base, "", f"https://news.example/user?id={base}", reach)
    if network == "reddit":
        handle = f"{base.capitalize()}{rng.choice(('', '_', '-'))}{rng.randint(10, 9999)}"
        return Person(handle, "", f"https://reddit.example/user/{handle}", reach)
    if network == "import":
        return Person(f"customer-{rng.randint(10000, 99999)}", name, "", None)
    return Person(base, name, "", reach)
