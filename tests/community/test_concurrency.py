"""The ledger under real concurrency (PostgreSQL; SQLite serialises writers anyway): many
people voting on one answer, changing and taking back their votes at the same moment, and
double-clicking from two requests at once, end with every member's points equal to the
sum of their ledger, every vote credited once, and every withdrawn vote reversed once."""

from __future__ import annotations

import random
import threading

import pytest
from django.db import connection, connections
from django.db.models import Sum

from earful.community.actions.votes import unvote, vote
from earful.community.models import Answer, EventKind, Member, ReputationEvent, Vote

VOTERS = 8
ROUNDS = 6

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_community"),
    pytest.mark.skipif(
        "connection.vendor != 'postgresql'",
        reason="SQLite runs one writer at a time; the race needs PostgreSQL",
    ),
]


def ledger_sum(user) -> int:
    return ReputationEvent.objects.filter(user=user).aggregate(t=Sum("points"))["t"] or 0


def test_concurrent_votes_and_withdrawals_keep_the_ledger_exact(answer, helper, make_member):
    voters = [make_member(f"racer{n}", points=20) for n in range(VOTERS)]
    start = threading.Barrier(VOTERS * 2)
    failures: list[BaseException] = []

    def click(voter, seed: int) -> None:
        """One browser tab of one voter: up, down, again, back, in a random order."""
        chooser = random.Random(seed)
        try:
            start.wait()
            for _ in range(ROUNDS):
                post = Answer.objects.get(pk=answer.pk)
                if chooser.random() < 0.25:
                    unvote(post, voter)
                else:
                    vote(post, voter, chooser.choice((1, -1)))
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
        finally:
            connections.close_all()

    # two tabs per voter, so the same person races themselves too
    threads = [
        threading.Thread(target=click, args=(voter, seed))
        for seed, voter in enumerate(voters + voters)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert failures == []

    votes = {v.pk: v for v in Vote.objects.filter(answer=answer)}
    assert len({v.user_id for v in votes.values()}) == len(votes)  # one vote a person
    answer.refresh_from_db()
    assert answer.score == sum(v.value for v in votes.values())

    for person in [helper, *voters]:
        member = Member.objects.get(user=person)
        start_points = 20 if person in voters else 0
        assert member.points == ledger_sum(person) + start_points, person

    # Each vote line is reversed at most once, and exactly the lines of votes that are
    # gone are reversed: nothing counted twice, nothing left behind.
    lines = ReputationEvent.objects.exclude(kind=EventKind.REVERSAL)
    reversed_ids = list(
        ReputationEvent.objects.filter(kind=EventKind.REVERSAL).values_list(
            "reverses_id", flat=True
        )
    )
    assert len(reversed_ids) == len(set(reversed_ids))
    for line in lines.filter(key__startswith="vote:"):
        vote_id = int(line.key.split(":")[1])
        assert (line.pk in reversed_ids) == (vote_id not in votes), line.key
    standing_upvotes = lines.filter(user=helper, kind=EventKind.ANSWER_UPVOTED).exclude(
        pk__in=reversed_ids
    )
    assert standing_upvotes.count() == sum(1 for v in votes.values() if v.value == 1)
    assert connection.vendor == "postgresql"
