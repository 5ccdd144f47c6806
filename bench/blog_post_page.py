"""Latency of a blog post page with many comments (goal: p95 < 100 ms at 500 comments).

    .venv/bin/python bench/blog_post_page.py [--comments 500] [--runs 100] [--data-dir DIR]

Creates a fresh SQLite database in a temporary (or the given) directory, one published post
and --comments published comments (a third of them replies, nested up to four deep, each
a few sentences of Markdown rendered once on the way in, as the blog stores them), then
requests the post page --runs times through Django's test client: the whole request path
(middleware, session, the thread query, template rendering) without the network.
Prints p50 / p95 / max in milliseconds after 5 warm-up requests.
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
    "battery camera screen store queue tour phone repair great slow support price update "
    "charger case night photo friendly staff waited hours loved hated again Berlin Munich"
).split()


def setup(data_dir: Path) -> None:
    os.environ["EARFUL_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "earful.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(comments: int) -> str:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from earful.blog.actions.posts import make_author, publish_post, save_post
    from earful.blog.markdown import render_comment
    from earful.blog.models import Comment

    rng = random.Random(40)
    user = get_user_model().objects.create_user("maya", first_name="Maya", last_name="Lind")
    post = publish_post(save_post(make_author(user), "Day 1 of 40", "Berlin. " * 200))
    start = timezone.now() - timedelta(days=1)
    made: list[Comment] = []
    for n in range(comments):
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 60)))
        body = f"{body.capitalize()}, *really*.\n\n> {rng.choice(WORDS)}"
        parent = rng.choice(made[-40:]) if made and rng.random() < 0.33 else None
        comment = Comment(
            post=post,
            parent=parent,
            name=f"Reader {n}",
            email=f"reader{n}@example.org",
            body=body,
            body_html=render_comment(body),
            status=Comment.Status.PUBLISHED,
            created_at=start + timedelta(seconds=60 * n),
        )
        comment.save()
        made.append(comment)
    return post.get_absolute_url()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=500)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--data-dir", type=Path)
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="earful-blog-bench-"))
    setup(data_dir)
    url = build(args.comments)
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    for _ in range(5):
        response = client.get(url)
        assert response.status_code == 200, response.status_code
    assert response.content.count(b'class="comment ') == args.comments
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    print(
        f"post page, {args.comments} comments, {args.runs} requests: "
        f"p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms",
        file=sys.stdout,
    )


if __name__ == "__main__":
    main()
