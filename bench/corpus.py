"""A synthetic but realistic stream of mentions for the benchmarks, deterministic per seed.

Short social posts and longer blog comments about an electronics brand and its rivals, in
several languages, with links, hashtags, replies, reposts and near-duplicate complaints,
so every pipeline stage does the work it does on real data.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

BRANDS = ["Lumio", "Corvane", "Tessaly"]
PRODUCTS = ["Lumio Arc phone", "Lumio Buds", "Lumio Pulse watch", "Arc 3", "Buds Pro", "Pulse 2"]
OPENERS = ["Honestly", "So", "Update:", "PSA:", "Ok", "Well", "", "", "", "Day 3 with the"]
POSITIVE = [
    "I love the {p}, the battery lasts two full days",
    "the {p} is brilliant, best purchase this year",
    "great support from {b} today, they sorted my replacement in an hour",
    "the camera on the {p} is stunning in low light",
    "really impressed by the {b} store tour stop in town, friendly staff",
]
NEGATIVE = [
    "my {p} died after a week, terrible battery and no answer from {b} support",
    "worst update ever, the {p} keeps crashing since yesterday",
    "{b} shipping is a joke, still waiting for my {p} after three weeks",
    "screen cracked on the {p} from a tiny drop, really disappointed",
    "the {p} overheats while charging, this is not acceptable",
]
NEUTRAL = [
    "does anyone know if the {p} works with older chargers?",
    "{b} announced a new colour for the {p}",
    "comparing the {p} with the {r} before buying",
    "the {b} tour stops in Lyon on Friday",
    "firmware 4.2 for the {p} is rolling out this week",
]
OTHER_LANGUAGES = [
    "J'adore mon {p}, la batterie tient vraiment deux jours",
    "Le service client de {b} ne répond jamais, très déçu",
    "Mein {p} ist nach einer Woche kaputt gegangen, sehr enttäuschend",
    "Das neue {p} ist wirklich großartig, tolle Kamera",
    "El {p} es fantástico, la mejor compra del año",
    "Mi {p} se apaga solo, el soporte de {b} no contesta",
]
ASIDES = [
    "after {n} days",
    "day {n} of using it",
    "({n} hours on a charge)",
    "my {w} agrees",
    "paid {n}0 euros",
    "not sure about the {w} though",
    "the {w} colour is nice",
    "ordered {n} days ago",
    "anyone else? #{w}",
    "version {n}.1",
    "{n}/10",
]
WORDS = """alpha apple amber river stone cloud maple cedar ember frost harbor island jade karma
lemon mango nectar olive pepper quartz raven saffron tango umber velvet willow xenon yarrow
zephyr brother sister flatmate boss partner son daughter dad mum cousin neighbour teacher
blue green grey black white silver gold rose teal coral navy""".split()
SITES = ["blog.example.org", "news.example.com", "forum.example.net", "reviews.example.io"]
TAGS = ["#{b}", "#tech", "#gadgets", "#{b}Tour", ""]


def _text(rng: random.Random) -> str:
    brand = rng.choice(BRANDS)
    product = rng.choice(PRODUCTS)
    rival = rng.choice([p for p in PRODUCTS if p != product])
    roll = rng.random()
    if roll < 0.12:
        template = rng.choice(OTHER_LANGUAGES)
    else:
        template = rng.choice(rng.choice([POSITIVE, NEGATIVE, NEUTRAL]))
    text = template.format(p=product, b=brand, r=rival)
    # Real posts rarely repeat word for word: vary them the way people do.
    if rng.random() < 0.6:
        text += " " + rng.choice(ASIDES).format(n=rng.randint(2, 60), w=rng.choice(WORDS))
    if rng.random() < 0.3:
        text = f"@{rng.choice(WORDS)}{rng.randint(1, 999)} {text}"
    opener = rng.choice(OPENERS)
    if opener:
        text = f"{opener} {text}"
    if rng.random() < 0.3:
        text += " " + rng.choice(TAGS).format(b=brand)
    if rng.random() < 0.2:
        text += f" https://{rng.choice(SITES)}/p/{rng.randrange(10**6)}?utm_source=feed"
    if rng.random() < 0.15:  # a longer, blog-comment-like text
        text += " " + " ".join(
            rng.choice(POSITIVE + NEGATIVE + NEUTRAL).format(p=product, b=brand, r=rival)
            for _ in range(rng.randint(2, 5))
        )
    return text


def _near_duplicate(text: str, rng: random.Random) -> str:
    words = text.split()
    if len(words) > 4:
        position = rng.randrange(len(words))
        words[position] = words[position].upper() if rng.random() < 0.5 else words[position] + "!"
    return " ".join(words) + rng.choice(["", " !!", " smh", " again"])


def mentions(count: int, seed: int = 7, spacing: float = 7.0) -> Iterator[dict]:
    """`count` mention rows in the import format (id, url, author, text, published_at ...),
    `spacing` seconds apart from 2026-09-01."""
    rng = random.Random(seed)
    start = datetime(2026, 9, 1, tzinfo=UTC)
    recent: list[tuple[str, str]] = []
    for number in range(count):
        roll = rng.random()
        if recent and roll < 0.04:
            text = _near_duplicate(rng.choice(recent)[1], rng)
        elif recent and roll < 0.06:
            text = rng.choice(recent)[1]  # a repost, word for word
        else:
            text = _text(rng)
        row = {
            "id": f"m{seed}-{number}",
            "author": f"user{int(rng.paretovariate(1.2) * 10) % 50_000}",
            "text": text,
            "published_at": (start + timedelta(seconds=number * spacing)).isoformat(),
        }
        if rng.random() < 0.3:
            row["url"] = f"https://social.example/@{row['author']}/{number}"
        if recent and rng.random() < 0.2:
            row["parent_id"] = rng.choice(recent)[0]
        if rng.random() < 0.1:
            row["author_reach"] = int(rng.paretovariate(1.1) * 50)
        recent.append((row["id"], text))
        if len(recent) > 500:
            del recent[: len(recent) - 500]
        yield row
