"""Topic matching cost per document with 1, 20 and 200 topics.

    .venv/bin/python bench/topic_matching.py [--docs 20000] [--runs 5]

Generates realistic social posts (seeded, so every run sees the same texts) and topic
queries of the kinds companies save: brands, competitors, products, themes, with phrases,
wildcards, NEAR, fields and NOTs. Prints the median of the runs: µs per document and
documents per second, for TopicMatcher.match_many over the whole set.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from earful.river.query import MatchDocument, TopicMatcher

BRANDS = [
    "Acme",
    "Zephyr",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Vandelay",
    "Stark",
    "Wayne",
    "Cyberdyne",
    "Soylent",
    "Tyrell",
    "Wonka",
    "Gringotts",
    "Oscorp",
]
PRODUCTS = [
    "phone",
    "tablet",
    "watch",
    "earbuds",
    "laptop",
    "router",
    "camera",
    "app",
    "speaker",
    "charger",
    "drone",
    "console",
    "headset",
    "kettle",
    "scooter",
]
ISSUES = [
    "battery",
    "screen",
    "crash",
    "refund",
    "shipping",
    "support",
    "update",
    "price",
    "bluetooth",
    "login",
    "delivery",
    "warranty",
    "subscription",
    "privacy",
    "noise",
]
FILLER = (
    "the a and so just really my this is was it to "
    "of for on with but not very today again after before never "
    "always love hate great terrible ok honestly week month customer service new "
    "old bought returned tried using works broke fast slow quality design people "
    "friend team happy angry waiting "
).split()  # noqa: SIM905
SITES = [
    "reddit.com",
    "news.ycombinator.com",
    "mastodon.social",
    "blog.example.com",
    "forum.acme.com",
    "twitter.com",
    "bsky.app",
]
LANGS = ["en", "en", "en", "en-GB", "fr", "de", "es"]


def make_documents(count: int, rng: random.Random) -> list[MatchDocument]:
    docs = []
    for _ in range(count):
        words = [rng.choice(FILLER) for _ in range(rng.randint(12, 60))]
        for _ in range(rng.randint(0, 3)):
            words.insert(rng.randrange(len(words) + 1), rng.choice(BRANDS))
        for _ in range(rng.randint(0, 3)):
            words.insert(rng.randrange(len(words) + 1), rng.choice(PRODUCTS))
        for _ in range(rng.randint(0, 2)):
            words.insert(
                rng.randrange(len(words) + 1),
                rng.choice(ISSUES) + rng.choice(["", "s", "ing", "'s"]),
            )
        if rng.random() < 0.3:
            words.append("#" + rng.choice(BRANDS) + rng.choice(PRODUCTS))
        if rng.random() < 0.2:
            words.insert(0, "@" + rng.choice(BRANDS).lower())
        if rng.random() < 0.1:
            words.append(rng.choice(["😍", "🔥", "👎", "café", "naïve"]))
        text = " ".join(words).capitalize() + rng.choice([".", "!", "?", "!!"])
        docs.append(
            MatchDocument(
                text=text,
                author=f"@user{rng.randrange(5000)} User {rng.randrange(5000)}",
                site=rng.choice(SITES),
                lang=rng.choice(LANGS),
                source=rng.choice(["Reddit", "Hacker News", "Mastodon", "Bluesky", "RSS"]),
            )
        )
    return docs


def make_topics(count: int, rng: random.Random) -> list[tuple[int, str]]:
    shapes = [
        lambda b, p, i: f'{b} OR "{b} {p}" OR #{b}{p}',
        lambda b, p, i: f"{b} AND ({p} OR {p}s) -giveaway",
        lambda b, p, i: f"({b} OR {b.lower()}*) NEAR/5 ({i}* OR broken)",
        lambda b, p, i: f'"{b} {p}"~3 AND NOT site:twitter.com',
        lambda b, p, i: f"{i}* AND ({b} OR {p}) AND lang:en",
        lambda b, p, i: f'"{p} {i}" OR ({p} NEAR/2 {i})',
        lambda b, p, i: f"@{b.lower()} OR author:{b.lower()}",
        lambda b, p, i: f"{b} {p} -refund -spam",
        lambda b, p, i: f"{i} AND site:reddit.com",
        lambda b, p, i: f"{b[:3].lower()}?{b[4:].lower()}* AND {p}",
    ]
    topics = []
    for topic_id in range(1, count + 1):
        shape = shapes[(topic_id - 1) % len(shapes)]
        topics.append(
            (topic_id, shape(rng.choice(BRANDS), rng.choice(PRODUCTS), rng.choice(ISSUES)))
        )
    return topics


def measure(matcher: TopicMatcher, docs: list[MatchDocument], runs: int) -> tuple[float, int]:
    timings = []
    matched = 0
    for _ in range(runs):
        started = time.perf_counter()
        results = matcher.match_many(docs)
        timings.append(time.perf_counter() - started)
        matched = sum(1 for ids in results if ids)
    return statistics.median(timings), matched


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(20240601)
    docs = make_documents(args.docs, rng)
    print(f"{len(docs)} documents, median of {args.runs} runs")
    print(f"{'topics':>7} {'µs/doc':>9} {'docs/s':>10} {'docs matched':>13}")
    baseline = None
    for count in (1, 20, 200):
        matcher = TopicMatcher(make_topics(count, random.Random(count)))
        assert not matcher.errors, matcher.errors
        seconds, matched = measure(matcher, docs, args.runs)
        per_doc = seconds / len(docs) * 1e6
        baseline = baseline or per_doc
        print(
            f"{count:>7} {per_doc:>9.1f} {len(docs) / seconds:>10.0f} {matched:>13}"
            f"   ({per_doc / baseline:.1f}x the 1-topic cost)"
        )


if __name__ == "__main__":
    main()
