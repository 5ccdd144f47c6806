"""The demo's channels: one demo source each, with how people talk there."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Channel:
    slug: str
    kind: str  # a Source.Kind value
    name: str  # the Source's name
    share: float  # of all generated mentions
    languages: tuple[tuple[str, float], ...]
    reply_rate: float  # chance that a mention answers an earlier one
    reach_median: int | None  # followers, karma ...; None where the channel has none
    titled: bool  # top-level posts carry a title
    declares_language: bool  # the network tells us the language (else it is detected)
    max_authors: int | None = None  # a blog has a handful of writers
    company_handle: str = ""  # the brand's own account, which answers people here
    regulars: float = 0.55  # chance that a post is by someone who posted here before


CHANNELS = (
    Channel(
        "mastodon",
        "mastodon",
        "Demo · Mastodon #halvora",
        0.22,
        (("en", 0.72), ("fr", 0.12), ("de", 0.10), ("es", 0.06)),
        0.25,
        180,
        titled=False,
        declares_language=True,
        company_handle="@halvora@mastodon.example",
    ),
    Channel(
        "bluesky",
        "bluesky",
        "Demo · Bluesky search “halvora”",
        0.21,
        (("en", 0.82), ("es", 0.08), ("fr", 0.05), ("de", 0.05)),
        0.22,
        300,
        titled=False,
        declares_language=True,
        company_handle="halvora.bsky.example",
    ),
    Channel(
        "hackernews",
        "hackernews",
        "Demo · Hacker News",
        0.09,
        (("en", 1.0),),
        0.55,
        900,
        titled=True,
        declares_language=False,
    ),
    Channel(
        "reddit",
        "reddit",
        "Demo · Reddit r/gadgets",
        0.19,
        (("en", 0.95), ("de", 0.05)),
        0.45,
        2500,
        titled=True,
        declares_language=False,
        company_handle="Halvora_Official",
    ),
    Channel(
        "pocketreview",
        "feed",
        "Demo · The Pocket Review (RSS)",
        0.02,
        (("en", 1.0),),
        0.0,
        8000,
        titled=True,
        declares_language=False,
        max_authors=3,
    ),
    Channel(
        "coin",
        "feed",
        "Demo · Le Coin Techno (RSS)",
        0.02,
        (("fr", 1.0),),
        0.0,
        3000,
        titled=True,
        declares_language=False,
        max_authors=2,
    ),
    Channel(
        "import",
        "import",
        "Demo · Retailer reviews (CSV import)",
        0.15,
        (("en", 0.6), ("fr", 0.15), ("de", 0.15), ("es", 0.1)),
        0.0,
        None,
        titled=False,
        declares_language=False,
        regulars=0.08,
    ),
    Channel(
        "owned",
        "owned",
        "Demo · Halvora blog comments",
        0.10,
        (("en", 0.85), ("fr", 0.05), ("de", 0.05), ("es", 0.05)),
        0.30,
        None,
        titled=False,
        declares_language=False,
        company_handle="Halvora Team",
        regulars=0.35,
    ),
)
