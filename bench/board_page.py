"""Latency of the public ideas board with many ideas (goal: p95 < 100 ms at 10,000 ideas).

    .venv/bin/python bench/board_page.py [--ideas 10000] [--votes 60000] [--runs 30]

Creates a fresh SQLite database in a temporary directory, 500 customers, --ideas ideas
spread over a year across the default statuses and four categories, each entered in the
river as the board does (so text search reads the full-text index), and --votes votes
(a quarter of them in the last 14 days, for "trending"). Then requests, --runs times each,
the board's pages through Django's test client (middleware, session, queries, template):
the default list, each sort, a status filter, a text search, all three combined, page 50,
the roadmap and the changelog. Prints p50 / p95 in milliseconds per page.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

WORDS = (
    "battery export dark mode widget sync watch buds phone repair store refund update "
    "charger offline calendar backup camera night alarm strap firmware pairing csv"
).split()

PAGES = {
    "list (newest)": "/ideas/",
    "top": "/ideas/?sort=top",
    "trending": "/ideas/?sort=trending",
    "oldest": "/ideas/?sort=oldest",
    "status planned": "/ideas/?status=planned",
    "text 'battery'": "/ideas/?q=battery",
    "text + status + sort": "/ideas/?q=battery+OR+charger&status=open&sort=top",
    "page 50": "/ideas/?page=50",
    "roadmap": "/ideas/roadmap",
    "changelog": "/ideas/changelog",
}


def setup(data_dir: Path) -> None:
    os.environ["EARFUL_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "earful.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(ideas: int, votes: int) -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from earful.board.models import Category, Idea, Status, StatusChange, Vote
    from earful.board.river_link import _idea_item, board_source
    from earful.river.actions import ingest_items
    from earful.river.models import Mention

    rng = random.Random(5)
    now = timezone.now()
    user_model = get_user_model()
    user_model.objects.bulk_create(
        [user_model(username=f"customer{n}", email=f"c{n}@example.org") for n in range(500)]
    )
    users = list(user_model.objects.order_by("id"))
    categories = [
        Category.objects.create(name=name, slug=name.lower(), order=n)
        for n, name in enumerate(["Phones", "Audio", "Watches", "Stores"])
    ]
    statuses = list(Status.objects.order_by("order"))
    weights = [60, 10, 10, 6, 10, 4][: len(statuses)]
    rows = []
    for n in range(ideas):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 8))).capitalize()
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 60)))
        rows.append(
            Idea(
                title=f"{title} #{n}",
                body=body,
                body_html=f"<p>{body}</p>",
                author=rng.choice(users),
                category=rng.choice(categories),
                status=rng.choices(statuses, weights)[0],
                created_at=now - timedelta(seconds=rng.randint(0, 365 * 86400)),
                content_hash=f"{n:032d}",
            )
        )
    Idea.objects.bulk_create(rows, batch_size=2000)
    created = list(Idea.objects.order_by("id"))
    source = board_source()
    ingest_items(source, [_idea_item(idea) for idea in created])
    ids = dict(Mention.objects.filter(source=source).values_list("external_id", "id"))
    for idea in created:
        idea.mention_id = ids.get(f"idea-{idea.pk}")
    Idea.objects.bulk_update(created, ["mention_id"], batch_size=2000)
    done = [idea for idea in created if idea.status.kind == "closed_done"]
    StatusChange.objects.bulk_create(
        [
            StatusChange(idea=i, to_status=i.status, note="Shipped.", note_html="<p>Shipped.</p>")
            for i in done
        ]
    )
    # A few popular ideas and a long tail: (idea index, user index) pairs, one vote each.
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < votes:
        popular = min(int(rng.paretovariate(1.2)) - 1, len(created) - 1)
        which = popular if rng.random() < 0.3 else rng.randrange(len(created))
        pairs.add((which, rng.randrange(len(users))))
    recent = now - timedelta(days=14)
    vote_rows = [
        Vote(
            idea_id=created[which].pk,
            user_id=users[user].pk,
            created_at=recent + timedelta(seconds=rng.randint(0, 14 * 86400))
            if rng.random() < 0.25
            else now - timedelta(days=rng.randint(15, 365)),
        )
        for which, user in pairs
    ]
    Vote.objects.bulk_create(vote_rows, batch_size=5000)
    from django.db.models import Count

    for idea_id, count in Vote.objects.values_list("idea_id").annotate(n=Count("id")):
        Idea.objects.filter(pk=idea_id).update(vote_count=count)
    from earful.board.trending import rescore_all
    from earful.river.store import refresh_statistics

    rescore_all()
    refresh_statistics()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--votes", type=int, default=60_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    setup(Path(tempfile.mkdtemp(prefix="earful-board-bench-")))
    build(args.ideas, args.votes)
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    print(f"{args.ideas} ideas, {args.votes} votes, {args.runs} requests per page")
    print(f"{'page':<24} {'p50 ms':>8} {'p95 ms':>8}")
    for name, url in PAGES.items():
        for _ in range(3):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        print(f"{name:<24} {statistics.median(timings):>8.1f} {p95:>8.1f}", file=sys.stdout)


if __name__ == "__main__":
    main()
