"""Latency of a community question page with many answers (goal: p95 < 100 ms at 200).

    .venv/bin/python bench/community_page.py [--answers 200] [--runs 100] [--data-dir DIR]
                                             [--reader visitor|member|staff]

Creates a fresh SQLite database in a temporary (or the given) directory, one published
question with --answers published answers (each a few sentences of Markdown rendered once
on the way in, as the actions store them, a third of them with one to four comments, some
voted up or down, one accepted and one official), then requests the question page --runs
times through Django's test client as the --reader: the whole request path (middleware,
session, the answer, comment and vote queries, related questions, rendering) without the
network. Prints p50 / p95 / max in milliseconds after 5 warm-up requests, and the
process's CPU time per request (p50 / p95), steadier than the wall clock on a shared box.

The posts are written as rows (not through the actions, which would enter each one in
the river: minutes for 200 answers); the question itself goes through ask_question, so it
is in the river's full-text index as in production and "related questions" has work.
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
    "battery screen update wifi bluetooth charger case restart settings reset firmware "
    "signal camera app slow fast night works again tried still same support phone"
).split()


def setup(data_dir: Path) -> None:
    os.environ["EARFUL_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "earful.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _sentence(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize()


def build(answers: int) -> tuple[str, dict]:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from earful.accounts.actions import set_roles
    from earful.blog.markdown import render_comment, render_post
    from earful.community.actions.posts import ask_question
    from earful.community.models import Answer, Category, Comment, Member, Question, Vote

    rng = random.Random(6)
    users = get_user_model().objects
    asker = users.create_user("asker")
    staff = users.create_user("staff")
    set_roles(staff, ["responder"])
    writers = [users.create_user(f"member{n}") for n in range(60)]
    Member.objects.bulk_create(
        [Member(user=u, points=rng.randint(0, 3000)) for u in [asker, *writers]]
    )
    category = Category.objects.create(name="Arc phones", slug="arc-phones")
    question = ask_question(
        staff,
        title="Battery drains overnight after the 5.2 update",
        body="Since 5.2 my phone loses 40% overnight with the screen off. " * 3,
        category=category,
        tags=["battery", "update"],
    )
    Question.objects.filter(pk=question.pk).update(author=asker)
    start = timezone.now() - timedelta(days=3)
    rows = []
    for n in range(answers):
        body = f"{_sentence(rng, 20, 80)}.\n\n- {_sentence(rng, 3, 8)}\n- `{rng.choice(WORDS)}`"
        rows.append(
            Answer(
                question=question,
                author=rng.choice(writers),
                body=body,
                body_html=render_post(body),
                score=rng.randint(-3, 40),
                created_at=start + timedelta(minutes=n),
                updated_at=start + timedelta(minutes=n, seconds=30 * (n % 5 == 0)),
            )
        )
    made = Answer.objects.bulk_create(rows)
    Answer.objects.filter(pk=made[3].pk).update(is_accepted=True)
    Answer.objects.filter(pk=made[7].pk).update(is_official=True)
    Question.objects.filter(pk=question.pk).update(accepted_answer=made[3], answer_count=answers)
    comments = []
    for answer in made:
        if rng.random() < 0.33:
            for c in range(rng.randint(1, 4)):
                body = _sentence(rng, 5, 25) + "."
                comments.append(
                    Comment(
                        answer=answer,
                        author=rng.choice(writers),
                        body=body,
                        body_html=render_comment(body),
                        created_at=answer.created_at + timedelta(minutes=c + 1),
                    )
                )
    Comment.objects.bulk_create(comments)
    reader = writers[0]
    Vote.objects.bulk_create(
        [Vote(user=reader, answer=a, value=rng.choice((1, -1))) for a in made[::4]]
    )
    return question.get_absolute_url(), {"member": reader, "staff": staff}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=200)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--reader", choices=["visitor", "member", "staff"], default="member")
    parser.add_argument("--data-dir", type=Path)
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="earful-community-bench-"))
    setup(data_dir)
    url, readers = build(args.answers)
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    if args.reader != "visitor":
        client.force_login(readers[args.reader])
    for _ in range(5):
        response = client.get(url)
        assert response.status_code == 200, response.status_code
    assert response.content.count(b'<article id="answer-') == args.answers
    timings, cpu = [], []
    for _ in range(args.runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    timings.sort()
    cpu.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    cpu95 = cpu[max(0, int(len(cpu) * 0.95) - 1)]
    print(
        f"question page, {args.answers} answers, {args.reader}, {args.runs} requests: "
        f"p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms; "
        f"CPU p50 {statistics.median(cpu):.1f} ms, p95 {cpu95:.1f} ms",
        file=sys.stdout,
    )


if __name__ == "__main__":
    main()
