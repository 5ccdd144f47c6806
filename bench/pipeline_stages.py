"""Cost per item of each pure pipeline stage, in microseconds.

Runs ~50k generated mentions (short social posts, HTML blog comments, posts in other
languages, spam, exact repeats and near-duplicates) through normalise, exact_dedupe,
near_duplicates, language and spam in batches of 1000, as `ingest` does, with an in-memory
index that remembers earlier batches. Reports the median of several runs, in CPU time of
this process (the box is shared: wall-clock figures wander with the neighbours' load).

    .venv/bin/python bench/pipeline_stages.py [--items 50000] [--runs 5] [--batch 1000]
        [--datasketch]

Recorded on the 2-core development box (2026-11-23), 50,000 items, median of 5 runs,
us/item:

    stage             before   after
    normalise          69.9     17.8
    exact_dedupe        1.2      1.2
    near_duplicates    88.8     13.0
    language           13.2     13.0
    spam               62.6     11.1
    total             235.6     56.1   (4,244 -> 17,829 items/s)

    one datasketch MinHash per item (--datasketch): 529 us/item

"before" is the first committed version of these stages (174ba08) run by this script.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

from earful.river.pipeline.base import Context, MemoryIndex
from earful.river.pipeline.exact_dedupe import exact_dedupe
from earful.river.pipeline.items import Item, RawItem
from earful.river.pipeline.language import language
from earful.river.pipeline.near_duplicates import near_duplicates
from earful.river.pipeline.normalise import normalise
from earful.river.pipeline.spam import make_spam

PRODUCTS = ["Earful", "the app", "the checkout", "support", "the new update", "your API"]
OPINIONS = [
    "is really slow today",
    "keeps crashing when I upload a photo",
    "finally fixed the login bug, thanks",
    "is the best thing that happened to our team",
    "charged me twice for the same order",
    "has a confusing settings page",
    "works great on my phone but not on the tablet",
    "lost all my saved drafts after the update",
]
FILLERS = [
    "honestly",
    "again",
    "since Monday",
    "for the third time",
    "not sure why",
    "anyone else?",
    "please fix",
    "love it",
    "so frustrating",
    "big thanks to the team",
]
FOREIGN = [
    "Je trouve que la nouvelle version de l'application est beaucoup plus lente qu'avant.",
    "Die neue Version der App stürzt ständig ab, wenn ich ein Foto hochladen möchte.",
    "La aplicación me cobró dos veces el mismo pedido y nadie responde en soporte.",
    "新しいアップデートの後、保存していた下書きがすべて消えてしまいました。",
]
SPAM = [
    "BUY NOW cheap pills!!! click here http://cheap-pills.example/x?id={n} free money",
    "crypto giveaway crypto giveaway crypto giveaway dm me for promo code {n}",
]


def _post(rng: random.Random, n: int) -> RawItem:
    words = [rng.choice(PRODUCTS), rng.choice(OPINIONS)]
    words += rng.sample(FILLERS, rng.randint(0, 3))
    if rng.random() < 0.3:
        words.append(f"#{rng.choice(['earful', 'fail', 'ux', 'support'])}")
    if rng.random() < 0.15:
        words.append(f"https://example.com/p/{n}?utm_source=x&utm_medium=social")
    text = " ".join(words)
    if rng.random() < 0.1:
        text += " & more"
    return RawItem(
        text=text.capitalize(),
        external_id=f"post-{n}",
        url=f"https://social.example/@user{n % 997}/{n}",
        author=f"user{n % 997}",
    )


def _comment(rng: random.Random, n: int) -> RawItem:
    paragraphs = [
        f"<p>{rng.choice(PRODUCTS)} {rng.choice(OPINIONS)}, {rng.choice(FILLERS)}.</p>"
        for _ in range(rng.randint(1, 4))
    ]
    paragraphs.append(
        f'<p>See <a href="https://blog.example/{n}">my notes</a> &amp; '
        f"<em>more</em> &mdash; {rng.choice(FILLERS)}<br>cheers</p>"
    )
    if rng.random() < 0.05:
        paragraphs.append("<script>track()</script>")
    return RawItem(
        text="\n".join(paragraphs),
        external_id=f"comment-{n}",
        title=f"Re: {rng.choice(PRODUCTS)}",
        is_html=True,
    )


def _near_copy(rng: random.Random, original: RawItem, n: int) -> RawItem:
    words = original.text.split()
    if len(words) > 3:
        words[rng.randrange(len(words))] = rng.choice(FILLERS)
    return RawItem(
        text=" ".join(words) + rng.choice(["", "!", " !!!", " :("]), external_id=f"nd-{n}"
    )


def generate(count: int, seed: int = 7) -> list[RawItem]:
    rng = random.Random(seed)
    items: list[RawItem] = []
    for n in range(count):
        roll = rng.random()
        if roll < 0.62 or not items:
            raw = _post(rng, n)
        elif roll < 0.77:
            raw = _comment(rng, n)
        elif roll < 0.87:
            raw = _near_copy(rng, rng.choice(items[-500:]), n)
        elif roll < 0.93:
            raw = RawItem(text=rng.choice(FOREIGN) + f" #{n}", external_id=f"intl-{n}")
        elif roll < 0.96:
            raw = RawItem(text=rng.choice(SPAM).format(n=n), external_id=f"spam-{n}")
        else:
            raw = rng.choice(items[-2000:])  # the same item delivered again
        items.append(raw)
    return items


STAGES: list[tuple[str, Callable]] = [
    ("normalise", normalise),
    ("exact_dedupe", exact_dedupe),
    ("near_duplicates", near_duplicates),
    ("language", language),
    ("spam", make_spam()),
]


def run_once(raws: list[RawItem], batch_size: int) -> dict[str, float]:
    """Seconds spent in each stage over all batches."""
    context = Context(index=MemoryIndex())
    spent = dict.fromkeys((name for name, _ in STAGES), 0.0)
    for start in range(0, len(raws), batch_size):
        batch = [Item(raw=raw, source_id=1) for raw in raws[start : start + batch_size]]
        for name, stage in STAGES:
            live = [item for item in batch if not item.dropped]
            began = time.process_time()
            stage(live, context)
            spent[name] += time.process_time() - began
        context.index.remember([item for item in batch if not item.dropped])
    return spent


def datasketch_us_per_item(raws: list[RawItem], count: int = 5000) -> float:
    """What one datasketch MinHash per mention would cost, for comparison."""
    from datasketch import MinHash

    from earful.river.pipeline.near_duplicates import NUM_PERM, SEED, shingle_hash, shingles

    batch = normalise([Item(raw=raw, source_id=1) for raw in raws[:count]], Context())
    texts = [f"{item.title} {item.text}" for item in batch if not item.dropped]
    began = time.process_time()
    for text in texts:
        minhash = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=shingle_hash, scheme="affine32")
        minhash.update_batch(shingles(text))
    return (time.process_time() - began) / len(texts) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument(
        "--datasketch", action="store_true", help="also time one datasketch MinHash per item"
    )
    args = parser.parse_args()
    raws = generate(args.items)
    run_once(raws[: args.batch], args.batch)  # warm caches, imports, CLD2 tables
    runs = [run_once(raws, args.batch) for _ in range(args.runs)]
    print(f"{args.items} items, batches of {args.batch}, median of {args.runs} runs")
    total = 0.0
    for name, _ in STAGES:
        per_item = statistics.median(run[name] for run in runs) / args.items * 1e6
        total += per_item
        print(f"  {name:<16} {per_item:8.2f} us/item")
    print(f"  {'total':<16} {total:8.2f} us/item  ({1e6 / total:,.0f} items/s)")
    if args.datasketch:
        print(f"  one datasketch MinHash per item: {datasketch_us_per_item(raws):.2f} us/item")


if __name__ == "__main__":
    main()
